// Every MCP tool, resource and prompt through the SDK's own client (an in-memory transport pair),
// each answer checked against what the JSON API (or the command behind it) answers for the same
// question on the mini-corpus catalog.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { captureOutput } from '../cli/capture-output.js';
import { analyzeCommand } from '../cli/commands/analyze.js';
import type { Rule } from '../model/types.js';
import { CatalogStore } from '../store/read.js';
import { createPythonRunner } from '../languages/python/runtime/runner.js';
import { ServerPythonTests } from '../web/python-tests.js';
import type { RunningServer } from '../web/server.js';
import { buildMiniCatalog } from './test-catalog.js';
import { connectMcpClient, type McpTestClient } from './test-client.js';

const mini = (path: string) => fileURLToPath(new URL(`../../test/mini-corpus/${path}`, import.meta.url));

const elasticOkta = 'elastic:3f7c2d80-9e63-4a2c-9d31-000000000002';

let store: CatalogStore;
let mcp: McpTestClient;
let web: RunningServer;
let client: Client;
let cleanup: () => void;
let python: ServerPythonTests;

before(async () => {
  const built = await buildMiniCatalog();
  cleanup = built.cleanup;
  store = CatalogStore.open(built.db);
  // test_rule runs a Panther Python rule's tests on a runner, as the web API does.
  python = new ServerPythonTests(
    () => store,
    () => createPythonRunner(),
  );
  mcp = await connectMcpClient(store, python);
  ({ web, client } = mcp);
});

after(async () => {
  await mcp.close();
  await python.close();
  store.close();
  cleanup();
});

type Json = Record<string, unknown>;

const result = (name: string, args: Json) => mcp.result(name, args);
const call = <T>(name: string, args: Json = {}) => mcp.call<T>(name, args);
const failure = (name: string, args: Json) => mcp.failure(name, args);
const api = <T>(path: string) => mcp.api<T>(path);

const ids = (list: { id: string }[]) => list.map((r) => r.id);
const sorted = (list: string[]) => [...list].sort();

interface RuleList {
  total: number;
  items: { id: string; name: string; platform: string; severity: string }[];
  facets: Record<string, { value: string; count: number }[]>;
}

const toolNames = [
  'search_rules',
  'get_rule',
  'get_rule_source',
  'facet_values',
  'catalog_report',
  'recent_changes',
  'find_equivalents',
  'find_rules_by_indicator',
  'top_indicators',
  'provider_events',
  'compare_platforms',
  'attack_coverage',
  'technique_detail',
  'navigator_layer',
  'my_coverage_gaps',
  'analyze_query',
  'analyze_rule_text',
  'list_threats',
  'threat_coverage',
  'cve_coverage',
  'log_visibility',
  'threat_report_coverage',
  'fire_event',
  'test_rule',
];

test('every tool is listed with a title, read-only annotations and an output schema', async () => {
  const { tools } = await client.listTools();
  assert.deepEqual(sorted(tools.map((t) => t.name)), sorted(toolNames));
  for (const tool of tools) {
    assert.match(tool.name, /^[a-z]+(_[a-z]+)*$/, tool.name);
    assert.ok(tool.title, `${tool.name}: title`);
    assert.ok(tool.description && tool.description.length > 40, `${tool.name}: description`);
    assert.equal(tool.annotations?.readOnlyHint, true, `${tool.name}: readOnlyHint`);
    assert.equal(tool.annotations?.idempotentHint, true, `${tool.name}: idempotentHint`);
    assert.equal(tool.annotations?.openWorldHint, false, `${tool.name}: openWorldHint`);
    assert.equal(tool.outputSchema?.type, 'object', `${tool.name}: outputSchema`);
  }
  assert.match(client.getInstructions() ?? '', new RegExp(`catalog of ${store.rules.length} security detection rules`));
});

test('search_rules pages and filters as /api/rules does, with resource links to the rules', async () => {
  const cases: [Json, string][] = [
    [{ query: 'okta' }, 'q=okta&size=10'],
    [{ platform: 'sigma', pageSize: 2, page: 2 }, 'platform=sigma&size=2&page=2'],
    [{ technique: ['T1105', 'T1140'], sort: 'name' }, 'technique=T1105&technique=T1140&sort=name&size=10'],
    [{ source: 'markdown', include: ['facets'] }, 'source=markdown&size=10&facetLimit=8'],
  ];
  for (const [args, query] of cases) {
    const expected = await api<RuleList>(`/api/rules?${query}`);
    const r = await result('search_rules', args);
    const got = r.structuredContent as unknown as RuleList & { rules: RuleList['items'] };
    assert.equal(got.total, expected.total, query);
    assert.ok(expected.items.length > 0, `${query}: the case should match something`);
    assert.deepEqual(
      got.rules,
      expected.items.map(({ id, name, platform, severity }) => ({ id, name, platform, severity })),
      query,
    );
    if (args.include) assert.deepEqual(got.facets, expected.facets, query);
    const links = r.content.filter((c) => c.type === 'resource_link').map((c) => (c as { uri: string }).uri);
    assert.deepEqual(
      links,
      expected.items.map((i) => `ruleatlas://rules/${encodeURIComponent(i.id)}`),
    );
  }
});

