// `event.get(k, d)`, `event.deep_get(..., default=d)` and `deep_get(event, ..., default=d)` with d a
// constant are d where the field is missing (Panther's deep_get gives d for a null too, as the
// model reads a null as missing). FieldRef.defaults keeps d per field, so a name bound to the read
// keeps it too, with no case per assignment; a test on the field then holds where the field is
// missing exactly when it holds on d: `x != "required"` needs the field (and != "required"),
// `x == "required"` holds on a missing field too. The test is evaluated on d as the evaluator
// reads a field (evaluate.ts), so every operator, `.lower()` and a truth test read d as Python does.
import { combine, predicate } from '../../model/predicates.js';
import type { PredicateNode } from '../../model/types.js';
import type { FieldRef } from './conditions.js';
import type { ConstValue } from './values.js';
import { outcomeOnValue } from './evaluate.js';

/** The ref, its one field `d` where missing: a constant default other than None (which a missing field is already). */
export function defaultedRef(ref: FieldRef | undefined, fallback: ConstValue | undefined): FieldRef | undefined {
  if (!ref || ref.fields.length !== 1 || fallback?.kind !== 'scalar' || fallback.value === null) return ref;
  return { ...ref, defaults: { [ref.fields[0]!]: fallback.value } };
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
  const onDefault = outcomeOnValue(p, fallback);
  if (typeof onMissing !== 'boolean' || typeof onDefault !== 'boolean' || onMissing === onDefault) return node;
  // Missing as `is None` reads it: the default's outcome there, the test's own where present.
  const transform = json ? 'json' : undefined;
  const missing = predicate(field, 'exists', [], { nativeOp: 'is', text: `${field} is None`, negated: true, transform });
  const present = predicate(field, 'exists', [], { nativeOp: 'is not', text: `${field} is not None`, transform });
  return onDefault ? combine('or', [missing, node]) : combine('and', [present, node]);
}
