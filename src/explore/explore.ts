import type { Rule } from '../model/types.js';
import { type FacetName, facetNames, lastChanged } from './facets.js';
import { type ExploreIndex, exploreIndex } from './index.js';
import type { CatalogStore } from '../store/read.js';
import { planSearch } from './search.js';
import { indicatorMatches } from './search-fields.js';

export { changeDate, facetNames, type FacetName, lastChanged } from './facets.js';

export const sortNames = ['relevance', 'name', 'updated', 'severity'] as const;
type SortName = (typeof sortNames)[number];
const sortDirections = ['asc', 'desc'] as const;
type SortDirection = (typeof sortDirections)[number];
/** Each order's own direction: name A to Z, newest first, most severe first (relevance: best first, one way only). */
export const naturalDirection: Record<SortName, SortDirection> = { relevance: 'desc', name: 'asc', updated: 'desc', severity: 'desc' };

export interface ExploreQuery {
  q: string;
  filters: Partial<Record<FacetName, string[]>>;
  sort: SortName;
  /** The order's direction when not its own (`naturalDirection`); ignored for relevance. */
  dir?: SortDirection;
  page: number;
  pageSize: number;
  /** Also list older copies of rules whose native id repeats. */
  duplicates: boolean;
  /** Also list rules gone upstream (see `sync`). */
  removed: boolean;
  /** YYYY-MM-DD: only rules changed (sync history) or updated on or after that day. */
  since?: string;
  /** Only rules holding each of these indicators as written, `field|op|value` (`!op` negated: search-fields.ts indicatorFilter). */
  indicator?: string[];
  /** Only rules holding each of these indicators in the shared vocabulary (canonical), written the same way. */
  canonical?: string[];
  /** The facet whose every value Explore lists (the others list their most frequent few). */
  more?: FacetName;
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
  /** Each facet's values over the matched rules, most frequent first (up to `facetLimit`). */
  facets: Record<FacetName, FacetValue[]>;
  /** How many distinct values each facet has over the matched rules (before the limit). */
  facetTotals: Record<FacetName, number>;
  /**
   * For each facet with an active filter: its values over the rules matching every other filter,
   * so that more values of it can be added (OR within a facet); the values filtered on are listed
   * past `facetLimit` when not among the first. The Explore sidebar shows these.
   */
  facetChoices: Partial<Record<FacetName, FacetValue[]>>;
  /** How many distinct values each facet's choices hold (before the limit). */
  facetChoiceTotals: Partial<Record<FacetName, number>>;
  /** Why the search text cannot be run (explore/search.ts); then nothing is listed. */
  error?: string;
}

export interface ExploreOptions {
  /** Values kept per facet (default: all); a facet's choices keep the values the query filters on besides. */
  facetLimit?: number;
  /** The same for some facets, in place of `facetLimit`. */
  facetLimits?: Partial<Record<FacetName, number>>;
  /** Leave facets out (exports and coverage views only want the rules). */
  facets?: boolean;
}

export function parseExploreQuery(params: URLSearchParams): ExploreQuery {
  const filters: ExploreQuery['filters'] = {};
  for (const facet of facetNames) {
    const values = params.getAll(facet).filter((v) => v !== '');
    if (values.length) filters[facet] = values;
  }
  const sort = (sortNames as readonly string[]).includes(params.get('sort') ?? '') ? (params.get('sort') as SortName) : 'relevance';
  const asked = params.get('dir') ?? '';
  const dir = (sortDirections as readonly string[]).includes(asked) ? (asked as SortDirection) : undefined;
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const size = Number.parseInt(params.get('size') ?? '25', 10) || 25;
  return {
    q: (params.get('q') ?? '').slice(0, 500),
    filters,
    sort,
    ...(sort !== 'relevance' && dir && dir !== naturalDirection[sort] ? { dir } : {}),
    page,
    pageSize: Math.min(200, Math.max(1, size)),
    duplicates: params.get('duplicates') === '1',
    removed: params.get('removed') === '1',
    since: /^\d{4}-\d{2}-\d{2}$/.test(params.get('since') ?? '') ? params.get('since')! : undefined,
    ...indicatorParams(params),
    ...((facetNames as readonly string[]).includes(params.get('more') ?? '') ? { more: params.get('more') as FacetName } : {}),
  };
}

