// Cross-platform tools: equivalent rules, rules by indicator, the most used indicators, provider
// events by platform, and one platform against another. Each reads what the coverage views read.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { comparePlatforms, type CompareSection } from '../coverage/compare.js';
import { indicatorCoverage } from '../coverage/indicators.js';
import { platformsOf } from '../coverage/platforms.js';
import { providerCoverage, providerIndex } from '../coverage/providers.js';
import { explore } from '../explore/explore.js';
import { matchingRules } from '../export/export.js';
import type { Operator, Rule } from '../model/types.js';
import type { CatalogStore } from '../store/read.js';
import { parseCoverageParams } from '../web/coverage-params.js';
import { catalogIndicators, compareSides, coverageRules } from '../web/coverage-routes.js';
import {
  answer,
  ArgumentError,
  exploreQueryOf,
  filterParams,
  filterShape,
  filtersWithout,
  pagingShape,
  pageOf,
  readOnly,
  resolveRule,
  ruleRef,
  type RuleRef,
  ruleRefSchema,
  wants,
} from './common.js';

type Grouped = Record<string, { total: number; rules: { id: string; name: string; score?: number }[] }>;

/** Rules by platform, each platform's list cut to `limit` (its total kept). */
function byPlatform(rules: readonly (RuleRef & { score?: number })[], limit: number): Grouped {
  const out: Grouped = {};
  for (const r of rules) {
    const group = (out[r.platform] ??= { total: 0, rules: [] });
    group.total++;
    if (group.rules.length < limit) group.rules.push({ id: r.id, name: r.name, ...(r.score !== undefined ? { score: r.score } : {}) });
  }
  return out;
}

const groupedSchema = z.record(
  z.string(),
  z.object({ total: z.number(), rules: z.array(z.object({ id: z.string(), name: z.string(), score: z.number().optional() })) }),
);

/** The coverage view parameters of a tool's arguments (the same names /api/coverage/* reads). */
function coverageParamsOf(args: Parameters<typeof filterParams>[0], extra: Record<string, string | undefined> = {}) {
  const params = filterParams(args);
  for (const [k, v] of Object.entries(extra)) if (v) params.set(k, v);
  return parseCoverageParams(params);
}

const operators = [
  'eq',
  'in',
  'contains',
  'startswith',
  'endswith',
  'has',
  'has_any',
  'has_all',
  'hasprefix',
  'hassuffix',
  'wildcard',
  'regex',
  'exists',
  'gt',
  'gte',
  'lt',
  'lte',
  'range',
  'cidr',
  'fieldref',
  'other',
] as const satisfies readonly Operator[];

/** Items as `{key, a, b}`; a technique also by name (an event's or indicator's label only restates its key). */
const compareSectionOut = (s: CompareSection, named = false) => {
  const items = (list: CompareSection['onlyA']) => list.map((i) => ({ key: i.key, ...(named ? { label: i.label } : {}), a: i.a, b: i.b }));
  return { totals: s.totals, onlyA: items(s.onlyA), onlyB: items(s.onlyB), shared: items(s.shared) };
};

