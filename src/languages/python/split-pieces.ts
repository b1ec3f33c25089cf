// A field split on a constant separator and read by position: `parts = f.split("/")`, then
// `len(parts) >= 5` and `parts[4] == "pods"` (GCP's resource names, ARNs, paths). Each is an exact
// test on the field's text, written as a regular expression anchored at its start (RE2, as the
// evaluator runs them): `len(parts) >= k` is "at least k-1 separators", `parts[i] == v` is "i
// pieces then v, then a separator or the end". Its values name no event (Predicate.piece).
// Positions need a one-character separator (a piece is then "no separator in it"); the length
// works with any.
import { combine, other, predicate } from '../../model/predicates.js';
import type { Operator, PredicateNode, Scalar } from '../../model/types.js';

/** Beyond this many pieces the comparison is kept as text. */
const maxPieces = 100;

interface Options {
  negated: boolean;
  caseSensitive: boolean;
  text: string;
}

const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A character inside a class (`[^/]`). */
const inClass = (c: string) => c.replace(/[\]\\^-]/g, '\\$&');

/** A regex test on the field's text, marked as a test on its pieces. */
function pieceRegex(field: string, pattern: string, separator: string, opts: Options): PredicateNode {
  const node = predicate(field, 'regex', [pattern], { ...opts, nativeOp: 'split' });
  return node.kind === 'pred' ? { kind: 'pred', predicate: { ...node.predicate, piece: separator } } : node;
}

/** The field has at least `count` separators. */
function separators(field: string, separator: string, count: number, text: string, negated: boolean): PredicateNode {
  const pattern = `^(?:[\\s\\S]*?${escaped(separator)}){${count}}`;
  return pieceRegex(field, pattern, separator, { negated, caseSensitive: true, text });
}

/**
 * `len(f.split(sep)) op n` (`lenOnLeft`) or `n op len(...)`: a condition on how many separators
 * the field holds; undefined for an operator that does not compare numbers.
 */
export function splitLengthCondition(
  fields: string[],
  separator: string,
  op: string,
  n: number,
  lenOnLeft: boolean,
  text: string,
): PredicateNode | boolean | undefined {
  const flip: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' };
  const o = lenOnLeft ? op : flip[op];
  if (o === undefined || !Number.isInteger(n) || n > maxPieces) return undefined;
  // A split has at least one piece: `len >= k` is at least k-1 separators.
  const atLeast = (k: number, negated: boolean): PredicateNode | boolean =>
    k <= 1
      ? !negated
      : combine(
          'or',
          fields.map((f) => separators(f, separator, k - 1, text, negated)),
        );
  const both = (a: PredicateNode | boolean, b: PredicateNode | boolean, join: 'and' | 'or'): PredicateNode | boolean => {
    if (typeof a === 'boolean') return join === 'and' ? (a ? b : false) : a ? true : b;
    if (typeof b === 'boolean') return join === 'and' ? (b ? a : false) : b ? true : a;
    return combine(join, [a, b]);
  };
  switch (o) {
    case '>=':
      return atLeast(n, false);
    case '>':
      return atLeast(n + 1, false);
    case '<':
      return atLeast(n, true);
    case '<=':
      return atLeast(n + 1, true);
    case '==':
      return both(atLeast(n, false), atLeast(n + 1, true), 'and');
    case '!=':
      return both(atLeast(n, true), atLeast(n + 1, false), 'or');
    default:
      return undefined;
  }
}

/** `f.split(sep)[index] op values`: the test on the field's piece at `index` (0 the first). */
export function nthPiecePredicate(
  field: string,
  separator: string,
  index: number,
  op: Operator,
  values: Scalar[],
  opts: Options & { nativeOp: string },
): PredicateNode {
  if (separator.length !== 1 || index < 0 || index >= maxPieces) return other(opts.text);
  const sep = escaped(separator);
  const notSep = `[^${inClass(separator)}]`;
  const before = `^(?:${notSep}*${sep}){${index}}`;
  const regex = (pattern: string) => pieceRegex(field, pattern, separator, opts);
  switch (op) {
    case 'eq':
    case 'in': {
      // A value holding the separator is never a piece.
      const kept = values.filter((v): v is string => typeof v === 'string' && !v.includes(separator));
      if (kept.length !== values.length || kept.length === 0) return other(opts.text);
      return regex(`${before}(?:${kept.map(escaped).join('|')})(?:${sep}|$)`);
    }
    case 'exists':
      // Read for its truth: a piece that is not empty.
      return opts.nativeOp === 'truthy' ? regex(`${before}${notSep}`) : other(opts.text);
    default:
      return other(opts.text);
  }
}