interface RuleView {
  rule: {
    id: string;
    name: string;
    platform: string;
    nativeId: string;
    techniques: string[];
    events: string[];
    counts: Record<string, number>;
    indicators: { field: string; op: string; value: string; role?: string; canonical?: string }[];
    stages: { kind: string }[];
    outputs: string[];
    sameAction: { id: string }[];
    similar: { id: string; score: number }[];
    query: string;
  };
  otherCopies: string[];
}

test('get_rule gives, for every rule, what /api/rules/<id> holds; by id, native id or path', async () => {
  for (const { id } of store.rules) {
    const expected = await api<Rule>(`/api/rules/${encodeURIComponent(id)}`);
    const compact = await call<RuleView>('get_rule', { rule: id });
    assert.deepEqual(Object.keys(compact.rule).includes('indicators'), false, 'compact by default');
    assert.equal(compact.rule.counts.indicators, expected.indicators.length);
    const { rule } = await call<RuleView>('get_rule', { rule: id, include: ['all'] });
    assert.equal(rule.name, expected.name);
    assert.equal(rule.platform, expected.platform);
    assert.equal(rule.nativeId, expected.nativeId);
    assert.equal(rule.query, expected.query);
    assert.deepEqual(
      rule.techniques,
      expected.attack.techniques.map((t) => t.id),
    );
    assert.deepEqual(
      rule.events,
      expected.events.map((e) => `${e.provider}/${e.event}`),
    );
    assert.deepEqual(
      rule.indicators.map((i) => [i.field, i.op, i.value, i.role]),
      expected.indicators.map((i) => [i.field, i.op, i.value, i.role]),
    );
    assert.deepEqual(
      rule.stages.map((s) => s.kind),
      expected.stages.map((s) => s.kind),
    );
    assert.deepEqual(
      rule.outputs,
      expected.outputFields.map((o) => o.field),
    );
    assert.deepEqual(ids(rule.sameAction), ids(expected.sameAction));
    assert.deepEqual(ids(rule.similar), ids(expected.similar ?? []));
  }
  const byNative = await call<RuleView>('get_rule', { rule: '3f7c2d80-9e63-4a2c-9d31-000000000002' });
  const byPath = await call<RuleView>('get_rule', { rule: 'elastic/okta_impersonation.toml' });
  assert.equal(byNative.rule.id, elasticOkta);
  assert.equal(byPath.rule.id, elasticOkta);
});

test('get_rule_source gives the rule file, in pieces that join up', async () => {
  const file = readFileSync(mini('elastic/okta_impersonation.toml'), 'utf8');
  const whole = await call<{ text: string; totalChars: number; nextOffset?: number }>('get_rule_source', {
    rule: elasticOkta,
    maxChars: 100000,
  });
  assert.equal(whole.text, file);
  assert.equal(whole.nextOffset, undefined);
  let text = '';
  let offset: number | undefined = 0;
  while (offset !== undefined) {
    const piece: { text: string; nextOffset?: number } = await call('get_rule_source', { rule: elasticOkta, offset, maxChars: 100 });
    text += piece.text;
    offset = piece.nextOffset;
  }
  assert.equal(text, file);
});

test('facet_values counts as the facets of /api/rules do', async () => {
  for (const [args, query] of [
    [{ facet: 'event' }, 'facetLimit=1000'],
    [{ facet: 'platform', source: 'markdown' }, 'source=markdown&facetLimit=1000'],
    [{ facet: 'technique', platform: ['sigma', 'elastic'] }, 'platform=sigma&platform=elastic&facetLimit=1000'],
  ] as const) {
    const expected = await api<RuleList>(`/api/rules?${query}`);
    const got = await call<{ rules: number; values: { value: string; count: number }[] }>('facet_values', args);
    assert.equal(got.rules, expected.total);
    assert.deepEqual(got.values, expected.facets[args.facet]);
  }
  const narrowed = await call<{ values: { value: string }[] }>('facet_values', { facet: 'event', contains: 'IMPERSONATION' });
  assert.deepEqual(
    narrowed.values.map((v) => v.value),
    ['okta/user.session.impersonation.initiate'],
  );
});

