import { ruleCves } from '../analysis/cves.js';
import type { Rule } from '../model/types.js';

export const facetNames = ['platform', 'language', 'severity', 'tactic', 'technique', 'provider', 'event', 'source', 'cve'] as const;
export type FacetName = (typeof facetNames)[number];

/** The values a rule has for a facet, each once. */
export function facetValues(rule: Rule, facet: FacetName): string[] {
  return [...new Set(rawFacetValues(rule, facet))];
}

function rawFacetValues(rule: Rule, facet: FacetName): string[] {
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
  }
}

/** The later of the rule's last sync change and its own `updated` date, as YYYY-MM-DD (updated may be written 2025/06/01). */
export function lastChanged(rule: Rule): string {
  const synced = rule.history?.at(-1)?.date.slice(0, 10) ?? '';
  const updated = (rule.updated ?? '').slice(0, 10).replaceAll('/', '-');
  return synced > updated ? synced : updated;
}
