import { otherGroupsUsing } from './group-counts.js';
import { IND_STRIDE } from './pass.js';

/** What counting canonical indicators reads of a rule: its indicators (pass.ts), and the counts it sets. */
export interface CanonicalCountRule {
  platform: string;
  nativeId: string;
  ind: readonly number[];
  /** Per indicator: how many other rules use its canonical form (-1: it has none). */
  canonicalCounts?: number[];
}

/**
 * canonicalCounts: how many other rules, on any platform, use the same canonical indicator.
 * Copies of one rule (same platform and native id) count once, as for the per-field count.
 */
export function countCanonical(rules: CanonicalCountRule[]): void {
  const keysOf = (rule: CanonicalCountRule) => {
    const keys: number[] = [];
    for (let k = 1; k < rule.ind.length; k += IND_STRIDE) if (rule.ind[k]! >= 0) keys.push(rule.ind[k]!);
    return keys;
  };
  const counts = otherGroupsUsing(rules, (rule) => `${rule.platform}:${rule.nativeId}`, keysOf);
  rules.forEach((rule, r) => {
    const own = counts[r]!;
    const out: number[] = [];
    let next = 0;
    for (let k = 1; k < rule.ind.length; k += IND_STRIDE) out.push(rule.ind[k]! >= 0 ? own[next++]! : -1);
    rule.canonicalCounts = out;
  });
}