test('catalog_report and recent_changes say what /api/report and /api/changes say', async () => {
  const report = await api<{ rules: number; files: number; platforms: Record<string, { rules: number }> }>('/api/report');
  const got = await call<{ rules: number; files: number; platforms: Record<string, number> }>('catalog_report');
  assert.equal(got.rules, report.rules);
  assert.equal(got.files, report.files);
  assert.deepEqual(got.platforms, Object.fromEntries(Object.entries(report.platforms).map(([p, v]) => [p, v.rules])));
  const changes = await api<{ syncs: { sync: number; counts: Json; changes: { id: string }[] }[] }>('/api/changes?limit=3');
  const recent = await call<{ syncs: { sync: number; counts: Json; changes: { id: string }[]; truncated: boolean }[] }>('recent_changes', {
    rulesPerSync: 3,
  });
  assert.deepEqual(
    recent.syncs.map((s) => [s.sync, s.counts, ids(s.changes)]),
    changes.syncs.map((s) => [s.sync, s.counts, ids(s.changes)]),
  );
  assert.equal(recent.syncs[0]?.truncated, true);
});

type Grouped = Record<string, { total: number; rules: { id: string }[] }>;
const groupedIds = (g: Grouped) => sorted(Object.values(g).flatMap((p) => ids(p.rules)));

test('find_equivalents lists a rule’s same-action and similar rules by platform, or every rule watching an event', async () => {
  for (const { id } of store.rules) {
    const expected = await api<Rule>(`/api/rules/${encodeURIComponent(id)}`);
    const got = await call<{ sameAction: Grouped; similar: Grouped }>('find_equivalents', { rule: id, perPlatform: 100 });
    assert.deepEqual(groupedIds(got.sameAction), sorted(ids(expected.sameAction)), id);
    assert.deepEqual(groupedIds(got.similar), sorted(ids(expected.similar ?? [])), id);
    for (const [platform, group] of Object.entries(got.sameAction))
      assert.ok(group.rules.every((r) => store.byId.get(r.id)?.platform === platform));
  }
  const okta = await call<{ sameAction: Grouped }>('find_equivalents', { rule: elasticOkta });
  assert.deepEqual(Object.keys(okta.sameAction).sort(), ['panther', 'sigma']);
  const event = 'okta/user.session.impersonation.initiate';
  const watching = await api<RuleList>(`/api/rules?event=${encodeURIComponent(event)}&size=100`);
  const byEvent = await call<{ sameAction: Grouped }>('find_equivalents', {
    provider: 'okta',
    event: 'user.session.impersonation.initiate',
  });
  assert.deepEqual(groupedIds(byEvent.sameAction), sorted(ids(watching.items)));
  assert.match(await failure('find_equivalents', {}), /^rule: /);
});

interface IndicatorApi {
  fields: {
    field: string;
    count: number;
    distinct: number;
    indicators: { op: string; value: string; negated: boolean; count: number; byPlatform: Record<string, number> }[];
  }[];
}

test('find_rules_by_indicator counts rules per indicator as /api/coverage/indicators does', async () => {
  for (const [args, view] of [
    [{ field: 'process.name', canonical: true }, '&view=canonical'],
    [{ field: 'EventID' }, ''],
  ] as const) {
    const expected = await api<IndicatorApi>(`/api/coverage/indicators?field=${args.field}${view}`);
    const field = expected.fields.find((f) => f.field.toLowerCase() === args.field.toLowerCase());
    assert.ok(field, `${args.field} is in the fixture`);
    for (const ind of field.indicators) {
      const got = await call<{ matches: { op: string; value: string; count: number; byPlatform: Json; rules: { id: string }[] }[] }>(
        'find_rules_by_indicator',
        { ...args, value: ind.value.toUpperCase(), op: ind.op, negated: ind.negated },
      );
      assert.equal(got.matches.length, 1, `${args.field} ${ind.op} ${ind.value}`);
      assert.equal(got.matches[0]!.count, ind.count);
      assert.deepEqual(got.matches[0]!.byPlatform, ind.byPlatform);
    }
    const all = await call<{ indicators: number }>('find_rules_by_indicator', { field: args.field, canonical: args.canonical });
    assert.equal(all.indicators, field.distinct);
  }
  assert.match(await failure('find_rules_by_indicator', { field: 'no.such.field' }), /^field: /);
});