/** Indicator filters given (a few at most: each is a lookup), left out of the query when none. */
function indicatorParams(params: URLSearchParams): Pick<ExploreQuery, 'indicator' | 'canonical'> {
  const out: Pick<ExploreQuery, 'indicator' | 'canonical'> = {};
  for (const kind of ['indicator', 'canonical'] as const) {
    const values = params
      .getAll(kind)
      .filter((v) => v !== '')
      .slice(0, 8);
    if (values.length) out[kind] = values;
  }
  return out;
}

/** The test of the query's indicator filters (all of them), undefined without any. */
function indicatorTest(store: CatalogStore, query: ExploreQuery): ((i: number) => boolean) | undefined {
  const marks = [
    ...(query.indicator ?? []).map((v) => indicatorMatches(store, 'indicator', v)),
    ...(query.canonical ?? []).map((v) => indicatorMatches(store, 'canonical', v)),
  ];
  if (!marks.length) return undefined;
  return (i) => marks.every((m) => m[i] === 1);
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
  /** YYYY-MM-DD of the last upstream change known (facets.ts changeDate), or ''. */
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

/** One rule's codes of a facet counted into `into`. */
function countCodes(into: Int32Array, offsets: Int32Array, values: Int32Array, i: number): void {
  for (let j = offsets[i]!; j < offsets[i + 1]!; j++) into[values[j]!]!++;
}

/**
 * A facet's values by count (ties in value order), the `limit` largest. Each value kept becomes one
 * number, its count (largest first) and its place in value order together, so that one native sort
 * of a typed array orders them (sorting with a comparator function, coverage's topCodes, was a third
 * of explore()'s time on a search's answer); past `limit` values, a count histogram first finds the
 * least count that can make the list, and only values with at least that count are sorted.
 */
function facetList(index: ExploreIndex, facet: FacetName, counts: Int32Array, limit: number, kept: readonly string[] = []): FacetValue[] {
  const { rank, order } = index.valueRank[facet];
  const size = counts.length;
  let present = 0;
  let max = 0;
  for (let code = 0; code < size; code++) {
    const n = counts[code]!;
    if (n) {
      present++;
      if (n > max) max = n;
    }
  }
  let least = 1;
  if (present > limit) {
    const hist = new Int32Array(max + 1);
    for (let code = 0; code < size; code++) hist[counts[code]!]!++;
    let above = 0;
    least = max;
    while (least > 1 && above + hist[least]! < limit) above += hist[least--]!;
    present = above + hist[least]!;
  }
  // (max - count) * size + rank stays an exact integer in a double for any catalog (counts are rules).
  const keys = new Float64Array(present);
  for (let code = 0, k = 0; code < size; code++) if (counts[code]! >= least) keys[k++] = (max - counts[code]!) * size + rank[code]!;
  keys.sort();
  const dict = index.dictionary[facet];
  const out: FacetValue[] = [];
  for (let k = 0; k < keys.length && k < limit; k++) {
    const code = order[keys[k]! % size]!;
    out.push({ value: dict[code]!, count: counts[code]! });
  }
  // Then each of `kept` not listed yet, by its count (0 when no rule of the catalog holds it).
  for (const value of kept) {
    const code = index.codeOf[facet].get(value);
    if (!out.some((v) => v.value === value)) out.push({ value, count: code === undefined ? 0 : counts[code]! });
  }
  return out;
}

/**
 * Per rule, the active facets' filters it passes (bit `a` for `active[a]`), set from the rules of
 * each value asked for (ExploreIndex.rulesOf): a filter costs its rules, not a test of every rule.
 * Undefined when no facet is filtered on.
 */
function filtersPassed(
  index: ExploreIndex,
  size: number,
  active: readonly FacetName[],
  filters: ExploreQuery['filters'],
): Uint16Array | undefined {
  if (!active.length) return undefined;
  const passed = scratchOf(index, size).passed.fill(0);
  active.forEach((facet, a) => {
    const { offsets, rules } = index.rulesOf[facet];
    const bit = 1 << a;
    for (const value of filters[facet]!) {
      const code = index.codeOf[facet].get(value);
      if (code === undefined) continue;
      for (let j = offsets[code]!; j < offsets[code + 1]!; j++) passed[rules[j]!]! |= bit;
    }
  });
  return passed;
}

/** The arrays one explore() call counts into, reused by the next call (see scratchOf). */
interface ExploreScratch {
  passed: Uint16Array;
  counts: Int32Array;
  choices: Int32Array;
  counted: Uint8Array;
}

const scratchKept = new WeakMap<ExploreIndex, ExploreScratch>();

/**
 * explore()'s count arrays, one set per catalog index, zeroed by each call for the parts it uses. explore()
 * runs to its end without yielding and keeps none of them in its result (facet lists copy the counts).
 * Allocated per call they were about 0.25 MB of array buffers outside the JS heap per request, which V8
 * frees only in a full collection once young-generation collections are rare (the server's 64 MB
 * semi-spaces): a mark-compact every few hundred requests, a second or so apart at 1,000 requests/s.
 */
function scratchOf(index: ExploreIndex, size: number): ExploreScratch {
  const total = index.facetBase[facetNames.length]!;
  let s = scratchKept.get(index);
  if (!s || s.passed.length !== size || s.counts.length !== total) {
    s = { passed: new Uint16Array(size), counts: new Int32Array(total), choices: new Int32Array(total), counted: new Uint8Array(size) };
    scratchKept.set(index, s);
  }
  return s;
}

/**
 * Explore filtered on one facet and nothing else (no search, date or indicator): how many rules it
 * lists and those of the page asked for, and every facet's counts over them added into `allCounts`.
 * The rules are read off the lists of the values asked for (ExploreIndex.rulesOf, ascending), not
 * found by a pass over every rule, and the page by walking the listing order (`order`, all rules)
 * only up to its last rule: a filter matching a few hundred rules no longer costs the whole catalog.
 */
function oneFacetListing(
  index: ExploreIndex,
  query: ExploreQuery,
  facet: FacetName,
  passed: Uint16Array,
  hiddenMask: number,
  order: Int32Array,
  allCounts: Int32Array,
): { total: number; page: number[] } {
  const { hidden } = index;
  const { offsets, rules } = index.rulesOf[facet];
  const { offsets: allOffsets, values: allValues } = index.all;
  const values = query.filters[facet]!;
  // A rule holding two of the values asked for is on two lists: counted once (bit 2 of `passed`, which the next call clears).
  const seen = values.length > 1 ? 2 : 0;
  let total = 0;
  for (const value of values) {
    const code = index.codeOf[facet].get(value);
    if (code === undefined) continue;
    for (let j = offsets[code]!; j < offsets[code + 1]!; j++) {
      const i = rules[j]!;
      if (hidden[i]! & hiddenMask || passed[i]! & seen) continue;
      passed[i]! |= seen;
      total++;
      for (let k = allOffsets[i]!; k < allOffsets[i + 1]!; k++) allCounts[allValues[k]!]!++;
    }
  }
  const start = (query.page - 1) * query.pageSize;
  const page: number[] = [];
  if (start >= total) return { total, page };
  for (let c = 0, at = 0; c < order.length && page.length < query.pageSize; c++) {
    const i = order[c]!;
    if (!(passed[i]! & 1) || hidden[i]! & hiddenMask) continue;
    if (at++ >= start) page.push(i);
  }
  return { total, page };
}

/** Every facet's counts over the rules `hiddenMask` leaves in, per catalog and mask (at most four). */
const shownCountsKept = new WeakMap<ExploreIndex, Map<number, Int32Array>>();

/**
 * Every facet's counts over all the rules but the hidden ones (ExploreIndex.all's layout): the
 * counts of Explore without a search, and a filtered facet's choices when no other filter narrows.
 * Computed once per catalog and hidden mask; read only.
 */
function shownCounts(index: ExploreIndex, size: number, hiddenMask: number): Int32Array {
  let kept = shownCountsKept.get(index);
  if (!kept) shownCountsKept.set(index, (kept = new Map<number, Int32Array>()));
  let counts = kept.get(hiddenMask);
  if (!counts) {
    counts = new Int32Array(index.facetBase[facetNames.length]!);
    const { offsets, values } = index.all;
    for (let i = 0; i < size; i++)
      if (!(index.hidden[i]! & hiddenMask)) for (let j = offsets[i]!; j < offsets[i + 1]!; j++) counts[values[j]!]!++;
    kept.set(hiddenMask, counts);
  }
  return counts;
}

function distinct(counts: Int32Array): number {
  let n = 0;
  for (let code = 0; code < counts.length; code++) if (counts[code]) n++;
  return n;
}

/** The candidates with the exact matches first, each rule once. */
function withExactFirst(exact: readonly number[], rest: ArrayLike<number>): number[] {
  const first = new Set(exact);
  const out = [...exact];
  for (let c = 0; c < rest.length; c++) if (!first.has(rest[c]!)) out.push(rest[c]!);
  return out;
}

/** The answer to a search that cannot be run: no rules, no facet values, and why. */
function nothingFound(query: ExploreQuery, error: string): ExploreResult {
  const empty = () => Object.fromEntries(facetNames.map((f) => [f, []])) as unknown as Record<FacetName, FacetValue[]>;
  const zero = Object.fromEntries(facetNames.map((f) => [f, 0])) as Record<FacetName, number>;
  return {
    total: 0,
    page: query.page,
    pageSize: query.pageSize,
    items: [],
    facets: empty(),
    facetTotals: zero,
    facetChoices: {},
    facetChoiceTotals: {},
    error,
  };
}

/**
 * Search, filter, count facets, sort and page: what Explore, the API and exports share. One pass
 * over the candidates counts every facet over the matched rules and, for each filtered facet, over
 * the rules that only that facet's filter leaves out (its choices).
 */
export function explore(store: CatalogStore, query: ExploreQuery, opts: ExploreOptions = {}): ExploreResult {
  const index = exploreIndex(store);
  // Ranked only when the ranking is the order asked for: the hits are sorted by another order anyway.
  const plan = query.q.trim() ? planSearch(store, query.q, query.sort === 'relevance') : undefined;
  if (plan?.error !== undefined) return nothingFound(query, plan.error);
  const hits = plan?.hits;
  // Without full-text hits, candidates come in the order asked for (relevance: name order), so that the listing needs no sort.
  const reversed = query.sort !== 'relevance' && query.dir !== undefined && query.dir !== naturalDirection[query.sort];
  const listed = reversed
    ? {
        relevance: index.nameOrder,
        name: index.reversed.name.order,
        updated: index.reversed.updated.order,
        severity: index.reversed.severity.order,
      }
    : { relevance: index.nameOrder, name: index.nameOrder, updated: index.updatedOrder, severity: index.severityOrder };
  const exact = plan?.exact ?? [];
  const candidates = exact.length ? withExactFirst(exact, hits ?? listed[query.sort]) : (hits ?? listed[query.sort]);
  const searchTest = plan?.test;
  const indicators = indicatorTest(store, query);
  // Rules the text names exactly skip the search's test (see below), never the indicator filters.
  const exactCount = exact.length;
  const active = facetNames.filter((f) => query.filters[f]?.length);
  // Each rule's filters passed, one bit per active facet, read off the rules of the values asked for.
  const passed = filtersPassed(index, store.rules.length, active, query.filters);
  const allPassed = (1 << active.length) - 1;
  const hiddenMask = (query.duplicates ? 0 : 1) | (query.removed ? 0 : 2);
  const withFacets = opts.facets ?? true;
  // Nothing but the facet filters and the hidden rules narrows the candidates: then a facet's counts
  // over the rules no other filter leaves out are the catalog's (kept per catalog, see shownCounts).
  const onlyFacets = !hits && !searchTest && !exact.length && !query.since && !indicators;
  const shown = withFacets && onlyFacets && active.length < 2 ? shownCounts(index, store.rules.length, hiddenMask) : undefined;
  // Every facet's counts in one array (see ExploreIndex.all).
  const scratch = scratchOf(index, store.rules.length);
  const allCounts = withFacets ? (shown && !active.length ? shown : scratch.counts.fill(0)) : new Int32Array(0);
  const countAll = withFacets && allCounts !== shown;
  const { offsets: allOffsets, values: allValues } = index.all;
  const choiceCounts = active.map((f) => {
    const k = facetNames.indexOf(f);
    if (!withFacets) return new Int32Array(0);
    // Each active facet counts its choices in its own range of one array (facets are distinct).
    return (shown ?? scratch.choices).subarray(index.facetBase[k], index.facetBase[k + 1]);
  });
  if (!shown) for (const counts of choiceCounts) counts.fill(0);
  const countChoices = withFacets && !shown;
  // Locals for the loop (it runs over every rule): typed arrays, no property lookups or closures per rule.
  const { hidden, lastChanged: changed } = index;
  const since = query.since;
  const activeOffsets = active.map((f) => index.codes[f].offsets);
  const activeValues = active.map((f) => index.codes[f].values);
  // One facet filtered and nothing else narrowing: its rules are read off its values' lists (see oneFacetListing).
  const oneFacet =
    shown && active.length === 1
      ? oneFacetListing(index, query, active[0]!, passed!, hiddenMask, listed[query.sort], allCounts)
      : undefined;
  const matched: number[] = oneFacet?.page ?? [];
  const counted = countAll && !oneFacet ? scratch.counted.fill(0) : new Uint8Array(0);
  for (let c = 0; c < (oneFacet ? 0 : candidates.length); c++) {
    const i = candidates[c]!;
    if (hidden[i]! & hiddenMask) continue;
    // The facet filters that leave the rule out: none, one (it counts among that facet's choices), or more (skipped).
    const missing = passed ? allPassed & ~passed[i]! : 0;
    if (missing & (missing - 1)) continue;
    if (missing && !countChoices) continue;
    if (since && changed[i]! < since) continue;
    // A rule the text names exactly is listed whatever the rest of the search says.
    if (searchTest && c >= exactCount && !searchTest(i)) continue;
    if (indicators && !indicators(i)) continue;
    if (missing) {
      const failed = 31 - Math.clz32(missing);
      countCodes(choiceCounts[failed]!, activeOffsets[failed]!, activeValues[failed]!, i);
      continue;
    }
    matched.push(i);
    if (countAll) counted[i] = 1;
    if (countChoices) for (let a = 0; a < active.length; a++) countCodes(choiceCounts[a]!, activeOffsets[a]!, activeValues[a]!, i);
  }
  // The matched rules' values counted in rule order, which reads ExploreIndex.all front to back; a
  // few matched rules (a search's hits) are counted as they come, not found by a pass over every rule.
  if (countAll && matched.length * 16 < counted.length)
    for (const i of matched) for (let j = allOffsets[i]!; j < allOffsets[i + 1]!; j++) allCounts[allValues[j]!]!++;
  else if (countAll)
    for (let i = 0; i < counted.length; i++)
      if (counted[i]) for (let j = allOffsets[i]!; j < allOffsets[i + 1]!; j++) allCounts[allValues[j]!]!++;
  const limitOf = (facet: FacetName) => opts.facetLimits?.[facet] ?? opts.facetLimit ?? Number.MAX_SAFE_INTEGER;
  const facets = {} as Record<FacetName, FacetValue[]>;
  const facetTotals = {} as Record<FacetName, number>;
  facetNames.forEach((facet, k) => {
    const counts = allCounts.subarray(index.facetBase[k], withFacets ? index.facetBase[k + 1] : index.facetBase[k]);
    facets[facet] = facetList(index, facet, counts, limitOf(facet));
    facetTotals[facet] = distinct(counts);
  });
  const facetChoices: ExploreResult['facetChoices'] = {};
  const facetChoiceTotals: ExploreResult['facetChoiceTotals'] = {};
  if (withFacets)
    active.forEach((facet, a) => {
      // The values asked for are listed whatever their count: the sidebar shows each filter it holds.
      facetChoices[facet] = facetList(index, facet, choiceCounts[a]!, limitOf(facet), query.filters[facet]);
      facetChoiceTotals[facet] = distinct(choiceCounts[a]!);
    });
  const rules = store.rules;
  const sorted = matched;
  // Search hits come best first; another order is each rule's place in it, worked out once per catalog.
  const ranks = reversed
    ? { relevance: undefined, name: index.reversed.name.rank, updated: index.reversed.updated.rank, severity: index.reversed.severity.rank }
    : { relevance: undefined, name: index.nameRank, updated: index.updatedRank, severity: index.severityRank };
  const rank = ranks[query.sort];
  if ((hits || exact.length) && rank) sorted.sort((a, b) => rank[a]! - rank[b]!);
  const start = oneFacet ? 0 : (query.page - 1) * query.pageSize;
  return {
    total: oneFacet?.total ?? matched.length,
    page: query.page,
    pageSize: query.pageSize,
    items: sorted.slice(start, start + query.pageSize).map((i) => rules[i]!),
    facets,
    facetTotals,
    facetChoices,
    facetChoiceTotals,
  };
}
