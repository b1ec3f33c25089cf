// The threat-informed MCP tools through the SDK's own client, over the coverage fixture (which has ATT&CK
// groups, CVEs and providers), each answer checked against the JSON API's answer to the same question.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openCoverageStore } from '../web/coverage-fixture.js';
import { connectMcpClient, type McpTestClient } from './test-client.js';

let fixture: ReturnType<typeof openCoverageStore>;
let mcp: McpTestClient;

before(async () => {
  fixture = openCoverageStore();
  mcp = await connectMcpClient(fixture.store);
});

after(async () => {
  await mcp.close();
  fixture.cleanup();
});

type Json = Record<string, unknown>;

const call = <T>(name: string, args: Json) => mcp.call<T>(name, args);
const failure = (name: string, args: Json) => mcp.failure(name, args);
const api = <T>(path: string) => mcp.api<T>(path);

interface ApiThreat {
  id: string;
  name: string;
  techniques: { id: string; name: string; rules: Record<string, number>; total: number }[];
  coverage: Record<string, number>;
  anyCoverage: number;
}

interface ToolThreat {
  id: string;
  name: string;
  techniques: number;
  covered: number;
  coverage: Record<string, number>;
  anyCoverage: number;
  gaps: { id: string; name: string }[];
  techniqueRows?: { id: string; rules: Record<string, number>; total: number; procedure?: string }[];
}

test('list_threats lists the actors /api/actors lists, with the same coverage; by name or alias', async () => {
  const fromApi = await api<{ id: string; anyCoverage: number; techniques: number; covered: number }[]>('/api/actors');
  const listed = await call<{ total: number; items: { id: string; anyCoverage: number; techniques: number; covered: number }[] }>(
    'list_threats',
    {
      pageSize: 100,
    },
  );
  assert.equal(listed.total, fromApi.length);
  assert.ok(listed.total > 0);
  const byId = new Map(fromApi.map((a) => [a.id, a]));
  for (const item of listed.items) {
    const a = byId.get(item.id)!;
    assert.deepEqual([item.anyCoverage, item.techniques, item.covered], [a.anyCoverage, a.techniques, a.covered], item.id);
  }
  const found = await call<{ items: { id: string }[] }>('list_threats', { name: 'cozy' });
  assert.deepEqual(
    found.items.map((i) => i.id),
    ['G0016'],
  );
});

test('threat_coverage agrees with /api/actors/<id> technique by technique; gaps first; filters apply', async () => {
  const fromApi = await api<ApiThreat>('/api/actors/G0016');
  const { entities, rules } = await call<{ rules: number; entities: ToolThreat[] }>('threat_coverage', {
    id: 'APT29',
    include: ['techniques', 'procedures'],
  });
  assert.equal(rules, fixture.store.rules.filter((r) => !r.removed && (!r.duplicates || r.duplicates.newest)).length);
  const [one] = entities;
  assert.equal(one!.id, 'G0016');
  assert.deepEqual(one!.coverage, fromApi.coverage);
  assert.equal(one!.anyCoverage, fromApi.anyCoverage);
  assert.deepEqual(
    one!.techniqueRows!.map((t) => [t.id, t.total, t.rules]),
    fromApi.techniques.map((t) => [t.id, t.total, t.rules]),
  );
  assert.deepEqual(
    one!.gaps.map((g) => g.id),
    fromApi.techniques.filter((t) => t.total === 0).map((t) => t.id),
  );
  assert.equal(one!.covered, fromApi.techniques.filter((t) => t.total > 0).length);
  assert.ok(one!.techniqueRows!.some((t) => typeof t.procedure === 'string'));
  // One platform only: the counts of /api/actors/<id>?platform=...
  const platform = Object.keys(fromApi.coverage)[0]!;
  const narrowed = await call<{ entities: ToolThreat[] }>('threat_coverage', { id: 'G0016', platform, include: ['techniques'] });
  const narrowedApi = await api<ApiThreat>(`/api/actors/G0016?platform=${platform}`);
  assert.deepEqual(
    narrowed.entities[0]!.techniqueRows!.map((t) => t.total),
    narrowedApi.techniques.map((t) => t.total),
  );
  assert.match(await failure('threat_coverage', { id: 'G9999' }), /^id: no actor "G9999"/);
});

