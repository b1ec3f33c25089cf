// `*` wildcards (table names, index patterns, column names, Sigma `1 of sel*`), matched without a
// regex: rule authors write these patterns, and `^a.*a.*a.*…$` backtracks in time exponential in
// its stars. Here a match places each literal part once, right to left: linear in the text per part.

/** A compiled `*` glob: `test` as a RegExp's; `exec` gives the whole text then what each `*` stood for. */
export interface Glob {
  test(text: string): boolean;
  exec(text: string): string[] | null;
}

const caches = new Map<boolean, Map<string, Glob>>();
/** Distinct patterns kept per case mode; past this the cache starts over (patterns come from rules). */
const cacheMax = 4096;

/**
 * The whole-string glob of `pattern`: `*` stands for any text (empty too), everything else for
 * itself; `ignoreCase` compares lower-cased. Compiled once per pattern.
 */
export function compileGlob(pattern: string, ignoreCase = false): Glob {
  let cache = caches.get(ignoreCase);
  if (!cache) caches.set(ignoreCase, (cache = new Map<string, Glob>()));
  let glob = cache.get(pattern);
  if (!glob) {
    if (cache.size >= cacheMax) cache.clear();
    cache.set(pattern, (glob = makeGlob(pattern, ignoreCase)));
  }
  return glob;
}

function makeGlob(pattern: string, ignoreCase: boolean): Glob {
  const fold = (s: string) => (ignoreCase ? s.toLowerCase() : s);
  const parts = fold(pattern).split('*');
  const exec = (original: string): string[] | null => {
    const text = fold(original);
    const first = parts[0]!;
    if (parts.length === 1) return text === first ? [original] : null;
    const last = parts[parts.length - 1]!;
    if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last)) return null;
    // Each middle part at its rightmost place before the next: every `*` as long as it can be,
    // left to right, which is what a greedy `(.*)` regex gives.
    const starts: number[] = [];
    let end = text.length - last.length;
    for (let k = parts.length - 2; k >= 1; k--) {
      const part = parts[k]!;
      const at = text.lastIndexOf(part, end - part.length);
      if (at < first.length || at + part.length > end) return null;
      starts[k] = at;
      end = at;
    }
    const captures = [original];
    let from = first.length;
    for (let k = 1; k < parts.length; k++) {
      const to = k === parts.length - 1 ? text.length - last.length : starts[k]!;
      captures.push(original.slice(from, to));
      from = to + parts[k]!.length;
    }
    return captures;
  };
  return { test: (text) => exec(text) !== null, exec };
}
