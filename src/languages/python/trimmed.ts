// A field with characters stripped from its ends: `f.rstrip(".")`, `f.strip()`, `f.lstrip("/")`.
// A test of the stripped value is written as a test of the field itself, exact: `f.rstrip(".")
// .endswith("x.com")` is the field matching `x\.com\.*$` (it ends with the value, then any number of
// the stripped characters). A value that the stripped text can never be (it starts or ends with a
// stripped character on a stripped side) never matches. What cannot be written that way (other
// operators; a prefix ending or a suffix starting with a stripped character, which depends on
// the rest of the text) stays text.
import { other, predicate } from '../../model/predicates.js';
import type { Operator, PredicateNode, Scalar } from '../../model/types.js';
import { escapeInClass, escapeRegex } from './regex-escape.js';

/** What was stripped: `chars` (undefined: whitespace, as `strip()` without an argument) on which ends. */
export interface Trim {
  chars?: string;
  left: boolean;
  right: boolean;
}

interface Options {
  negated: boolean;
  caseSensitive: boolean;
  nativeOp: string;
  text: string;
}

/** The trim of `f.<method>(chars)` applied after `before` (a second strip of the same characters widens the sides). */
export function trimOf(method: string, chars: string | undefined, before: Trim | undefined): Trim | undefined {
  const left = method === 'strip' || method === 'lstrip';
  const right = method === 'strip' || method === 'rstrip';
  if (!before) return { ...(chars !== undefined ? { chars } : {}), left, right };
  if (before.chars !== chars) return undefined;
  return { ...before, left: before.left || left, right: before.right || right };
}

/** `op values` on `field` with `trim` applied before the test. */
export function trimmedPredicate(field: string, trim: Trim, op: Operator, values: Scalar[], opts: Options): PredicateNode {
  const isStripped = (ch: string | undefined) => ch !== undefined && (trim.chars === undefined ? /\s/.test(ch) : trim.chars.includes(ch));
  const cls = trim.chars === undefined ? '\\s' : `[${escapeInClass(trim.chars)}]`;
  const lead = trim.left ? `${cls}*` : '';
  const tail = trim.right ? `${cls}*` : '';
  // Never matched: nothing is in the empty class.
  const never = '[^\\s\\S]';
  const write = (patterns: string[]) =>
    predicate(field, 'regex', patterns.length > 0 ? patterns : [never], { ...opts, nativeOp: `${opts.nativeOp} (stripped)` });
  if (op === 'exists') {
    // Read for its truth: something is left after stripping. `is None`: the field itself.
    if (opts.nativeOp !== 'truthy') return predicate(field, op, values, opts);
    return write([trim.chars === undefined ? '\\S' : `[^${escapeInClass(trim.chars)}]`]);
  }
  if (values.length === 0 || values.some((v) => typeof v !== 'string')) return other(opts.text);
  const texts = values as string[];
  const possible = (v: string, start: boolean, end: boolean) =>
    !(start && trim.left && isStripped(v[0])) && !(end && trim.right && isStripped(v.at(-1)));
  switch (op) {
    case 'eq':
    case 'in':
      return write(texts.filter((v) => v === '' || possible(v, true, true)).map((v) => `^${lead}${escapeRegex(v)}${tail}$`));
    case 'startswith':
      if (trim.right && texts.some((v) => isStripped(v.at(-1)))) return other(opts.text);
      return write(texts.filter((v) => possible(v, true, false)).map((v) => `^${lead}${escapeRegex(v)}`));
    case 'endswith':
      if (trim.left && texts.some((v) => isStripped(v[0]))) return other(opts.text);
      return write(texts.filter((v) => possible(v, false, true)).map((v) => `${escapeRegex(v)}${tail}$`));
    case 'contains':
      // A value with no stripped character at a stripped end is inside the stripped text wherever it is in the field.
      if (texts.some((v) => v === '' || !possible(v, true, true))) return other(opts.text);
      return predicate(field, op, values, opts);
    default:
      return other(opts.text);
  }
}
