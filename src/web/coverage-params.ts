// The URL state of the coverage views: the Explore filters plus each view's own parameters.
import { type ExploreQuery, parseExploreQuery } from '../explore/explore.js';
import { exploreParams } from './urls.js';

export interface CoverageParams {
  /** The Explore filters and search (paging and sort do not apply to a coverage view). */
  query: ExploreQuery;
  /** Platforms side by side (matrix cells, provider columns): `compare=sentinel,elastic` or repeated. */
  compare: string[];
  /** Matrix: techniques without rules are left out. */
  coveredOnly: boolean;
  /** Providers: only events some platform misses. */
  gapsOnly: boolean;
  /** Indicators: field name filter, and the canonical view. */
  field: string;
  canonical: boolean;
  /** Compare: the two platforms. */
  a: string;
  b: string;
  /** Visibility: the log providers collected ("my log sources"): `logs=okta,aws-cloudtrail` or repeated. */
  logs: string[];
}

const list = (params: URLSearchParams, name: string) =>
  [
    ...new Set(
      params
        .getAll(name)
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter((v) => v !== ''),
    ),
  ].slice(0, 20);

export function parseCoverageParams(params: URLSearchParams): CoverageParams {
  const query = parseExploreQuery(params);
  return {
    query: { ...query, page: 1, pageSize: 25, sort: 'relevance' },
    compare: list(params, 'compare'),
    coveredOnly: params.get('covered') === '1',
    gapsOnly: params.get('gaps') === '1',
    field: (params.get('field') ?? '').trim().slice(0, 200),
    canonical: params.get('view') === 'canonical',
    a: (params.get('a') ?? '').trim().slice(0, 100),
    b: (params.get('b') ?? '').trim().slice(0, 100),
    logs: list(params, 'logs'),
  };
}

/** The canonical query string of a coverage state (defaults left out): URLs and cache keys. */
export function coverageSearch(p: CoverageParams): URLSearchParams {
  const out = exploreParams(p.query);
  if (p.compare.length) out.set('compare', p.compare.join(','));
  if (p.coveredOnly) out.set('covered', '1');
  if (p.gapsOnly) out.set('gaps', '1');
  if (p.field) out.set('field', p.field);
  if (p.canonical) out.set('view', 'canonical');
  if (p.a) out.set('a', p.a);
  if (p.b) out.set('b', p.b);
  if (p.logs.length) out.set('logs', p.logs.join(','));
  return out;
}

export function coverageUrl(path: string, p: CoverageParams, changes: Partial<CoverageParams> = {}): string {
  const search = coverageSearch({ ...p, ...changes }).toString();
  return search ? `${path}?${search}` : path;
}

/** Only the Explore filters carried over to another view (its own parameters left behind). */
export function filtersOnly(p: CoverageParams): CoverageParams {
  return { ...p, compare: [], coveredOnly: false, gapsOnly: false, field: '', canonical: false, a: '', b: '', logs: [] };
}