test('threat_coverage with several ids compares them as /api/actors/compare does', async () => {
  const actors = await api<{ id: string }[]>('/api/actors');
  assert.ok(actors.length >= 2, 'the fixture has two actors');
  const ids = actors.slice(0, 2).map((a) => a.id);
  const fromApi = await api<{ shared: { id: string }[]; sharedGaps: { id: string }[] }>(`/api/actors/compare?id=${ids.join(',')}`);
  const { entities, comparison } = await call<{
    entities: ToolThreat[];
    comparison: { shared: { id: string }[]; sharedGaps: { id: string }[] };
  }>('threat_coverage', { id: ids });
  assert.equal(entities.length, 2);
  assert.deepEqual(
    comparison.shared.map((s) => s.id),
    fromApi.shared.map((s) => s.id),
  );
  assert.deepEqual(
    comparison.sharedGaps.map((s) => s.id),
    fromApi.sharedGaps.map((s) => s.id),
  );
});

test('cve_coverage lists the CVEs of /api/cves and one CVE’s rules as /api/cves/<id>', async () => {
  const index = await api<{ id: string; rules: number }[]>('/api/cves');
  const listed = await call<{ total: number; cves: { id: string; rules: number }[] }>('cve_coverage', { pageSize: 100 });
  assert.ok(index.length > 0);
  assert.deepEqual(
    listed.cves.map((c) => [c.id, c.rules]),
    index.map((c) => [c.id, c.rules]),
  );
  const one = await api<{ ruleList: { id: string }[]; byPlatform: Record<string, number> }>(`/api/cves/${index[0]!.id}`);
  const tool = await call<{ cve: string; total: number; rules: { id: string }[]; byPlatform: Record<string, number> }>('cve_coverage', {
    cve: index[0]!.id.toLowerCase().replaceAll('-', '_'),
    pageSize: 100,
  });
  assert.equal(tool.cve, index[0]!.id);
  assert.deepEqual(
    tool.rules.map((r) => r.id),
    one.ruleList.map((r) => r.id),
  );
  assert.deepEqual(tool.byPlatform, one.byPlatform);
  assert.match(await failure('cve_coverage', { cve: 'log4shell' }), /^cve: "log4shell" is not a CVE id/);
});

test('log_visibility says what /api/coverage/visibility says for the same providers', async () => {
  const providers = await api<{ providers: { id: string }[] }>('/api/coverage/providers');
  const logs = providers.providers.slice(0, 1).map((p) => p.id);
  assert.equal(logs.length, 1);
  const fromApi = await api<{
    rules: number;
    runnable: { id: string }[];
    blocked: number;
    unknown: number;
    visible: unknown[];
    blind: { id: string; missing: string[] }[];
  }>(`/api/coverage/visibility?logs=${logs.join(',')}`);
  const tool = await call<{
    rules: number;
    runnable: number;
    blocked: number;
    unknown: number;
    visible: number;
    blind: number;
    blindTechniques: { id: string; missing: string[] }[];
    runnableRules: { total: number; items: { id: string }[] };
  }>('log_visibility', { logs, include: ['runnable', 'blind'], pageSize: 100 });
  assert.deepEqual(
    [tool.rules, tool.runnable, tool.blocked, tool.unknown, tool.visible],
    [fromApi.rules, fromApi.runnable.length, fromApi.blocked, fromApi.unknown, fromApi.visible.length],
  );
  assert.ok(tool.runnable > 0 && tool.blocked > 0, 'one provider: some rules run, some do not');
  assert.equal(tool.blind, fromApi.blind.length);
  assert.deepEqual(
    tool.blindTechniques.map((b) => [b.id, b.missing]),
    fromApi.blind.map((b) => [b.id, b.missing]),
  );
  const compact = await call<{ blind: number; blindTechniques: unknown[] }>('log_visibility', { logs });
  assert.equal(compact.blindTechniques.length, Math.min(10, compact.blind));
  assert.deepEqual(
    tool.runnableRules.items.map((r) => r.id),
    fromApi.runnable.map((r) => r.id),
  );
});

test('threat_report_coverage finds what a report names, with the counts /api/actors and /api/cves give', async () => {
  const text = 'Cozy Bear used T1134 and exploited CVE-2021-44228; XT1003 is no technique.';
  const r = await call<{
    techniques: { id: string; total: number }[];
    entities: { id: string; anyCoverage: number }[];
    cves: { id: string; rules: number }[];
  }>('threat_report_coverage', { text });
  assert.deepEqual(
    r.techniques.map((t) => t.id),
    ['T1134'],
  );
  const actor = await api<ApiThreat>('/api/actors/G0016');
  assert.deepEqual(
    r.entities.map((e) => [e.id, e.anyCoverage]),
    [['G0016', actor.anyCoverage]],
  );
  const cve = await api<{ rules: number }>('/api/cves/CVE-2021-44228');
  assert.deepEqual(r.cves, [
    {
      id: 'CVE-2021-44228',
      rules: cve.rules,
      byPlatform: (await api<{ byPlatform: Record<string, number> }>('/api/cves/CVE-2021-44228')).byPlatform,
    },
  ]);
});
