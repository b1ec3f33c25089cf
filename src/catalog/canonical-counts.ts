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
  const users = new Map<string, Set<string>>();
  // Keys once per indicator: building them is most of the cost.
  const keys = rules.map((rule) => {
    const group = `${rule.platform}:${rule.nativeId}`;
    return rule.indicators.map(({ canonical }) => {
      if (!canonical) return undefined;
      const key = canonicalKey(canonical);
      let set = users.get(key);
      if (!set) users.set(key, (set = new Set()));
      set.add(group);
      return key;
    });
  });
  rules.forEach((rule, r) => {
    const own = `${rule.platform}:${rule.nativeId}`;
    rule.indicators.forEach(({ canonical }, i) => {
      const key = keys[r]![i];
      if (!canonical || key === undefined) return;
      const set = users.get(key)!;
      canonical.corpusCount = set.size - (set.has(own) ? 1 : 0);
    });
  });
}
