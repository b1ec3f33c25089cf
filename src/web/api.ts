// The JSON API: the same explore() as the Explore page, rules as `ruleJson`, the build report.
import { ruleJson } from '../cli/rule-json.js';
import { explore, parseExploreQuery } from '../explore/explore.js';
import type { Rule } from '../model/types.js';
import type { CatalogStore } from '../store/read.js';
import { LruCache } from './cache.js';

export interface JsonResponse {
  status: number;
  /** The serialized JSON body, UTF-8. */
  json: Buffer;
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');

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

const comma = Buffer.from(',');

export function apiRules(store: CatalogStore, params: URLSearchParams, rules: RuleJsonCache): JsonResponse {
  const result = explore(store, parseExploreQuery(params));
  const head = JSON.stringify({ total: result.total, page: result.page, pageSize: result.pageSize });
  // The same document as JSON.stringify({total, page, pageSize, items, facets}) would write.
  const parts: Buffer[] = [Buffer.from(`${head.slice(0, -1)},"items":[`)];
  result.items.forEach((r, i) => {
    if (i) parts.push(comma);
    parts.push(rules.get(r));
  });
  parts.push(Buffer.from(`],"facets":${JSON.stringify(result.facets)}}`));
  return { status: 200, json: Buffer.concat(parts) };
}

export function apiRule(store: CatalogStore, id: string, rules: RuleJsonCache): JsonResponse {
  const rule = store.byId.get(id);
  if (!rule) return apiError(404, `no rule with id ${id}`);
  return { status: 200, json: rules.get(rule) };
}

export function apiReport(store: CatalogStore): JsonResponse {
  return { status: 200, json: json(store.report) };
}

export function apiError(status: number, error: string): JsonResponse {
  return { status, json: json({ error }) };
}
