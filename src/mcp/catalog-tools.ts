// Catalog tools: search, one rule, its file, facet values, the build report, recent changes.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { explore, facetNames } from '../explore/explore.js';
import type { CatalogStore } from '../store/read.js';
import { changesBySync } from '../sync/changes.js';
import {
  answer,
  ArgumentError,
  exploreQueryOf,
  filterShape,
  pagingShape,
  readOnly,
  resolveRule,
  ruleRef,
  ruleRefSchema,
  sortSchema,
  wants,
} from './common.js';
import { eventText, ruleParts, ruleView } from './rule-view.js';

const searchParts = ['description', 'techniques', 'events', 'facets', 'all'] as const;

/** Values listed per facet when search_rules is asked for facets (facet_values lists more). */
const searchFacetLimit = 8;

/** Characters of a rule file per get_rule_source answer unless asked otherwise. */
const sourceChars = 2000;

export function registerCatalogTools(server: McpServer, catalog: () => CatalogStore): void {
  server.registerTool(
    'search_rules',
    {
      title: 'Search detection rules',
      description:
        'Full-text search over every rule, with the Explore filters (platform, language, severity, tactic, technique, provider, event, source, since). ' +
        'Returns a page of rule ids, names and platforms; `include` adds descriptions, techniques, events or facet counts. Use get_rule for one rule.',
      inputSchema: {
        ...filterShape,
        sort: sortSchema,
        ...pagingShape,
        include: z.array(z.enum(searchParts)).optional().describe('more per rule (description, techniques, events) or facet counts'),
      },
      outputSchema: {
        total: z.number(),
        page: z.number(),
        pageSize: z.number(),
        rules: z.array(
          ruleRefSchema.extend({
            severity: z.string(),
            description: z.string().optional(),
            techniques: z.array(z.string()).optional(),
            events: z.array(z.string()).optional(),
          }),
        ),
        facets: z.record(z.string(), z.array(z.object({ value: z.string(), count: z.number() }))).optional(),
      },
      annotations: { title: 'Search detection rules', ...readOnly },
    },
    (args) => {
      const store = catalog();
      const withFacets = wants(args.include, 'facets');
      const result = explore(store, exploreQueryOf(args), { facets: withFacets, facetLimit: searchFacetLimit });
      const rules = result.items.map((r) => ({
        ...ruleRef(r),
        severity: r.severity,
        ...(wants(args.include, 'description') ? { description: r.description.slice(0, 300) } : {}),
        ...(wants(args.include, 'techniques') ? { techniques: r.attack.techniques.map((t) => t.id) } : {}),
        ...(wants(args.include, 'events') ? { events: r.events.map(eventText) } : {}),
      }));
      return answer(
        { total: result.total, page: result.page, pageSize: result.pageSize, rules, ...(withFacets ? { facets: result.facets } : {}) },
        rules,
      );
    },
  );

  server.registerTool(
    'get_rule',
    {
      title: 'Get one rule',
      description:
        'One rule by id (platform:nativeId), native id or source-relative path: name, platform, techniques, events and counts. ' +
        '`include` adds query, stages, indicators (native and canonical), events, outputs, sameAction, similar, history, diagnostics, metadata, or all.',
      inputSchema: {
        rule: z.string().min(1).max(1000).describe('rule id, native id or path'),
        include: z.array(z.enum(ruleParts)).optional().describe('detailed parts to add'),
      },
      outputSchema: {
        rule: ruleRefSchema.extend({ nativeId: z.string(), language: z.string(), techniques: z.array(z.string()) }).passthrough(),
        otherCopies: z.array(z.string()),
      },
      annotations: { title: 'Get one rule', ...readOnly },
    },
    (args) => {
      const { rule, others } = resolveRule(catalog(), args.rule);
      const links = [rule, ...(wants(args.include, 'sameAction') ? rule.sameAction : [])];
      return answer({ rule: ruleView(rule, args.include), otherCopies: others.map((r) => r.id) }, links);
    },
  );

  server.registerTool(
    'get_rule_source',
    {
      title: 'Get a rule file',
      description: 'The text of the file a rule came from (YAML, TOML, markdown ...), in pieces of `maxChars` from `offset`.',
      inputSchema: {
        rule: z.string().min(1).max(1000).describe('rule id, native id or path'),
        offset: z.number().int().min(0).optional().describe('character to start at (nextOffset of the previous answer)'),
        maxChars: z.number().int().min(100).max(100000).optional().describe(`characters to return (default ${sourceChars})`),
      },
      outputSchema: {
        id: z.string(),
        path: z.string(),
        totalChars: z.number(),
        offset: z.number(),
        text: z.string(),
        nextOffset: z.number().optional(),
      },
      annotations: { title: 'Get a rule file', ...readOnly },
    },
    (args) => {
      const store = catalog();
      const { rule } = resolveRule(store, args.rule);
      const body = store.bodyOf(rule);
      const offset = args.offset ?? 0;
      if (offset > body.length) throw new ArgumentError('offset', `the file has ${body.length} characters`);
      const end = Math.min(body.length, offset + (args.maxChars ?? sourceChars));
      return answer(
        {
          id: rule.id,
          path: `${rule.sourceName}/${rule.path}`,
          totalChars: body.length,
          offset,
          text: body.slice(offset, end),
          ...(end < body.length ? { nextOffset: end } : {}),
        },
        [rule],
      );
    },
  );

  server.registerTool(
    'facet_values',
    {
      title: 'Values of a facet',
      description:
        'The values of one Explore facet (platform, language, severity, tactic, technique, provider, event, source) over the rules the filters match, most rules first; `contains` narrows them.',
      inputSchema: {
        facet: z.enum(facetNames).describe('the facet'),
        contains: z.string().max(200).optional().describe('keep values containing this text (any case)'),
        ...filterShape,
        limit: z.number().int().min(1).max(1000).optional().describe('values to return (default 20)'),
      },
      outputSchema: {
        facet: z.string(),
        rules: z.number(),
        distinct: z.number(),
        values: z.array(z.object({ value: z.string(), count: z.number() })),
      },
      annotations: { title: 'Values of a facet', ...readOnly },
    },
    (args) => {
      const contains = args.contains?.toLowerCase();
      const limit = args.limit ?? 20;
      const result = explore(catalog(), exploreQueryOf({ ...args, pageSize: 1 }), { facetLimit: contains ? undefined : limit });
      const all = result.facets[args.facet];
      const values = contains ? all.filter((v) => v.value.toLowerCase().includes(contains)) : all;
      return answer({
        facet: args.facet,
        rules: result.total,
        distinct: contains ? values.length : result.facetTotals[args.facet],
        values: values.slice(0, limit),
      });
    },
  );

  server.registerTool(
    'catalog_report',
    {
      title: 'Catalog report',
      description:
        'What the catalog holds: when it was built, rules per platform and language, how many queries parsed. `include` adds the files in error, unparsed queries and skipped files.',
      inputSchema: {
        include: z.array(z.enum(['errors', 'failures', 'skipped', 'all'])).optional(),
        limit: z.number().int().min(1).max(1000).optional().describe('entries per included list (default 20)'),
      },
      outputSchema: {
        builtAt: z.string(),
        rules: z.number(),
        files: z.number(),
        platforms: z.record(z.string(), z.number()),
        languages: z.record(z.string(), z.object({ rules: z.number(), parsed: z.number(), failed: z.number() })),
        counts: z.object({ errors: z.number(), failures: z.number(), skipped: z.number(), duplicates: z.number() }),
        lastSync: z.object({ sync: z.number(), at: z.string() }).optional(),
        errors: z.array(z.object({ path: z.string(), reason: z.string() }).passthrough()).optional(),
        failures: z.array(z.object({ id: z.string(), path: z.string(), reason: z.string() }).passthrough()).optional(),
        skipped: z.array(z.object({ path: z.string(), reason: z.string() })).optional(),
      },
      annotations: { title: 'Catalog report', ...readOnly },
    },
    (args) => {
      const report = catalog().report;
      const limit = args.limit ?? 20;
      const list = <T>(part: 'errors' | 'failures' | 'skipped', items: T[] | undefined) =>
        wants(args.include, part) ? { [part]: (items ?? []).slice(0, limit) } : {};
      return answer({
        builtAt: report.builtAt ?? '',
        rules: report.rules ?? 0,
        files: report.files ?? 0,
        platforms: Object.fromEntries(Object.entries(report.platforms ?? {}).map(([id, p]) => [id, p.rules])),
        languages: Object.fromEntries(
          Object.entries(report.languages ?? {}).map(([id, l]) => [id, { rules: l.rules, parsed: l.parsed, failed: l.failed }]),
        ),
        counts: {
          errors: report.errors?.length ?? 0,
          failures: report.failures?.length ?? 0,
          skipped: report.skipped?.length ?? 0,
          duplicates: report.duplicates ?? 0,
        },
        ...(report.sync ? { lastSync: { sync: report.sync.sync, at: report.sync.at } } : {}),
        ...list('errors', report.errors),
        ...list('failures', report.failures),
        ...list('skipped', report.skipped),
      });
    },
  );

  server.registerTool(
    'recent_changes',
    {
      title: 'Recent rule changes',
      description: 'Rules added, changed and removed by the latest syncs of the catalog, newest sync first.',
      inputSchema: {
        syncs: z.number().int().min(1).max(100).optional().describe('syncs to list (default 3)'),
        rulesPerSync: z.number().int().min(0).max(1000).optional().describe('rules listed per sync (default 5)'),
      },
      outputSchema: {
        syncs: z.array(
          z.object({
            sync: z.number(),
            counts: z.object({ added: z.number(), changed: z.number(), removed: z.number() }),
            changes: z.array(ruleRefSchema.extend({ change: z.string(), date: z.string() })),
            truncated: z.boolean(),
          }),
        ),
      },
      annotations: { title: 'Recent rule changes', ...readOnly },
    },
    (args) => {
      const perSync = args.rulesPerSync ?? 5;
      const syncs = changesBySync(catalog().rules, Math.max(1, perSync))
        .slice(0, args.syncs ?? 3)
        .map((s) => ({
          sync: s.sync,
          counts: s.counts,
          changes: s.changes.slice(0, perSync).map((c) => ({ ...ruleRef(c), change: c.change, date: c.date })),
          truncated: s.truncated || s.changes.length > perSync,
        }));
      return answer(
        { syncs },
        syncs.flatMap((s) => s.changes),
      );
    },
  );
}
