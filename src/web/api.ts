// The JSON API: the same explore() as the Explore page (rule summaries), full rules as `ruleJson`, the build report.
import { ruleJson } from '../model/rule-json.js';
import { explore, parseExploreQuery, ruleSummary } from '../explore/explore.js';
import { searchError } from '../explore/search.js';
import { exportFormats, exportStream, type ExportStream, isExportFormat } from '../export/export.js';
import type { Rule } from '../model/types.js';
import { catalogChangesUpTo } from './pages/changes.js';
import type { CatalogStore } from '../store/read.js';
import { LruCache } from './cache.js';
import { utf8Bytes } from './utf8.js';

export interface JsonResponse {
  status: number;
  /** The serialized JSON body, UTF-8. */
  json: Buffer;
  /** The body is a pooled slab (reply-bytes.ts), handed back once the response is written. */
  release?: () => void;
}

const json = (value: unknown) => utf8Bytes(JSON.stringify(value));

/**
 * Rules serialized and UTF-8 encoded once: a list answer is then a copy of bytes, which keeps
 * /api/rules fast for rules with thousands of indicators. Bounded, like the page cache.
 */
export class RuleJsonCache {
  private readonly cache: LruCache<Buffer>;

  constructor(maxBytes = 32 * 1024 * 1024) {
    this.cache = new LruCache<Buffer>(Number.MAX_SAFE_INTEGER, maxBytes, (b) => b.length);
  }

  get(rule: Rule): Buffer {
    let bytes = this.cache.get(rule.id);
    if (bytes === undefined) {
      bytes = json(ruleJson(rule));
      this.cache.set(rule.id, bytes);
    }
    return bytes;
  }
}

/**
 * Rule summaries (what a list answer holds of a rule) serialized once: a page of 25 summaries was a
 * tenth of a search answer's time. Bounded by bytes (a description can be megabytes).
 */
export class SummaryJsonCache {
  private readonly cache: LruCache<string>;

  constructor(maxBytes = 16 * 1024 * 1024) {
    this.cache = new LruCache<string>(Number.MAX_SAFE_INTEGER, maxBytes, (s) => s.length);
  }

  get(rule: Rule): string {
    let text = this.cache.get(rule.id);
    if (text === undefined) {
      text = JSON.stringify(ruleSummary(rule));
      this.cache.set(rule.id, text);
    }
    return text;
  }
}

/** Facet values per facet in an answer unless `facetLimit` asks otherwise (events run into thousands). */
const defaultFacetLimit = 100;

/**
 * A page of results: summaries of the rules (the full rule is at /api/rules/<id>), and the most
 * frequent values of each facet with `facetTotals` saying how many distinct values there are.
 */
export function apiRules(store: CatalogStore, params: URLSearchParams, summaries: SummaryJsonCache): JsonResponse {
  const asked = Number.parseInt(params.get('facetLimit') ?? '', 10);
  const limit = Number.isFinite(asked) && asked >= 0 ? asked : defaultFacetLimit;
  const { total, page, pageSize, items, facets, facetTotals, error } = explore(store, parseExploreQuery(params), { facetLimit: limit });
  if (error !== undefined) return apiError(400, error);
  // JSON.stringify's text of {total, page, pageSize, items, facets, facetTotals}, the items from the cache.
  const text = `{"total":${total},"page":${page},"pageSize":${pageSize},"items":[${items.map((r) => summaries.get(r)).join(',')}],"facets":${JSON.stringify(facets)},"facetTotals":${JSON.stringify(facetTotals)}}`;
  return { status: 200, json: utf8Bytes(text) };
}

export function apiRule(store: CatalogStore, id: string, rules: RuleJsonCache): JsonResponse {
  const rule = store.byId.get(id);
  if (!rule) return apiError(404, `no rule with id ${id}`);
  return { status: 200, json: rules.get(rule) };
}

export function apiReport(store: CatalogStore): JsonResponse {
  return { status: 200, json: json(store.report) };
}

/** Rules added, changed and removed per sync, newest first; `limit` caps the rules listed per sync. */
export function apiChanges(store: CatalogStore, params: URLSearchParams): JsonResponse {
  const limit = Math.min(100000, Math.max(1, Number.parseInt(params.get('limit') ?? '500', 10) || 500));
  return { status: 200, json: json({ syncs: catalogChangesUpTo(store, limit) }) };
}

export function apiError(status: number, error: string): JsonResponse {
  return { status, json: json({ error }) };
}

/** Every rule an Explore query matches, as the pieces of a JSON, CSV or ATT&CK Navigator layer download; or an error. */
/** `baseUrl`: what a Navigator layer's rule links begin with. */
export function apiExport(store: CatalogStore, params: URLSearchParams, baseUrl?: string): ExportStream | JsonResponse {
  const format = params.get('format') ?? '';
  if (!isExportFormat(format)) return apiError(400, `format must be one of ${exportFormats.join(', ')}`);
  const query = parseExploreQuery(params);
  const error = searchError(store, query.q);
  if (error !== undefined) return apiError(400, error);
  return exportStream(store, query, format, { baseUrl });
}
