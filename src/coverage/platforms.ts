import type { Rule } from '../model/types.js';

/** Rules per platform. */
export function countByPlatform(rules: Iterable<Rule> | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  if (rules) for (const r of rules) out[r.platform] = (out[r.platform] ?? 0) + 1;
  return out;
}

// Kept per rule array (rule sets are not changed once made): a catalog's kept rule list is counted once,
// not by every view and every threat of a request over it.
const platformsKept = new WeakMap<readonly Rule[], readonly string[]>();

/** Platforms of a rule set, most rules first. */
export function platformsOf(rules: readonly Rule[]): string[] {
  let platforms = platformsKept.get(rules);
  if (!platforms) {
    const counts = countByPlatform(rules);
    platformsKept.set(rules, (platforms = Object.keys(counts).sort((a, b) => counts[b]! - counts[a]! || (a < b ? -1 : 1))));
  }
  return [...platforms];
}

/** Colour step 0..5 of a count against the largest: 0 is none, then log steps so that small counts still show. */
export function heatLevel(count: number, max: number): number {
  if (count <= 0) return 0;
  if (max <= 1) return 5;
  return 1 + Math.min(4, Math.floor((4 * Math.log(count)) / Math.log(max)));
}

/** The count range each colour step covers, for the legend (steps no whole count reaches are left out). */
export function heatLegend(max: number): { level: number; from: number; to: number }[] {
  const steps: { level: number; from: number; to: number }[] = [];
  for (let n = 1; n <= Math.max(max, 1); n++) {
    const level = heatLevel(n, max);
    const last = steps.at(-1);
    if (last?.level === level) last.to = n;
    else steps.push({ level, from: n, to: n });
  }
  return steps;
}