test('top_indicators lists the fields and values /api/coverage/indicators lists first', async () => {
  for (const [args, query] of [
    [{}, ''],
    [{ canonical: true, platform: 'sigma' }, 'view=canonical&platform=sigma'],
  ] as const) {
    const expected = await api<IndicatorApi & { rules: number }>(`/api/coverage/indicators?${query}`);
    const got = await call<{ rules: number; fields: { field: string; count: number; values: { value: string; count: number }[] }[] }>(
      'top_indicators',
      args,
    );
    assert.equal(got.rules, expected.rules);
    assert.deepEqual(
      got.fields.map((f) => [f.field, f.count, f.values.map((v) => [v.value, v.count])]),
      expected.fields.slice(0, 8).map((f) => [f.field, f.count, f.indicators.slice(0, 3).map((v) => [v.value, v.count])]),
    );
  }
});

test('provider_events gives the providers and a provider’s events as /api/coverage/providers does', async () => {
  const index = await api<{ rules: number; providers: { id: string; rules: number; events: number }[] }>('/api/coverage/providers');
  const got = await call<{ rules: number; providers: { id: string; rules: number; events: number }[] }>('provider_events');
  assert.equal(got.rules, index.rules);
  assert.deepEqual(
    got.providers.map((p) => [p.id, p.rules, p.events]),
    index.providers.map((p) => [p.id, p.rules, p.events]),
  );
  const okta = await api<{ events: { event: string; count: number; missing: string[] }[] }>(
    '/api/coverage/providers/okta?compare=sigma,sentinel',
  );
  const events = await call<{ events: { event: string; count: number; missing: string[] }[] }>('provider_events', {
    provider: 'okta',
    compare: ['sigma', 'sentinel'],
    gapsOnly: true,
  });
  assert.deepEqual(
    events.events.map((e) => [e.event, e.count, e.missing]),
    okta.events.filter((e) => e.missing.length).map((e) => [e.event, e.count, e.missing]),
  );
  assert.ok(events.events.length > 0);
  assert.match(await failure('provider_events', { provider: 'nobody' }), /^provider: /);
});

test('compare_platforms gives the totals and lists of /api/coverage/compare', async () => {
  type Section = { totals: Json; onlyA: { key: string }[]; onlyB: { key: string }[]; shared: { key: string }[] };
  const expected = await api<Record<'techniques' | 'events' | 'indicators', Section>>('/api/coverage/compare?a=sigma&b=elastic');
  const got = await call<Record<'techniques' | 'events' | 'indicators', Section>>('compare_platforms', { a: 'sigma', b: 'elastic' });
  for (const section of ['techniques', 'events', 'indicators'] as const) {
    assert.deepEqual(got[section].totals, expected[section].totals, section);
    for (const list of ['onlyA', 'onlyB', 'shared'] as const)
      assert.deepEqual(
        ids(got[section][list].map((i) => ({ id: i.key }))),
        ids(expected[section][list].slice(0, 3).map((i) => ({ id: i.key }))),
      );
  }
  assert.match(await failure('compare_platforms', { a: 'sigma', b: 'nope' }), /^b: /);
});

interface MatrixApi {
  rules: number;
  techniquesCovered: number;
  columns: {
    id: string;
    covered: number;
    techniques: { id: string; count: number; byPlatform: Json; subtechniques: { id: string; count: number; byPlatform: Json }[] }[];
  }[];
}

test('attack_coverage agrees with the matrix of /api/coverage/matrix', async () => {
  for (const [args, query] of [
    [{}, ''],
    [{ compare: ['sigma', 'elastic'] }, 'compare=sigma,elastic'],
  ] as const) {
    const matrix = await api<MatrixApi>(`/api/coverage/matrix?${query}`);
    const summary = await call<{ rules: number; techniquesCovered: number; tactics: { id: string; covered: number }[] }>(
      'attack_coverage',
      args,
    );
    assert.equal(summary.rules, matrix.rules);
    assert.equal(summary.techniquesCovered, matrix.techniquesCovered);
    assert.deepEqual(
      summary.tactics.map((t) => [t.id, t.covered]),
      matrix.columns.map((c) => [c.id, c.covered]),
    );
    for (const technique of ['T1134', 'T1134.003', 'T1105']) {
      const cells = matrix.columns.flatMap((c) =>
        c.techniques
          .flatMap((t) => [t, ...t.subtechniques])
          .flatMap((t) => (t.id === technique ? [{ tactic: c.id, count: t.count, byPlatform: t.byPlatform }] : [])),
      );
      const got = await call<{ technique: { byTactic: { tactic: string; count: number; byPlatform: Json }[] } }>('attack_coverage', {
        ...args,
        technique,
      });
      assert.ok(cells.length > 0, technique);
      assert.deepEqual(
        got.technique.byTactic.map((c) => ({ tactic: c.tactic, count: c.count, byPlatform: c.byPlatform })),
        cells,
      );
    }
  }
  assert.match(await failure('attack_coverage', { technique: 'X1' }), /technique/);
});

