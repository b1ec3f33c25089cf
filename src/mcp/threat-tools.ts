// Threat-informed tools: ATT&CK groups, campaigns and software against the catalog's rules, the CVEs
// rules name, a threat report's mentions, and what stays visible with only some log providers collected. The same functions as the
// /actors, /campaigns, /software, /cves and /coverage/visibility views, over the rules the filters leave.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { AttackThreats, ThreatEntity, ThreatKind } from '../attack/threats.js';
import { catalogMatrix } from '../coverage/catalog-matrix.js';
import { cveCoverage, cveIndex, normaliseCve } from '../coverage/cves.js';
import { maxReportChars, threatReportCoverage } from '../coverage/threat-report.js';
import { compareThreats, type ThreatCoverage, threatCoverages } from '../coverage/threats.js';
import { visibility } from '../coverage/visibility.js';
import type { CatalogStore } from '../store/read.js';
import { parseCoverageParams } from '../web/coverage-params.js';
import { coverageRules } from '../web/coverage-routes.js';
import {
  answer,
  ArgumentError,
  filterParams,
  filtersWithout,
  pageOf,
  pagingShape,
  readOnly,
  type RuleRef,
  ruleRefSchema,
  wants,
} from './common.js';

const kinds = { actor: 'group', campaign: 'campaign', software: 'software' } as const satisfies Record<string, ThreatKind>;
const kindSchema = z
  .enum(['actor', 'campaign', 'software'])
  .optional()
  .describe('actor (an ATT&CK group, the default), campaign or software');

const emptyThreats: AttackThreats = { groups: [], campaigns: [], software: [], dataComponents: [] };

function entitiesOf(store: CatalogStore, kind: ThreatKind): ThreatEntity[] {
  const threats = store.attackThreats() ?? emptyThreats;
  return kind === 'group' ? threats.groups : kind === 'campaign' ? threats.campaigns : threats.software;
}

/** An entity by ATT&CK id, or by name or alias in any case (as /actors/<key> finds it). */
function findEntity(entities: readonly ThreatEntity[], key: string): ThreatEntity | undefined {
  const upper = key.trim().toUpperCase();
  const lower = key.trim().toLowerCase();
  return (
    entities.find((e) => e.id === upper) ??
    entities.find((e) => e.name.toLowerCase() === lower || e.aliases.some((a) => a.toLowerCase() === lower))
  );
}

/** Blind techniques log_visibility lists unless asked for every one (those with most rules). */
const blindShown = 10;

/** Gaps listed by threat_coverage unless asked for every technique. */
const gapsShown = 10;

/** One entity's coverage, compact: shares per platform and its first gaps; every technique on request. */
function coverageView(c: ThreatCoverage, include: readonly string[] | undefined) {
  const gaps = c.techniques.filter((t) => t.total === 0);
  return {
    id: c.id,
    name: c.name,
    kind: c.kind,
    aliases: c.aliases,
    techniques: c.techniques.length,
    covered: c.techniques.length - gaps.length,
    coverage: c.coverage,
    anyCoverage: c.anyCoverage,
    ...(c.mineCoverage === undefined ? {} : { mineCoverage: c.mineCoverage }),
    gaps: gaps.slice(0, gapsShown).map((t) => ({ id: t.id, name: t.name })),
    ...(wants(include, 'techniques')
      ? {
          techniqueRows: c.techniques.map((t) => ({
            id: t.id,
            name: t.name,
            tactics: t.tactics,
            rules: t.rules,
            total: t.total,
            mine: t.mine,
            ...(wants(include, 'procedures') ? { procedure: t.procedure } : {}),
          })),
        }
      : {}),
  };
}

const platformShares = z.record(z.string(), z.number());

