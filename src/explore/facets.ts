import type { Rule } from '../model/types.js';

export const facetNames = ['platform', 'language', 'severity', 'tactic', 'technique', 'provider', 'event', 'source'] as const;
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
  }
}
