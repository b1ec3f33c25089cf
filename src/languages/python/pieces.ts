// Pieces of a field split on a separator, at a position from the start: `parts = f.split("/")`,
// then `parts[3] in NAMESPACES`, `parts[2] == "namespaces"`, `len(parts) >= 4`. Each is a test on
// the whole field, written as a regular expression over its pieces, exact: the piece at index i
// is the text after the i-th separator and before the next one (or the end). `[^/]*` stands for a
// piece not tested. Tests on pieces of one field and separator that must hold together (an `and`)
// are one expression: `^[^/]*/[^/]*/namespaces/kube-system(?:/|$)`, one predicate per value of
// the one position tested with several. A value holding the separator is never a piece.
//
// Python raises IndexError on `parts[i]` when the field has fewer than i + 1 pieces: rules guard
// that with `len(parts)`; unguarded, the expression reads such a field as not holding the value.
// Predicates carry Predicate.piece (the separator): a piece's value names no event.
import { other, predicate } from '../../model/predicates.js';
import type { Operator, Predicate, PredicateNode, Scalar } from '../../model/types.js';
import { escapeInClass, escapeRegex } from './regex-escape.js';
import { pieceTextPredicate, readsPieceText } from './piece-texts.js';
import type { PieceStep } from './chained-pieces.js';

/** What a piece predicate requires of its field, kept to join tests of one field (`and`). */
interface PieceTest {
  field: string;
  separator: string;
  caseSensitive: boolean;
  /** The pieces' values were compared with spaces around them stripped (`parts[3].strip()`). */
  stripped: boolean;
  /** Index → the values the piece there is one of. */
  at: Map<number, string[]>;
  /** At least this many pieces (`len(parts) >= n`). */
  minPieces: number;
  /** Exactly `minPieces` pieces (`len(parts) == n`): the last piece tested runs to the end. */
  exact?: boolean;
  /** Indexes whose piece is not empty (`parts[6]` read for its truth). */
  filled?: number[];
  nativeOp: string;
  text: string;
}

/** A piece of a field: after the `index`-th `separator`, its spaces stripped or not. */
export interface Piece {
  separator: string;
  index: number;
  stripped?: boolean;
  /** The slice `[from:]` of the piece is read (piece-texts.ts). */
  from?: number;
  /** Further splits of the piece (chained-pieces.ts): only a compared text reads them. */
  then?: PieceStep[];
}

/** `parts[i].strip()`: the same piece, compared without the spaces at its ends (not for a separator that is a space). */
export function strippedPiece<T extends { at?: Record<string, Piece> }>(ref: T): T | undefined {
  const at: Record<string, Piece> = {};
  for (const [f, piece] of Object.entries(ref.at ?? {})) {
    if (/\s/.test(piece.separator) || piece.then) return undefined;
    at[f] = { ...piece, stripped: true };
  }
  return { ...ref, at };
}

/** The tests behind the predicates this module wrote (by identity: never shared between analyses' results). */
const tests = new WeakMap<Predicate, PieceTest>();

interface Options {
  negated: boolean;
  caseSensitive: boolean;
  nativeOp: string;
  text: string;
}

/** The expression for a test: one per value of the position tested with several (or one). */
function expressions(t: PieceTest): string[] {
  const sep = escapeRegex(t.separator);
  const free = `[^${escapeInClass(t.separator)}]*`;
  const filled = `[^${escapeInClass(t.separator)}]+`;
  const last = Math.max(t.minPieces - 1, ...t.at.keys());
  const multi = [...t.at.entries()].filter(([, vs]) => vs.length > 1);
  const one = multi.length === 1 ? multi[0]![0] : undefined;
  const build = (pick?: string) => {
    const parts: string[] = [];
    for (let i = 0; i <= last; i++) {
      const vs = t.at.get(i);
      if (!vs) parts.push(t.filled?.includes(i) ? filled : free);
      else {
        const value =
          i === one && pick !== undefined
            ? escapeRegex(pick)
            : vs.length === 1
              ? escapeRegex(vs[0]!)
              : `(?:${vs.map(escapeRegex).join('|')})`;
        parts.push(t.stripped ? `\\s*${value}\\s*` : value);
      }
    }
    return `^${parts.join(sep)}${t.exact ? '$' : `(?:${sep}|$)`}`;
  };
  return one !== undefined ? t.at.get(one)!.map((v) => build(v)) : [build()];
}

function written(t: PieceTest, negated: boolean): PredicateNode {
  const p = predicate(t.field, 'regex', expressions(t), {
    negated,
    caseSensitive: t.caseSensitive,
    nativeOp: t.nativeOp,
    text: t.text,
  });
  if (p.kind !== 'pred') return p;
  const marked: Predicate = { ...p.predicate, piece: t.separator };
  tests.set(marked, t);
  return { kind: 'pred', predicate: marked };
}

/**
 * `op values` on the piece at `index` of `field` split on `separator` (eq / in; `exists`: the piece
 * is there, and read for its truth not empty; others stay text).
 */
