// A value chosen by a condition: `name = f.split("/x/")[-1] if "/x/" in f else "<UNKNOWN>"`. Read
// as one field it would drop the constant; as cases (return-cases.ts) each test on the name reads
// once per branch under its condition: the field's test where the condition holds, the constant's
// outcome (decided now) where it does not.
import type { Binding } from './conditions.js';

type Chosen = Extract<Binding, { kind: 'field' } | { kind: 'const' }>;

/** A field, or a constant text or number. */
function readable(b: Binding): b is Chosen {
  if (b.kind === 'field') return true;
  return b.kind === 'const' && b.value.kind === 'scalar' && (typeof b.value.value === 'string' || typeof b.value.value === 'number');
}

const isNone = (b: Binding): b is Chosen => b.kind === 'const' && b.value.kind === 'scalar' && b.value.value === null;

/**
 * The two branches of `a if c else b`, when one is a field and the other a field or such a
 * constant; with `orNone`, only a field and None (a value guards.ts would read as an empty field).
 */
export function chosenValue(a: Binding, b: Binding, orNone = false): [Chosen, Chosen] | undefined {
  if (orNone) return (a.kind === 'field' && isNone(b)) || (b.kind === 'field' && isNone(a)) ? [a, b] : undefined;
  if (!readable(a) || !readable(b) || (a.kind !== 'field' && b.kind !== 'field')) return undefined;
  return [a, b];
}
