// A loop over a collection built from the event (`for s in listify(f)`, `for r in set(f)`,
// `for n in [x["k"] for x in f]`): its variable is one element of the collection, which is one of
// the values found at the collection's field, as a loop over the field itself has it. Order and
// repeats (what `set()` drops) do not change which elements some test holds on.
import type { Binding } from './conditions.js';

/**
 * The binding a loop walks: an `elements` collection as its field (element by element), a Policy's
 * `statements` as one Statement of them (policy-documents.ts), anything else as it is.
 */
export function walkedElements(iter: Binding): Binding {
  if (iter.kind === 'elements') return { kind: 'field', ref: iter.ref };
  if (iter.kind === 'policyObject' && iter.wrapper === 'statements') return { ...iter, wrapper: 'statement' };
  return iter;
}
