// Routes of the threat views: /actors, /campaigns, /software (index, one entity, compare) and the same under
// /api (JSON, CSV with format=csv, a Navigator layer at /api/<kind>/<id>/layer). Coverage is measured against
// the rules the Explore filters in the query string leave, as the coverage views do.
import type { AttackThreats, ThreatEntity, ThreatKind } from '../attack/threats.js';
import { threatComparisonCsv, threatCsv, threatIndexCsv } from '../coverage/csv.js';
import { threatLayer } from '../coverage/threat-layer.js';
import { compareThreats, threatCoverages } from '../coverage/threats.js';
import type { CatalogStore } from '../store/read.js';
import type { WebContext } from './context.js';
import { coverageSearch, parseCoverageParams } from './coverage-params.js';
import { decodePathPart } from './coverage-path.js';
import { catalogMatrix } from '../coverage/catalog-matrix.js';
import {
  apiNotFound,
  type CoverageReply,
  type CoverageRoute,
  coverageRules,
  data,
  layerReply,
  overWholeCatalog,
  page,
} from './coverage-routes.js';
import { perCatalog } from './per-catalog.js';
import { renderNotFound } from './pages/not-found.js';
import { type Story, storiesOf } from '../coverage/stories.js';
import { renderThreat, renderThreatCompare, renderThreatIndex } from './pages/threats.js';

/** The three kinds by their path segment. */
const threatPaths: Record<string, ThreatKind> = { actors: 'group', campaigns: 'campaign', software: 'software', stories: 'story' };

const emptyThreats: AttackThreats = { groups: [], campaigns: [], software: [], dataComponents: [] };

/** The catalog's groups, campaigns and software (none when it was built without them). */
export function threatsOf(store: CatalogStore): AttackThreats {
  return store.attackThreats() ?? emptyThreats;
}

const stories = new WeakMap<CatalogStore, Story[]>();

/** The catalog's Splunk analytic stories, read from its current rules once. */
function storiesIn(store: CatalogStore): Story[] {
  let found = stories.get(store);
  if (!found) stories.set(store, (found = storiesOf(store.rules.filter((r) => !r.removed))));
  return found;
}

function entitiesOf(store: CatalogStore, kind: ThreatKind): ThreatEntity[] {
  if (kind === 'story') return storiesIn(store);
  const threats = threatsOf(store);
  return kind === 'group' ? threats.groups : kind === 'campaign' ? threats.campaigns : threats.software;
}

/** An entity by ATT&CK id, or by name or alias (any case): `/actors/APT29` finds G0016. */
function findEntity(entities: readonly ThreatEntity[], key: string): ThreatEntity | undefined {
  const upper = key.toUpperCase();
  const lower = key.toLowerCase();
  return (
    entities.find((e) => e.id.toUpperCase() === upper) ??
    entities.find((e) => e.name.toLowerCase() === lower || e.aliases.some((a) => a.toLowerCase() === lower))
  );
}

/** At most this many entities side by side. */
const compareLimit = 8;

const notFoundPage = (ctx: WebContext, message: string): CoverageReply => ({ ...page(renderNotFound(ctx, message)), status: 404 });

