// The coverage pages and APIs over the coverage fixture: status, filters, escaping, exports.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseExploreQuery } from '../explore/explore.js';
import { exportRules } from '../export/export.js';
import type { AttackMatrix } from '../coverage/matrix.js';
import { openCoverageStore } from './coverage-fixture.js';
import { coverageTestServer } from './coverage-test-server.js';
import { startServer } from './server.js';
import { exploreUrl } from './urls.js';

const web = coverageTestServer();
const { get, api } = web;

/** No markup from rule content: no injected tags, handlers, script or style; rule text escaped. */
function assertNoInjectedMarkup(page: string, where: string) {
  assert.ok(!/<script>alert|<script>window/i.test(page), `${where}: raw <script> from rule content`);
  for (const m of page.matchAll(/<([a-zA-Z][\w-]*)([^>]*)>/g)) {
    const name = m[1]!.toLowerCase();
    assert.notEqual(name, 'img', `${where}: an <img> was injected`);
    assert.notEqual(name, 'style', `${where}: inline <style>`);
    for (const a of m[2]!.matchAll(/([^\s="']+)(?:="([^"]*)")?/g)) {
      const attr = a[1]!.toLowerCase();
      assert.ok(!attr.startsWith('on'), `${where}: handler ${attr} on <${name}>`);
      assert.notEqual(attr, 'style', `${where}: style attribute`);
      if (attr === 'href' || attr === 'action')
        assert.ok(!/^\s*(javascript|data|vbscript):/i.test(a[2] ?? ''), `${where}: ${attr}="${a[2]}"`);
    }
    if (name === 'script') assert.match(m[2]!, /src="\/static\/app\.js\?v=/, `${where}: only the static script`);
  }
}

const pages = [
  '/coverage/matrix',
  '/coverage/matrix?compare=sentinel,elastic',
  '/coverage/matrix?covered=1&platform=elastic',
  '/coverage/providers',
  '/coverage/providers/okta',
  '/coverage/providers/okta?compare=sentinel,elastic,sigma&gaps=1',
  '/coverage/providers/windows-security',
  '/coverage/indicators',
  '/coverage/indicators?view=canonical',
  '/coverage/indicators?field=process',
  '/coverage/compare',
  '/coverage/compare?a=sigma&b=elastic',
  `/coverage/indicators?field=${encodeURIComponent('"><img src=x onerror=alert(1)>')}`,
  `/coverage/matrix?q=${encodeURIComponent('<script>alert(1)</script>')}&compare=${encodeURIComponent('"><img src=x>')}`,
];

test('every coverage page renders, with the nav link, and rule content stays text', async () => {
  for (const path of pages) {
    const { res, text } = await get(path);
    assert.equal(res.status, 200, path);
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.match(text, /<a href="\/coverage\/matrix" aria-current="page">Coverage<\/a>/, `${path}: nav`);
    assertNoInjectedMarkup(text, path);
  }
  // The hostile rule's event and indicators show escaped (its technique names: see the catalog without a bundle).
  const windows = (await get('/coverage/providers/windows-security')).text;
  assert.ok(windows.includes('&lt;script&gt;window.__xss=1;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'));
  const canonical = (await get('/coverage/indicators?view=canonical')).text;
  assert.ok(canonical.includes('process.command_line&lt;script&gt;'));
});

test('the matrix: bundle order, gaps, sub-techniques in a disclosure, cells open Explore with the filters', async () => {
  const { text } = await get('/coverage/matrix?platform=sentinel');
  const order = ['Execution', 'Privilege Escalation', 'Defense Evasion', 'Credential Access'].map((t) => text.indexOf(`<span>${t}</span>`));
  assert.ok(
    order.every((i, k) => i > 0 && (k === 0 || i > order[k - 1]!)),
    'tactics in the order of the catalog layout',
  );
  // T1003 has no rule: shown, level 0, not a link.
  assert.match(text, /<li class="mx-cell h0"><span class="mx-link" title="T1003 OS Credential Dumping: no rule">/);
  // T1134 under Privilege Escalation (its sub-techniques included) links to Explore keeping the platform filter.
  assert.ok(text.includes('href="/?q=matrix%3ATA0004%2FT1134&amp;platform=sentinel"'));
  assert.match(text, /<details class="mx-subs"><summary>1\/1 sub-technique<\/summary>/);
  assert.match(text, /class="legend"/);
  // Links to the Navigator layer and matrix exports carry the filters.
  assert.ok(text.includes('href="/api/export?format=navigator&amp;platform=sentinel"'));
  assert.ok(text.includes('href="/api/coverage/matrix?platform=sentinel&amp;format=csv"'));
  // The other views keep the filters, not the view's own parameters.
  const compared = (await get('/coverage/matrix?platform=sentinel&compare=sentinel,elastic')).text;
  assert.ok(compared.includes('href="/coverage/indicators?platform=sentinel"'));
  assert.match(compared, /<input type="checkbox" name="compare" value="elastic" checked>/);
});

test('matrix API: filters apply, compare narrows to the platforms and counts per platform', async () => {
  const all = await api<AttackMatrix>('/api/coverage/matrix');
  const find = (m: AttackMatrix, tactic: string, id: string) => m.columns.find((c) => c.id === tactic)!.techniques.find((t) => t.id === id);
  assert.equal(all.rules, 7);
  assert.deepEqual(find(all, 'TA0004', 'T1134')!.byPlatform, { sentinel: 1 });
  assert.equal(find(all, 'TA0006', 'T1003')!.count, 0);
  const elastic = await api<AttackMatrix>('/api/coverage/matrix?platform=elastic');
  assert.equal(elastic.rules, 3);
  assert.equal(find(elastic, 'TA0004', 'T1134')!.count, 0);
  assert.equal(find(elastic, 'TA0005', 'T1078')!.count, 1);
  const searched = await api<AttackMatrix>('/api/coverage/matrix?q=impersonation');
  assert.equal(searched.rules, 2);
  const compared = await api<AttackMatrix>('/api/coverage/matrix?compare=elastic,sigma');
  assert.equal(compared.rules, 4);
  assert.deepEqual(find(compared, 'TA0005', 'T1140')!.byPlatform, { elastic: 1, sigma: 1 });
  const covered = await api<AttackMatrix>('/api/coverage/matrix?covered=1');
  assert.ok(!covered.columns.some((c) => c.id === 'TA0006'));
  const csv = await get('/api/coverage/matrix?format=csv&platform=sentinel');
  assert.equal(csv.res.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.equal(csv.res.headers.get('content-disposition'), 'attachment; filename=ruleatlas-matrix.csv');
  assert.match(csv.text, /^tactic,tacticName,technique,techniqueName,parent,rules,ownRules,sentinel\r\n/);
  assert.match(
    csv.text,
    /\r\nTA0004,Privilege Escalation,T1134\.003,Access Token Manipulation: Make and Impersonate Token,T1134,1,1,1\r\n/,
  );
  const json = await get('/api/coverage/matrix?format=json');
  assert.equal(json.res.headers.get('content-disposition'), 'attachment; filename=ruleatlas-matrix.json');
});

test('the Navigator layer of the same filters scores what the matrix counts, with rule names and links', async () => {
  // The hostile rule names its tactic differently from the bundle: left out by severity.
  const filters = 'platform=sentinel&severity=medium&severity=high';
  const layer = JSON.parse(exportRules(web.store, parseExploreQuery(new URLSearchParams(filters)), 'navigator').body) as {
    techniques: { techniqueID: string; tactic?: string; score: number; comment: string; links: { label: string; url: string }[] }[];
  };
  const matrix = await api<AttackMatrix>(`/api/coverage/matrix?${filters}&covered=1`);
  const own = new Map<string, number>();
  for (const col of matrix.columns)
    for (const t of col.techniques)
      for (const c of [t, ...t.subtechniques]) if (c.own) own.set(`${c.id}|${col.name.toLowerCase().replaceAll(' ', '-')}`, c.own);
  assert.deepEqual(new Map(layer.techniques.map((t) => [`${t.techniqueID}|${t.tactic}`, t.score])), own);
  const t1134 = layer.techniques.find((t) => t.techniqueID === 'T1134.003')!;
  assert.match(t1134.comment, /User Session Impersonation\(Okta\)/);
  assert.deepEqual(t1134.links, [
    { label: 'User Session Impersonation(Okta)', url: '/rules/sentinel%3A35846296-4052-4de2-8098-beb6bb5f2203' },
  ]);
});

test('provider coverage: the index with totals, one provider by platform with gaps marked', async () => {
  const index = await api<{
    rules: number;
    providers: { id: string; rules: number; events: number; byPlatform: Record<string, number> }[];
  }>('/api/coverage/providers');
  assert.deepEqual(
    index.providers.map((p) => [p.id, p.rules]),
    [
      ['okta', 2],
      ['aws-cloudtrail', 1],
      ['windows-security', 1],
    ],
  );
  assert.deepEqual(index.providers[0]!.byPlatform, { sentinel: 1, elastic: 1 });
  const okta = await api<{
    platforms: string[];
    events: { event: string; byPlatform: Record<string, number>; missing: string[] }[];
    gaps: number;
  }>('/api/coverage/providers/okta?compare=sentinel,elastic,sigma');
  assert.deepEqual(okta.platforms, ['sentinel', 'elastic', 'sigma']);
  assert.deepEqual(
    okta.events.map((e) => [e.event, e.missing]),
    [['user.session.impersonation.initiate', ['sigma']]],
  );
  const page = (await get('/coverage/providers/okta?compare=sentinel,elastic,sigma')).text;
  assert.match(page, /<td class="num gap" title="No Sigma rule watches this event">/);
  assert.ok(page.includes('href="/?platform=elastic&amp;event=okta%2Fuser.session.impersonation.initiate"'));
  // Explore filters apply: only the Elastic rule is left.
  const filtered = await api<{ rules: number; platforms: string[] }>('/api/coverage/providers/okta?platform=elastic');
  assert.equal(filtered.rules, 1);
  assert.deepEqual(filtered.platforms, ['elastic']);
  const indexPage = (await get('/coverage/providers?severity=high')).text;
  assert.ok(indexPage.includes('href="/coverage/providers/okta?severity=high"'));
  // The picker form goes to the provider's page.
  const go = await get('/coverage/providers?id=aws-cloudtrail&platform=sentinel');
  assert.equal(go.res.status, 302);
  assert.equal(go.res.headers.get('location'), '/coverage/providers/aws-cloudtrail?platform=sentinel');
  assert.equal((await get('/coverage/providers/no-such-provider')).res.status, 404);
  assert.equal((await get('/api/coverage/providers/no-such-provider')).res.status, 404);
  assert.equal((await get('/coverage/providers/%E0%A4%A')).res.status, 404);
  const csv = await get('/api/coverage/providers/okta?format=csv');
  assert.match(csv.text, /^provider,event,rules,elastic,sentinel,missing\r\n/);
});

test('indicators: per field, canonical view, field filter and the rules behind each', async () => {
  type Coverage = {
    canonical: boolean;
    fields: {
      field: string;
      indicators: { value: string; count: number; byPlatform: Record<string, number>; rules: { id: string }[] }[];
    }[];
  };
  const canonical = await api<Coverage>('/api/coverage/indicators?view=canonical');
  assert.equal(canonical.canonical, true);
  const processName = canonical.fields.find((f) => f.field === 'process.name')!;
  assert.deepEqual(
    processName.indicators.map((i) => [i.value, i.count, i.byPlatform]),
    [['certutil.exe', 2, { sigma: 1, elastic: 1 }]],
  );
  assert.deepEqual(processName.indicators[0]!.rules.map((r) => r.id).sort(), ['elastic:certutil-elastic', 'sigma:certutil-sigma']);
  const written = await api<Coverage>('/api/coverage/indicators?platform=sigma');
  assert.deepEqual(
    written.fields.map((f) => f.field),
    ['Image'],
  );
  const field = await api<Coverage>('/api/coverage/indicators?field=event.action');
  assert.deepEqual(
    field.fields.map((f) => f.field),
    ['event.action'],
  );
  const page = (await get('/coverage/indicators?view=canonical')).text;
  assert.match(page, /<option value="canonical" selected>/);
  assert.ok(page.includes('<a href="/rules/sigma%3Acertutil-sigma">Certutil decode (Sigma)</a>'));
  // A row's count lists exactly its rules in Explore: the indicator filter of the view, as many as it counts.
  const link = /<td class="num"><a href="([^"]+)" title="List these rules in Explore">2<\/a>/.exec(page);
  assert.ok(link, 'the canonical certutil.exe row links its count');
  const listed = await api<{ total: number }>(`/api/rules${link[1]!.replaceAll('&amp;', '&').slice(1)}`);
  assert.equal(listed.total, 2);
  assert.match(link[1]!, /canonical=process\.name%7Ceq%7Ccertutil\.exe/);
  const csv = await get('/api/coverage/indicators?view=canonical&format=csv');
  assert.match(csv.text, /\r\nprocess\.name,eq,false,certutil\.exe,2,/);
});

test('compare: A against B with the Explore filters but the platform', async () => {
  type Section = { onlyA: { key: string }[]; onlyB: { key: string }[]; shared: { key: string; a: number; b: number }[] };
  type Comparison = { a: string; b: string; rulesA: number; rulesB: number; techniques: Section; events: Section; indicators: Section };
  const c = await api<Comparison>('/api/coverage/compare?a=sentinel&b=elastic');
  assert.deepEqual([c.rulesA, c.rulesB], [3, 3]);
  assert.deepEqual(
    c.events.shared.map((i) => i.key),
    ['okta/user.session.impersonation.initiate'],
  );
  assert.ok(c.techniques.onlyA.some((i) => i.key === 'T1134.003'));
  assert.ok(c.techniques.onlyB.some((i) => i.key === 'T1078.004'));
  const canonical = await api<Comparison>('/api/coverage/compare?a=sigma&b=elastic');
  assert.deepEqual(
    canonical.indicators.shared.map((i) => [i.key, i.a, i.b]),
    [['c:process.name eq certutil.exe', 1, 1]],
  );
  assert.deepEqual(
    canonical.techniques.shared.map((i) => i.key),
    ['T1140'],
  );
  // Filters apply (platform aside): high severity leaves one rule a side.
  const high = await api<Comparison>('/api/coverage/compare?a=sentinel&b=elastic&severity=high&platform=sigma');
  assert.deepEqual([high.rulesA, high.rulesB], [1, 1]);
  // Without sides: the two platforms with the most rules.
  const defaults = await api<Comparison>('/api/coverage/compare');
  assert.deepEqual([defaults.a, defaults.b], ['elastic', 'sentinel']);
  const page = (await get('/coverage/compare?a=sigma&b=elastic')).text;
  assert.match(page, /<h3>Only Sigma <span class="muted small">/);
  assert.match(page, /<span class="badge" title="Canonical indicator">canonical<\/span>/);
  assert.ok(page.includes('href="/?platform=sigma&amp;technique=T1140"'));
  const csv = await get('/api/coverage/compare?a=sigma&b=elastic&format=csv');
  assert.match(csv.text, /^kind,side,key,label,sigma,elastic\r\n/);
});

test("compare: each count opens its rules in Explore, the view's filters kept; an indicator opens a search for its value", async () => {
  for (const path of [
    '/coverage/compare?a=sigma&b=elastic',
    '/coverage/compare?a=sentinel&b=elastic&severity=high&severity=medium&since=2020-01-01',
  ]) {
    const view = parseExploreQuery(new URL(path, 'http://x').searchParams);
    const page = (await get(path)).text;
    const counts = [...page.matchAll(/<a href="(\/\?[^"]*)" title="[^"]*">(\d+)<\/a>/g)];
    assert.ok(counts.length >= 4, `${path}: counts link to Explore`);
    let indicators = 0;
    for (const [, href, n] of counts) {
      const url = href!.replaceAll('&amp;', '&');
      const linked = parseExploreQuery(new URL(url, 'http://x').searchParams);
      assert.equal(linked.since, view.since, url);
      assert.deepEqual(linked.filters.severity ?? [], view.filters.severity ?? [], url);
      if (linked.q) {
        // An indicator: its value as the search, the view's filters and the side's platform kept.
        indicators++;
        const filters = { ...view.filters, platform: linked.filters.platform ?? [] };
        assert.equal(url, exploreUrl(view, { filters, q: linked.q, page: 1 }));
        continue;
      }
      const listed = await api<{ total: number }>(`/api/rules${url.slice(1)}`);
      assert.equal(listed.total, Number(n), `${url} lists the ${n} rules its count says`);
    }
    if (path.includes('sigma')) assert.ok(indicators > 0, 'indicator links were checked');
  }
});

test('Explore links to every coverage view with its filters; /coverage goes to the matrix', async () => {
  const explore = (await get('/?platform=elastic&q=okta')).text;
  for (const view of ['matrix', 'providers', 'indicators', 'compare'])
    assert.ok(explore.includes(`href="/coverage/${view}?q=okta&amp;platform=elastic"`), view);
  const bare = await get('/coverage?platform=elastic');
  assert.equal(bare.res.status, 302);
  assert.equal(bare.res.headers.get('location'), '/coverage/matrix?platform=elastic');
  assert.equal((await get('/coverage/nope')).res.status, 404);
  assert.equal((await get('/api/coverage/nope')).res.status, 404);
  assert.equal((await get('/coveragex')).res.status, 404);
});

test('a catalog built without an ATT&CK bundle lays the matrix out from its rules', async () => {
  const bare = openCoverageStore(null);
  const running = await startServer(bare.store, { port: 0, host: '127.0.0.1' });
  try {
    const m = (await (await fetch(new URL('/api/coverage/matrix', running.url))).json()) as AttackMatrix;
    assert.deepEqual(
      m.columns.map((c) => c.id),
      ['TA0002', 'TA0004', 'TA0005', 'TA0006'],
    );
    assert.ok(!m.columns.some((c) => c.techniques.some((t) => t.id === 'T1003')), 'no bundle, no uncovered techniques');
    // Names come from the rules then: the hostile rule's show as text.
    const page = await (await fetch(new URL('/coverage/matrix', running.url))).text();
    assert.ok(page.includes('Command &lt;script&gt;window.__xss=1;alert(1)&lt;/script&gt;'));
    assert.ok(page.includes('Execution &lt;script&gt;'));
    assertNoInjectedMarkup(page, 'matrix without bundle');
  } finally {
    await running.close();
    bare.cleanup();
  }
});
