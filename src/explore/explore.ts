import type { Rule } from '../model/types.js';
import { type FacetName, facetNames } from './facets.js';
import { exploreIndex } from './index.js';
import type { CatalogStore } from '../store/read.js';

export { facetNames, type FacetName } from './facets.js';

export const sortNames = ['relevance', 'name', 'updated', 'severity'] as const;
type SortName = (typeof sortNames)[number];

export interface ExploreQuery {
  q: string;
  filters: Partial<Record<FacetName, string[]>>;
  sort: SortName;
  page: number;
  pageSize: number;
  /** Also list older copies of rules whose native id repeats. */
  duplicates: boolean;
  /** Also list rules gone upstream (see `sync`). */
  removed: boolean;
  /** YYYY-MM-DD: only rules changed (sync history) or updated on or after that day. */
  since?: string;
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
    removed: params.get('removed') === '1',
    since: /^\d{4}-\d{2}-\d{2}$/.test(params.get('since') ?? '') ? params.get('since')! : undefined,
  };
}

/** What a result list shows of a rule; the full rule is one request away. */
export interface RuleSummary {
  id: string;
  nativeId: string;
  platform: string;
  language: string;
  name: string;
  description: string;
  severity: string;
  type: string;
  path: string;
  created?: string;
  updated?: string;
  parsed: boolean;
  techniques: string[];
  events: Rule['events'];
  newest: boolean;
  /** Gone upstream (kept in the catalog). */
  removed: boolean;
  /** YYYY-MM-DD of the last sync change or `updated`, whichever is later. */
  lastChanged: string;
}

export function ruleSummary(rule: Rule): RuleSummary {
  return {
    id: rule.id,
    nativeId: rule.nativeId,
    platform: rule.platform,
    language: rule.language,
    name: rule.name,
    description: rule.description,
    severity: rule.severity,
    type: rule.type,
    path: rule.path,
    created: rule.created,
    updated: rule.updated,
    parsed: rule.parsed,
    techniques: rule.attack.techniques.map((t) => t.id),
    events: rule.events,
    newest: !rule.duplicates || rule.duplicates.newest,
    removed: rule.removed ?? false,
    lastChanged: lastChanged(rule),
  };
}

/** The later of the rule's last sync change and its own `updated` date, as YYYY-MM-DD (updated may be written 2025/06/01). */
export function lastChanged(rule: Rule): string {
  const synced = rule.history?.at(-1)?.date.slice(0, 10) ?? '';
  const updated = (rule.updated ?? '').slice(0, 10).replaceAll('/', '-');
  return synced > updated ? synced : updated;
}

/** Search, filter, count facets, sort and page: what Explore, the API and exports share. */
export function explore(store: CatalogStore, query: ExploreQuery): ExploreResult {
  const index = exploreIndex(store);
  const hits = query.q.trim() ? store.search(query.q) : undefined;
  // Without a search, candidates come in name order, so the default listing needs no sort.
  const candidates = hits ?? Array.from(index.nameOrder);
  const active = facetNames.filter((f) => query.filters[f]?.length);
  const wanted = Object.fromEntries(active.map((f) => [f, new Set(query.filters[f]!.map((v) => index.codeOf[f].get(v) ?? -1))])) as Partial<
    Record<FacetName, Set<number>>
  >;
  const matched = candidates.filter((i) => {
    const rule = store.rules[i]!;
    if (!query.duplicates && rule.duplicates && !rule.duplicates.newest) return false;
    if (!query.removed && rule.removed) return false;
    if (query.since && lastChanged(rule) < query.since) return false;
    for (const facet of active) {
      const { offsets, values } = index.codes[facet];
      const want = wanted[facet]!;
      let any = false;
      for (let j = offsets[i]!; j < offsets[i + 1]! && !any; j++) any = want.has(values[j]!);
      if (!any) return false;
    }
    return true;
  });
  const facets = {} as Record<FacetName, FacetValue[]>;
  for (const facet of facetNames) {
    const dict = index.dictionary[facet];
    const counts = new Int32Array(dict.length);
    const { offsets, values: codes } = index.codes[facet];
    for (let m = 0; m < matched.length; m++) {
      const i = matched[m]!;
      for (let j = offsets[i]!; j < offsets[i + 1]!; j++) counts[codes[j]!]!++;
    }
    const values: FacetValue[] = [];
    for (let code = 0; code < counts.length; code++) if (counts[code]) values.push({ value: dict[code]!, count: counts[code]! });
    facets[facet] = values.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  }
  const rank = index.nameRank;
  const nameOrder = (a: number, b: number) => rank[a]! - rank[b]!;
  const rules = store.rules;
  const sorted = matched;
  if (query.sort === 'name' && hits) sorted.sort(nameOrder);
  else if (query.sort === 'updated') {
    const date = (i: number) => rules[i]!.updated ?? rules[i]!.created ?? '';
    sorted.sort((a, b) => (date(a) < date(b) ? 1 : date(a) > date(b) ? -1 : nameOrder(a, b)));
  } else if (query.sort === 'severity') {
    sorted.sort((a, b) => (severityRank[rules[a]!.severity] ?? 9) - (severityRank[rules[b]!.severity] ?? 9) || nameOrder(a, b));
  }
  const start = (query.page - 1) * query.pageSize;
  return {
    total: matched.length,
    page: query.page,
    pageSize: query.pageSize,
    items: sorted.slice(start, start + query.pageSize).map((i) => rules[i]!),
    facets,
  };
}
