import { otherGroupsUsing } from './group-counts.js';

/** What counting canonical indicators reads of a rule: interned canonical keys (pass.ts). */
export interface CanonicalCountRule {
  platform: string;
  nativeId: string;
  indicators: { canonical?: { key: number; corpusCount?: number } }[];
}

/**
 * canonical.corpusCount: how many other rules, on any platform, use the same canonical indicator.
 * Copies of one rule (same platform and native id) count once, as for the per-field count.
 */
export function countCanonical(rules: CanonicalCountRule[]): void {
  const canonicalOf = (rule: CanonicalCountRule) => rule.indicators.flatMap(({ canonical }) => (canonical ? [canonical] : []));
  const counts = otherGroupsUsing(rules, (rule) => `${rule.platform}:${rule.nativeId}`, (rule) => canonicalOf(rule).map((c) => c.key));
  rules.forEach((rule, r) => canonicalOf(rule).forEach((c, k) => (c.corpusCount = counts[r]![k]!)));
}