test('technique_detail lists the rules of a technique and its sub-techniques, as /api/rules filters them', async () => {
  const expected = await api<RuleList>('/api/rules?technique=T1134&technique=T1134.003&size=100&sort=name');
  const got = await call<{
    count: number;
    byPlatform: Record<string, number>;
    rules: { id: string }[];
    subtechniques: { id: string; count: number }[];
  }>('technique_detail', { technique: 't1134', pageSize: 100 });
  assert.equal(got.count, expected.total);
  assert.deepEqual(sorted(ids(got.rules)), sorted(ids(expected.items)));
  assert.deepEqual(
    got.subtechniques.map((s) => [s.id, s.count]),
    [['T1134.003', 1]],
  );
  assert.match(await failure('technique_detail', { technique: 'T9999' }), /^technique: /);
});

test('navigator_layer summarises, and on request gives, the layer /api/export?format=navigator gives', async () => {
  const res = await fetch(new URL('/api/export?format=navigator&platform=sigma', web.url));
  // The server's links are absolute (on the request's host), the tool's relative.
  const layer = JSON.parse((await res.text()).replaceAll(`${web.url}rules/`, '/rules/')) as {
    techniques: { techniqueID: string; score: number }[];
  };
  const got = await call<{ rules: number; techniques: number; top: { techniqueID: string; score: number }[]; layer?: typeof layer }>(
    'navigator_layer',
    {
      platform: 'sigma',
    },
  );
  assert.equal(got.techniques, layer.techniques.length);
  assert.equal(got.layer, undefined);
  assert.deepEqual(
    sorted(got.top.map((t) => `${t.techniqueID}:${t.score}`)),
    sorted(layer.techniques.map((t) => `${t.techniqueID}:${t.score}`)),
  );
  const whole = await call<{ layer: typeof layer }>('navigator_layer', { platform: 'sigma', include: ['layer'] });
  assert.deepEqual(whole.layer.techniques, layer.techniques);
});

test('my_coverage_gaps says what /api/mine says', async () => {
  const mine = await api<{
    sources: string[];
    rules: { id: string; publicSameAction: unknown[] }[];
    eventGaps: { events: unknown[] }[];
  }>('/api/mine');
  const got = await call<{
    sources: string[];
    yourRules: number;
    withPublicEquivalent: number;
    eventGaps: { total: number };
    rules: { id: string }[];
  }>('my_coverage_gaps', { include: ['rules'] });
  assert.deepEqual(got.sources, ['sigma']);
  assert.deepEqual(got.sources, mine.sources);
  assert.equal(got.yourRules, mine.rules.length);
  assert.equal(got.withPublicEquivalent, mine.rules.filter((r) => r.publicSameAction.length).length);
  assert.equal(
    got.eventGaps.total,
    mine.eventGaps.reduce((n, p) => n + p.events.length, 0),
  );
  assert.deepEqual(ids(got.rules), ids(mine.rules));
});

/** What `ruleatlas analyze FILE --json` prints for a mini-corpus file. */
async function analyzed(path: string): Promise<Rule[]> {
  const io = captureOutput();
  assert.equal(await analyzeCommand.run([mini(path), '--json'], io), 0, io.stderr);
  return JSON.parse(io.stdout) as Rule[];
}

interface Analysis {
  parsed: boolean;
  events: string[];
  stages: { kind: string; text: string }[];
  indicators: { field: string; op: string; value: string; negated?: boolean; role?: string; canonical?: string }[];
  outputs: string[];
}

const indicatorRows = (list: Analysis['indicators']) => list.map((i) => [i.field, i.op, i.value, i.negated ?? false, i.role, i.canonical]);

function sameAnalysis(got: Analysis, rule: Rule) {
  assert.equal(got.parsed, rule.parsed);
  assert.deepEqual(
    got.events,
    rule.events.map((e) => `${e.provider}/${e.event}`),
  );
  assert.deepEqual(
    got.stages.map((s) => s.kind),
    rule.stages.map((s) => s.kind),
  );
  assert.deepEqual(
    indicatorRows(got.indicators),
    rule.indicators.map((i) => [
      i.field,
      i.op,
      i.value,
      i.negated,
      i.role,
      i.canonical ? `${i.canonical.field} ${i.canonical.negated ? 'not ' : ''}${i.canonical.op} ${i.canonical.value}` : undefined,
    ]),
  );
}

