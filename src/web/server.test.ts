import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ruleJson } from '../model/rule-json.js';
import { explore, parseExploreQuery, ruleSummary } from '../explore/explore.js';
import type { Rule } from '../model/types.js';
import type { CatalogStore } from '../store/read.js';
import { type RunningServer, startServer } from './server.js';
import { elasticId, olderId, openFixtureStore, sentinelId, xssId } from './fixture-catalog.js';

let fixture: { store: CatalogStore; cleanup(): void };
let server: RunningServer;

before(async () => {
  fixture = openFixtureStore();
  server = await startServer(fixture.store, { port: 0, host: '127.0.0.1' });
});

after(async () => {
  await server.close();
  fixture.cleanup();
});

async function get(path: string, init?: RequestInit) {
  const res = await fetch(new URL(path, server.url), { redirect: 'manual', ...init });
  return { res, text: await res.text() };
}

const ruleHref = (id: string) => `/rules/${encodeURIComponent(id)}`;

/** Every start tag with its attributes. Values are always double-quoted and escaped by `html`. */
function tags(page: string): { name: string; attrs: Map<string, string> }[] {
  const out: { name: string; attrs: Map<string, string> }[] = [];
  for (const m of page.matchAll(/<([a-zA-Z][\w-]*)([^>]*)>/g)) {
    const attrs = new Map<string, string>();
    for (const a of m[2]!.matchAll(/([^\s="']+)(?:="([^"]*)")?/g)) attrs.set(a[1]!.toLowerCase(), a[2] ?? '');
    out.push({ name: m[1]!.toLowerCase(), attrs });
  }
  return out;
}

function assertNoInjectedMarkup(page: string, where: string) {
  assert.ok(!/<script>alert|<script>window/i.test(page), `${where}: raw <script> from rule content`);
  for (const tag of tags(page)) {
    assert.notEqual(tag.name, 'img', `${where}: an <img> tag was injected`);
    for (const [name, value] of tag.attrs) {
      assert.ok(!name.startsWith('on'), `${where}: event handler attribute ${name} on <${tag.name}>`);
      if (name === 'href' || name === 'src') assert.ok(!/^\s*(javascript|data|vbscript):/i.test(value), `${where}: ${name}="${value}"`);
    }
    if (tag.name === 'script') assert.match(tag.attrs.get('src') ?? '', /^\/static\/app\.js\?v=/, `${where}: only the static script`);
    assert.ok(!tag.attrs.has('style'), `${where}: inline style attribute (blocked by the CSP)`);
    assert.notEqual(tag.name, 'style', `${where}: inline <style> (blocked by the CSP)`);
  }
}

test('Explore lists the current rules with facets and security headers', async () => {
  const { res, text } = await get('/');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'; script-src 'self'; style-src 'self'/);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
  assert.match(text, /5 rules/, 'the older copy is hidden by default');
  assert.ok(text.includes(`href="${ruleHref(sentinelId)}"`));
  assert.ok(text.includes(`href="${ruleHref(elasticId)}"`));
  assert.ok(!text.includes(`href="${ruleHref(olderId)}"`));
  for (const facet of ['Platform', 'Language', 'Severity', 'Tactic', 'Technique', 'Provider', 'Event'])
    assert.match(text, new RegExp(`<h3>${facet}`));
  assert.match(text, /Privilege Escalation \(TA0004\)/);
  assert.match(text, /T1134\.003 Access Token Manipulation: Make and Impersonate Token/);
  assert.match(text, /Microsoft Sentinel/);
  assert.match(text, /href="\/report"/);
  assertNoInjectedMarkup(text, '/');
});

test('Explore search, facet filters, sorting and duplicates live in the URL', async () => {
  const search = await get('/?q=impersonation');
  assert.equal(search.res.status, 200);
  assert.match(search.text, /2 rules/);
  assert.match(search.text, /value="impersonation"/);
  assert.ok(!search.text.includes('CloudTrail logging stopped'));

  const elastic = await get('/?platform=elastic');
  assert.match(elastic.text, /2 rules/);
  assert.ok(elastic.text.includes('Okta User Session Impersonation'));
  assert.ok(elastic.text.includes('Security log cleared'));
  assert.ok(!elastic.text.includes('CloudTrail logging stopped'));
  // The active value is checked and its link removes the filter; other platforms can be added.
  assert.match(
    elastic.text,
    /class="facet-opt on" href="\/" rel="nofollow"><span class="label"><span class="sr-only">Selected: <\/span>Elastic Security/,
  );
  assert.match(elastic.text, /href="\/\?platform=elastic&amp;platform=sentinel"/);
  assert.match(elastic.text, /<input type="hidden" name="platform" value="elastic">/);

  const both = await get('/?platform=elastic&platform=sentinel&sort=name');
  assert.match(both.text, /5 rules/);
  assert.match(both.text, /<option value="name" selected>/);

  const withCopies = await get('/?duplicates=1&q=impersonation');
  assert.match(withCopies.text, /3 rules/);
  assert.ok(withCopies.text.includes(`href="${ruleHref(olderId)}"`));
  assert.match(withCopies.text, /older copy/);

  // The other direction of an order: offered by name, kept by the page links, its own direction sent as no `dir`.
  const reversed = await get('/?sort=name&dir=desc&size=2');
  assert.match(
    reversed.text,
    /<select name="dir" data-autosubmit><option value="">A to Z<\/option><option value="desc" selected>Z to A<\/option>/,
  );
  assert.match(reversed.text, /rel="next" href="\/\?sort=name&amp;dir=desc&amp;size=2&amp;page=2"/);
  const names = (text: string) => [...text.matchAll(/<h3><a href="\/rules\/[^"]*">([^<]*)<\/a><\/h3>/g)].map((m) => m[1]);
  const forward = await get('/?sort=name&size=200');
  const backward = await get('/?sort=name&dir=desc&size=200');
  assert.ok(names(forward.text).length > 2);
  assert.deepEqual(names(backward.text), names(forward.text).reverse());
  assert.doesNotMatch((await get('/')).text, /name="dir"/);

  const paged = await get('/?size=2&page=2');
  assert.match(paged.text, /Page 2 of 3/);
  assert.match(paged.text, /rel="prev" href="\/\?size=2"/);
  assert.match(paged.text, /rel="next" href="\/\?size=2&amp;page=3"/);

  const none = await get('/?q=zzzznothing');
  assert.match(none.text, /0 rules/);
  assert.match(none.text, /No rules match/);
});

test('the rule page shows every section of the spec pages', async () => {
  const { res, text } = await get(ruleHref(sentinelId));
  assert.equal(res.status, 200);
  assert.match(text, /<a href="\/">Detection rules<\/a> <span aria-hidden="true">&rsaquo;<\/span> <a href="\/\?language=kql">/);
  assert.match(text, /<h1>User Session Impersonation\(Okta\)<\/h1>/);
  for (const heading of [
    'MITRE ATT&amp;CK coverage',
    'Event coverage',
    'Rules detecting the same action',
    'Similar rules',
    'Detection query',
    'Stages and predicates',
    'Indicators',
    'Output fields',
    'Diagnostics',
    'Duplicates',
    'References',
    'Raw rule body',
  ]) {
    assert.ok(text.includes(`">${heading}</a></h2>`), `section ${heading}`);
  }
  for (const label of ['Author', 'Created', 'Updated', 'Version', 'Status', 'Data sources', 'Tags', 'Schedule', 'Source']) {
    assert.ok(text.includes(`<dt>${label}</dt>`), `about ${label}`);
  }
  // Badges and status.
  assert.match(text, /Microsoft Sentinel/);
  assert.match(text, /sev-medium/);
  assert.match(text, /Status: Available/);
  // ATT&CK: the sub-technique replaces its listed parent under the tactic.
  assert.match(text, /Privilege Escalation/);
  assert.match(text, /T1134\.003<\/a> Access Token Manipulation: Make and Impersonate Token/);
  assert.ok(!text.includes('>T1134</a>'), 'the parent technique is not listed beside its sub-technique');
  // Events with provider display name.
  assert.match(text, /<a href="\/\?provider=okta">Okta<\/a>/);
  assert.match(text, /user\.session\.impersonation\.initiate/);
  // Same action: linked, with platform.
  assert.match(
    text,
    new RegExp(
      `<a href="${ruleHref(elasticId).replace(/[.%]/g, '\\$&')}">Okta User Session Impersonation</a> <span class="muted">\\(Elastic Security\\)</span>`,
    ),
  );
  // Highlighted query.
  assert.match(text, /<span class="hl-k">where<\/span>/);
  // Stages and predicate tree.
  assert.match(text, /Stage 1: source/);
  assert.match(text, /Stage 2: where/);
  assert.match(text, /<span class="pn-op">AND<\/span>/);
  assert.match(text, /<span class="pn-op">OR<\/span>/);
  assert.match(text, /<span class="pn-op">NOT<\/span>/);
  assert.match(
    text,
    /<span class="pf">actor_type_s<\/span> <span class="po">in<\/span> <span class="pv">\(&quot;SystemPrincipal&quot;, &quot;App&quot;\)<\/span>/,
  );
  // Indicators: kind with negation and case marker, value never blank, corpus count as a number.
  assert.match(
    text,
    /<td class="fld"><code>outcome_result_s<\/code><\/td><td>eq <span class="muted small">\(case-sensitive\)<\/span><\/td><td class="val"><code>SUCCESS<\/code><\/td><td class="num shared"><a href="\/\?q=-id%3A%22sentinel%3A35846296-4052-4de2-8098-beb6bb5f2203%22&amp;indicator=outcome_result_s%7Ceq%7CSUCCESS" title="12 other rules \(copies of a rule counted once\) with this indicator: open the current copies in Explore">12<\/a><\/td>/,
  );
  assert.match(text, /<span class="neg">not<\/span> eq/);
  assert.match(text, /\(empty string\)/);
  assert.match(text, /corpus column counts how many other rules/);
  assert.ok(!/<td class="val"><\/td>/.test(text), 'no blank value cell');
  // Canonical form and its count beside the per-field count; a dash where the field does not map.
  assert.match(
    text,
    /<td class="num shared"><a [^>]*>3<\/a><\/td><td class="canon"><code>event\.action<\/code> eq <code>user\.session\.impersonation\.initiate<\/code><\/td><td class="num shared"><a href="[^"]*&amp;canonical=event\.action%7Ceq%7Cuser\.session\.impersonation\.initiate" [^>]*>7<\/a><\/td>/,
  );
  assert.match(
    text,
    /<td class="num shared"><a [^>]*>12<\/a><\/td><td><span class="muted" title="The field has no canonical form">&mdash;<\/span><\/td><td class="num"><span class="muted"[^>]*>&mdash;<\/span><\/td>/,
  );
  assert.ok(!/<td( class="[^"]*")?><\/td>/.test(text), 'no blank cell');
  // Similar rules after the same-action ones: link, platform, score and what they share.
  assert.ok(text.indexOf('id="similar"') > text.indexOf('id="same-action"'));
  assert.match(
    text,
    new RegExp(
      `<a href="${ruleHref(elasticId).replace(/[.%]/g, '\\$&')}">Okta User Session Impersonation</a> <span class="muted">\\(Elastic Security\\)</span> <span class="badge" title="Similarity score">0\\.42</span><div class="small">shares <code>event\\.action eq user\\.session\\.impersonation\\.initiate</code>, <code>T1134</code></div>`,
    ),
  );
  // Output fields with mappedBy.
  assert.match(text, /actor_alternateId_s<\/code><\/td><td>project <span class="muted">\+ entityMappings<\/span>/);
  // Diagnostics with positions.
  assert.match(text, /line 2, column 9 · file line 5/);
  // Duplicates.
  assert.match(text, /2 files carry this native id; this is the newest copy\./);
  assert.ok(text.includes(`href="${ruleHref(olderId)}"`));
  // References: http(s) are links with rel, anything else is text.
  assert.match(text, /<a href="https:\/\/help\.okta\.com\/impersonation" rel="noopener noreferrer nofollow" target="_blank">/);
  assert.ok(!text.includes('href="ftp:'));
  assert.match(text, />ftp:\/\/example\.com\/not-a-link</);
  // Raw body highlighted as YAML with the query in KQL, and the source path.
  assert.match(text, /<span class="hl-p">name<\/span>/);
  assert.match(text, /<span class="hl-c"># a comment<\/span>/);
  assert.match(text, /sentinel\/Solutions\/Okta\/UserSessionImpersonation\.yaml/);
  assertNoInjectedMarkup(text, 'sentinel rule');
});

test('the older copy and the Elastic rule pages', async () => {
  const older = await get(ruleHref(olderId));
  assert.equal(older.res.status, 200);
  assert.match(older.text, /this is an older copy\./);
  assert.ok(older.text.includes(`href="${ruleHref(sentinelId)}"`));

  const elastic = await get(ruleHref(elasticId));
  assert.equal(elastic.res.status, 200);
  assert.match(elastic.text, /<h1>Okta User Session Impersonation<\/h1>/);
  assert.match(elastic.text, /Elastic Security/);
  assert.match(elastic.text, /<dt>Risk score<\/dt><dd>73<\/dd>/);
  assert.match(elastic.text, /Investigation guide/);
  assert.match(elastic.text, /<span class="hl-h">\[metadata\]<\/span>/);
  assert.match(elastic.text, /Valid Accounts: Cloud Accounts/);
  assert.ok(!elastic.text.includes('>T1078</a>'));
  assert.match(elastic.text, /Credential Access/);
  assert.ok(elastic.text.includes(`href="${ruleHref(sentinelId)}"`), 'same action back to Sentinel');
  assert.match(elastic.text, /No other rule shares a canonical indicator rare enough to count\./);
});

test('rule content cannot inject markup anywhere', async () => {
  for (const path of [
    ruleHref(xssId),
    '/?q=evil',
    '/?duplicates=1',
    `/?severity=${encodeURIComponent('high"><img src=x onerror=alert(1)>')}`,
    '/report',
    '/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E',
  ]) {
    const { res, text } = await get(path);
    assert.equal(res.status, 200, path);
    assertNoInjectedMarkup(text, path);
  }
  const { text } = await get(ruleHref(xssId));
  assert.ok(text.includes('&lt;script&gt;window.__xss=1;alert(1)&lt;/script&gt;'));
  assert.ok(text.includes('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'));
  assert.ok(!text.includes('href="javascript:'));
  assert.ok(!/href="\s*javascript:/i.test(text));
  assert.match(text, />javascript:alert\(1\)</, 'a javascript: reference is shown as text');
  assert.ok(text.includes('href="https://example.com/%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E"'));
});

test('the build report page', async () => {
  const { res, text } = await get('/report');
  assert.equal(res.status, 200);
  assert.match(text, /<h1>Build report<\/h1>/);
  assert.match(text, /Languages/);
  assert.match(text, /Platforms/);
  assert.match(text, /75\.0%/);
  assert.match(text, /Queries that did not parse/);
  assert.ok(text.includes(`href="${ruleHref(xssId)}"`));
  assert.match(text, /Files with errors/);
  assert.match(text, /1 file no format claims/);
});

test('JSON API', async () => {
  const list = await get('/api/rules?q=impersonation');
  assert.equal(list.res.status, 200);
  assert.equal(list.res.headers.get('content-type'), 'application/json; charset=utf-8');
  const body = JSON.parse(list.text);
  assert.equal(body.total, 2);
  assert.equal(body.page, 1);
  assert.equal(body.pageSize, 25);
  assert.deepEqual(body.items.map((r: { id: string }) => r.id).sort(), [elasticId, sentinelId].sort());
  assert.equal(body.items[0].body, undefined, 'items are summaries without the file body');
  assert.equal(body.items[0].stages, undefined, 'items are summaries: stages are on /api/rules/<id>');
  assert.ok(Array.isArray(body.facets.platform));

  // The answer is exactly the explore() result with summaries for items.
  for (const search of ['q=impersonation', 'platform=elastic&sort=name', 'duplicates=1&size=2&page=2', '']) {
    const params = new URLSearchParams(search);
    const r = explore(fixture.store, parseExploreQuery(params));
    const facetTotals = Object.fromEntries(Object.entries(r.facets).map(([k, v]) => [k, v.length]));
    const expected = { total: r.total, page: r.page, pageSize: r.pageSize, items: r.items.map(ruleSummary), facets: r.facets, facetTotals };
    assert.deepEqual(JSON.parse((await get(`/api/rules?${search}`)).text), JSON.parse(JSON.stringify(expected)), search);
  }

  // facetLimit keeps the most frequent values of each facet; facetTotals still counts them all.
  const limited = JSON.parse((await get('/api/rules?facetLimit=1')).text);
  for (const [name, values] of Object.entries(limited.facets as Record<string, unknown[]>)) {
    assert.ok(values.length <= 1, name);
    assert.equal(typeof limited.facetTotals[name], 'number');
  }
  assert.ok(limited.facetTotals.platform >= 2);

  const filtered = JSON.parse((await get('/api/rules?platform=elastic&size=1')).text);
  assert.equal(filtered.total, 2);
  assert.equal(filtered.items.length, 1);

  const one = await get(`/api/rules/${encodeURIComponent(sentinelId)}`);
  assert.equal(one.res.status, 200);
  const rule = JSON.parse(one.text);
  assert.equal(rule.id, sentinelId);
  assert.equal(rule.name, 'User Session Impersonation(Okta)');
  assert.equal(rule.body, undefined);
  assert.deepEqual(rule, JSON.parse(JSON.stringify(ruleJson(fixture.store.byId.get(sentinelId)!))));
  // Corpus-level canonical fields travel with the rule.
  assert.equal(rule.indicators[0].canonical.corpusCount, 7);
  assert.equal(rule.indicators[1].canonical, undefined);
  assert.equal(rule.similar[0].id, elasticId);

  const missing = await get('/api/rules/nope');
  assert.equal(missing.res.status, 404);
  assert.equal(missing.res.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.ok(JSON.parse(missing.text).error);

  const report = await get('/api/report');
  assert.equal(report.res.status, 200);
  assert.equal(JSON.parse(report.text).rules, 6);

  assert.equal((await get('/api/nothing')).res.status, 404);
});

test('a rendering error is a 500 page without details', async () => {
  const broken = { id: 'broken', name: 'Broken', attack: null } as unknown as Rule;
  const store = {
    rules: [],
    byId: new Map([['broken', broken]]),
    report: {},
    attackMatrix: () => undefined,
    storedTests: () => [],
  } as unknown as CatalogStore;
  const running = await startServer(store, { port: 0, host: '127.0.0.1' });
  const logged: unknown[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => void logged.push(args);
  try {
    const res = await fetch(new URL('/rules/broken', running.url));
    const text = await res.text();
    assert.equal(res.status, 500);
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(text, /Something went wrong/);
    assert.ok(!/TypeError|\bat .+:\d+:\d+|node:internal|\.ts\b/.test(text), 'no error details or stack on the page');
    assert.equal(logged.length, 1, 'the error is logged on the server');
  } finally {
    console.error = original;
    await running.close();
  }
});

test('answers sent at once keep their own bytes, with the page cache off and on', async () => {
  // Pages are written from pooled slabs (reply-bytes.ts): a slab reused before its answer was written out would
  // mix two answers. Many answers at once, each compared with the same page fetched alone.
  for (const cacheBytes of [0, 64 * 1024 * 1024]) {
    const running = await startServer(fixture.store, { port: 0, host: '127.0.0.1', cacheBytes });
    try {
      const paths = [
        '/',
        '/?q=okta',
        '/?platform=sigma',
        '/?platform=elastic',
        '/?q=powershell',
        '/?sort=name',
        ...fixture.store.rules.slice(0, 12).map((r) => ruleHref(r.id)),
      ];
      const alone = new Map<string, string>();
      for (const p of paths) alone.set(p, await (await fetch(new URL(p, running.url))).text());
      assert.ok(
        [...alone.values()].some((page) => Buffer.byteLength(page) >= 16 * 1024),
        'some answers are large enough to be pooled',
      );
      for (let round = 0; round < 3; round++) {
        const many = paths.flatMap((p) => [p, p, p]);
        const got = await Promise.all(many.map(async (p) => [p, await (await fetch(new URL(p, running.url))).text()] as const));
        for (const [p, page] of got) assert.equal(page, alone.get(p), `${p} with cacheBytes ${cacheBytes}`);
      }
    } finally {
      await running.close();
    }
  }
});

test('404s, methods, HEAD and static files', async () => {
  const missing = await get('/nope');
  assert.equal(missing.res.status, 404);
  assert.match(missing.text, /Not found/);
  assert.equal((await get('/rules/no-such-rule')).res.status, 404);
  assert.equal((await get('/rules/%E0%A4%A')).res.status, 404, 'malformed percent-encoding');
  assert.equal((await get('/rules/')).res.status, 404);

  const post = await get('/', { method: 'POST', body: 'x' });
  assert.equal(post.res.status, 405);
  assert.equal(post.res.headers.get('allow'), 'GET, HEAD');

  const head = await fetch(new URL(ruleHref(sentinelId), server.url), { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.ok(Number(head.headers.get('content-length')) > 1000);
  assert.equal(await head.text(), '');

  const css = await get('/static/style.css');
  assert.equal(css.res.status, 200);
  assert.equal(css.res.headers.get('content-type'), 'text/css; charset=utf-8');
  assert.match(css.text, /--accent/);
  const etag = css.res.headers.get('etag')!;
  const again = await fetch(new URL('/static/style.css', server.url), { headers: { 'if-none-match': etag } });
  assert.equal(again.status, 304);

  const js = await get('/static/app.js');
  assert.equal(js.res.status, 200);
  assert.equal(js.res.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.equal((await get('/static/../server.ts')).res.status, 404);
});

test('/rules/<native id, file name> leads to the rule it names; an invalid search is a message (a 400 in the API)', async () => {
  // The Sentinel native id has an older copy: the current one is the rule.
  for (const name of [
    '35846296-4052-4de2-8098-beb6bb5f2203',
    'CDBEBDC1-DC97-43C6-A538-F26A20C0A911',
    'credential_access_user_impersonation_access.toml',
  ]) {
    const { res } = await get(`/rules/${encodeURIComponent(name)}`);
    assert.equal(res.status, 302, name);
    assert.equal(res.headers.get('location'), ruleHref(name.startsWith('3') ? sentinelId : elasticId), name);
  }
  const { res: page, text } = await get(`/?q=${encodeURIComponent('okta OR')}`);
  assert.equal(page.status, 200);
  assert.match(text, /class="search-error" role="alert"><strong>This search cannot be run.<\/strong> OR and AND need a term/);
  assert.doesNotMatch(text, /class="result"/);
  const api = await get(`/api/rules?q=${encodeURIComponent('"okta')}`);
  assert.equal(api.res.status, 400);
  assert.match((JSON.parse(api.text) as { error: string }).error, /quote/);
  assert.equal((await get(`/api/export?format=csv&q=${encodeURIComponent('autor:x')}`)).res.status, 400);
  const union = JSON.parse((await get(`/api/rules?q=${encodeURIComponent('okta OR xss')}`)).text) as { total: number };
  const okta = JSON.parse((await get('/api/rules?q=okta')).text) as { total: number };
  assert.ok(union.total > okta.total, 'OR adds the rules of its other side');
});

test('an indicator count on the rule page opens Explore on the other rules with that indicator', async () => {
  const { text } = await get(ruleHref(elasticId));
  const links = [...text.matchAll(/<td class="num shared"><a href="([^"]*)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
  assert.ok(links.length > 0, 'a shared indicator links');
  for (const href of links) {
    const params = new URLSearchParams(href.slice(2));
    assert.equal(params.get('q'), `-id:"${elasticId}"`);
    assert.ok(params.get('indicator') ?? params.get('canonical'));
    const page = (await get(href)).text;
    assert.match(page, /<span class="chip-k">(Canonical indicator|Indicator):<\/span>/);
    assert.ok(!page.includes(`href="${ruleHref(elasticId)}"`), 'the rule itself is left out');
    assert.match(page, /name="(indicator|canonical)" value="/, 'a new search keeps the filter');
  }
});

test('a page past the last one says so and links to the last', async () => {
  const { res, text } = await get('/?page=999');
  assert.equal(res.status, 200);
  assert.match(text, /Page 999 is past the last page of these results \(1\): <a href="\/">go to page 1<\/a>/);
  assert.doesNotMatch(text, /page 999 of/i);
});
