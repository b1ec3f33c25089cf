import { canonicalKey } from '../analysis/canonical.js';
import type { CanonicalIndicator } from '../model/types.js';

/** What counting canonical indicators reads of a rule. */
export interface CanonicalCountRule {
  platform: string;
  nativeId: string;
  indicators: { canonical?: CanonicalIndicator }[];
}

/**
 * canonical.corpusCount: how many other rules, on any platform, use the same canonical indicator.
 * Copies of one rule (same platform and native id) count once, as for the per-field count.
 */
export function countCanonical(rules: CanonicalCountRule[]): void {
  // As countIndicators: copies of a rule are visited together, so a key counts a group once by
  // remembering the last group that used it (a set of groups per key cost most of the time).
  const groups = new Map<string, number[]>();
  rules.forEach((rule, r) => {
    const key = `${rule.platform}:${rule.nativeId}`;
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  });
  const codes = new Map<string, number>();
  const users: number[] = [];
  const lastGroup: number[] = [];
  const codesOf: number[][] = new Array(rules.length);
  let g = 0;
  for (const group of groups.values()) {
    g++;
    for (const r of group) {
      const own: number[] = [];
      for (const { canonical } of rules[r]!.indicators) {
        if (!canonical) continue;
        const key = canonicalKey(canonical);
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
        own.push(code);
      }
      codesOf[r] = own;
    }
  }
  // Its own group is among a key's users: the others are one fewer.
  rules.forEach((rule, r) => {
    const own = codesOf[r]!;
    let k = 0;
    for (const { canonical } of rule.indicators) if (canonical) canonical.corpusCount = users[own[k++]!]! - 1;
  });
}
