// Regexes that rules supply (`matches regex`, `:/…/`, `re.match`) run on RE2, whose matching time is
// linear in the text: JavaScript's backtracking engine runs `(\w+)+zzz` against a 43-character
// name for hours, and the build, sync and a watching server with it. RE2 is also what KQL and
// YARA-L evaluate rule regexes with; the syntax it lacks (lookaround, backreferences) makes a regex
// that is reported on its rule and never run.
import { createRequire } from 'node:module';
import type { RE2 as RE2Class } from 're2-wasm';

type LinearRegex = Pick<RE2Class, 'test'>;

// Loaded on the first regex, not at start-up: instantiating the WebAssembly module takes tens of
// milliseconds that every command paid, most of which never run a rule's regex.
let RE2: typeof RE2Class | undefined;
const engine = () => (RE2 ??= (createRequire(import.meta.url)('re2-wasm') as typeof import('re2-wasm')).RE2);

/** A compiled regex; `unsupported`: valid JavaScript that RE2 cannot run; `invalid`: no regex at all. */
export type Compiled = { regex: LinearRegex } | { unsupported: string } | { invalid: string };

const cache = new Map<string, Compiled>();
/** Distinct regexes kept (they come from rules); past this the cache starts over. */
const cacheMax = 4096;

/** `source` compiled by RE2 with these flags (`i`, `s`, `m`); compiled once per source and flags. */
export function linearRegex(source: string, flags = ''): Compiled {
  const key = `${flags}/${source}`;
  let compiled = cache.get(key);
  if (!compiled) {
    if (cache.size >= cacheMax) cache.clear();
    cache.set(key, (compiled = compile(source, flags)));
  }
  return compiled;
}

function compile(source: string, flags: string): Compiled {
  try {
    // RE2 works on code points only: the `u` flag is required.
    return { regex: new (engine())(source, `${flags}u`) };
  } catch (err) {
    const reason = err instanceof Error ? err.message.replace(/^Invalid regular expression: \/.*\/\w*: /s, '') : String(err);
    try {
      new RegExp(source, flags);
    } catch {
      return { invalid: reason };
    }
    return { unsupported: reason };
  }
}
