// Routes of the coverage views: /coverage/* pages and /api/coverage/* (JSON, or CSV with format=csv).
import { comparePlatforms, comparisonSlice } from '../coverage/compare.js';
import { compareCsv, indicatorsCsv, matrixCsv, providerCsv, providersCsv, visibilityCsv } from '../coverage/csv.js';
import { type IndicatorIndex, indicatorIndex, indicatorIndexBytes } from '../coverage/indicator-index.js';
import { indicatorPage, indicatorTally } from '../coverage/indicators.js';
import { attackMatrix } from '../coverage/matrix.js';
import { catalogMatrix, catalogMatrixSpec } from '../coverage/catalog-matrix.js';
import { platformsOf } from '../coverage/platforms.js';
import { providerCoverage, providerIndex } from '../coverage/providers.js';
import { ruleLogFacts, visibility } from '../coverage/visibility.js';
import { visibilityLayer } from '../coverage/visibility-layer.js';
import { matchingRules } from '../export/export.js';
import type { Rule } from '../model/types.js';
import { providers } from '../providers/registry.js';
import type { CatalogStore } from '../store/read.js';
import type { WebContext } from './context.js';
import { type CoverageParams, coverageSearch, parseCoverageParams } from './coverage-params.js';
import { catalogCoverage } from './coverage-catalog.js';
import { keptJsonPerCatalog, keptPerCatalog, type PartSource, renderedNow, splicedJson } from './coverage-kept.js';
import {
  comparePageSizes,
  indicatorPageSizes,
  type PageSizes,
  type Paging,
  pageCount,
  pageFields,
  pageLinks,
  pageOffset,
  parsePaging,
} from './coverage-paging.js';
import { decodePathPart } from './coverage-path.js';
import { renderCompare } from './pages/coverage-compare.js';
import { renderIndicators } from './pages/coverage-indicators.js';
import { renderMatrix } from './pages/coverage-matrix.js';
import { renderProvider, renderProviderIndex } from './pages/coverage-providers.js';
import { renderVisibility } from './pages/coverage-visibility.js';
import { renderNotFound } from './pages/not-found.js';
import { perCatalog, perCatalogIndex } from './per-catalog.js';
import { exploreParams } from './urls.js';
import { utf8Bytes } from './utf8.js';
import { pooledUtf8, type PooledBytes } from './reply-bytes.js';

export interface CoverageReply {
  status: number;
  contentType: string;
  body: Buffer;
  /** The body is a pooled slab (reply-bytes.ts), handed back once the response is written. */
  release?: () => void;
  headers?: Record<string, string>;
}

/** What the server runs: `key` (when set) caches the answer under it. */
export interface CoverageRoute {
  key?: string;
  make: () => CoverageReply;
}

const htmlType = 'text/html; charset=utf-8';
const jsonType = 'application/json; charset=utf-8';
const csvType = 'text/csv; charset=utf-8';

/**
 * Indicator rows of a page, HTML or JSON alike; the page names a few rules per row (its count links to all of
 * them in Explore), the JSON more.
 */
const indicatorRowLimits = { valueLimit: 10, pageRules: 3, apiRules: 10 };
/** The matrix's default states (coverageSearch): the whole catalog, every technique or the covered ones. */
const matrixStates = ['', 'covered=1'];
/** The indicators view's default states (coverageSearch): the whole catalog, as written or canonical. */
const indicatorStates = ['', 'view=canonical'];
/** The indicators CSV: a download of the first fields, more of each (not paged). */
const csvIndicatorLimits = { fieldLimit: 100, valueLimit: 25, ruleLimit: 10 };

/** Indicator codes over the whole catalog, built on first use (every view's rules are a subset). */
export function catalogIndicators(store: CatalogStore): IndicatorIndex {
  return perCatalogIndex(store, 'indicators', () => indicatorIndex(store.rules), indicatorIndexBytes);
}

/** Build the catalog's coverage indexes now (a server at start and reload), not in the first request that needs them. */
export function warmCoverage(store: CatalogStore): void {
  catalogIndicators(store);
  catalogMatrix(store);
  catalogCoverage(store);
}

/** The rules of a view: every Explore filter applies; `compare` narrows to those platforms. */
export function coverageRules(store: CatalogStore, p: CoverageParams): Rule[] {
  const rules = wholeCatalog(p) ? perCatalog(store, 'rules', () => matchingRules(store, p.query)) : matchingRules(store, p.query);
  return p.compare.length ? rules.filter((r) => p.compare.includes(r.platform)) : rules;
}

/** Whether a view's Explore filters leave them all as they are: its rules are the catalog's (the default Explore list). */
function wholeCatalog(p: CoverageParams): boolean {
  return exploreParams(p.query).toString() === '';
}

