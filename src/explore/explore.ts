import type { Rule } from '../model/types.js';
import type { CatalogStore } from '../store/read.js';

export const facetNames = ['platform', 'language', 'severity', 'tactic', 'technique', 'provider', 'event'] as const;
export type FacetName = (typeof facetNames)[number];

export const sortNames = ['relevance', 'name', 'updated', 'severity'] as const;
export type SortName = (typeof sortNames)[number];

export interface ExploreQuery {
  q: string;
  filters: Partial<Record<FacetName, string[]>>;
  sort: SortName;
  page: number;
  pageSize: number;
  /** Also list older copies of rules whose native id repeats. */
  duplicates: boolean;
}

export interface FacetValue {
  value: string;
  count: number;
}

export interface ExploreResult {
  total: number;
  page: number;
  pageSize: number;
  items: Rule[];
  facets: Record<FacetName, FacetValue[]>;
}

/** The values a rule has for a facet. */
export function facetValues(rule: Rule, facet: FacetName): string[] {
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
      return [...new Set(rule.events.map((e) => e.provider))];
    case 'event':
      return rule.events.map((e) => `${e.provider}/${e.event}`);
  }
}

const severityRank: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3, informational: 4 };

export function parseExploreQuery(params: URLSearchParams): ExploreQuery {
  const filters: ExploreQuery['filters'] = {};
  for (const facet of facetNames) {
    const values = params.getAll(facet).filter((v) => v !== '');
    if (values.length) filters[facet] = values;
  }
  const sort = (sortNames as readonly string[]).includes(params.get('sort') ?? '') ? (params.get('sort') as SortName) : 'relevance';
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const size = Number.parseInt(params.get('size') ?? '25', 10) || 25;
  return {
    q: (params.get('q') ?? '').slice(0, 500),
    filters,
    sort,
    page,
    pageSize: Math.min(200, Math.max(1, size)),
    duplicates: params.get('duplicates') === '1',
  };
}

/** Search, filter, count facets, sort and page: what Explore, the API and exports share. */
export function explore(store: CatalogStore, query: ExploreQuery): ExploreResult {
  let candidates: Rule[];
  const hits = query.q.trim() ? store.search(query.q) : undefined;
  if (hits) candidates = hits.map((id) => store.byId.get(id)!).filter(Boolean);
  else candidates = store.rules;
  const active = facetNames.filter((f) => query.filters[f]?.length);
  const matched = candidates.filter((rule) => {
    if (!query.duplicates && rule.duplicates && !rule.duplicates.newest) return false;
    return active.every((facet) => {
      const wanted = query.filters[facet]!;
      return facetValues(rule, facet).some((v) => wanted.includes(v));
    });
  });
  const facets = {} as Record<FacetName, FacetValue[]>;
  for (const facet of facetNames) {
    const counts = new Map<string, number>();
    for (const rule of matched) for (const v of new Set(facetValues(rule, facet))) counts.set(v, (counts.get(v) ?? 0) + 1);
    facets[facet] = [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  }
  const sorted = [...matched];
  if (query.sort === 'name') sorted.sort((a, b) => a.name.localeCompare(b.name));
  else if (query.sort === 'updated') sorted.sort((a, b) => (b.updated ?? b.created ?? '').localeCompare(a.updated ?? a.created ?? ''));
  else if (query.sort === 'severity') sorted.sort((a, b) => (severityRank[a.severity] ?? 9) - (severityRank[b.severity] ?? 9) || a.name.localeCompare(b.name));
  else if (!hits) sorted.sort((a, b) => a.name.localeCompare(b.name));
  const start = (query.page - 1) * query.pageSize;
  return { total: matched.length, page: query.page, pageSize: query.pageSize, items: sorted.slice(start, start + query.pageSize), facets };
}
