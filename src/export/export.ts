// Exports of every rule an Explore query matches (not one page): JSON, CSV, ATT&CK Navigator layer.
// Each is a sequence of pieces (a rule, a CSV row), so that a server can stream it and stop at a limit.
import { ruleJson } from '../model/rule-json.js';
import { explore, type ExploreQuery } from '../explore/explore.js';
import type { Rule } from '../model/types.js';
import type { CatalogStore } from '../store/read.js';
import { csvHeader, csvRow } from './csv.js';
import { type LayerOptions, navigatorLayer } from './navigator.js';

export const exportFormats = ['json', 'csv', 'navigator'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export function isExportFormat(value: string): value is ExportFormat {
  return (exportFormats as readonly string[]).includes(value);
}

export interface ExportResult {
  body: string;
  contentType: string;
  /** Suggested download name, from what the query asks (exportFilename). */
  filename: string;
}

/** An export as pieces, in order: joined they are the body. `rules` is how many rules it holds. */
export interface ExportStream {
  contentType: string;
  filename: string;
  rules: number;
  pieces: Iterable<string>;
}

const extensions: Record<ExportFormat, string> = { json: 'json', csv: 'csv', navigator: 'layer.json' };

/**
 * A download name saying what the export holds: `ruleatlas-` and the query's filters and words,
 * lower case, letters, digits and dashes only (safe in a Content-Disposition header), cut at 80
 * characters, `all-rules` without any; a Navigator layer ends in `.layer.json`.
 */
function exportFilename(query: ExploreQuery, format: ExportFormat): string {
  const parts = [query.q, ...Object.values(query.filters).flat(), query.since ? `since-${query.since}` : '']
    .map((p) =>
      (p ?? '')
        .normalize('NFKD')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, ''),
    )
    .filter(Boolean);
  const what = (parts.join('-') || 'all-rules').slice(0, 80).replace(/-+$/, '');
  return `ruleatlas-${what}.${extensions[format]}`;
}

/** Every rule the query matches, in the query's order. */
export function matchingRules(store: CatalogStore, query: ExploreQuery): Rule[] {
  return explore(store, { ...query, page: 1, pageSize: Math.max(1, store.rules.length) }, { facets: false }).items;
}

/**
 * The JSON array as `JSON.stringify(rules, null, 2)` writes it, one rule at a time: a rule's lines
 * indented once more (JSON strings hold no raw line breaks, so every `\n` is between tokens).
 */
function* jsonPieces(rules: readonly Rule[]): Generator<string> {
  if (!rules.length) {
    yield '[]\n';
    return;
  }
  for (let i = 0; i < rules.length; i++) {
    const text = JSON.stringify(ruleJson(rules[i]!), null, 2).replaceAll('\n', '\n  ');
    yield `${i === 0 ? '[\n' : ',\n'}  ${text}`;
  }
  yield '\n]\n';
}

function* csvPieces(rules: readonly Rule[]): Generator<string> {
  yield csvHeader();
  for (const rule of rules) yield csvRow(rule);
}

export function exportStream(store: CatalogStore, query: ExploreQuery, format: ExportFormat, opts: LayerOptions = {}): ExportStream {
  const rules = matchingRules(store, query);
  switch (format) {
    case 'json':
      return {
        contentType: 'application/json; charset=utf-8',
        filename: exportFilename(query, format),
        rules: rules.length,
        pieces: jsonPieces(rules),
      };
    case 'csv':
      return {
        contentType: 'text/csv; charset=utf-8',
        filename: exportFilename(query, format),
        rules: rules.length,
        pieces: csvPieces(rules),
      };
    case 'navigator':
      // One entry per technique, not per rule: small whatever the rule set.
      return {
        contentType: 'application/json; charset=utf-8',
        filename: exportFilename(query, format),
        rules: rules.length,
        pieces: [`${JSON.stringify(navigatorLayer(rules, opts), null, 2)}\n`],
      };
  }
}

/** The whole export as one string (the CLI, tests). */
export function exportRules(store: CatalogStore, query: ExploreQuery, format: ExportFormat, opts: LayerOptions = {}): ExportResult {
  const { pieces, contentType, filename } = exportStream(store, query, format, opts);
  let body = '';
  for (const piece of pieces) body += piece;
  return { body, contentType, filename };
}