test('analyze_query derives what `analyze` derives from the same query', async () => {
  for (const path of ['sentinel/security_log_cleared.yaml', 'elastic/certutil_urlcache.toml', 'sigma/certutil_decode.yml']) {
    const [rule] = await analyzed(path);
    assert.ok(rule && rule.indicators.length > 0, path);
    const got = await call<Analysis & { platform: string }>('analyze_query', {
      language: rule.language,
      query: rule.query,
      platform: rule.platform,
    });
    sameAnalysis(got, rule);
  }
  const kql = await call<Analysis & { platform: string }>('analyze_query', {
    language: 'kql',
    query: 'SecurityEvent | where EventID == 1102',
  });
  assert.equal(kql.platform, 'sentinel');
  assert.deepEqual(kql.events, ['windows-security/1102']);
  const broken = await call<Analysis & { diagnostics: { severity: string }[] }>('analyze_query', {
    language: 'kql',
    query: 'SecurityEvent | where (',
  });
  assert.equal(broken.parsed, false);
  assert.ok(broken.diagnostics.some((d) => d.severity === 'error'));
  assert.match(await failure('analyze_query', { language: 'klingon', query: 'x' }), /^language: /);
  assert.match(await failure('analyze_query', { language: 'kql', query: 'x', platform: 'mars' }), /^platform: /);
});

test('analyze_rule_text reads any format as `analyze` does and names the nearest catalog rules', async () => {
  for (const [path, fileName] of [
    ['elastic/okta_impersonation.toml', undefined],
    ['sigma/security_log_cleared.yml', undefined],
    ['markdown/hunting.md', 'hunting.md'],
  ] as const) {
    const expected = await analyzed(path);
    const got = await call<{
      rules: (Analysis & { name: string; nearest: { sameAction: { id: string }[]; similar: { id: string; score: number }[] } })[];
    }>('analyze_rule_text', { text: readFileSync(mini(path), 'utf8'), fileName });
    assert.deepEqual(
      got.rules.map((r) => r.name),
      expected.map((r) => r.name),
      path,
    );
    got.rules.forEach((r, i) => sameAnalysis(r, expected[i]!));
    // The file is in the catalog: its own rule is the nearest, with the catalog's same-action rules.
    const own = store.byId.get(`${expected[0]!.platform}:${expected[0]!.nativeId}`)!;
    if (own.events.length) assert.deepEqual(sorted(ids(got.rules[0]!.nearest.sameAction)), sorted([own.id, ...ids(own.sameAction)]), path);
    if (got.rules[0]!.nearest.similar.length) assert.equal(got.rules[0]!.nearest.similar[0]!.score, 1, path);
  }
  assert.match(await failure('analyze_rule_text', { text: 'just some words' }), /^text: /);
  assert.match(await failure('analyze_rule_text', { text: 'a: [' }), /^text: /);
});

test('a bad argument is a tool error that names it', async () => {
  assert.match(await failure('get_rule', { rule: 5 }), /rule/);
  assert.match(await failure('get_rule', { rule: 'no-such-rule' }), /^rule: no rule/);
  assert.match(await failure('search_rules', { since: 'yesterday' }), /since/);
  assert.match(await failure('search_rules', { pageSize: 1000 }), /pageSize/);
  assert.match(await failure('facet_values', { facet: 'colour' }), /facet/);
  assert.match(await failure('get_rule_source', { rule: elasticOkta, offset: 10 ** 9 }), /^offset: /);
});

