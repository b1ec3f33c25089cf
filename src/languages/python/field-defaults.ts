// `event.get(k, d)`, `event.deep_get(..., default=d)` and `deep_get(event, ..., default=d)` with d a
// constant are d where the field is missing (deep_get gives d for a key holding None too; `.get`
// gives None there, so its test of presence is of the key, nativeOp `key in`). FieldRef.defaults
// keeps d per field, so a name bound to the read keeps it too, with no case per assignment; a test
// on the field then holds where the field is missing exactly when it holds on d: `x != "required"`
// needs the field (and != "required"), `x == "required"` holds on a missing field too. The test is
// evaluated on d as the evaluator reads a field (evaluate.ts), so every operator, `.lower()` and a
// truth test read d as Python does.
import { combine, predicate } from '../../model/predicates.js';
import type { PredicateNode, Scalar } from '../../model/types.js';
import type { FieldRef } from './conditions.js';
import type { ConstValue } from './values.js';
import { keyPresentOp, outcomeOnValue } from './evaluate.js';

/** What a field read with a default gives where it is missing. */
export interface FieldDefault {
  value: Scalar;
  /** A key holding None gives the default too (`deep_get`); `.get(k, d)` gives None there. */
  onNull: boolean;
}

/** The ref, its one field `d` where missing: a constant default other than None (which a missing field is already). */
export function defaultedRef(ref: FieldRef | undefined, fallback: ConstValue | undefined, onNull: boolean): FieldRef | undefined {
  if (!ref || ref.fields.length !== 1 || fallback?.kind !== 'scalar' || fallback.value === null) return ref;
  return { ...ref, defaults: { [ref.fields[0]!]: { value: fallback.value, onNull } } };
}

/** A ref whose value is the field's own value (not a piece or an element; a key of a parsed text is). */
function plainValue(ref: FieldRef): boolean {
  return ref.fields.length === 1 && !ref.after && !ref.at && !ref.trimmed && ref.item === undefined;
}

/**
 * The test on a field with a default: as written where the field is present; where it is missing,
 * the test's outcome on the default. Unchanged when both agree or either is not evaluated.
 */
export function defaultedPredicate(node: PredicateNode, ref: FieldRef, field: string): PredicateNode {
  const fallback = ref.defaults?.[field];
  if (fallback === undefined || !plainValue(ref) || node.kind !== 'pred') return node;
  const p = node.predicate;
  const json = p.transform === 'json' && ref.json === true;
  if (p.field !== field || (p.transform !== undefined && !json) || p.op === 'fieldref' || p.op === 'other') return node;
  const onMissing = outcomeOnValue(p, undefined);
  const onDefault = outcomeOnValue(p, fallback.value);
  if (typeof onMissing !== 'boolean' || typeof onDefault !== 'boolean' || onMissing === onDefault) return node;
  // Missing as `is None` reads it: the default's outcome there, the test's own where present.
  const transform = json ? 'json' : undefined;
  // `.get(k, d)`: d where the key is absent, None where it holds None (the test's own outcome there).
  const [is, isNot] = fallback.onNull ? ['is', 'is not'] : [keyPresentOp, keyPresentOp];
  const says = fallback.onNull ? 'is not None' : 'present';
  const missing = predicate(field, 'exists', [], { nativeOp: is, text: `${field} ${says}`, negated: true, transform });
  const present = predicate(field, 'exists', [], { nativeOp: isNot, text: `${field} ${says}`, transform });
  return onDefault ? combine('or', [missing, node]) : combine('and', [present, node]);
}
