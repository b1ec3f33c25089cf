// Coverage tools: the ATT&CK matrix per technique or tactic, one technique in detail, a Navigator
// layer, and your rules against the public ones. The same functions as the /coverage views.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { type AttackMatrix, attackMatrix, type MatrixCell } from '../coverage/matrix.js';
import { navigatorLayer } from '../export/navigator.js';
import { mineReport } from '../mine/mine.js';
import type { CatalogStore } from '../store/read.js';
import { parseCoverageParams } from '../web/coverage-params.js';
import { catalogMatrix, catalogMatrixSpec as matrixSpec } from '../coverage/catalog-matrix.js';
import { coverageRules } from '../web/coverage-routes.js';
import {
  answer,
  ArgumentError,
  filterParams,
  filterShape,
  filtersWithout,
  pageOf,
  pagingShape,
  readOnly,
  ruleRef,
  ruleRefSchema,
  wants,
} from './common.js';

const techniqueId = z
  .string()
  .regex(/^T\d{4}(\.\d{3})?$/i, 'technique must be an ATT&CK technique id such as T1134 or T1134.003')
  .transform((t) => t.toUpperCase());

/** A technique's cells: one per tactic it sits under, the technique itself or one of its sub-techniques. */
function cellsOf(matrix: AttackMatrix, id: string): { tactic: string; tacticName: string; cell: MatrixCell }[] {
  const out: { tactic: string; tacticName: string; cell: MatrixCell }[] = [];
  for (const column of matrix.columns)
    for (const t of column.techniques) {
      const cell = t.id === id ? t : t.subtechniques.find((s) => s.id === id);
      if (cell) out.push({ tactic: column.id, tacticName: column.name, cell });
    }
  return out;
}

const cellView = (cell: MatrixCell, withSubs: boolean) => ({
  id: cell.id,
  name: cell.name,
  count: cell.count,
  own: cell.own,
  byPlatform: cell.byPlatform,
  ...(withSubs && cell.subtechniques.length
    ? { subtechniques: cell.subtechniques.filter((s) => s.count).map((s) => ({ id: s.id, count: s.count, byPlatform: s.byPlatform })) }
    : {}),
});

/** Rules listed by technique_detail unless asked: its counts say the rest. */
const techniqueRulesShown = 5;

function coverageParams(args: Parameters<typeof filterParams>[0], compare?: string[]) {
  const params = filterParams(args);
  if (compare?.length) params.set('compare', compare.join(','));
  return parseCoverageParams(params);
}

