// A loop over a collection built from the event (`for s in listify(f)`, `for r in set(f)`,
// `for n in [x["k"] for x in f]`): its variable is one element of the collection, which is one of
// the values found at the collection's field, as a loop over the field itself has it. Order and
// repeats (what `set()` drops) do not change which elements some test holds on.
import type { Binding } from './conditions.js';

/** The binding a loop walks: an `elements` collection as its field (element by element), anything else as it is. */
export function walkedElements(iter: Binding): Binding {
  return iter.kind === 'elements' ? { kind: 'field', ref: iter.ref } : iter;
}
