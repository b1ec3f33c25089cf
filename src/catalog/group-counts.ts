/**
 * For each rule and each of its keys, how many other groups of rules use the same key: the
 * corpus counts of indicators (per field and canonical), where copies of one rule (one group)
 * count once. Copies are visited together, so a key counts a group once by remembering the last
 * group that used it (a set of groups per key cost most of the time, measured).
 * Returns, per rule in input order, one count per key in `keysOf(rule)` order.
 */
export function otherGroupsUsing<R>(rules: readonly R[], groupOf: (rule: R) => string, keysOf: (rule: R) => readonly (string | number)[]): number[][] {
  const groups = new Map<string, number[]>();
  rules.forEach((rule, r) => {
    const key = groupOf(rule);
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  });
  const codes = new Map<string | number, number>();
  const users: number[] = [];
  const lastGroup: number[] = [];
  const codesOf: number[][] = new Array(rules.length);
  let g = 0;
  for (const group of groups.values()) {
    g++;
    for (const r of group) {
      codesOf[r] = keysOf(rules[r]!).map((key) => {
        let code = codes.get(key);
        if (code === undefined) {
          code = users.length;
          codes.set(key, code);
          users.push(0);
          lastGroup.push(0);
        }
        if (lastGroup[code] !== g) {
          lastGroup[code] = g;
          users[code]!++;
        }
        return code;
      });
    }
  }
  // A rule's own group is among a key's users: the others are one fewer.
  return codesOf.map((own) => own.map((code) => users[code]! - 1));
}
