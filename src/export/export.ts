// Exports of every rule an Explore query matches (not one page): JSON, CSV, ATT&CK Navigator layer.
import { ruleJson } from '../model/rule-json.js';
import { explore, type ExploreQuery } from '../explore/explore.js';
import type { Rule } from '../model/types.js';
import type { CatalogStore } from '../store/read.js';
import { rulesCsv } from './csv.js';
import { type LayerOptions, navigatorLayer } from './navigator.js';

export const exportFormats = ['json', 'csv', 'navigator'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export function isExportFormat(value: string): value is ExportFormat {
  return (exportFormats as readonly string[]).includes(value);
}

export interface ExportResult {
  body: string;
  contentType: string;
  /** Suggested download name: ruleatlas-<format>.<ext>. */
  filename: string;
}

/** Every rule the query matches, in the query's order. */
export function matchingRules(store: CatalogStore, query: ExploreQuery): Rule[] {
  return explore(store, { ...query, page: 1, pageSize: Math.max(1, store.rules.length) }).items;
}

export function exportRules(store: CatalogStore, query: ExploreQuery, format: ExportFormat, opts: LayerOptions = {}): ExportResult {
  const rules = matchingRules(store, query);
  switch (format) {
    case 'json':
      return {
        body: `${JSON.stringify(
          rules.map((r) => ruleJson(r)),
          null,
          2,
        )}\n`,
        contentType: 'application/json; charset=utf-8',
        filename: 'ruleatlas-json.json',
      };
    case 'csv':
      return { body: rulesCsv(rules), contentType: 'text/csv; charset=utf-8', filename: 'ruleatlas-csv.csv' };
    case 'navigator':
      return {
        body: `${JSON.stringify(navigatorLayer(rules, opts), null, 2)}\n`,
        contentType: 'application/json; charset=utf-8',
        filename: 'ruleatlas-navigator.json',
      };
  }
}