test('resources: a rule as /api/rules/<id>, its file, the report, a Navigator layer', async () => {
  const { resourceTemplates } = await client.listResourceTemplates();
  assert.deepEqual(sorted(resourceTemplates.map((t) => t.uriTemplate)), [
    'ruleatlas://coverage/layer/{platform}',
    'ruleatlas://fields/{field}',
    'ruleatlas://rules/{id}',
    'ruleatlas://rules/{id}/source',
  ]);
  const uri = `ruleatlas://rules/${encodeURIComponent(elasticOkta)}`;
  const rule = await client.readResource({ uri });
  assert.deepEqual(JSON.parse((rule.contents[0] as { text: string }).text), await api(`/api/rules/${encodeURIComponent(elasticOkta)}`));
  const source = await client.readResource({ uri: `${uri}/source` });
  assert.equal((source.contents[0] as { text: string }).text, readFileSync(mini('elastic/okta_impersonation.toml'), 'utf8'));
  const report = await client.readResource({ uri: 'ruleatlas://report' });
  assert.deepEqual(JSON.parse((report.contents[0] as { text: string }).text), await api('/api/report'));
  const layer = await client.readResource({ uri: 'ruleatlas://coverage/layer/sigma' });
  const exported = JSON.parse(
    (await (await fetch(new URL('/api/export?format=navigator&platform=sigma', web.url))).text()).replaceAll(`${web.url}rules/`, '/rules/'),
  ) as unknown;
  assert.deepEqual(JSON.parse((layer.contents[0] as { text: string }).text).techniques, (exported as { techniques: unknown }).techniques);
  await assert.rejects(client.readResource({ uri: 'ruleatlas://rules/nope' }), /no rule with id nope/);
});

test('a canonical field as a resource: its values as /api/coverage/indicators gives them; field names complete', async () => {
  type Coverage = { fields: { field: string; indicators: { value: string; count: number }[] }[] };
  const all = await api<Coverage>('/api/coverage/indicators?view=canonical');
  const field = all.fields[0]!.field;
  const fromApi = await api<Coverage>(`/api/coverage/indicators?view=canonical&field=${encodeURIComponent(field)}`);
  const read = await client.readResource({ uri: `ruleatlas://fields/${encodeURIComponent(field)}` });
  const resource = JSON.parse((read.contents[0] as { text: string }).text) as Coverage;
  assert.equal(resource.fields.length, 1);
  assert.deepEqual(resource.fields[0], fromApi.fields[0]);
  await assert.rejects(client.readResource({ uri: 'ruleatlas://fields/no.such.field' }), /no rule tests the canonical field/);
  const typed = field.slice(0, 3);
  const { values } = (
    await client.complete({ ref: { type: 'ref/resource', uri: 'ruleatlas://fields/{field}' }, argument: { name: 'field', value: typed } })
  ).completion;
  assert.ok(values.includes(field), `${field} completes from ${typed}`);
  // Every canonical field rules test that starts so (the mini-corpus has fewer than the 100 a completion may give).
  assert.deepEqual(sorted(values), sorted(all.fields.map((f) => f.field).filter((f) => f.toLowerCase().startsWith(typed.toLowerCase()))));
});

test('prompts carry the rule, and arguments complete from the catalog', async () => {
  const { prompts } = await client.listPrompts();
  assert.deepEqual(sorted(prompts.map((p) => p.name)), ['coverage_gap_plan', 'explain_alert', 'port_rule', 'review_rule']);
  const port = await client.getPrompt({ name: 'port_rule', arguments: { rule: elasticOkta, platform: 'sentinel' } });
  const text = (port.messages[0]!.content as { text: string }).text;
  assert.ok(text.includes(store.byId.get(elasticOkta)!.query.trim()), 'the prompt quotes the query');
  assert.match(text, /Microsoft Sentinel/);
  const complete = async (
    ref: { type: 'ref/prompt'; name: string } | { type: 'ref/resource'; uri: string },
    name: string,
    value: string,
    context?: Record<string, string>,
  ) =>
    (await client.complete({ ref, argument: { name, value }, ...(context ? { context: { arguments: context } } : {}) })).completion.values;
  const plan = { type: 'ref/prompt' as const, name: 'coverage_gap_plan' };
  assert.deepEqual(await complete(plan, 'platform', 'si'), ['sigma']);
  assert.deepEqual(sorted(await complete(plan, 'technique', 'T113')), ['T1134', 'T1134.003']);
  assert.deepEqual(await complete(plan, 'provider', 'ok'), ['okta']);
  assert.deepEqual(await complete(plan, 'event', 'user.session', { provider: 'okta' }), ['user.session.impersonation.initiate']);
  assert.deepEqual(await complete(plan, 'source', 'mark'), ['markdown']);
  assert.deepEqual(await complete({ type: 'ref/prompt', name: 'review_rule' }, 'rule', 'panther:'), ['panther:Tests.Okta.Impersonation']);
  assert.deepEqual(await complete({ type: 'ref/resource', uri: 'ruleatlas://rules/{id}' }, 'id', 'panther'), [
    encodeURIComponent('panther:Tests.Okta.Impersonation'),
  ]);
});