/** Whether a view's rules are the whole catalog's: no Explore filter, no platforms chosen (`compare`). */
export function overWholeCatalog(p: CoverageParams): boolean {
  return wholeCatalog(p) && !p.compare.length;
}

/**
 * A view's value over its rules: over the whole catalog (no Explore filter, no `compare`), computed
 * once per catalog under `key` (per-catalog.ts), since no request changes it; otherwise per request.
 * `key` names the view and those of its options that shape the value.
 */
function overRules<T>(store: CatalogStore, p: CoverageParams, key: string, compute: (rules: Rule[]) => T): T {
  if (!overWholeCatalog(p)) return compute(coverageRules(store, p));
  return perCatalog(store, key, () => compute(coverageRules(store, p)));
}

/**
 * Where a page's unchanging parts come from (coverage-kept.ts): kept per catalog in the view's default states
 * (`states`, as coverageSearch writes them: over the whole catalog, no option that a part shows), else rendered now.
 */
function defaultStateParts(store: CatalogStore, view: string, p: CoverageParams, states: readonly string[]): PartSource {
  const state = coverageSearch(p).toString();
  return states.includes(state) ? keptPerCatalog(store, `${view} parts ${state}`) : renderedNow;
}

/** Compare: the Explore filters except platform (the two sides choose it); missing sides default to the largest platforms. */
export function compareSides(store: CatalogStore, p: CoverageParams): { rules: Rule[]; a: string; b: string; whole: boolean } {
  const filters = { ...p.query.filters };
  delete filters.platform;
  const sides = { ...p, query: { ...p.query, filters }, compare: [] };
  const whole = wholeCatalog(sides);
  const rules = coverageRules(store, sides);
  const top = whole ? perCatalog(store, 'platforms', () => platformsOf(rules)) : platformsOf(rules);
  const a = p.a || top[0] || '';
  const b = p.b || top.find((x) => x !== a) || '';
  return { rules, a, b, whole };
}

function knownProvider(store: CatalogStore, id: string): boolean {
  return providers.some((p) => p.id === id) || catalogCoverage(store).named.has(id);
}

export function page(body: string | PooledBytes): CoverageReply {
  const { bytes, release } = typeof body === 'string' ? pooledUtf8(body) : body;
  return release ? { status: 200, contentType: htmlType, body: bytes, release } : { status: 200, contentType: htmlType, body: bytes };
}

export function data(format: string | null, name: string, value: unknown, csv: () => string): CoverageReply {
  if (format === 'csv')
    return {
      status: 200,
      contentType: csvType,
      body: utf8Bytes(csv()),
      headers: { 'content-disposition': `attachment; filename=ruleatlas-${name}.csv` },
    };
  return json(format, name, utf8Bytes(JSON.stringify(value)));
}

/** A JSON answer's bytes; `format=json` makes it a download. */
function json(format: string | null, name: string, answer: Buffer | PooledBytes): CoverageReply {
  const { bytes: body, release } = Buffer.isBuffer(answer) ? { bytes: answer, release: undefined } : answer;
  return {
    status: 200,
    contentType: jsonType,
    body,
    ...(release ? { release } : {}),
    headers: format === 'json' ? { 'content-disposition': `attachment; filename=ruleatlas-${name}.json` } : undefined,
  };
}

/** A Navigator layer as a JSON download. */
export function layerReply(filename: string, layer: unknown): CoverageReply {
  return {
    status: 200,
    contentType: jsonType,
    body: Buffer.from(JSON.stringify(layer), 'utf8'),
    headers: { 'content-disposition': `attachment; filename=${filename}` },
  };
}

export function apiNotFound(message: string): CoverageReply {
  return { status: 404, contentType: jsonType, body: Buffer.from(JSON.stringify({ error: message }), 'utf8') };
}