export function registerCoverageTools(server: McpServer, catalog: () => CatalogStore): void {
  server.registerTool(
    'attack_coverage',
    {
      title: 'ATT&CK coverage',
      description:
        'ATT&CK coverage of the rules the filters match, as on the matrix page: with `technique`, its rule counts per tactic and platform; ' +
        'otherwise per tactic, the techniques covered (`include: ["techniques"]` lists them). `compare` puts platforms side by side.',
      inputSchema: {
        technique: techniqueId.optional().describe('ATT&CK technique id (T1134, T1134.003)'),
        compare: z.array(z.string().max(100)).max(20).optional().describe('only these platforms, side by side'),
        ...filtersWithout('technique'),
        include: z.array(z.enum(['techniques', 'subtechniques', 'all'])).optional(),
        techniquesPerTactic: z
          .number()
          .int()
          .min(1)
          .max(1000)
          .optional()
          .describe('techniques listed per tactic with include techniques (default 10)'),
      },
      outputSchema: {
        rules: z.number(),
        platforms: z.array(z.string()),
        techniquesCovered: z.number(),
        unplaced: z.number().optional(),
        technique: z
          .object({
            id: z.string(),
            name: z.string(),
            byTactic: z.array(
              z
                .object({ tactic: z.string(), tacticName: z.string(), count: z.number(), byPlatform: z.record(z.string(), z.number()) })
                .passthrough(),
            ),
          })
          .optional(),
        tactics: z
          .array(z.object({ id: z.string(), name: z.string(), covered: z.number(), techniques: z.number() }).passthrough())
          .optional(),
      },
      annotations: { title: 'ATT&CK coverage', ...readOnly },
    },
    (args) => {
      const store = catalog();
      const p = coverageParams({ ...args, technique: undefined }, args.compare);
      const matrix = attackMatrix(coverageRules(store, p), matrixSpec(store), {}, catalogMatrix(store));
      const head = { rules: matrix.rules, platforms: matrix.platforms, techniquesCovered: matrix.techniquesCovered };
      if (args.technique) {
        const cells = cellsOf(matrix, args.technique);
        if (!cells.length) throw new ArgumentError('technique', `${args.technique} is not in the catalog's ATT&CK layout`);
        const technique = {
          id: args.technique,
          name: cells[0]!.cell.name,
          byTactic: cells.map((c) => ({ tactic: c.tactic, tacticName: c.tacticName, ...cellView(c.cell, true) })),
        };
        return answer({ ...head, technique });
      }
      const perTactic = args.techniquesPerTactic ?? 10;
      const tactics = matrix.columns.map((c) => ({
        id: c.id,
        name: c.name,
        covered: c.covered,
        techniques: c.techniques.length,
        ...(wants(args.include, 'techniques')
          ? {
              top: c.techniques
                .filter((t) => t.count)
                .sort((a, b) => b.count - a.count || (a.id < b.id ? -1 : 1))
                .slice(0, perTactic)
                .map((t) => cellView(t, wants(args.include, 'subtechniques'))),
            }
          : {}),
      }));
      return answer({ ...head, unplaced: matrix.unplaced, tactics });
    },
  );

  server.registerTool(
    'technique_detail',
    {
      title: 'One ATT&CK technique',
      description:
        'One ATT&CK technique: its name and tactics, its sub-techniques with rules, rule counts per platform, and a page of the rules naming it or one of its sub-techniques.',
      inputSchema: {
        technique: techniqueId.describe('ATT&CK technique id (T1134, T1134.003)'),
        ...filtersWithout('technique'),
        ...pagingShape,
        pageSize: pagingShape.pageSize.describe(`rules per page (default ${techniqueRulesShown})`),
      },
      outputSchema: {
        id: z.string(),
        name: z.string(),
        tactics: z.array(z.object({ id: z.string(), name: z.string() })),
        subtechniques: z.array(z.object({ id: z.string(), name: z.string(), count: z.number() })),
        count: z.number(),
        byPlatform: z.record(z.string(), z.number()),
        total: z.number(),
        page: z.number(),
        rules: z.array(ruleRefSchema),
      },
      annotations: { title: 'One ATT&CK technique', ...readOnly },
    },
    (args) => {
      const store = catalog();
      const spec = matrixSpec(store);
      const id = args.technique;
      const known = spec.techniques.find((t) => t.id === id);
      if (!known) throw new ArgumentError('technique', `${id} is not in the catalog's ATT&CK layout`);
      const subs = spec.techniques.filter((t) => t.id.startsWith(`${id}.`));
      const rules = coverageRules(store, coverageParams({ ...args, technique: [id, ...subs.map((s) => s.id)] }));
      const byPlatform: Record<string, number> = {};
      for (const r of rules) byPlatform[r.platform] = (byPlatform[r.platform] ?? 0) + 1;
      const subCount = (sub: string) => rules.filter((r) => r.attack.techniques.some((t) => t.id === sub)).length;
      const tacticNames = new Map(spec.tactics.map((t) => [t.id, t.name]));
      const page = pageOf(rules.map(ruleRef), args.page, args.pageSize ?? techniqueRulesShown);
      return answer(
        {
          id,
          name: known.name,
          tactics: known.tactics.map((t) => ({ id: t, name: tacticNames.get(t) ?? t })),
          subtechniques: subs.map((s) => ({ id: s.id, name: s.name, count: subCount(s.id) })).filter((s) => s.count),
          count: rules.length,
          byPlatform,
          total: page.total,
          page: page.page,
          rules: page.items,
        },
        page.items,
      );
    },
  );

  server.registerTool(
    'navigator_layer',
    {
      title: 'ATT&CK Navigator layer',
      description:
        'An ATT&CK Navigator 4.5 layer of the rules the filters match (each technique scored by its rule count). By default a summary and the best covered techniques; ' +
        '`include: ["layer"]` returns the whole layer JSON to load into the Navigator.',
      inputSchema: {
        ...filterShape,
        name: z.string().max(200).optional().describe('layer name'),
        include: z.array(z.enum(['layer'])).optional(),
      },
      outputSchema: {
        rules: z.number(),
        techniques: z.number(),
        maxScore: z.number(),
        top: z.array(z.object({ techniqueID: z.string(), tactic: z.string().optional(), score: z.number() })),
        layer: z.record(z.string(), z.unknown()).optional(),
      },
      annotations: { title: 'ATT&CK Navigator layer', ...readOnly },
    },
    (args) => {
      const store = catalog();
      const rules = coverageRules(store, coverageParams(args));
      const layer = navigatorLayer(rules, { name: args.name });
      const top = [...layer.techniques]
        .sort((a, b) => b.score - a.score || (a.techniqueID < b.techniqueID ? -1 : 1))
        .slice(0, 10)
        .map((t) => ({ techniqueID: t.techniqueID, ...(t.tactic ? { tactic: t.tactic } : {}), score: t.score }));
      return answer({
        rules: rules.length,
        techniques: layer.techniques.length,
        maxScore: layer.gradient.maxValue,
        top,
        ...(wants(args.include, 'layer') ? { layer } : {}),
      });
    },
  );

  server.registerTool(
    'my_coverage_gaps',
    {
      title: 'Your coverage gaps',
      description:
        'Your rules (sources built with --mine or `mine: true`) against the public ones: how many of yours have a public same-action rule, the provider events and ATT&CK techniques public rules cover and yours do not (most covered first). ' +
        '`include: ["rules"]` lists your rules with their public equivalents.',
      inputSchema: {
        ...pagingShape,
        include: z.array(z.enum(['rules'])).optional(),
      },
      outputSchema: {
        sources: z.array(z.string()),
        yourRules: z.number(),
        withPublicEquivalent: z.number(),
        eventGaps: z.object({
          total: z.number(),
          items: z.array(z.object({ provider: z.string(), event: z.string(), rules: z.number() })),
        }),
        techniqueGaps: z.object({
          total: z.number(),
          items: z.array(z.object({ id: z.string(), name: z.string(), tactic: z.string(), rules: z.number() })),
        }),
        rules: z.array(ruleRefSchema.extend({ publicSameAction: z.array(ruleRefSchema) })).optional(),
        note: z.string().optional(),
      },
      annotations: { title: 'Your coverage gaps', ...readOnly },
    },
    (args) => {
      const report = mineReport(catalog());
      const byRules = <T extends { rules: number }>(a: T, b: T) => b.rules - a.rules;
      const events = report.eventGaps
        .flatMap((p) => p.events.map((e) => ({ provider: p.provider, event: e.event, rules: e.rules })))
        .sort(byRules);
      // A technique under several tactics is one gap.
      const techniques = [
        ...new Map(
          report.techniqueGaps.flatMap((t) =>
            t.techniques.map((x) => [x.id, { id: x.id, name: x.name, tactic: t.tactic, rules: x.rules }] as const),
          ),
        ).values(),
      ].sort(byRules);
      const eventPage = pageOf(events, args.page, args.pageSize);
      const techniquePage = pageOf(techniques, args.page, args.pageSize);
      const rules = report.rules.map((r) => ({ ...ruleRef(r), publicSameAction: r.publicSameAction.map(ruleRef) }));
      return answer(
        {
          sources: report.sources,
          yourRules: report.rules.length,
          withPublicEquivalent: report.rules.filter((r) => r.publicSameAction.length).length,
          eventGaps: { total: eventPage.total, items: eventPage.items },
          techniqueGaps: { total: techniquePage.total, items: techniquePage.items },
          ...(wants(args.include, 'rules') ? { rules } : {}),
          ...(report.sources.length
            ? {}
            : { note: 'no source of this catalog is marked as yours: build with --mine SOURCE, or set mine: true in the sources config' }),
        },
        wants(args.include, 'rules') ? rules : [],
      );
    },
  );
}
