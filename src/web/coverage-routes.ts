// Routes of the coverage views: /coverage/* pages and /api/coverage/* (JSON, or CSV with format=csv).
import { comparePlatforms } from '../coverage/compare.js';
import { compareCsv, indicatorsCsv, matrixCsv, providerCsv, providersCsv, visibilityCsv } from '../coverage/csv.js';
import { type IndicatorIndex, indicatorIndex } from '../coverage/indicator-index.js';
import { indicatorCoverage } from '../coverage/indicators.js';
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
import { decodePathPart } from './coverage-path.js';
import { renderCompare } from './pages/coverage-compare.js';
import { renderIndicators } from './pages/coverage-indicators.js';
import { renderMatrix } from './pages/coverage-matrix.js';
import { renderProvider, renderProviderIndex } from './pages/coverage-providers.js';
import { renderVisibility } from './pages/coverage-visibility.js';
import { renderNotFound } from './pages/not-found.js';
import { perCatalog } from './per-catalog.js';
import { exploreParams } from './urls.js';
import { utf8Bytes } from './utf8.js';

export interface CoverageReply {
  status: number;
  contentType: string;
  body: Buffer;
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

/** Indicator lists: the page keeps them short, the API can ask for more. */
const indicatorLimits = {
  // The page names a few rules per row; its count links to all of them in Explore.
  page: { fieldLimit: 30, valueLimit: 10, ruleLimit: 3 },
  api: { fieldLimit: 100, valueLimit: 25, ruleLimit: 10 },
};
/** Items per compare list in the API answer (the page shows fewer). */
const compareApiLimit = 1000;

const indexes = new WeakMap<CatalogStore, IndicatorIndex>();

/** Indicator codes over the whole catalog, built on first use (every view's rules are a subset). */
export function catalogIndicators(store: CatalogStore): IndicatorIndex {
  let index = indexes.get(store);
  if (!index) indexes.set(store, (index = indicatorIndex(store.rules)));
  return index;
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

export function page(body: string): CoverageReply {
  return { status: 200, contentType: htmlType, body: utf8Bytes(body) };
}

export function data(format: string | null, name: string, value: unknown, csv: () => string): CoverageReply {
  if (format === 'csv')
    return {
      status: 200,
      contentType: csvType,
      body: utf8Bytes(csv()),
      headers: { 'content-disposition': `attachment; filename=ruleatlas-${name}.csv` },
    };
  const body = utf8Bytes(JSON.stringify(value));
  return {
    status: 200,
    contentType: jsonType,
    body,
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
      return api ? data(format, 'matrix', matrix, () => matrixCsv(matrix)) : page(renderMatrix(ctx, p, matrix));
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
        : page(renderProvider(ctx, p, shown));
    });
  }
  if (rest === '/indicators') {
    return cached(() => {
      const limits = { ...(api ? indicatorLimits.api : indicatorLimits.page) };
      // One field asked for: show more of its values.
      if (p.field) limits.valueLimit = Math.max(limits.valueLimit, 50);
      const compute = (rules: Rule[]) =>
        indicatorCoverage(rules, { canonical: p.canonical, field: p.field, ...limits }, catalogIndicators(store));
      // A field is free text: only the views without one are kept.
      const coverage = p.field
        ? compute(coverageRules(store, p))
        : overRules(store, p, `indicators canonical=${p.canonical} api=${api}`, compute);
      return api ? data(format, 'indicators', coverage, () => indicatorsCsv(coverage)) : page(renderIndicators(ctx, p, coverage));
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
    return cached(() => {
      const sides = compareSides(store, p);
      const limit = api ? compareApiLimit : 50;
      const compute = () => ({
        comparison: comparePlatforms(sides.rules, sides.a, sides.b, limit, catalogIndicators(store)),
        platforms: platformsOf(sides.rules),
      });
      // Over the whole catalog, a pair of its platforms is kept (a bounded choice); any other side is request text.
      const known = catalogCoverage(store).platforms;
      const { comparison, platforms } =
        sides.whole && known.includes(sides.a) && known.includes(sides.b)
          ? perCatalog(store, `compare ${sides.a} ${sides.b} ${limit}`, compute)
          : compute();
      return api ? data(format, 'compare', comparison, () => compareCsv(comparison)) : page(renderCompare(ctx, p, comparison, platforms));
    });
  }
  return {
    make: () =>
      api ? apiNotFound(`no API route ${path}`) : { ...page(renderNotFound(ctx, 'There is no page at this address.')), status: 404 },
  };
}
