import { ruleCves } from '../analysis/cves.js';
import type { TestsStatus } from '../evaluate/catalog-tests.js';
import type { Rule } from '../model/types.js';

export const facetNames = [
  'platform',
  'language',
  'severity',
  'tactic',
  'technique',
  'provider',
  'event',
  'source',
  'cve',
  'tests',
  'testresult',
] as const;
export type FacetName = (typeof facetNames)[number];

/** What the catalog knows of a rule beyond the rule: whether its stored tests pass (undefined: it has none). */
export type TestsStatusOf = (rule: Rule) => TestsStatus | undefined;

/** The values a rule has for a facet, each once. */
export function facetValues(rule: Rule, facet: FacetName, testsStatus: TestsStatusOf): string[] {
  return [...new Set(rawFacetValues(rule, facet, testsStatus))];
}

function rawFacetValues(rule: Rule, facet: FacetName, testsStatus: TestsStatusOf): string[] {
  switch (facet) {
    case 'platform':
      return [rule.platform];
    case 'language':
      return [rule.language];
    case 'severity':
      return [rule.severity];
    case 'tactic':
      return rule.attack.tactics.map((t) => t.id);
    case 'technique':
      return rule.attack.techniques.map((t) => t.id);
    case 'provider':
      return rule.events.map((e) => e.provider);
    case 'event':
      return rule.events.map((e) => `${e.provider}/${e.event}`);
    case 'source':
      return [rule.sourceName];
    case 'cve':
      return ruleCves(rule);
    case 'tests':
      return [testsStatus(rule) ? 'yes' : 'no'];
    case 'testresult': {
      const status = testsStatus(rule);
      return status ? [status] : [];
    }
  }
}

/** The later of the rule's last sync change and its own `updated` date, as YYYY-MM-DD (updated may be written 2025/06/01). */
export function lastChanged(rule: Rule): string {
  const synced = rule.history?.at(-1)?.date.slice(0, 10) ?? '';
  const updated = (rule.updated ?? '').slice(0, 10).replaceAll('/', '-');
  return synced > updated ? synced : updated;
}