/** The route for a threat path, or undefined when the path is not one of them. */
export function threatRoute(ctx: WebContext, path: string, params: URLSearchParams): CoverageRoute | undefined {
  const api = path.startsWith('/api/');
  const parts = (api ? path.slice('/api'.length) : path).split('/');
  const kind = threatPaths[parts[1] ?? ''];
  if (!kind || parts.length > 4) return undefined;
  const base = `/${parts[1]}`;
  const { store } = ctx;
  const p = parseCoverageParams(params);
  const format = api ? params.get('format') : null;
  const key = `${path}?${coverageSearch(p).toString()}&id=${params.getAll('id').join(',')}&format=${format ?? ''}`;
  const entities = entitiesOf(store, kind);
  const coverages = (chosen: readonly ThreatEntity[]) => {
    if (!overWholeCatalog(p)) return threatCoverages(chosen, coverageRules(store, p), catalogMatrix(store), store.mine);
    // Over the whole catalog every entity's coverage is worked out once (an entity's row depends on its techniques alone).
    const all = perCatalog(store, `threats ${kind}`, () => {
      const rows = threatCoverages(entities, coverageRules(store, p), catalogMatrix(store), store.mine);
      return new Map(entities.map((e, i) => [e, rows[i]!]));
    });
    const missing = chosen.filter((e) => !all.has(e));
    const rest = missing.length ? threatCoverages(missing, coverageRules(store, p), catalogMatrix(store), store.mine) : [];
    return chosen.map((e) => all.get(e) ?? rest[missing.indexOf(e)]!);
  };
  const rest = parts.slice(2);

  if (rest.length === 0 || (rest.length === 1 && rest[0] === '')) {
    return {
      key,
      make: () => {
        const rows = coverages(entities);
        return api ? data(format, parts[1]!, rows.map(summaryOf), () => threatIndexCsv(rows)) : page(renderThreatIndex(ctx, p, kind, rows));
      },
    };
  }
  if (rest.length === 1 && rest[0] === 'compare') {
    const chosen = [...new Set(params.getAll('id').flatMap((v) => v.split(',')))]
      .map((id) => findEntity(entities, id.trim()))
      .filter((e): e is ThreatEntity => !!e)
      .slice(0, compareLimit);
    return {
      key,
      make: () => {
        const each = coverages([...new Set(chosen)]);
        const comparison = compareThreats(each);
        return api
          ? data(format, `${parts[1]}-compare`, comparison, () => threatComparisonCsv(comparison))
          : page(renderThreatCompare(ctx, p, kind, entities, each, comparison));
      },
    };
  }
  const id = decodePathPart(rest[0]!);
  const entity = id === undefined ? undefined : findEntity(entities, id);
  const layer = rest.length === 2 && rest[1] === 'layer' && api;
  if (!entity || (rest.length === 2 && !layer)) {
    const message = `no ${kind} ${id ?? ''} in the catalog's ATT&CK data`;
    return {
      make: () => (api ? apiNotFound(message) : notFoundPage(ctx, `There is no ${kind} ${id ?? ''} in the catalog's ATT&CK data.`)),
    };
  }
  return {
    key,
    make: () => {
      const c = coverages([entity])[0]!;
      if (layer) return layerReply(`ruleatlas-${c.id}-layer.json`, threatLayer(c));
      if (!api) return page(renderThreat(ctx, p, base, c, entities, kind === 'story' ? (entity as Story).detections : undefined));
      const detections = kind === 'story' ? { detections: (entity as Story).detections } : {};
      return data(format, c.id, { ...apiShape(c), ...detections }, () => threatCsv(c));
    },
  };
}

/** `/api/actors/<id>`: the documented shape first, then what the page also shows. */
function apiShape(c: ReturnType<typeof threatCoverages>[number]) {
  return {
    id: c.id,
    name: c.name,
    aliases: c.aliases,
    techniques: c.techniques.map((t) => ({
      id: t.id,
      name: t.name,
      rules: t.rules,
      total: t.total,
      mine: t.mine,
      tactics: t.tactics,
      otherIds: t.otherIds,
      procedure: t.procedure,
    })),
    coverage: c.coverage,
    anyCoverage: c.anyCoverage,
    ...(c.mineCoverage === undefined ? {} : { mineCoverage: c.mineCoverage }),
    kind: c.kind,
    description: c.description,
    related: c.related,
    ruleCount: c.ruleCount,
  };
}

function summaryOf(c: ReturnType<typeof threatCoverages>[number]) {
  return {
    id: c.id,
    name: c.name,
    aliases: c.aliases,
    techniques: c.techniques.length,
    covered: c.techniques.filter((t) => t.total > 0).length,
    coverage: c.coverage,
    anyCoverage: c.anyCoverage,
    ...(c.mineCoverage === undefined ? {} : { mineCoverage: c.mineCoverage }),
  };
}
