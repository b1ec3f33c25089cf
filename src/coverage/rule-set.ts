// A view's rule set as positions of an index built over the catalog: each position's rank in the set (its
// place in the set's order, -1 outside it). An index's per-key lists of positions then answer "which of
// these rules" by a lookup per listed rule instead of a pass over every rule of the set. The ranks of an
// array are kept with it (a WeakMap by the array): a catalog's kept rule lists are ranked once, a
// request's own list dies with the request.
import type { Rule } from '../model/types.js';

const kept = new WeakMap<readonly Rule[], { position: ReadonlyMap<Rule, number>; ranks: Int32Array }>();

/** Rank in `rules` of each position of `position` (-1: not in the set); rules outside the index are left out. */
export function setRanks(position: ReadonlyMap<Rule, number>, rules: readonly Rule[]): Int32Array {
  const known = kept.get(rules);
  if (known?.position === position) return known.ranks;
  const ranks = new Int32Array(position.size).fill(-1);
  for (let k = 0; k < rules.length; k++) {
    const i = position.get(rules[k]!);
    if (i !== undefined && ranks[i] === -1) ranks[i] = k;
  }
  kept.set(rules, { position, ranks });
  return ranks;
}

/**
 * Rules per platform as a record whose keys come in the order a pass over the set in its order would
 * meet them (JSON answers keep that order): `firstRank` is each platform's first rule's rank.
 */
export function platformRecord(counts: ReadonlyMap<string, { count: number; firstRank: number }>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [platform, c] of [...counts].sort((a, b) => a[1].firstRank - b[1].firstRank)) out[platform] = c.count;
  return out;
}

/** Count `rank` (a rule of `platform`) into `counts`, keeping the platform's first rank. */
export function countPlatform(counts: Map<string, { count: number; firstRank: number }>, platform: string, rank: number): void {
  const c = counts.get(platform);
  if (!c) counts.set(platform, { count: 1, firstRank: rank });
  else {
    c.count++;
    if (rank < c.firstRank) c.firstRank = rank;
  }
}
