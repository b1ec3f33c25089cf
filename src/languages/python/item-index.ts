// `f[0]` of a field: the list's element at that index (a text's character), not any element as
// the field alone reads. The predicate keeps the field and carries transform `item:<index>`, which
// the evaluator reads as that element of the field's value (evaluate.ts). Only a plain field is
// indexed: a piece, a stripped text, a parsed JSON text, a converted value or a data-model name
// under several log types stays unread.
import { other, predicate } from '../../model/predicates.js';
import type { Operator, PredicateNode, Scalar } from '../../model/types.js';
import type { ConstValue } from './values.js';
import type { FieldRef } from './conditions.js';

/** Indexes up to this one are read (a list's first few elements). */
const maxIndex = 16;

/** `f[i]` with `i` a small non-negative integer constant and `f` a plain field: the ref to that element. */
export function itemOf(ref: FieldRef | undefined, index: ConstValue | undefined): FieldRef | undefined {
  if (!ref || index?.kind !== 'scalar' || typeof index.value !== 'number') return undefined;
  const i = index.value;
  if (!Number.isInteger(i) || i < 0 || i > maxIndex || ref.fields.length !== 1) return undefined;
  if (ref.item !== undefined || ref.after || ref.at || ref.trimmed || ref.json || ref.converted || ref.guards || ref.lowered)
    return undefined;
  return { ...ref, item: i };
}

/** The predicate on the element at `item` of the ref's one field; a test that already transforms its values stays text. */
export function itemPredicates(
  ref: FieldRef,
  item: number,
  op: Operator,
  values: Scalar[],
  opts: { negated: boolean; caseSensitive: boolean; nativeOp: string; text: string; transform?: string },
): PredicateNode {
  const [f, ...more] = ref.fields;
  if (f === undefined || more.length > 0 || opts.transform || ref.after || ref.at || ref.trimmed || ref.json || ref.guards)
    return other(opts.text);
  const node = predicate(f, op, values, { ...opts, transform: `item:${item}` });
  const types = ref.logTypes?.[f];
  if (types && node.kind === 'pred') node.predicate.logTypes = [...types];
  return node;
}
