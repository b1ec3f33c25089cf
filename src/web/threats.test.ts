// The threat pages and APIs over the coverage fixture: JSON shape, CSV, Navigator layer, lookups, escaping.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { notInBundle } from '../attack/catalog.js';
import type { AttackMatrix } from '../coverage/matrix.js';
import { coverageTestServer } from './coverage-test-server.js';
import { xss } from './fixture-catalog.js';
import { startServer } from './server.js';

const web = coverageTestServer();
const { get, api } = web;

interface ActorJson {
  id: string;
  name: string;
  aliases: string[];
  techniques: { id: string; name: string; rules: Record<string, number> }[];
  coverage: Record<string, number>;
}

test('/api/actors/<id>: {id, name, aliases, techniques: [{id, name, rules}], coverage}, counts as on the matrix', async () => {
  const actor = await api<ActorJson>('/api/actors/G0016');
  assert.equal(actor.id, 'G0016');
  assert.equal(actor.name, 'APT29');
  assert.deepEqual(actor.aliases, ['Cozy Bear', `Evil ${xss}`]);
  assert.deepEqual(Object.keys(actor).slice(0, 5), ['id', 'name', 'aliases', 'techniques', 'coverage']);
  assert.deepEqual(
    actor.techniques
      .map((t) => t.id)
      .slice(0, 2)
      .sort(),
    ['T1003', 'T1999'],
    'gaps first',
  );
  assert.equal(actor.techniques.find((t) => t.id === 'T1999')!.name, notInBundle);
  // The matrix API over the same (default) rules, cell by cell for techniques under one tactic.
  const matrix = await api<AttackMatrix>('/api/coverage/matrix');
  for (const id of ['T1134', 'T1140', 'T1562.008']) {
    const cells = matrix.columns
      .flatMap((c) => c.techniques.flatMap((t) => [t, ...t.subtechniques]))
      .filter((c) => c.id === id && c.count > 0);
    assert.equal(cells.length, 1, id);
    assert.deepEqual(actor.techniques.find((t) => t.id === id)!.rules, cells[0]!.byPlatform, id);
  }
  assert.ok(Object.values(actor.coverage).every((v) => v >= 0 && v <= 1));
  // Filters apply as on the matrix: elastic rules only.
  const elastic = await api<ActorJson>('/api/actors/G0016?platform=elastic');
  assert.deepEqual(Object.keys(elastic.coverage), ['elastic']);
});

test('by name or alias, any case; campaigns and software; 404 for the unknown', async () => {
  assert.equal((await api<ActorJson>('/api/actors/cozy%20bear')).id, 'G0016');
  assert.equal((await api<ActorJson>('/api/campaigns/C0024')).techniques[0]!.id, 'T1078.004');
  assert.equal((await api<ActorJson>('/api/software/S0154')).name, 'Cobalt Strike');
  assert.equal((await get('/api/actors/G9999')).res.status, 404);
  assert.equal((await get('/actors/G9999')).res.status, 404);
  assert.equal((await get('/actors/C0024')).res.status, 404, 'a campaign is not a group');
  assert.equal((await get('/actors/G0016/nothing')).res.status, 404);
});

