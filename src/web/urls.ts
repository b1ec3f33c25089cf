import { type ExploreQuery, type FacetName, facetNames } from '../explore/explore.js';

export function ruleUrl(id: string): string {
  return `/rules/${encodeURIComponent(id)}`;
}

/** The URL search params that reproduce an Explore state (defaults left out). */
export function exploreParams(query: ExploreQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  for (const facet of facetNames) for (const value of query.filters[facet] ?? []) params.append(facet, value);
  if (query.sort !== 'relevance') params.set('sort', query.sort);
  if (query.pageSize !== 25) params.set('size', String(query.pageSize));
  if (query.duplicates) params.set('duplicates', '1');
  if (query.removed) params.set('removed', '1');
  if (query.since) params.set('since', query.since);
  if (query.page > 1) params.set('page', String(query.page));
  return params;
}

export function exploreUrl(query: ExploreQuery, changes: Partial<ExploreQuery> = {}): string {
  const search = exploreParams({ ...query, ...changes }).toString();
  return search ? `/?${search}` : '/';
}

/** Explore with one facet value switched on or off; back to page 1. */
export function toggleFacetUrl(query: ExploreQuery, facet: FacetName, value: string): string {
  const current = query.filters[facet] ?? [];
  const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
  const filters = { ...query.filters, [facet]: next };
  return exploreUrl(query, { filters, page: 1 });
}

/** Explore filtered by a single facet value, everything else default. */
export function facetUrl(facet: FacetName, value: string): string {
  return `/?${new URLSearchParams({ [facet]: value }).toString()}`;
}
