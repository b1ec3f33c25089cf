// `f[0]` of a field: the list's element at that index (a text's character), not any element as
// the field alone reads. The predicate keeps the field and carries transform `item:<index>`
// (`json|item:<index>` for a field of a parsed JSON text), which the evaluator reads as that
// element of the field's value (evaluate.ts). A data-model name of several log types gives one
// predicate per field, each on its log (under the guard its method set). A piece, a stripped text or a converted value stays unread.
import { combine, other, predicate } from '../../model/predicates.js';
import type { Operator, PredicateNode, Scalar } from '../../model/types.js';
import type { ConstValue } from './values.js';
import { guardedPredicate } from './guards.js';
import type { FieldRef } from './conditions.js';

/** Indexes up to this one are read (a list's first few elements). */
const maxIndex = 16;

/** `f[i]` with `i` a small non-negative integer constant and `f` a plain field: the ref to that element. */
export function itemOf(ref: FieldRef | undefined, index: ConstValue | undefined): FieldRef | undefined {
  if (!ref || index?.kind !== 'scalar' || typeof index.value !== 'number') return undefined;
  const i = index.value;
  if (!Number.isInteger(i) || i < 0 || i > maxIndex) return undefined;
  if (ref.item !== undefined || ref.after || ref.at || ref.trimmed || ref.converted || ref.lowered) return undefined;
  return { ...ref, item: i };
}

/** The predicates on the element at `item` of each of the ref's fields; a test that already transforms its values stays text. */
export function itemPredicates(
  ref: FieldRef,
  item: number,
  op: Operator,
  values: Scalar[],
  opts: { negated: boolean; caseSensitive: boolean; nativeOp: string; text: string; transform?: string },
): PredicateNode {
  const json = opts.transform === 'json';
  if ((opts.transform && !json) || ref.after || ref.at || ref.trimmed) return other(opts.text);
  const nodes = ref.fields.map((f) => {
    const node = predicate(f, op, values, { ...opts, transform: `${json ? 'json|' : ''}item:${item}` });
    const types = ref.logTypes?.[f];
    if (types && node.kind === 'pred') node.predicate.logTypes = [...types];
    // Where a data-model method's guard fails the value is None: the element of a missing field.
    return guardedPredicate(node, ref.guards?.[f], opts.negated);
  });
  // As refPredicates: a negated test on several data models' fields is the and of their negations.
  const scoped = ref.fields.some((f) => ref.logTypes?.[f]);
  return combine(opts.negated && scoped ? 'and' : 'or', nodes);
}