export function registerCrossTools(server: McpServer, catalog: () => CatalogStore): void {
  server.registerTool(
    'find_equivalents',
    {
      title: 'Find equivalent rules on other platforms',
      description:
        'Rules that detect the same thing as a rule, by platform: `sameAction` (rules filtering on the same provider event: API call, operation) and `similar` ' +
        '(rules sharing canonical indicators and techniques, with a score). Give `rule` (id, native id or path), or `provider` and `event` for every rule watching that event.',
      inputSchema: {
        rule: z.string().min(1).max(1000).optional().describe('rule id, native id or path'),
        provider: z.string().min(1).max(200).optional().describe('provider id (okta, aws-cloudtrail ...), with event'),
        event: z.string().min(1).max(300).optional().describe('event name as the provider writes it (user.session.impersonation.initiate)'),
        perPlatform: z.number().int().min(1).max(100).optional().describe('rules listed per platform (default 5)'),
      },
      outputSchema: {
        rule: ruleRefSchema.optional(),
        events: z.array(z.string()),
        sameAction: groupedSchema,
        similar: groupedSchema.optional(),
      },
      annotations: { title: 'Find equivalent rules', ...readOnly },
    },
    (args) => {
      const store = catalog();
      const limit = args.perPlatform ?? 5;
      if (args.rule) {
        const { rule } = resolveRule(store, args.rule);
        const similar = (rule.similar ?? []).map((s) => ({ ...ruleRef(s), score: Math.round(s.score * 1000) / 1000 }));
        const value = {
          rule: ruleRef(rule),
          events: rule.events.map((e) => `${e.provider}/${e.event}`),
          sameAction: byPlatform(rule.sameAction.map(ruleRef), limit),
          similar: byPlatform(similar, limit),
        };
        return answer(value, [...rule.sameAction.slice(0, limit * 4), ...similar.slice(0, limit)]);
      }
      if (!args.provider) throw new ArgumentError('rule', 'give a rule, or a provider and an event');
      if (!args.event) throw new ArgumentError('event', 'give the event of the provider as well');
      const key = `${args.provider}/${args.event}`;
      const rules = explore(store, exploreQueryOf({ event: key, pageSize: 1 }), { facets: false });
      if (!rules.total) throw new ArgumentError('event', `no rule watches ${key} (facet_values with facet=event lists the events)`);
      const all = matchingRules(store, exploreQueryOf({ event: key })).map(ruleRef);
      return answer({ events: [key], sameAction: byPlatform(all, limit) }, all.slice(0, limit * 4));
    },
  );

  server.registerTool(
    'find_rules_by_indicator',
    {
      title: 'Find rules by indicator',
      description:
        'Rules testing a field against a value (an indicator), as written (`Image`, `process.name`, `CommandLine`) or in the shared canonical vocabulary (`canonical: true`: process.name, file.path, registry.path ...). ' +
        'Each matching indicator with its rule count per platform and the first rules.',
      inputSchema: {
        field: z.string().min(1).max(200).describe('field name, any case'),
        value: z.string().max(1000).optional().describe('value to look for (without it: every value of the field)'),
        match: z.enum(['exact', 'contains']).optional().describe('how value compares (default exact, any case)'),
        op: z.enum(operators).optional().describe('operator (eq, contains, endswith, regex ...)'),
        negated: z.boolean().optional().describe('only exclusions (true) or only matches (false)'),
        canonical: z.boolean().optional().describe('use the canonical vocabulary'),
        ...filterShape,
        limit: z.number().int().min(1).max(200).optional().describe('indicators listed (default 10)'),
        rulesPerIndicator: z
          .number()
          .int()
          .min(0)
          .max(100)
          .optional()
          .describe('rules listed per indicator (default 5 with a value, 0 without)'),
      },
      outputSchema: {
        canonical: z.boolean(),
        indicators: z.number(),
        rules: z.number(),
        matches: z.array(
          z.object({
            field: z.string(),
            op: z.string(),
            value: z.string(),
            negated: z.boolean(),
            count: z.number(),
            byPlatform: z.record(z.string(), z.number()),
            rules: z.array(ruleRefSchema),
          }),
        ),
      },
      annotations: { title: 'Find rules by indicator', ...readOnly },
    },
    (args) => {
      const store = catalog();
      const index = catalogIndicators(store);
      const canonical = args.canonical ?? false;
      const d = canonical ? index.canonical : index.written;
      const field = args.field.toLowerCase();
      const value = args.value?.toLowerCase();
      const contains = args.match === 'contains';
      const wanted = new Map<number, number>();
      d.keys.forEach((k, code) => {
        if (k.field.toLowerCase() !== field) return;
        if (args.op && k.op !== args.op) return;
        if (args.negated !== undefined && k.negated !== args.negated) return;
        if (value !== undefined && !(contains ? k.value.toLowerCase().includes(value) : k.value.toLowerCase() === value)) return;
        wanted.set(code, wanted.size);
      });
      if (!wanted.size && !d.fields.some((f) => f.toLowerCase() === field))
        throw new ArgumentError('field', `no rule tests a field named "${args.field}"${canonical ? ' in the canonical vocabulary' : ''}`);
      const perIndicator = args.rulesPerIndicator ?? (args.value === undefined ? 0 : 5);
      const rows: { code: number; count: number; byPlatform: Record<string, number>; rules: RuleRef[] }[] = [...wanted.keys()].map(
        (code) => ({
          code,
          count: 0,
          byPlatform: {},
          rules: [],
        }),
      );
      const ruleSet = new Set<Rule>();
      // The rules a coverage view counts (Explore's defaults: newest copies, present upstream).
      for (const rule of matchingRules(store, exploreQueryOf(args))) {
        const i = index.position.get(rule);
        if (i === undefined) continue;
        for (let j = d.offsets[i]!; j < d.offsets[i + 1]!; j++) {
          const at = wanted.get(d.codes[j]!);
          if (at === undefined) continue;
          const row = rows[at]!;
          row.count++;
          row.byPlatform[rule.platform] = (row.byPlatform[rule.platform] ?? 0) + 1;
          if (row.rules.length < perIndicator) row.rules.push(ruleRef(rule));
          ruleSet.add(rule);
        }
      }
      const matches = rows
        .filter((r) => r.count > 0)
        .sort((a, b) => b.count - a.count || d.rank[a.code]! - d.rank[b.code]!)
        .slice(0, args.limit ?? 10)
        .map(({ code, ...row }) => ({ ...d.keys[code]!, ...row }));
      return answer(
        { canonical, indicators: rows.filter((r) => r.count > 0).length, rules: ruleSet.size, matches },
        matches.flatMap((m) => m.rules),
      );
    },
  );

  server.registerTool(
    'top_indicators',
    {
      title: 'Most used indicators',
      description:
        'The fields rules test most, each with its most used values, over the rules the filters match; as written or canonical. `field` picks one field (or those containing it). `include` adds counts per platform and the first rules.',
      inputSchema: {
        canonical: z.boolean().optional().describe('the canonical vocabulary (process.name ...) instead of fields as written'),
        field: z.string().max(200).optional().describe('one field (exact name, any case) or a part of field names'),
        ...filterShape,
        fields: z.number().int().min(1).max(200).optional().describe('fields listed (default 8)'),
        valuesPerField: z.number().int().min(1).max(200).optional().describe('values per field (default 3)'),
        include: z.array(z.enum(['platforms', 'rules', 'all'])).optional(),
      },
      outputSchema: {
        canonical: z.boolean(),
        rules: z.number(),
        rulesWithIndicators: z.number(),
        totalFields: z.number(),
        fields: z.array(
          z.object({
            field: z.string(),
            count: z.number(),
            distinct: z.number(),
            values: z.array(z.object({ op: z.string(), value: z.string(), count: z.number() }).passthrough()),
          }),
        ),
      },
      annotations: { title: 'Most used indicators', ...readOnly },
    },
    (args) => {
      const store = catalog();
      const p = coverageParamsOf(args, { field: args.field, view: args.canonical ? 'canonical' : undefined });
      const rulesWanted = wants(args.include, 'rules');
      const coverage = indicatorCoverage(
        coverageRules(store, p),
        {
          canonical: p.canonical,
          field: p.field,
          fieldLimit: args.fields ?? 8,
          valueLimit: args.valuesPerField ?? 3,
          ruleLimit: rulesWanted ? 5 : 0,
        },
        catalogIndicators(store),
      );
      const fields = coverage.fields.map((f) => ({
        field: f.field,
        count: f.count,
        distinct: f.distinct,
        values: f.indicators.map((i) => ({
          op: i.op,
          value: i.value,
          ...(i.negated ? { negated: true } : {}),
          count: i.count,
          ...(wants(args.include, 'platforms') ? { byPlatform: i.byPlatform } : {}),
          ...(rulesWanted ? { rules: i.rules } : {}),
        })),
      }));
      const { fields: _f, ...totals } = coverage;
      return answer(
        { ...totals, fields },
        coverage.fields.flatMap((f) => f.indicators.flatMap((i) => i.rules)),
      );
    },
  );

  server.registerTool(
    'provider_events',
    {
      title: 'Provider events by platform',
      description:
        'Without `provider`: the log providers rules watch (Okta, CloudTrail, Windows Security ...) with rule and event counts per platform. ' +
        'With `provider`: its events, the rules per platform watching each, and the platforms that miss it (`gapsOnly` keeps those). `compare` picks the platforms.',
      inputSchema: {
        provider: z.string().max(200).optional().describe('provider id (okta, aws-cloudtrail ...)'),
        compare: z.array(z.string().max(100)).max(20).optional().describe('platforms side by side (default: every platform of the rules)'),
        gapsOnly: z.boolean().optional().describe('only events some platform misses'),
        ...filtersWithout('provider'),
        ...pagingShape,
      },
      outputSchema: {
        rules: z.number(),
        platforms: z.array(z.string()),
        total: z.number(),
        page: z.number(),
        providers: z.array(z.object({ id: z.string(), name: z.string(), rules: z.number(), events: z.number() }).passthrough()).optional(),
        provider: z.object({ id: z.string(), name: z.string(), gaps: z.number(), byPlatform: z.record(z.string(), z.number()) }).optional(),
        events: z.array(z.object({ event: z.string(), count: z.number(), missing: z.array(z.string()) }).passthrough()).optional(),
      },
      annotations: { title: 'Provider events by platform', ...readOnly },
    },
    (args) => {
      const store = catalog();
      const p = coverageParamsOf(
        { ...args, provider: undefined },
        { compare: args.compare?.join(','), gaps: args.gapsOnly ? '1' : undefined },
      );
      const pageSize = args.pageSize ?? 10;
      if (!args.provider) {
        const rules = coverageRules(store, p);
        const list = pageOf(providerIndex(rules), args.page, pageSize);
        return answer({ rules: rules.length, platforms: platformsOf(rules), total: list.total, page: list.page, providers: list.items });
      }
      const rules = coverageRules(store, { ...p, compare: [] });
      if (!rules.some((r) => r.events.some((e) => e.provider === args.provider)))
        throw new ArgumentError(
          'provider',
          `no rule the filters match watches provider "${args.provider}" (provider_events without provider lists them)`,
        );
      const coverage = providerCoverage(rules, args.provider, p.compare);
      const events = p.gapsOnly ? coverage.events.filter((e) => e.missing.length) : coverage.events;
      const list = pageOf(events, args.page, pageSize);
      return answer({
        rules: coverage.rules,
        platforms: coverage.platforms,
        total: list.total,
        page: list.page,
        provider: { id: coverage.id, name: coverage.name, gaps: coverage.gaps, byPlatform: coverage.byPlatform },
        events: list.items,
      });
    },
  );

  server.registerTool(
    'compare_platforms',
    {
      title: 'Compare two platforms',
      description:
        'Platform a against platform b over the rules the filters match: the ATT&CK techniques, provider events and indicators (canonical where known) only one side covers, and those both do, with totals.',
      inputSchema: {
        a: z.string().min(1).max(100).describe('first platform id (sentinel, elastic, sigma ...)'),
        b: z.string().min(1).max(100).describe('second platform id'),
        ...filterShape,
        limit: z.number().int().min(1).max(1000).optional().describe('items per list (default 3)'),
      },
      outputSchema: {
        a: z.string(),
        b: z.string(),
        rulesA: z.number(),
        rulesB: z.number(),
        techniques: z.object({ totals: z.object({ onlyA: z.number(), onlyB: z.number(), shared: z.number() }) }).passthrough(),
        events: z.object({ totals: z.object({ onlyA: z.number(), onlyB: z.number(), shared: z.number() }) }).passthrough(),
        indicators: z.object({ totals: z.object({ onlyA: z.number(), onlyB: z.number(), shared: z.number() }) }).passthrough(),
      },
      annotations: { title: 'Compare two platforms', ...readOnly },
    },
    (args) => {
      const store = catalog();
      const sides = compareSides(store, coverageParamsOf(args, { a: args.a, b: args.b }));
      const known = platformsOf(sides.rules);
      for (const side of ['a', 'b'] as const)
        if (!known.includes(args[side]))
          throw new ArgumentError(side, `no rule the filters match is on platform "${args[side]}" (platforms: ${known.join(', ')})`);
      const c = comparePlatforms(sides.rules, sides.a, sides.b, args.limit ?? 3, catalogIndicators(store));
      return answer({
        a: c.a,
        b: c.b,
        rulesA: c.rulesA,
        rulesB: c.rulesB,
        techniques: compareSectionOut(c.techniques, true),
        events: compareSectionOut(c.events),
        indicators: compareSectionOut(c.indicators),
      });
    },
  );
}