export function registerThreatTools(server: McpServer, catalog: () => CatalogStore): void {
  server.registerTool(
    'list_threats',
    {
      title: 'ATT&CK groups, campaigns or software',
      description:
        'The ATT&CK groups (actors), campaigns or software of the catalog’s ATT&CK data, each with how many of its techniques the rules the filters leave cover. ' +
        '`name` finds them by name or alias. Then threat_coverage for one of them.',
      inputSchema: {
        kind: kindSchema,
        name: z.string().max(200).optional().describe('part of a name or alias (any case)'),
        sort: z
          .enum(['coverage', 'name', 'techniques'])
          .optional()
          .describe('coverage (lowest first: the biggest gaps), name (default) or techniques (most first)'),
        ...filtersWithout('technique'),
        ...pagingShape,
      },
      outputSchema: {
        total: z.number(),
        page: z.number(),
        items: z.array(
          z
            .object({ id: z.string(), name: z.string(), techniques: z.number(), covered: z.number(), anyCoverage: z.number() })
            .passthrough(),
        ),
      },
      annotations: { title: 'ATT&CK groups, campaigns or software', ...readOnly },
    },
    (args) => {
      const store = catalog();
      const kind = kinds[args.kind ?? 'actor'];
      const needle = args.name?.trim().toLowerCase();
      const chosen = entitiesOf(store, kind).filter(
        (e) => !needle || e.name.toLowerCase().includes(needle) || e.aliases.some((a) => a.toLowerCase().includes(needle)),
      );
      const p = parseCoverageParams(filterParams(args));
      const rows = threatCoverages(chosen, coverageRules(store, p), catalogMatrix(store), store.mine).map((c) => ({
        id: c.id,
        name: c.name,
        techniques: c.techniques.length,
        covered: c.techniques.filter((t) => t.total > 0).length,
        anyCoverage: c.anyCoverage,
      }));
      const sort = args.sort ?? 'name';
      rows.sort((a, b) =>
        sort === 'coverage'
          ? a.anyCoverage - b.anyCoverage || b.techniques - a.techniques
          : sort === 'techniques'
            ? b.techniques - a.techniques || a.name.localeCompare(b.name, 'en')
            : a.name.localeCompare(b.name, 'en'),
      );
      return answer(pageOf(rows, args.page, args.pageSize));
    },
  );

  server.registerTool(
    'threat_coverage',
    {
      title: 'Coverage of an actor, campaign or software',
      description:
        'How well the rules the filters leave cover the techniques an ATT&CK group (actor), campaign or software uses, as /api/actors/<id> counts them ' +
        '(the matrix’s own counts): the share per platform, for any rule and for your own rules, and the first gaps. `include: ["techniques"]` lists every technique ' +
        'with rules per platform (and `procedures`, how the actor used it). Several ids compare them: shared techniques and shared gaps.',
      inputSchema: {
        id: z
          .union([z.string().max(200), z.array(z.string().max(200)).min(1).max(8)])
          .describe('ATT&CK id (G0016), name or alias (APT29, Cozy Bear); a list of up to 8 compares them'),
        kind: kindSchema,
        ...filtersWithout('technique'),
        include: z.array(z.enum(['techniques', 'procedures', 'all'])).optional(),
      },
      outputSchema: {
        rules: z.number(),
        entities: z.array(
          z
            .object({
              id: z.string(),
              name: z.string(),
              techniques: z.number(),
              covered: z.number(),
              coverage: platformShares,
              anyCoverage: z.number(),
              gaps: z.array(z.object({ id: z.string(), name: z.string() })),
            })
            .passthrough(),
        ),
        comparison: z
          .object({
            shared: z.array(z.object({ id: z.string(), name: z.string(), total: z.number() }).passthrough()),
            sharedGaps: z.array(z.object({ id: z.string(), name: z.string(), usedBy: z.array(z.string()) }).passthrough()),
          })
          .optional(),
      },
      annotations: { title: 'Coverage of an actor, campaign or software', ...readOnly },
    },
    (args) => {
      const store = catalog();
      const kind = kinds[args.kind ?? 'actor'];
      const entities = entitiesOf(store, kind);
      const keys = typeof args.id === 'string' ? [args.id] : args.id;
      const chosen = keys.map((key) => {
        const entity = findEntity(entities, key);
        if (!entity)
          throw new ArgumentError('id', `no ${args.kind ?? 'actor'} "${key}" in the catalog's ATT&CK data (list_threats lists them)`);
        return entity;
      });
      const p = parseCoverageParams(filterParams(args));
      const rules = coverageRules(store, p);
      const coverages = threatCoverages([...new Set(chosen)], rules, catalogMatrix(store), store.mine);
      const comparison = coverages.length > 1 ? compareThreats(coverages) : undefined;
      return answer({
        rules: rules.length,
        entities: coverages.map((c) => coverageView(c, args.include)),
        ...(comparison && {
          comparison: {
            shared: comparison.shared.map(({ id, name, total }) => ({ id, name, total })),
            sharedGaps: comparison.sharedGaps.map(({ id, name, usedBy }) => ({ id, name, usedBy })),
          },
        }),
      });
    },
  );

  server.registerTool(
    'cve_coverage',
    {
      title: 'Rules naming a CVE',
      description:
        'With `cve`: the rules that name that CVE (tag, name, description, reference or query), per platform, and the techniques they cover, as /api/cves/<id>. ' +
        'Without: the CVEs the rules name, most rules first.',
      inputSchema: {
        cve: z.string().max(40).optional().describe('a CVE id (CVE-2021-44228)'),
        ...filtersWithout('cve'),
        ...pagingShape,
      },
      outputSchema: {
        total: z.number(),
        page: z.number().optional(),
        cves: z.array(z.object({ id: z.string(), rules: z.number(), byPlatform: z.record(z.string(), z.number()) })).optional(),
        cve: z.string().optional(),
        byPlatform: z.record(z.string(), z.number()).optional(),
        rules: z.array(ruleRefSchema.passthrough()).optional(),
        techniques: z.array(z.object({ id: z.string(), name: z.string(), rules: z.number() })).optional(),
      },
      annotations: { title: 'Rules naming a CVE', ...readOnly },
    },
    (args) => {
      const store = catalog();
      // `cve` is this tool's own argument, not the Explore filter of the same name.
      const rules = coverageRules(store, parseCoverageParams(filterParams({ ...args, cve: undefined })));
      if (args.cve === undefined) {
        const { total, page, items } = pageOf(cveIndex(rules), args.page, args.pageSize);
        return answer({ total, page, cves: items });
      }
      const id = normaliseCve(args.cve);
      if (!id) throw new ArgumentError('cve', `"${args.cve}" is not a CVE id (CVE-YYYY-NNNN)`);
      const c = cveCoverage(id, rules);
      const { total, page, items } = pageOf(c.ruleList, args.page, args.pageSize);
      const refs: RuleRef[] = items.map(({ id: ruleId, name, platform }) => ({ id: ruleId, name, platform }));
      return answer({ cve: id, total, page, byPlatform: c.byPlatform, rules: items, techniques: c.techniques.slice(0, 10) }, refs);
    },
  );

  server.registerTool(
    'log_visibility',
    {
      title: 'Visibility with some log providers',
      description:
        'With only the given log providers collected (okta, aws-cloudtrail, windows-security ...; provider_events lists them): how many rules can run ' +
        '(every provider they watch is collected), and which ATT&CK techniques stay visible, go blind (what to collect to see them) or are unsure, as /api/coverage/visibility.',
      inputSchema: {
        logs: z
          .array(z.string().max(100))
          .min(1)
          .max(50)
          .describe(
            'provider ids collected, and log sources: table:SigninLogs, index:logs-*, dataset:okta.system, sourcetype:aws:cloudtrail, logtype:Okta.SystemLog',
          ),
        ...filtersWithout(),
        include: z
          .array(z.enum(['runnable', 'visible', 'blind', 'all']))
          .optional()
          .describe(`also the runnable rules (a page), every visible technique, every blind one (else the ${blindShown} with most rules)`),
        ...pagingShape,
      },
      outputSchema: {
        logs: z.array(z.object({ id: z.string(), name: z.string() })),
        rules: z.number(),
        runnable: z.number(),
        blocked: z.number(),
        unknown: z.number(),
        visible: z.number(),
        blind: z.number(),
        blindTechniques: z.array(z.object({ id: z.string(), name: z.string(), rules: z.number(), missing: z.array(z.string()) })),
        unsure: z.number(),
        visibleTechniques: z.array(z.object({ id: z.string(), name: z.string(), rules: z.number(), runnable: z.number() })).optional(),
        runnableRules: z.object({ total: z.number(), page: z.number(), items: z.array(ruleRefSchema.passthrough()) }).optional(),
      },
      annotations: { title: 'Visibility with some log providers', ...readOnly },
    },
    (args) => {
      const store = catalog();
      const params = filterParams(args);
      params.set('logs', args.logs.join(','));
      const p = parseCoverageParams(params);
      const v = visibility(coverageRules(store, p), p.logs, catalogMatrix(store).names);
      const runnablePage = wants(args.include, 'runnable') ? pageOf(v.runnable, args.page, args.pageSize) : undefined;
      return answer(
        {
          logs: v.logs,
          rules: v.rules,
          runnable: v.runnable.length,
          blocked: v.blocked,
          unknown: v.unknown,
          visible: v.visible.length,
          blind: v.blind.length,
          blindTechniques: (wants(args.include, 'blind')
            ? v.blind
            : [...v.blind].sort((a, b) => b.rules - a.rules).slice(0, blindShown)
          ).map(({ id, name, rules, missing }) => ({ id, name, rules, missing })),
          unsure: v.unsure.length,
          ...(wants(args.include, 'visible') && {
            visibleTechniques: v.visible.map(({ id, name, rules, runnable }) => ({ id, name, rules, runnable })),
          }),
          ...(runnablePage && { runnableRules: runnablePage }),
        },
        runnablePage?.items ?? [],
      );
    },
  );

  server.registerTool(
    'threat_report_coverage',
    {
      title: 'Coverage of a threat report',
      description:
        'Paste a threat report’s text: the ATT&CK techniques, groups, campaigns, software and CVEs it mentions, each with the rules (the filters applied) covering it per platform, ' +
        'and the techniques it names that no rule covers. Ids inside words and names inside words are not mentions. Nothing is fetched: give the text, not a URL.',
      inputSchema: {
        text: z.string().max(maxReportChars).describe(`the report's text (up to ${maxReportChars} characters)`),
        ...filtersWithout('technique'),
      },
      outputSchema: {
        read: z.number(),
        truncated: z.boolean(),
        techniques: z.array(z.object({ id: z.string(), name: z.string(), total: z.number(), rules: z.record(z.string(), z.number()) })),
        entities: z.array(
          z
            .object({
              kind: z.string(),
              id: z.string(),
              name: z.string(),
              as: z.array(z.string()),
              techniques: z.number(),
              covered: z.number(),
              anyCoverage: z.number(),
            })
            .passthrough(),
        ),
        cves: z.array(z.object({ id: z.string(), rules: z.number(), byPlatform: z.record(z.string(), z.number()) })),
        gaps: z.array(z.string()),
        unknownTechniques: z.array(z.string()),
      },
      annotations: { title: 'Coverage of a threat report', ...readOnly },
    },
    (args) => {
      const store = catalog();
      const rules = coverageRules(store, parseCoverageParams(filterParams(args)));
      const threats = store.attackThreats() ?? emptyThreats;
      return answer({ ...threatReportCoverage(args.text, rules, catalogMatrix(store), threats, store.mine) });
    },
  );
}
