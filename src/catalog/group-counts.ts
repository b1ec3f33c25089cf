/**
 * For each rule and each of its keys, how many other groups of rules use the same key: the
 * corpus counts of indicators (per field and canonical), where copies of one rule (one group)
 * count once. Keys are the dictionary's numbers (pass.ts), so counts live in arrays indexed by
 * key. Copies are visited together, so a key counts a group once by remembering the last group
 * that used it (a set of groups per key cost most of the time, measured).
 * Returns, per rule in input order, one count per key in `keysOf(rule)` order.
 */
export function otherGroupsUsing<R>(rules: readonly R[], groupOf: (rule: R) => string, keysOf: (rule: R) => readonly number[]): number[][] {
  const groups = new Map<string, number[]>();
  const keys = new Array<readonly number[]>(rules.length);
  let size = 0;
  rules.forEach((rule, r) => {
    const key = groupOf(rule);
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
    const own = (keys[r] = keysOf(rule));
    for (const k of own) if (k >= size) size = k + 1;
  });
  const users = new Uint32Array(size);
  const lastGroup = new Uint32Array(size);
  let g = 0;
  for (const group of groups.values()) {
    g++;
    for (const r of group) {
      for (const k of keys[r]!) {
        if (lastGroup[k] !== g) {
          lastGroup[k] = g;
          users[k]!++;
        }
      }
    }
  }
  // A rule's own group is among a key's users: the others are one fewer.
  return keys.map((own) => own.map((k) => users[k]! - 1));
}