/** The route for a /coverage or /api/coverage path, or undefined when the path is not one of them. */
export function coverageRoute(ctx: WebContext, path: string, params: URLSearchParams): CoverageRoute | undefined {
  const api = path.startsWith('/api/coverage');
  const rest = api ? path.slice('/api/coverage'.length) : path.startsWith('/coverage') ? path.slice('/coverage'.length) : undefined;
  if (rest === undefined || (rest !== '' && !rest.startsWith('/'))) return undefined;
  const { store } = ctx;
  const p = parseCoverageParams(params);
  const format = api ? params.get('format') : null;
  const key = `${path}?${coverageSearch(p).toString()}&format=${format ?? ''}`;
  const cached = (make: () => CoverageReply): CoverageRoute => ({ key, make });
  /** A paged view: its page and limit, as read, are part of what is cached. */
  const pagedAs = (sizes: PageSizes, make: (paging: Paging) => CoverageReply): CoverageRoute => {
    const paging = parsePaging(params, sizes);
    return { key: `${key}&page=${paging.page}&limit=${paging.explicitLimit ? paging.limit : ''}`, make: () => make(paging) };
  };

  if (rest === '' || rest === '/') {
    if (api) return { make: () => apiNotFound('see /api/coverage/matrix, /providers, /indicators, /compare, /visibility') };
    const search = coverageSearch(p).toString();
    return {
      make: () => ({
        status: 302,
        contentType: htmlType,
        body: Buffer.alloc(0),
        headers: { location: `/coverage/matrix${search ? `?${search}` : ''}` },
      }),
    };
  }
  if (rest === '/matrix') {
    return cached(() => {
      const matrix = overRules(store, p, `matrix covered=${p.coveredOnly}`, (rules) =>
        attackMatrix(rules, catalogMatrixSpec(store), { coveredOnly: p.coveredOnly }, catalogMatrix(store)),
      );
      const state = coverageSearch(p).toString();
      if (!api) return page(renderMatrix(ctx, p, matrix, defaultStateParts(store, 'matrix', p, matrixStates)));
      if (format === 'csv' || !matrixStates.includes(state)) return data(format, 'matrix', matrix, () => matrixCsv(matrix));
      // The columns' JSON kept per catalog in the view's default states, as the page's columns are.
      const kept = keptJsonPerCatalog(store, `matrix json parts ${state}`);
      return json(
        format,
        'matrix',
        splicedJson(
          matrix,
          'columns',
          matrix.columns.map((col) => kept(col.id, () => col)),
        ),
      );
    });
  }
  if (rest === '/providers') {
    const chosen = params.get('id');
    if (!api && chosen) {
      // The provider picker is a plain GET form: send it on to the provider's page.
      const search = coverageSearch(p).toString();
      const location = `/coverage/providers/${encodeURIComponent(chosen)}${search ? `?${search}` : ''}`;
      return { make: () => ({ status: 302, contentType: htmlType, body: Buffer.alloc(0), headers: { location } }) };
    }
    return cached(() => {
      const { rules, index, platforms } = overRules(store, p, 'providers', (rules) => ({
        rules,
        index: providerIndex(rules),
        platforms: platformsOf(rules),
      }));
      return api
        ? data(format, 'providers', { rules: rules.length, platforms, providers: index }, () => providersCsv(index, platforms))
        : page(renderProviderIndex(ctx, p, rules, index));
    });
  }
  if (rest.startsWith('/providers/')) {
    const id = decodePathPart(rest.slice('/providers/'.length));
    if (id === undefined || !knownProvider(store, id)) {
      return {
        make: () =>
          api
            ? apiNotFound(`no provider ${id ?? ''}`)
            : { ...page(renderNotFound(ctx, 'No rule in the catalog watches this provider.')), status: 404 },
      };
    }
    return cached(() => {
      // The known provider's coverage over every platform is kept; over chosen platforms (`compare`), per request.
      const coverage = p.compare.length
        ? providerCoverage(coverageRules(store, { ...p, compare: [] }), id, p.compare)
        : overRules(store, p, `provider ${id}`, (rules) => providerCoverage(rules, id));
      const shown = p.gapsOnly ? { ...coverage, events: coverage.events.filter((e) => e.missing.length) } : coverage;
      return api
        ? data(format, `provider-${id.replace(/[^a-z0-9-]/gi, '_')}`, shown, () => providerCsv(shown))
        : page(renderProvider(ctx, p, shown, defaultStateParts(store, 'provider', p, ['', 'gaps=1'])));
    });
  }
  if (rest === '/indicators') {
    return pagedAs(indicatorPageSizes, (paging) => {
      const csv = api && format === 'csv';
      // A page (HTML or JSON, the same fields and indicators) or the CSV download of the first fields.
      const limits = csv
        ? { ...csvIndicatorLimits }
        : {
            valueLimit: indicatorRowLimits.valueLimit,
            ruleLimit: api ? indicatorRowLimits.apiRules : indicatorRowLimits.pageRules,
            fieldOffset: pageOffset(paging),
            fieldLimit: paging.limit,
          };
      // One field asked for: show more of its values.
      if (p.field) limits.valueLimit = Math.max(limits.valueLimit, 50);
      const index = catalogIndicators(store);
      const choice = { canonical: p.canonical, field: p.field };
      // The counts every page shares; a field is free text: only the views without one are kept.
      const tally = p.field
        ? indicatorTally(coverageRules(store, p), choice, index, true)
        : overRules(store, p, `indicator counts canonical=${p.canonical}`, (rules) => indicatorTally(rules, choice, index));
      // A page of the default size over the whole catalog is kept too: a page number is a choice the catalog bounds.
      const keep =
        overWholeCatalog(p) && !p.field && !csv && !paging.explicitLimit && paging.page <= pageCount(tally.used.length, paging.limit);
      const coverage = keep
        ? perCatalog(store, `indicators canonical=${p.canonical} api=${api} page=${paging.page}`, () => indicatorPage(tally, limits, index))
        : indicatorPage(tally, limits, index);
      if (csv) return data(format, 'indicators', coverage, () => indicatorsCsv(coverage));
      const pages = pageCount(coverage.totalFields, paging.limit);
      const search = coverageSearch(p);
      if (format === 'json') search.set('format', 'json');
      const links = pageLinks(path, search, paging, pages);
      if (!api)
        return page(
          renderIndicators(ctx, p, coverage, { paging, pages, links }, defaultStateParts(store, 'indicators', p, indicatorStates)),
        );
      const value = { ...coverage, ...pageFields(paging, pages, links) };
      // The fields' JSON kept per catalog in the view's default states, as the page's tables are.
      const state = coverageSearch(p).toString();
      if (!indicatorStates.includes(state)) return data(format, 'indicators', value, () => indicatorsCsv(coverage));
      const kept = keptJsonPerCatalog(store, `indicators json parts ${state}`);
      return json(
        format,
        'indicators',
        splicedJson(
          value,
          'fields',
          coverage.fields.map((f) => kept(f.field, () => f)),
        ),
      );
    });
  }
  if (rest === '/visibility') {
    // The config file's log sources unless the request names some.
    const shown = p.logs.length || !ctx.logSources?.length ? p : { ...p, logs: [...ctx.logSources] };
    return cached(() => {
      const facts = perCatalog(store, 'log facts', () => ruleLogFacts(store.rules));
      const compute = (rules: Rule[]) => visibility(rules, shown.logs, catalogMatrix(store).names, facts);
      // The logs are request text: kept only for none and for the config file's (both fixed while the server runs).
      const fixedLogs = !p.logs.length;
      const v = fixedLogs ? overRules(store, shown, 'visibility', compute) : compute(coverageRules(store, shown));
      if (api && format === 'layer') return layerReply('ruleatlas-visibility-layer.json', visibilityLayer(v));
      return api
        ? data(format, 'visibility', v, () => visibilityCsv(v))
        : page(renderVisibility(ctx, shown, v, catalogCoverage(store).providers));
    });
  }
  if (rest === '/compare') {
    return pagedAs(comparePageSizes, (paging) => {
      const sides = compareSides(store, p);
      const csv = api && format === 'csv';
      // A page (HTML or JSON, the same items), or the CSV download of each list's first items.
      const offset = csv ? 0 : pageOffset(paging);
      const limit = csv ? comparePageSizes.maxLimit : paging.limit;
      const index = catalogIndicators(store);
      // Over the whole catalog, a pair of its platforms is kept (a bounded choice) as far as the largest page
      // reaches, and pages are its slices; any other side, or a page past it, is computed per request.
      const known = catalogCoverage(store).platforms;
      const kept =
        sides.whole && known.includes(sides.a) && known.includes(sides.b) && offset + limit <= comparePageSizes.maxLimit
          ? perCatalog(store, `compare ${sides.a} ${sides.b}`, () => ({
              comparison: comparePlatforms(sides.rules, sides.a, sides.b, comparePageSizes.maxLimit, index),
              platforms: platformsOf(sides.rules),
            }))
          : undefined;
      const comparison = kept
        ? comparisonSlice(kept.comparison, offset, limit)
        : comparePlatforms(sides.rules, sides.a, sides.b, limit, index, offset);
      const platforms = kept?.platforms ?? platformsOf(sides.rules);
      if (csv) return data(format, 'compare', comparison, () => compareCsv(comparison));
      const lists = [comparison.techniques, comparison.events, comparison.indicators];
      const pages = pageCount(Math.max(...lists.flatMap((l) => [l.totals.onlyA, l.totals.onlyB, l.totals.shared])), paging.limit);
      const search = coverageSearch({ ...p, a: comparison.a, b: comparison.b });
      if (format === 'json') search.set('format', 'json');
      const links = pageLinks(path, search, paging, pages);
      return api
        ? data(format, 'compare', { ...comparison, ...pageFields(paging, pages, links) }, () => compareCsv(comparison))
        : page(renderCompare(ctx, p, comparison, platforms, { paging, pages, links }));
    });
  }
  return {
    make: () =>
      api ? apiNotFound(`no API route ${path}`) : { ...page(renderNotFound(ctx, 'There is no page at this address.')), status: 404 },
  };
}
