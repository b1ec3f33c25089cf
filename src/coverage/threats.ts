// A group's, campaign's or software's techniques against a rule set: the rules covering each per platform
// (counted as the matrix counts, coverage/matrix techniqueCounts), coverage per platform and for your own
// rules, gaps first; and several of them compared (shared techniques, shared gaps).
import { notInBundle, otherVersionIds } from '../attack/catalog.js';
import type { ThreatEntity, ThreatKind } from '../attack/threats.js';
import type { Rule } from '../model/types.js';
import { type MatrixIndex, techniqueCounts } from './matrix.js';
import { platformsOf } from './platforms.js';

export interface ThreatTechniqueRow {
  id: string;
  name: string;
  /** Tactic names of the technique in the catalog's ATT&CK layout. */
  tactics: string[];
  /** The same technique's id in the other ATT&CK version (v18 <-> v19), when it was renumbered. */
  otherIds: string[];
  procedure: string;
  /** Rules covering it per platform (only platforms with rules). */
  rules: Record<string, number>;
  /** Rules covering it, all platforms. */
  total: number;
  /** Your own rules (sources marked mine) covering it. */
  mine: number;
}

export interface ThreatCoverage {
  kind: ThreatKind;
  id: string;
  name: string;
  aliases: string[];
  description: string;
  related: string[];
  /** Rules in the set the coverage is measured against. */
  ruleCount: number;
  /** Platforms of the rule set, most rules first. */
  platforms: string[];
  /** Gaps first (no rule at all), then the fewest rules first. */
  techniques: ThreatTechniqueRow[];
  /** Per platform: the share of the techniques with at least one rule of it (0..1). */
  coverage: Record<string, number>;
  /** Share covered by any rule, and by your own rules (undefined when no source is yours). */
  anyCoverage: number;
  mineCoverage?: number;
}

const share = (covered: number, all: number) => (all ? Math.round((covered / all) * 10000) / 10000 : 0);

/** Each entity's coverage, its techniques counted in one pass over the rules for all of them. */
export function threatCoverages(
  entities: readonly ThreatEntity[],
  rules: readonly Rule[],
  index: MatrixIndex,
  mine: ReadonlySet<string>,
): ThreatCoverage[] {
  const ids = [...new Set(entities.flatMap((e) => e.techniques.map((t) => t.id)))];
  const counts = techniqueCounts(rules, ids, index);
  const mineRules = mine.size ? rules.filter((r) => mine.has(r.sourceName)) : [];
  const mineCounts = mineRules.length ? techniqueCounts(mineRules, ids, index) : undefined;
  const tacticsOf = new Map(index.spec.techniques.map((t) => [t.id, t.tactics]));
  const platforms = platformsOf(rules);
  return entities.map((entity): ThreatCoverage => {
    const techniques = entity.techniques.map((use): ThreatTechniqueRow => {
      const c = counts.get(use.id)!;
      return {
        id: use.id,
        name: index.names.get(use.id) ?? notInBundle,
        tactics: (tacticsOf.get(use.id) ?? []).map((t) => index.tacticNames.get(t) ?? t),
        otherIds: [...otherVersionIds(use.id)],
        procedure: use.procedure,
        rules: c.byPlatform,
        total: c.total,
        mine: mineCounts?.get(use.id)?.total ?? 0,
      };
    });
    techniques.sort((a, b) => Number(a.total > 0) - Number(b.total > 0) || a.total - b.total || (a.id < b.id ? -1 : 1));
    const n = techniques.length;
    const coverage: Record<string, number> = {};
    for (const p of platforms) coverage[p] = share(techniques.filter((t) => (t.rules[p] ?? 0) > 0).length, n);
    return {
      kind: entity.kind,
      id: entity.id,
      name: entity.name,
      aliases: entity.aliases,
      description: entity.description,
      related: entity.related,
      ruleCount: rules.length,
      platforms,
      techniques,
      coverage,
      anyCoverage: share(techniques.filter((t) => t.total > 0).length, n),
      ...(mine.size ? { mineCoverage: share(techniques.filter((t) => t.mine > 0).length, n) } : {}),
    };
  });
}

interface ThreatComparisonRow {
  id: string;
  name: string;
  /** Which of the compared use it (their ids). */
  usedBy: string[];
  total: number;
}

export interface ThreatComparison {
  entities: { id: string; name: string; techniques: number; anyCoverage: number }[];
  /** Techniques every compared entity uses, gaps first. */
  shared: ThreatComparisonRow[];
  /** Techniques two or more of them use that no rule covers. */
  sharedGaps: ThreatComparisonRow[];
  /** Every technique any of them uses, the most used first. */
  all: ThreatComparisonRow[];
}

export function compareThreats(coverages: readonly ThreatCoverage[]): ThreatComparison {
  const rows = new Map<string, ThreatComparisonRow>();
  for (const c of coverages) {
    for (const t of c.techniques) {
      let row = rows.get(t.id);
      if (!row) rows.set(t.id, (row = { id: t.id, name: t.name, usedBy: [], total: t.total }));
      row.usedBy.push(c.id);
    }
  }
  const all = [...rows.values()].sort(
    (a, b) => b.usedBy.length - a.usedBy.length || Number(a.total > 0) - Number(b.total > 0) || (a.id < b.id ? -1 : 1),
  );
  return {
    entities: coverages.map((c) => ({ id: c.id, name: c.name, techniques: c.techniques.length, anyCoverage: c.anyCoverage })),
    shared: all.filter((r) => r.usedBy.length === coverages.length),
    sharedGaps: all.filter((r) => r.usedBy.length >= 2 && r.total === 0),
    all,
  };
}
