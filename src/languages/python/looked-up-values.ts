// A field compared with the value a constant dict gives for another field: `f == MAP[g]`,
// `f != MAP.get(g)` (a policy checking each resource holds the value configured for its key). The
// value is one of a few constants, so the test is a choice on g: for each distinct value v, g
// holds one of the keys giving v and f equals v. Where g holds no key, `MAP[g]` raises KeyError
// (kept as text: unknown, never a guess) and `.get` gives its default, compared like a constant.
// Dicts giving more than a few distinct values are not read.
import type { Node } from 'web-tree-sitter';
import { other } from '../../model/predicates.js';
import type { Scalar } from '../../model/types.js';
import type { Cond, FieldRef, Lookup } from './conditions.js';
import { field, unwrap } from './values.js';

/** At most this many distinct values of the dict are read, one choice each. */
const maxLookedUpValues = 8;

/** `MAP[g]`: the dict's entries and the field holding the key; a missing key raises (no fallback). */
interface SubscriptLookup {
  key: FieldRef;
  entries: [Scalar, Scalar][];
}

/** What the reading needs from the analysis (conditions.ts). */
export interface LookupReader {
  fieldOf(node: Node): FieldRef | undefined;
  /** A constant dict of scalars the name (not shadowed in scope) is bound to. */
  dictEntries(node: Node): [Scalar, Scalar][] | undefined;
  /** A lookup by `.get` (conditions.ts lookupOf). */
  lookupOf(node: Node): Lookup | undefined;
  /** The predicate `ref op values`, with the operator as the code spells it. */
  eq(ref: FieldRef, values: Scalar[], nativeOp: string, text: string, negated?: boolean): Cond;
  and(a: Cond, b: Cond): Cond;
  or(a: Cond, b: Cond): Cond;
  not(c: Cond): Cond;
}

/** `MAP[g]` with MAP a constant dict of scalars and g a field; undefined otherwise. */
function subscriptLookup(node: Node, reader: LookupReader): SubscriptLookup | undefined {
  const n = unwrap(node);
  if (n.type !== 'subscript') return undefined;
  const value = field(n, 'value');
  const subs = n.childrenForFieldName('subscript').filter((s): s is Node => s !== null);
  if (!value || value.type !== 'identifier' || subs.length !== 1) return undefined;
  const entries = reader.dictEntries(value);
  const key = entries && reader.fieldOf(subs[0]!);
  return entries && key ? { key, entries } : undefined;
}

/** The dict's keys grouped by the value they give, in first-seen order. */
function keysByValue(entries: [Scalar, Scalar][]): [Scalar, Scalar[]][] {
  const groups: [Scalar, Scalar[]][] = [];
  for (const [k, v] of entries) {
    const group = groups.find(([w]) => w === v);
    if (group) group[1].push(k);
    else groups.push([v, [k]]);
  }
  return groups;
}

/**
 * `f == MAP[g]` / `f != MAP.get(g)` (either side), op `==` or `!=`: undefined when neither side is a
 * field against a lookup of a constant dict by a field.
 */
export function lookedUpComparison(left: Node, op: string, right: Node, text: string, reader: LookupReader): Cond | undefined {
  if (op !== '==' && op !== '!=') return undefined;
  for (const [fieldSide, lookupSide] of [
    [left, right],
    [right, left],
  ] as const) {
    const compared = reader.fieldOf(fieldSide);
    if (!compared) continue;
    const byGet = reader.lookupOf(lookupSide);
    const lookup = byGet ?? subscriptLookup(lookupSide, reader);
    if (!lookup) continue;
    const groups = keysByValue(lookup.entries);
    if (groups.length > maxLookedUpValues) return undefined;
    const keys = lookup.entries.map(([k]) => k);
    let equal: Cond = false;
    for (const [value, keysGiving] of groups)
      equal = reader.or(equal, reader.and(reader.eq(lookup.key, keysGiving, 'dict.get', text), reader.eq(compared, [value], '==', text)));
    // No key: `MAP[g]` raises KeyError (unknown); `.get` gives its default, a constant or a field.
    const missing = reader.eq(lookup.key, keys, 'dict.get', text, true);
    let fallback: Cond = other(text);
    if (byGet && 'value' in byGet.fallback) fallback = reader.eq(compared, [byGet.fallback.value], '==', text);
    else if (byGet) return undefined;
    equal = reader.or(equal, reader.and(missing, fallback));
    return op === '==' ? equal : reader.not(equal);
  }
  return undefined;
}