test('CSV of an actor and of the list; the Navigator layer', async () => {
  const csv = await get('/api/actors/G0016?format=csv');
  assert.equal(csv.res.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.match(csv.res.headers.get('content-disposition') ?? '', /ruleatlas-G0016\.csv/);
  const lines = csv.text.trim().split('\r\n');
  assert.match(lines[0]!, /^technique,techniqueName,tactics,otherVersionIds,rules,mineRules,/);
  assert.equal(lines.length, 7);
  const list = await get('/api/actors?format=csv');
  assert.match(list.text, /^id,name,aliases,techniques,covered,coverage,mineCoverage\r\nG0016,APT29,/);
  const layer = await api<{ versions: Record<string, string>; techniques: { techniqueID: string; score: number }[] }>(
    '/api/actors/G0016/layer',
  );
  assert.equal(layer.versions.layer, '4.5');
  assert.deepEqual(
    layer.techniques.map((t) => t.techniqueID),
    ['T1003', 'T1078', 'T1134', 'T1140', 'T1562.008', 'T1999'],
  );
  const compare = await api<{ shared: { id: string }[]; sharedGaps: { id: string }[] }>('/api/actors/compare?id=G0016&id=apt28');
  assert.deepEqual(
    compare.sharedGaps.map((r) => r.id),
    ['T1003'],
  );
});

test('pages: list, actor, compare; every rule-given or ATT&CK-given text escaped', async () => {
  for (const path of [
    '/actors',
    '/campaigns',
    '/software',
    '/actors/G0016',
    '/actors/APT29',
    '/campaigns/C0024',
    '/actors/compare?id=G0016&id=G0007',
    '/actors/compare',
  ]) {
    const { res, text } = await get(path);
    assert.equal(res.status, 200, path);
    assert.ok(!text.includes(xss), `${path}: raw hostile text`);
  }
  const { text } = await get('/actors/G0016');
  assert.match(text, /APT29/);
  assert.match(text, /T1999<\/code><\/th><td><span class="muted">not in the loaded ATT&amp;CK<\/span>/);
  assert.match(text, /href="\/api\/actors\/G0016\/layer"/);
  assert.match(text, /<a href="\/actors"[^>]*aria-current="page">Threats<\/a>/);
});

test('CVEs: the facet, cve= in Explore, /cves and /cves/<id> with where each rule names it, JSON and CSV', async () => {
  const rules = await api<{ total: number; facets: { cve: { value: string; count: number }[] } }>('/api/rules?cve=CVE-2021-44228');
  assert.equal(rules.total, 2);
  assert.deepEqual(rules.facets.cve, [{ value: 'CVE-2021-44228', count: 2 }], 'XCVE-2020-1234 is not a CVE');
  const cve = await api<{ id: string; rules: number; ruleList: { name: string; where: string[] }[] }>('/api/cves/cve_2021_44228');
  assert.equal(cve.id, 'CVE-2021-44228');
  assert.deepEqual(
    cve.ruleList.map((r) => [r.name, r.where]),
    [
      ['Certutil decode (Elastic)', ['reference']],
      ['Certutil decode (Sigma)', ['tag']],
    ],
  );
  const index = await api<{ id: string; rules: number }[]>('/api/cves');
  assert.deepEqual(
    index.map((r) => r.id),
    ['CVE-2021-44228'],
  );
  assert.match((await get('/api/cves/CVE-2021-44228?format=csv')).text, /^cve,rule,name,platform,severity,where\r\nCVE-2021-44228,/);
  const { res, text } = await get('/cves/CVE-2021-44228');
  assert.equal(res.status, 200);
  assert.match(text, /2 rules name CVE-2021-44228/);
  assert.equal((await get('/cves/CVE-1999-0001')).res.status, 200, 'a CVE no rule names is a gap, not a missing page');
  assert.equal((await get('/cves/not-a-cve')).res.status, 404);
  assert.equal((await get('/api/cves/XCVE-2021-44228')).res.status, 404);
  const go = await get('/cves/go?id=cve-2021-44228');
  assert.equal(go.res.status, 302);
  assert.equal(go.res.headers.get('location'), '/cves/CVE-2021-44228');
});

test('visibility with my log sources set to Okta and AWS CloudTrail: the rules that can run, the techniques left blind', async () => {
  interface Row {
    id: string;
    missing: string[];
  }
  const v = await api<{ runnable: { name: string }[]; blind: Row[]; visible: Row[]; unsure: Row[]; blocked: number; unknown: number }>(
    '/api/coverage/visibility?logs=okta,aws-cloudtrail',
  );
  assert.deepEqual(
    v.runnable.map((r) => r.name),
    ['CloudTrail logging stopped', 'Okta User Session Impersonation', 'User Session Impersonation(Okta)'],
  );
  assert.deepEqual(
    v.blind.map((t) => [t.id, t.missing]),
    [['T1059', ['windows-security']]],
  );
  assert.deepEqual(
    v.visible.map((t) => t.id),
    ['T1078', 'T1078.004', 'T1134', 'T1134.003', 'T1562.008'],
  );
  assert.deepEqual(
    v.unsure.map((t) => t.id),
    ['T1140'],
    'only rules with no known provider cover it',
  );
  // Okta alone: the CloudTrail rule cannot run, and its technique goes blind.
  const okta = await api<{ blind: Row[] }>('/api/coverage/visibility?logs=okta');
  assert.deepEqual(
    okta.blind.map((t) => [t.id, t.missing]),
    [
      ['T1059', ['windows-security']],
      ['T1562.008', ['aws-cloudtrail']],
    ],
  );
  const csv = await get('/api/coverage/visibility?logs=okta,aws-cloudtrail&format=csv');
  assert.match(csv.text, /^technique,techniqueName,state,rules,runnableRules,missingProviders\r\n/);
  assert.match(csv.text, /\r\nT1059,[^\r]*,blind,1,0,windows-security\r\n/);
  const page = await get('/coverage/visibility?logs=okta&logs=aws-cloudtrail');
  assert.equal(page.res.status, 200);
  assert.match(page.text, /Techniques you are blind to \(1\)/);
  assert.ok(!page.text.includes(xss));
});

test('visibility by table and dataset: the page keeps the entries, the layer scores what you see', async () => {
  const v = await api<{ runnable: { name: string }[]; blind: { id: string; missing: string[] }[]; logs: { id: string }[] }>(
    '/api/coverage/visibility?logs=table:OktaSSO,dataset:okta.system',
  );
  assert.deepEqual(
    v.runnable.map((r) => r.name),
    ['Okta User Session Impersonation', 'User Session Impersonation(Okta)'],
  );
  // The CloudTrail and Windows rules read no named table: judged by their providers, which are not collected.
  assert.deepEqual(
    v.blind.map((t) => [t.id, t.missing]),
    [
      ['T1059', ['windows-security']],
      ['T1562.008', ['aws-cloudtrail']],
    ],
  );
  const layer = await get('/api/coverage/visibility?logs=table:OktaSSO&format=layer');
  assert.match(layer.res.headers.get('content-disposition') ?? '', /ruleatlas-visibility-layer\.json/);
  const scores = (JSON.parse(layer.text) as { techniques: { techniqueID: string; score: number }[] }).techniques;
  assert.deepEqual(
    scores.map((t) => [t.techniqueID, t.score]),
    [
      ['T1059', 0],
      ['T1078', 0],
      ['T1078.004', 0],
      ['T1134', 2],
      ['T1134.003', 2],
      ['T1140', 1],
      ['T1562.008', 0],
    ],
  );
  const page = await get(`/coverage/visibility?logs=okta&logs=${encodeURIComponent(`table:OktaSSO,${xss}`)}`);
  assert.equal(page.res.status, 200);
  assert.match(page.text, /<input type="search" name="logs" value="table:OktaSSO, &lt;script&gt;/);
  assert.match(page.text, /<input type="checkbox" name="logs" value="okta" checked>/);
  assert.match(page.text, /href="\/api\/coverage\/visibility\?logs=[^"]*&amp;format=layer"/);
  assert.ok(!page.text.includes(xss));
});

test("the config file's log sources are the visibility default; the address still chooses", async () => {
  const configured = await startServer(web.store, { port: 0, host: '127.0.0.1', logSources: ['table:OktaSSO', 'dataset:okta.system'] });
  try {
    const get = async (path: string) => (await fetch(new URL(path, configured.url))).text();
    const v = JSON.parse(await get('/api/coverage/visibility')) as { runnable: { name: string }[]; logs: { id: string }[] };
    assert.deepEqual(
      v.logs.map((l) => l.id),
      ['dataset:okta.system', 'table:OktaSSO'],
    );
    assert.deepEqual(
      v.runnable.map((r) => r.name),
      ['Okta User Session Impersonation', 'User Session Impersonation(Okta)'],
    );
    const chosen = JSON.parse(await get('/api/coverage/visibility?logs=aws-cloudtrail')) as { runnable: { name: string }[] };
    assert.deepEqual(
      chosen.runnable.map((r) => r.name),
      ['CloudTrail logging stopped'],
    );
    assert.match(await get('/coverage/visibility'), /value="table:OktaSSO, dataset:okta.system"/);
  } finally {
    await configured.close();
  }
});