test('every detail an `include` asks for is an answer the output schema accepts', async () => {
  // The client checks structured content against the tool's output schema: a member the schema
  // does not name is refused, so each include is called once.
  for (const [name, args] of [
    ['search_rules', { include: ['all'] }],
    ['get_rule', { rule: elasticOkta, include: ['all'] }],
    ['catalog_report', { include: ['all'] }],
    ['recent_changes', { syncs: 100, rulesPerSync: 100 }],
    ['top_indicators', { include: ['all'] }],
    ['provider_events', { provider: 'windows-security' }],
    ['attack_coverage', { include: ['all'] }],
    ['navigator_layer', { include: ['layer'] }],
    ['my_coverage_gaps', { include: ['rules'] }],
    ['find_rules_by_indicator', { field: 'process.name', canonical: true, rulesPerIndicator: 100 }],
  ] as const) {
    const r = await result(name, args);
    assert.ok(!r.isError, `${name}: ${JSON.stringify(r.content)}`);
  }
});

async function postJson<T>(path: string, body: unknown): Promise<T> {
  const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? '' : JSON.stringify(body) };
  const res = await fetch(new URL(path, web.url), init);
  assert.equal(res.status, 200, path);
  return (await res.json()) as T;
}

// As the mini-corpus's Sigma rule reads an Okta event (its field `eventtype`), named as that rule's log.
const oktaEvent = { eventtype: 'user.session.impersonation.initiate', actor: { alternateId: 'admin@example.com' } };
const oktaLog = 'okta/okta';

test('fire_event names the rules POST /api/fire says fire, mapped to each schema; traces and open rules on request', async () => {
  type Fired = { id: string; fires: string; mapped: boolean };
  const [fromApi] = await postJson<{ rules: Fired[] }[]>(`/api/fire?logType=${oktaLog}`, oktaEvent);
  const { events } = await call<{
    events: { fires: (Fired & { trace?: unknown[] })[]; mayFire: number; mayFireRules?: { id: string; why: string }[] }[];
  }>('fire_event', { event: oktaEvent, logType: oktaLog, include: ['trace', 'unknown'] });
  const [one] = events;
  assert.deepEqual(
    one!.fires.map((r) => r.id),
    fromApi!.rules.filter((r) => r.fires === 'yes').map((r) => r.id),
  );
  assert.ok(
    one!.fires.some((r) => r.id.startsWith('sigma:')),
    'the Sigma Okta rule fires',
  );
  assert.ok(one!.fires.every((r) => Array.isArray(r.trace) && r.trace.length > 0));
  assert.equal(one!.mayFire, fromApi!.rules.filter((r) => r.fires === 'unknown').length);
  assert.ok(one!.mayFireRules!.every((r) => r.why.length > 0));
  const compact = await call<{ events: { fires: object[] }[] }>('fire_event', {
    events: [oktaEvent, { eventtype: 'user.session.start' }],
    logType: oktaLog,
  });
  assert.equal(compact.events.length, 2);
  assert.ok(compact.events[0]!.fires.every((r) => !('trace' in r)));
  assert.deepEqual(compact.events[1]!.fires, []);
  assert.match(await failure('fire_event', {}), /^event: /);
});

test('test_rule runs a rule on an event as POST /api/rules/<id>/test does, or its stored tests', async () => {
  const sigmaOkta = store.rules.find((r) => r.platform === 'sigma' && /okta/i.test(r.name))!;
  type Answer = { event: number; fires: string; trace: unknown[] };
  const fromApi = await postJson<{ events: Answer[] }>(`/api/rules/${encodeURIComponent(sigmaOkta.id)}/test?logType=${oktaLog}`, oktaEvent);
  const tool = await call<{ rule: { id: string }; events: Answer[] }>('test_rule', {
    rule: sigmaOkta.id,
    event: oktaEvent,
    logType: oktaLog,
  });
  assert.equal(tool.rule.id, sigmaOkta.id);
  assert.deepEqual(tool.events, fromApi.events);
  assert.equal(tool.events[0]!.fires, 'yes');
  const panther = 'panther:Tests.Okta.Impersonation';
  const stored = await postJson<{ tests: { name: string; result: string; got: string }[] }>(
    `/api/rules/${encodeURIComponent(panther)}/test`,
    undefined,
  );
  const tests = await call<{ tests: { name: string; result: string; got: string; events?: unknown }[] }>('test_rule', { rule: panther });
  assert.ok(tests.tests.length > 0, 'the Panther rule has stored tests');
  assert.deepEqual(
    tests.tests.map((t) => [t.name, t.result, t.got]),
    stored.tests.map((t) => [t.name, t.result, t.got]),
  );
  assert.ok(
    tests.tests.every((t) => t.events === undefined),
    'traces only on request',
  );
});
