// The last piece of a field split on a separator: `f.split("\\")[-1]` (a path's file name),
// `f.split("@")[-1]` (an address's domain), `f.rsplit(".", 1)[-1]` (a method's verb). Tests on
// that piece are tests on the field: `== "x"` is the field equal to "x" (no separator in it) or
// ending with the separator and "x"; a value holding the separator never equals it; its truth
// is a field that is truthy and does not end with the separator. Other tests on it (a prefix, a
// substring, a pattern) say nothing exact of the field: they read the piece itself (last-pieces.ts),
// or stay text where the field is not read plainly.
import { combine, other, predicate } from '../../model/predicates.js';
import type { Operator, PredicateNode, Scalar } from '../../model/types.js';
import { type LastPiece, lastPieceTransform } from './last-pieces.js';

interface Options {
  negated: boolean;
  caseSensitive: boolean;
  nativeOp: string;
  text: string;
}

/** Whether text values compare equal to a piece: they hold no separator (in the case the test reads). */
function pieceValues(values: Scalar[], separators: string[], caseSensitive: boolean): string[] | undefined {
  const fold = (s: string) => (caseSensitive ? s : s.toLowerCase());
  const out: string[] = [];
  for (const v of values) {
    if (typeof v !== 'string') return undefined;
    if (!separators.some((sep) => fold(v).includes(fold(sep)))) out.push(v);
  }
  return out;
}

/**
 * The test `op values` on the piece of `field` after its last `separator` (or its last `also`, a
 * character replaced by the separator before the split: replaced-separators.ts), in the predicate model;
 * `last`, where the field is read plainly, reads any other test on the piece itself.
 */
export function segmentPredicate(
  field: string,
  separator: string,
  op: Operator,
  values: Scalar[],
  opts: Options,
  also?: string,
  last?: LastPiece,
): PredicateNode {
  const { negated } = opts;
  const onPiece = (): PredicateNode =>
    last ? marked(predicate(field, op, values, { ...opts, transform: lastPieceTransform(last) }), separator) : other(opts.text);
  const separators = also === undefined ? [separator] : [separator, also];
  const positive = { ...opts, negated: false };
  const flip = (node: PredicateNode) => marked(negated ? flipped(node) : node, separator);
  switch (op) {
    case 'eq':
    case 'in': {
      const kept = pieceValues(values, separators, opts.caseSensitive);
      if (!kept || kept.length === 0) return other(opts.text);
      const whole = predicate(field, kept.length > 1 ? 'in' : 'eq', kept, positive);
      const ending = predicate(
        field,
        'endswith',
        separators.flatMap((sep) => kept.map((v) => `${sep}${v}`)),
        positive,
      );
      return flip(combine('or', [whole, ending]));
    }
    case 'endswith': {
      const kept = pieceValues(values, separators, opts.caseSensitive);
      if (!kept || kept.length !== values.length || kept.some((v) => v === '')) return other(opts.text);
      return flip(predicate(field, 'endswith', kept, positive));
    }
    case 'exists':
      if (opts.nativeOp !== 'truthy') return other(opts.text);
      return flip(
        combine('and', [
          predicate(field, 'exists', [], positive),
          predicate(field, 'endswith', separators, { ...positive, negated: true, caseSensitive: true }),
        ]),
      );
    default:
      return onPiece();
  }
}

/** Each predicate of the node marked as a test on the piece after `separator` (Predicate.piece). */
function marked(node: PredicateNode, separator: string): PredicateNode {
  switch (node.kind) {
    case 'pred':
      return { kind: 'pred', predicate: { ...node.predicate, piece: separator } };
    case 'and':
    case 'or':
      return { kind: node.kind, children: node.children.map((c) => marked(c, separator)) };
    case 'not':
      return { kind: 'not', child: marked(node.child, separator) };
    case 'some':
      return { ...node, child: marked(node.child, separator) };
    default:
      return node;
  }
}

/** A condition of predicates negated (De Morgan down to the predicates' own flags). */
function flipped(node: PredicateNode): PredicateNode {
  switch (node.kind) {
    case 'pred':
      return { kind: 'pred', predicate: { ...node.predicate, negated: !node.predicate.negated } };
    case 'and':
    case 'or':
      return combine(node.kind === 'and' ? 'or' : 'and', node.children.map(flipped));
    case 'not':
      return node.child;
    default:
      return { kind: 'not', child: node };
  }
}
