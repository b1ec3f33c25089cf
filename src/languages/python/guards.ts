// A value that is a field only under a condition, and empty otherwise: a helper that returns
// `json.loads(event["properties"]["log"])` when `event["category"]` is an audit category and
// None otherwise; `deep_get(log, "objectRef", "namespace") if log else None`. A test on such a
// value is the test on the field where the condition holds, and the test on an empty value
// elsewhere, which reads as on a missing field: a positive test fails there (`guard and P`), a
// negated one holds (`not guard or P`). FieldRef.guards holds the condition per field.
import { combine } from '../../model/predicates.js';
import type { PredicateNode } from '../../model/types.js';
import type { Cond, FieldRef } from './conditions.js';

/** The ref, its value the field only where `cond` holds (with any condition it had). Undefined when it never does. */
export function guardedRef(ref: FieldRef, cond: Cond): FieldRef | undefined {
  if (cond === true) return ref;
  if (cond === false) return undefined;
  const guards: Record<string, PredicateNode> = {};
  for (const f of ref.fields) {
    const had = ref.guards?.[f];
    guards[f] = had ? combine('and', [had, cond]) : cond;
  }
  return { ...ref, guards };
}

/** A predicate on a guarded field: as on a missing field where the guard does not hold. */
export function guardedPredicate(node: PredicateNode, guard: PredicateNode | undefined, negated: boolean): PredicateNode {
  if (!guard) return node;
  return negated ? combine('or', [negatedCond(guard), node]) : combine('and', [guard, node]);
}

/** The guards of `base` carried to the fields read below it (`extend`: `a` → `a.b`). */
export function carriedGuards(base: FieldRef, fields: string[]): Pick<FieldRef, 'guards'> {
  if (!base.guards) return {};
  const guards: Record<string, PredicateNode> = {};
  base.fields.forEach((f, i) => {
    const g = base.guards?.[f];
    if (g) guards[fields[i]!] = g;
  });
  return Object.keys(guards).length > 0 ? { guards } : {};
}

/** The guards of several refs read as one value; undefined when a field is guarded two ways. */
export function joinedGuards(refs: readonly FieldRef[]): { guards?: Record<string, PredicateNode> } | undefined {
  const guards: Record<string, PredicateNode> = {};
  for (const ref of refs)
    for (const f of ref.fields) {
      const g = ref.guards?.[f];
      if (Object.hasOwn(guards, f) && guards[f] !== g) return undefined;
      if (g) guards[f] = g;
    }
  // A field some ref reads without a guard and another with one: not one value.
  for (const ref of refs) for (const f of ref.fields) if (Object.hasOwn(guards, f) && ref.guards?.[f] === undefined) return undefined;
  return Object.keys(guards).length > 0 ? { guards } : {};
}

/** Negation pushed to the predicates (De Morgan), as conditions.ts `not` does. */
function negatedCond(c: PredicateNode): PredicateNode {
  switch (c.kind) {
    case 'pred':
      return { kind: 'pred', predicate: { ...c.predicate, negated: !c.predicate.negated } };
    case 'not':
      return c.child;
    case 'and':
    case 'or':
      return combine(c.kind === 'and' ? 'or' : 'and', c.children.map(negatedCond));
    default:
      return { kind: 'not', child: c };
  }
}
