// A loop over a list field whose body tests several keys of its element (`for e in
// resource["Entries"]: if e["RuleAction"] == "allow" and not e["Egress"]: return False`) means
// ONE element passing every test. Its predicates, read with the loop variable standing for the
// list field, name `Entries.RuleAction` and `Entries.Egress`, each of which alone reads as "some
// element": together they would let one element pass one test and another the other. A `some`
// node (model/types.ts) keeps them on one element; a body with one such test needs none.
// `"k" in e` of a loop element is a test of the element (its keys, where it is a mapping), not of
// the list: its nativeOp says so (`in element`), since the predicate names the list's field.
import { eachPredicate, someElement } from '../../model/predicates.js';
import type { Cond, FieldRef } from './conditions.js';

/** The list a loop variable walks, when it is one plain field (no data-model alternatives, no transform of its value). */
export function plainList(ref: FieldRef): string | undefined {
  const [list, ...more] = ref.fields;
  if (list === undefined || more.length > 0 || ref.lowered || ref.json || ref.converted) return undefined;
  if (ref.after || ref.at || ref.trimmed || ref.guards || ref.logTypes || ref.item !== undefined || ref.shlexed || ref.decoded)
    return undefined;
  return list;
}

/**
 * The list a loop variable walks, a plain field or one inside a JSON text the code parsed (`json`:
 * its `some` node reads the text parsed, python/evaluate.ts).
 */
export function scopedList(ref: FieldRef): { list: string; json: boolean } | undefined {
  const list = plainList({ ...ref, json: undefined });
  return list === undefined ? undefined : { list, json: ref.json === true };
}

/** `c` held by one element of `list`, when it tests the element more than once; else `c` as it is. */
export function onOneElement(list: string, c: Cond, json = false): Cond {
  if (typeof c === 'boolean') return c;
  let tests = 0;
  eachPredicate(c, (p) => {
    const inList = (f: string) => f === list || f.startsWith(`${list}.`);
    if (inList(p.field)) tests++;
    // `e["a"] - e["b"] > n`: the other field is a second read of the same element.
    if (p.op === 'fieldref' && inList(String(p.values[0]))) tests++;
  });
  return tests > 1 ? someElement(list, c, json) : c;
}

/** The nativeOp of `"k" in e` (or `not in`) with `e` a loop variable over a list field's elements. */
export const elementMembership = (op: string): string => `${op} element`;

/** Whether a predicate's nativeOp says it tests each element of its list field (`elementMembership`). */
export const testsElements = (nativeOp: string): boolean => nativeOp.endsWith(' element');
