// Routes of the data component views: /data-components, /data-components/<DC id> and the same under /api (JSON,
// or CSV with format=csv). The rules are those the Explore filters in the query string leave.
import { dataComponentCsv, dataComponentIndexCsv } from '../coverage/csv.js';
import { catalogMatrix } from '../coverage/catalog-matrix.js';
import { dataComponentCoverage } from '../coverage/data-components.js';
import type { WebContext } from './context.js';
import { coverageSearch, parseCoverageParams } from './coverage-params.js';
import { decodePathPart } from './coverage-path.js';
import { apiNotFound, type CoverageRoute, coverageRules, data, overWholeCatalog, page } from './coverage-routes.js';
import { perCatalog } from './per-catalog.js';
import { renderNotFound } from './pages/not-found.js';
import { renderDataComponent, renderDataComponentIndex } from './pages/data-components.js';
import { threatsOf } from './threat-routes.js';

export function dataComponentRoute(ctx: WebContext, path: string, params: URLSearchParams): CoverageRoute | undefined {
  const api = path.startsWith('/api/');
  const rest = api ? path.slice('/api'.length) : path;
  if (rest !== '/data-components' && !rest.startsWith('/data-components/')) return undefined;
  const { store } = ctx;
  const p = parseCoverageParams(params);
  const format = api ? params.get('format') : null;
  const key = `${path}?${coverageSearch(p).toString()}&format=${format ?? ''}`;
  const components = threatsOf(store).dataComponents;
  const coverage = (chosen: typeof components) => {
    if (!overWholeCatalog(p)) return dataComponentCoverage(chosen, coverageRules(store, p), catalogMatrix(store).names);
    // Over the whole catalog every component's coverage is worked out once (a component's depends on its log sources alone).
    const all = perCatalog(store, 'data components', () =>
      dataComponentCoverage(components, coverageRules(store, p), catalogMatrix(store).names),
    );
    return chosen.map((c) => all[components.indexOf(c)]!);
  };
  const tail = rest.slice('/data-components/'.length);
  if (rest === '/data-components' || tail === '') {
    return {
      key,
      make: () => {
        const rows = coverage(components);
        if (!api) return page(renderDataComponentIndex(ctx, p, rows));
        const summaries = rows.map(({ ruleList: _rules, platforms: _platforms, techniques: _techniques, ...summary }) => summary);
        return data(format, 'data-components', summaries, () => dataComponentIndexCsv(rows));
      },
    };
  }
  const id = decodePathPart(tail);
  const lower = id?.toLowerCase();
  const component = components.find((c) => c.id.toLowerCase() === lower) ?? components.find((c) => c.name.toLowerCase() === lower);
  if (!component) {
    const message = `no data component ${id ?? ''} in the catalog's ATT&CK data`;
    return {
      make: () =>
        api
          ? apiNotFound(message)
          : { ...page(renderNotFound(ctx, `There is no data component ${id ?? ''} in the catalog's ATT&CK data.`)), status: 404 },
    };
  }
  return {
    key,
    make: () => {
      const c = coverage([component])[0]!;
      return api ? data(format, c.id, c, () => dataComponentCsv(c)) : page(renderDataComponent(ctx, p, c));
    },
  };
}
