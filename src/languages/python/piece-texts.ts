// Text tests on a piece of a split field, or on a slice of that piece: `parts[2].startswith("role-")`,
// `"owner" in parts[2][5:].lower()`, `parts[1].endswith(".exe")`. As pieces.ts does for `==`, each
// is one anchored regular expression over the whole field, exact: the pieces before the one tested
// are `[^sep]*sep`, the piece tested holds no separator. A slice `[k:]` of the piece skips its
// first k characters (a piece shorter than that slices to "", which holds and starts with nothing
// but ""). Only a separator of one character, and values that are not empty, are read: a value
// holding the separator is never in a piece. The test is not joined with the piece's other tests:
// each is a predicate of its own.
import type { Node } from 'web-tree-sitter';
import { other, predicate } from '../../model/predicates.js';
import type { Operator, Predicate, PredicateNode, Scalar } from '../../model/types.js';
import type { FieldRef } from './conditions.js';
import { escapeInClass, escapeRegex } from './regex-escape.js';
import { defaultedPredicate } from './field-defaults.js';
import { type ConstValue, named } from './values.js';

/** A piece of a field, and the slice of it read (`[from:]`). */
export interface SlicedPiece {
  separator: string;
  index: number;
  from?: number;
}

interface Options {
  negated: boolean;
  caseSensitive: boolean;
  nativeOp: string;
  text: string;
}

/** A slice start written as a constant integer, at most this: the regex repeats a class that many times. */
const maxSliceStart = 64;

const textOps = new Set<Operator>(['startswith', 'endswith', 'contains', 'eq', 'in']);

/** Whether this module writes the test: a text test, or any test of a sliced piece. */
export function readsPieceText(piece: SlicedPiece, op: Operator): boolean {
  return (piece.from !== undefined || (op !== 'eq' && op !== 'in')) && textOps.has(op);
}

/** `op values` on the piece (or its slice) of `field`, as one regular expression over the field. */
export function pieceTextPredicate(field: string, piece: SlicedPiece, op: Operator, values: Scalar[], opts: Options): PredicateNode {
  const { separator, index } = piece;
  if (separator.length !== 1 || values.length === 0 || values.some((v) => typeof v !== 'string' || v === '')) return other(opts.text);
  // A lowered text holds no capital: such a value is never in it (left as text, as elsewhere).
  const texts = values as string[];
  if (!opts.caseSensitive && texts.some((v) => v !== v.toLowerCase())) return other(opts.text);
  const fold = (s: string) => (opts.caseSensitive ? s : s.toLowerCase());
  const kept = texts.filter((v) => !fold(v).includes(fold(separator)));
  const free = `[^${escapeInClass(separator)}]`;
  const sep = escapeRegex(separator);
  const before = `^${`${free}*${sep}`.repeat(index)}${piece.from ? `${free}{${piece.from}}` : ''}`;
  const alternatives = kept.length === 1 ? escapeRegex(kept[0]!) : `(?:${kept.map(escapeRegex).join('|')})`;
  const body =
    op === 'startswith'
      ? `${alternatives}${free}*`
      : op === 'endswith'
        ? `${free}*${alternatives}`
        : op === 'contains'
          ? `${free}*${alternatives}${free}*`
          : alternatives;
  // Nothing kept: no value can be in the piece, so the test never holds (an empty `or`).
  if (kept.length === 0) return { kind: opts.negated ? 'and' : 'or', children: [] };
  const p = predicate(field, 'regex', [`${before}${body}(?:${sep}|$)`], opts);
  if (p.kind !== 'pred') return p;
  const marked: Predicate = { ...p.predicate, piece: separator };
  return { kind: 'pred', predicate: marked };
}

/**
 * `piece[k:]` of a piece at an index (`parts[2][5:]`), k a constant from 0 to `maxSliceStart`: the
 * ref with the slice on its piece. Undefined for any other slice, or a value that is no such piece.
 */
export function slicedPiece(ref: FieldRef | undefined, slice: Node, constOf: (n: Node) => ConstValue | undefined): FieldRef | undefined {
  const at = ref?.at;
  if (!ref || !at || ref.fields.length !== 1 || ref.lowered || ref.trimmed || ref.converted || ref.json) return undefined;
  const piece = at[ref.fields[0]!];
  if (!piece || piece.from !== undefined || piece.stripped || piece.then) return undefined;
  // `[k:]`: one bound before the one colon, none after.
  const colons = slice.children.filter((c) => c?.type === ':').length;
  const bounds = named(slice);
  const start = bounds[0];
  if (colons !== 1 || bounds.length !== 1 || !start || start.endIndex > slice.children.find((c) => c?.type === ':')!.startIndex)
    return undefined;
  const k = constOf(start);
  if (k?.kind !== 'scalar' || typeof k.value !== 'number' || !Number.isInteger(k.value) || k.value < 0 || k.value > maxSliceStart)
    return undefined;
  return { ...ref, at: { [ref.fields[0]!]: { ...piece, from: k.value } } };
}

/**
 * `C in f.split(sep)` (`not in`): some piece of the field is C, one regular expression over the
 * field (`(?:^|sep)C(?:sep|$)`; C empty: two separators together, or one at an end). A missing
 * field with a default reads the default's pieces (field-defaults.ts). Undefined for a field read
 * any other way than whole and once (several fields, a guard, a data model's, a parsed text's).
 */
export function pieceMembership(ref: FieldRef, separator: string, values: Scalar[], opts: Options): PredicateNode | undefined {
  const name = ref.fields[0];
  if (ref.fields.length !== 1 || !name || name.startsWith('udm:') || ref.logTypes || ref.guards || ref.json) return undefined;
  if (ref.after || ref.at || ref.trimmed || ref.converted || ref.item !== undefined || ref.walked || ref.unquoted) return undefined;
  if (separator.length !== 1 || values.length === 0 || values.some((v) => typeof v !== 'string')) return undefined;
  const texts = values as string[];
  const caseSensitive = !ref.lowered;
  if (!caseSensitive && texts.some((v) => v !== v.toLowerCase())) return undefined;
  const kept = texts.filter((v) => !v.toLowerCase().includes(separator.toLowerCase()));
  if (kept.length === 0) return { kind: opts.negated ? 'and' : 'or', children: [] };
  const sep = escapeRegex(separator);
  const alternatives = kept.length === 1 ? escapeRegex(kept[0]!) : `(?:${kept.map(escapeRegex).join('|')})`;
  const p = predicate(name, 'regex', [`(?:^|${sep})${alternatives}(?:${sep}|$)`], { ...opts, caseSensitive });
  if (p.kind !== 'pred') return p;
  return defaultedPredicate({ kind: 'pred', predicate: { ...p.predicate, piece: separator } }, ref, name);
}
