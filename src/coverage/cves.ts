// CVEs the rules name (analysis/cves): which rules name each, on which platforms, where in the rule, and the
// techniques those rules cover.
import { type CveSource, ruleCves, ruleCveSources } from '../analysis/cves.js';
import type { Rule } from '../model/types.js';
import { countByPlatform } from './platforms.js';

export interface CveSummary {
  id: string;
  rules: number;
  byPlatform: Record<string, number>;
}

interface CveRuleRow {
  id: string;
  name: string;
  platform: string;
  severity: string;
  /** Where the rule names the CVE: tag, name, description, reference, query. */
  where: CveSource[];
}

export interface CveCoverage extends CveSummary {
  ruleList: CveRuleRow[];
  /** Techniques of those rules, most rules first. */
  techniques: { id: string; name: string; rules: number }[];
}

/** Every CVE the rules name, most rules first. */
export function cveIndex(rules: readonly Rule[]): CveSummary[] {
  const byCve = new Map<string, Rule[]>();
  for (const rule of rules) for (const id of ruleCves(rule)) byCve.set(id, [...(byCve.get(id) ?? []), rule]);
  return [...byCve]
    .map(([id, list]) => ({ id, rules: list.length, byPlatform: countByPlatform(list) }))
    .sort((a, b) => b.rules - a.rules || (a.id < b.id ? 1 : -1));
}

/** The CVE id as the page and API take it: any case, `_` or `.` separators. */
export function normaliseCve(raw: string): string | undefined {
  const m = /^CVE[-_.](\d{4})[-_.](\d{4,7})$/i.exec(raw.trim());
  return m ? `CVE-${m[1]}-${m[2]}` : undefined;
}

export function cveCoverage(id: string, rules: readonly Rule[]): CveCoverage {
  const naming = rules.filter((r) => ruleCves(r).includes(id));
  const techniques = new Map<string, { id: string; name: string; rules: number }>();
  for (const rule of naming) {
    for (const t of rule.attack.techniques) {
      const known = techniques.get(t.id);
      if (known) known.rules++;
      else techniques.set(t.id, { id: t.id, name: t.name, rules: 1 });
    }
  }
  return {
    id,
    rules: naming.length,
    byPlatform: countByPlatform(naming),
    ruleList: naming
      .map((r) => ({ id: r.id, name: r.name, platform: r.platform, severity: r.severity, where: ruleCveSources(r).get(id) ?? [] }))
      .sort((a, b) => a.name.localeCompare(b.name, 'en') || (a.id < b.id ? -1 : 1)),
    techniques: [...techniques.values()].sort((a, b) => b.rules - a.rules || (a.id < b.id ? -1 : 1)),
  };
}