export function indexedPiecePredicate(field: string, piece: Piece, op: Operator, values: Scalar[], opts: Options): PredicateNode {
  const { separator, index } = piece;
  const stripped = piece.stripped === true;
  // A piece of the piece: no expression over the field is written for it.
  if (piece.then) return other(opts.text);
  // Text tests (a prefix, a substring) and any test of a slice: piece-texts.ts.
  if (!stripped && readsPieceText(piece, op)) return pieceTextPredicate(field, piece, op, values, opts);
  if (piece.from !== undefined) return other(opts.text);
  if (op === 'exists') {
    // A piece is a string, never None: `is not None` is its being there (stripped spaces aside).
    const truthy = opts.nativeOp === 'truthy' && !stripped;
    if (opts.nativeOp === 'truthy' && stripped) return other(opts.text);
    const t: PieceTest = {
      field,
      separator,
      caseSensitive: true,
      stripped: false,
      at: new Map(),
      minPieces: index + 1,
      nativeOp: opts.nativeOp,
      text: opts.text,
    };
    return written(truthy ? { ...t, filled: [index] } : t, opts.negated);
  }
  if (op !== 'eq' && op !== 'in') return other(opts.text);
  const fold = (s: string) => (opts.caseSensitive ? s : s.toLowerCase());
  if (values.some((v) => typeof v !== 'string')) return other(opts.text);
  // A stripped piece has no spaces at its ends: a value with them is never one.
  const kept = (values as string[]).filter((v) => !fold(v).includes(fold(separator)) && (!stripped || v === v.trim()));
  if (kept.length === 0) return other(opts.text);
  const t: PieceTest = {
    field,
    separator,
    caseSensitive: opts.caseSensitive,
    stripped,
    at: new Map([[index, kept]]),
    minPieces: index + 1,
    nativeOp: opts.nativeOp,
    text: opts.text,
  };
  return written(t, opts.negated);
}

/** `len(parts) op n` with parts a field split on `separator`: how many separators the field holds. */
export function pieceCount(
  field: string,
  separator: string,
  op: string,
  n: number,
  lenOnLeft: boolean,
  text: string,
): PredicateNode | boolean {
  const flipped = lenOnLeft ? op : (({ '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as Record<string, string>)[op] ?? op);
  const atLeast = (k: number, negated: boolean, exact = false): PredicateNode | boolean => {
    if (k <= 1 && !exact) return !negated; // a split gives at least one piece
    const t: PieceTest = {
      field,
      separator,
      caseSensitive: true,
      stripped: false,
      at: new Map(),
      minPieces: k,
      ...(exact ? { exact } : {}),
      nativeOp: `len ${op}`,
      text,
    };
    return written(t, negated);
  };
  switch (flipped) {
    case '==':
    case '!=':
      // A split gives a whole number of pieces, at least one.
      if (!Number.isInteger(n) || n < 1) return flipped === '!=';
      return atLeast(n, flipped === '!=', true);
    case '>=':
      return atLeast(Math.ceil(n), false);
    case '>':
      return atLeast(Math.floor(n) + 1, false);
    case '<':
      return atLeast(Math.ceil(n), true);
    case '<=':
      return atLeast(Math.floor(n) + 1, true);
    default:
      return other(text);
  }
}

/**
 * Two conditions that must both hold, when both are positive piece tests of one field and
 * separator in one case: the one test that says both. Undefined otherwise.
 */
export function joinedPieces(a: PredicateNode, b: PredicateNode): PredicateNode | undefined {
  if (a.kind !== 'pred' || b.kind !== 'pred' || a.predicate.negated || b.predicate.negated) return undefined;
  const x = tests.get(a.predicate);
  const y = tests.get(b.predicate);
  if (!x || !y || x.field !== y.field || x.separator !== y.separator) return undefined;
  // A count (no values) joins any test; values join values read the same way.
  const valued = [x, y].filter((t) => t.at.size > 0);
  if (valued.length === 2 && (x.caseSensitive !== y.caseSensitive || x.stripped !== y.stripped)) return undefined;
  const base = valued[0] ?? x;
  const at = new Map(x.at);
  for (const [i, vs] of y.at) {
    const mine = at.get(i);
    at.set(i, mine ? mine.filter((v) => vs.includes(v)) : vs);
  }
  // A piece read for its truth is not empty: an empty value there is none of it.
  const allFilled = [...new Set([...(x.filled ?? []), ...(y.filled ?? [])])];
  for (const i of allFilled) {
    const vs = at.get(i);
    if (vs)
      at.set(
        i,
        vs.filter((v) => v !== ''),
      );
  }
  if ([...at.values()].some((vs) => vs.length === 0)) return undefined;
  // An exact count joins tests that stay within it (and another exact count only when the same).
  const exact = [x, y].find((t) => t.exact);
  const rest = exact === x ? y : x;
  const needed = Math.max(rest.minPieces, ...[...at.keys(), ...allFilled].map((i) => i + 1));
  if (exact && (rest.exact ? rest.minPieces !== exact.minPieces : needed > exact.minPieces)) return undefined;
  const filled = allFilled.filter((i) => !at.has(i));
  const t: PieceTest = {
    field: x.field,
    separator: x.separator,
    caseSensitive: base.caseSensitive,
    stripped: base.stripped,
    at,
    minPieces: exact ? exact.minPieces : Math.max(x.minPieces, y.minPieces),
    ...(exact ? { exact: true } : {}),
    ...(filled.length > 0 ? { filled } : {}),
    nativeOp: x.nativeOp,
    text: `${x.text} and ${y.text}`,
  };
  return written(t, false);
}
