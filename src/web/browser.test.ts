// End-to-end in a real browser (playwright-core driving Debian's chromium).
// Skipped with a message when /usr/bin/chromium is missing, unless CI is set (then it must run).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import type { CatalogStore } from '../store/read.js';
import { type BrowserSession, buildTempCatalog, noBrowser as noBrowserHere, serveInBrowser, watchPage } from './browser-harness.js';
import type { RunningServer } from './server.js';
import { openFixtureStore, xssId } from './fixture-catalog.js';

const corpus = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
const sources = [join(corpus, 'sentinel'), join(corpus, 'elastic')];

const noCorpus = sources.every((s) => existsSync(s))
  ? false
  : `skipped: the shared corpus is not at ${corpus} (needs sentinel/ and elastic/)`;

const noBrowser = noBrowserHere('browser tests');

describe('browser: the real corpus', { skip: noBrowser || noCorpus }, () => {
  let session: BrowserSession;
  let store: CatalogStore;
  let server: RunningServer;
  let browser: Browser;

  before(async () => {
    const built = await buildTempCatalog('ruleatlas-browser-', { sources });
    store = built.store;
    session = await serveInBrowser(store, built.cleanup);
    ({ server, browser } = session);
  });

  after(async () => {
    await session?.close();
  });

  test('search, open the Sentinel rule, follow "same action" to the Elastic rule', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watchPage(page);
    await page.goto(server.url);
    assert.match(await page.locator('.results-head .count').innerText(), /\d+ rules/);
    // The stylesheet loaded under the CSP.
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(246, 248, 250)');

    await page.locator('input[name="q"]').fill('impersonation');
    await Promise.all([page.waitForURL(/\?q=impersonation/), page.locator('input[name="q"]').press('Enter')]);
    const result = page.locator('.result h3 a', { hasText: /^User Session Impersonation\(Okta\)$/ });
    assert.equal(await result.count(), 1, 'only the newest copy is listed by default');
    await page.screenshot({ path: '/tmp/ruleatlas-explore.png' });

    await Promise.all([page.waitForURL(/\/rules\/sentinel%3A35846296-4052-4de2-8098-beb6bb5f2203$/), result.click()]);
    assert.equal(await page.locator('h1').innerText(), 'User Session Impersonation(Okta)');
    assert.match(await page.locator('.crumbs').innerText(), /Detection rules › Kusto/);
    assert.match(await page.locator('#attack').innerText(), /T1134\.003 Access Token Manipulation: Make and Impersonate Token/);
    assert.match(await page.locator('#events').innerText(), /Okta\s+user\.session\.impersonation\.initiate/);
    assert.match(await page.locator('#stages').innerText(), /Stage 1: source/);
    assert.match(await page.locator('#duplicates').innerText(), /4 files carry this native id; this is the newest copy/);
    await page.screenshot({ path: '/tmp/ruleatlas-rule.png', fullPage: true });

    const sameAction = page.locator('#same-action').getByRole('link', { name: 'Okta User Session Impersonation', exact: true });
    assert.equal(await sameAction.count(), 1);
    await Promise.all([page.waitForURL(/\/rules\/elastic%3Acdbebdc1-dc97-43c6-a538-f26a20c0a911$/), sameAction.click()]);
    assert.equal(await page.locator('h1').innerText(), 'Okta User Session Impersonation');
    assert.match(await page.locator('.rule-head .badges').innerText(), /Elastic Security/);
    assert.match(
      await page.locator('#query').innerText(),
      /data_stream\.dataset:okta\.system and event\.action:user\.session\.impersonation\.initiate/,
    );
    // Elastic's look-back is date math (`from = "now-..."`): shown as the duration.
    assert.match(await page.locator('.about').innerText(), /looking back \d+[smhd]\b/);
    assert.doesNotMatch(await page.locator('.about').innerText(), /now-/);
    await page.screenshot({ path: '/tmp/ruleatlas-elastic-rule.png', fullPage: true });

    assert.deepEqual(seen.errors, [], 'no console errors or CSP violations');
    assert.deepEqual(seen.dialogs, []);
    await page.close();
  });

  test('search: ids, file names, boolean operators, fields, syntax help and messages', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watchPage(page);
    const search = async (q: string) => {
      await page.goto(`${server.url}?${new URLSearchParams({ q }).toString()}`);
      const count = await page.locator('.results-head .count').innerText();
      return {
        total: Number(count.replace(/[^\d]/g, '')),
        first: await page
          .locator('.result h3 a')
          .first()
          .innerText()
          .catch(() => ''),
      };
    };
    // Every kind of name a rule goes by finds it, first.
    for (const q of [
      'cdbebdc1-dc97-43c6-a538-f26a20c0a911',
      'elastic:cdbebdc1-dc97-43c6-a538-f26a20c0a911',
      'credential_access_user_impersonation_access.toml',
    ])
      assert.equal((await search(q)).first, 'Okta User Session Impersonation', q);
    assert.equal((await search('35846296-4052-4de2-8098-beb6bb5f2203')).first, 'User Session Impersonation(Okta)');
    await page.goto(`${server.url}rules/cdbebdc1-dc97-43c6-a538-f26a20c0a911`);
    assert.equal(await page.locator('h1').innerText(), 'Okta User Session Impersonation', '/rules/<native id> leads to the rule');

    // OR is the union and -term the difference (inclusion-exclusion over the counts the page shows).
    const okta = (await search('okta')).total;
    const impersonation = (await search('impersonation')).total;
    const both = (await search('okta impersonation')).total;
    assert.ok(okta > 50 && impersonation > 5 && both > 2, `${okta} ${impersonation} ${both}`);
    assert.equal((await search('okta OR impersonation')).total, okta + impersonation - both);
    assert.equal((await search('okta -impersonation')).total, okta - both);
    const names = await page.locator('.result h3 a').allInnerTexts();
    assert.ok(!names.some((n) => /impersonation/i.test(n)), names.join('; '));
    assert.equal((await search('okta NOT impersonation')).total, okta - both);
    assert.equal((await search('(okta OR impersonation) -okta')).total, impersonation - both);
    const elastic = (await search('okta platform:elastic')).total;
    assert.equal((await search('okta -platform:elastic')).total, okta - elastic);

    // A search that cannot be read says why and lists nothing.
    await search('okta OR');
    assert.match(await page.locator('.search-error').innerText(), /OR and AND need a term on each side/);
    assert.equal(await page.locator('.result').count(), 0);

    // The syntax help opens on the page and its examples run.
    await page.goto(server.url);
    await page.locator('.search-help summary').click();
    const example = page.locator('.search-help-body a', { hasText: 'okta -impersonation' });
    assert.ok(await example.isVisible());
    await Promise.all([page.waitForURL(/q=okta\+-impersonation/), example.click()]);
    assert.equal(Number((await page.locator('.results-head .count').innerText()).replace(/[^\d]/g, '')), okta - both);
    assert.deepEqual(seen.errors, []);
    await page.close();
  });

  test('authors: the Author filter and author: find the rules counted by hand in the corpus', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watchPage(page);
    const count = async () => Number((await page.locator('.results-head .count').innerText()).replace(/[^\d]/g, ''));
    // Counted with grep over the shared corpus: 60 Elastic rule files name "Austin Songer" in `author`
    // (each its own rule_id, none a copy), 19 of them with no other author; no Sentinel rule names him.
    await page.goto(`${server.url}?${new URLSearchParams({ q: 'author:"austin songer"' }).toString()}`);
    assert.equal(await count(), 60);
    const facet = page.locator('.facet[aria-label="Author"] a.facet-opt', { has: page.locator('.label', { hasText: /^Austin Songer$/ }) });
    assert.equal(await facet.locator('.count').innerText(), '60');
    await page.goto(server.url);
    const option = page.locator('.facet[aria-label="Author"] a.facet-opt', { has: page.locator('.label', { hasText: /^Austin Songer$/ }) });
    await Promise.all([page.waitForURL(/\?author=Austin\+Songer$/), option.click()]);
    assert.equal(await count(), 60);
    assert.match(await page.locator('.chips').innerText(), /Author:\s+Austin Songer/);
    await page.goto(`${server.url}?${new URLSearchParams({ q: 'author:"austin songer" -author:elastic' }).toString()}`);
    assert.equal(await count(), 19);
    await page.goto(`${server.url}?${new URLSearchParams({ q: 'author:songer platform:sentinel' }).toString()}`);
    assert.equal(await count(), 0);
    assert.deepEqual(seen.errors, []);
    await page.close();
  });

  test('results mark the words searched for; the rule page wraps long query lines on request', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watchPage(page);
    await page.goto(`${server.url}?${new URLSearchParams({ q: 'okta impersonation -platform:sentinel' }).toString()}`);
    const marks = await page.locator('.result mark').allInnerTexts();
    assert.ok(marks.length >= 2, marks.join('; '));
    assert.ok(
      marks.every((m) => /^(okta|impersonation)/i.test(m)),
      marks.join('; '),
    );
    assert.equal(
      await page
        .locator('.result h3', { hasText: /^Okta User Session Impersonation$/ })
        .locator('mark')
        .count(),
      2,
    );
    // A word found only past the cut of a long description: the snippet is cut around it, marked.
    const late = store.rules.find(
      (r) =>
        r.duplicates?.newest !== false &&
        /^[\w.-]+$/.test(r.nativeId) &&
        /\bimpersonat/i.test(r.description.slice(400)) &&
        !/impersonat/i.test(r.description.slice(0, 400)),
    );
    assert.ok(late, 'a rule whose description names impersonation only past its first 400 characters');
    {
      await page.goto(`${server.url}?${new URLSearchParams({ q: `id:${late.nativeId} impersonat` }).toString()}`);
      const desc = page.locator('.result', { has: page.locator('h3', { hasText: late.name }) }).locator('.desc');
      assert.match(await desc.locator('mark').first().innerText(), /^impersonat/i, late.id);
    }
    // Without a search nothing is marked.
    await page.goto(server.url);
    assert.equal(await page.locator('.result mark').count(), 0);

    const long = store.rules.find((r) => r.duplicates?.newest !== false && r.query.split('\n').some((l) => l.length > 300))!;
    await page.goto(`${server.url}rules/${encodeURIComponent(long.id)}`);
    const code = page.locator('#query pre.code');
    const overflow = () => code.evaluate((el) => el.scrollWidth - el.clientWidth);
    assert.ok((await overflow()) > 100, 'a long line runs past the box');
    await page.locator('#wrap-code').check();
    assert.ok((await overflow()) <= 1, 'wrapped: no line runs past the box');
    await page.reload();
    assert.ok(await page.locator('#wrap-code').isChecked(), 'the choice is remembered');
    assert.ok((await overflow()) <= 1);
    await page.locator('#wrap-code').uncheck();
    assert.ok((await overflow()) > 100);
    assert.deepEqual(seen.errors, []);
    await page.close();
  });

  test('matrix: every tactic in view at 1,280 px; a cell opens the rules it counts, under its tactic', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watchPage(page);
    await page.goto(`${server.url}coverage/matrix`);
    const tactics = page.locator('.mx-tactic');
    // ATT&CK v19's enterprise tactics: Defense Impairment (TA0112) beside Stealth (TA0005), laid over the v18 bundle.
    assert.equal(await tactics.count(), 15, 'the enterprise tactics');
    for (const box of await tactics.evaluateAll((hs) => hs.map((h) => h.getBoundingClientRect().toJSON() as DOMRect)))
      assert.ok(box.left >= 0 && box.right <= 1280, `a tactic column at ${box.left}-${box.right} px`);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 1280, 'no sideways scroll');
    await page.screenshot({ path: '/tmp/ruleatlas-matrix-1280.png' });
    // T1134 sits under Privilege Escalation and Defense Evasion, with different rules in each.
    const shown: number[] = [];
    for (const tactic of ['TA0004', 'TA0005']) {
      await page.goto(`${server.url}coverage/matrix`);
      const cell = page.locator(`.mx-col[aria-labelledby="mx-${tactic}"] > ul > .mx-cell`, {
        has: page.locator('.mx-id', { hasText: /^T1134$/ }),
      });
      const count = Number(await cell.locator('> a.mx-link .mx-n').innerText());
      shown.push(count);
      await Promise.all([page.waitForURL(new RegExp(`q=matrix%3A${tactic}%2FT1134`)), cell.locator('> a.mx-link').click()]);
      const listed = Number((await page.locator('.results-head .count').innerText()).replace(/[^\d]/g, ''));
      assert.equal(listed, count, `${tactic}: the list holds what the cell counts`);
    }
    assert.notEqual(shown[0], shown[1], `${shown.join(' vs ')}: each tactic's cell counts its own rules`);
    assert.deepEqual(seen.errors, []);
    await page.close();
  });

  test('an indicator count opens the other rules with that indicator', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watchPage(page);
    await page.goto(`${server.url}rules/${encodeURIComponent('elastic:cdbebdc1-dc97-43c6-a538-f26a20c0a911')}`);
    const row = page.locator('#indicators tr', {
      has: page.locator('td.val code', { hasText: /^user\.session\.impersonation\.initiate$/ }),
    });
    const canonical = row.locator('td.num a').last();
    const shown = Number(await canonical.innerText());
    assert.ok(shown >= 1, `${shown} other rules share the canonical indicator`);
    await Promise.all([page.waitForURL(/canonical=event\.action%7Ceq%7Cuser\.session\.impersonation\.initiate/), canonical.click()]);
    assert.match(
      await page.locator('.chips').innerText(),
      /Canonical indicator:\s+event\.action eq user\.session\.impersonation\.initiate/,
    );
    const names = await page.locator('.result h3 a').allInnerTexts();
    assert.ok(names.includes('User Session Impersonation(Okta)'), 'the Sentinel rule, by its own field');
    assert.ok(!names.includes('Okta User Session Impersonation'), 'not the rule itself');
    const listed = Number((await page.locator('.results-head .count').innerText()).replace(/[^\d]/g, ''));
    // Copies of a rule count once; a rule whose only holder of the indicator is an older copy is counted, not listed.
    assert.ok(listed <= shown && listed >= 1, `${listed} listed, ${shown} counted`);
    assert.deepEqual(seen.errors, []);
    await page.close();
  });

  test('facets and sorting change the URL', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watchPage(page);
    await page.goto(server.url);
    const elastic = page.locator('.facet[aria-label="Platform"] a', { hasText: 'Elastic Security' });
    await Promise.all([page.waitForURL(/\?platform=elastic$/), elastic.click()]);
    assert.equal(await page.locator('.facet[aria-label="Platform"] a.on').count(), 1);
    // The client script submits the form when the sort changes; the filter stays.
    await Promise.all([page.waitForURL(/sort=name/), page.locator('select[name="sort"]').selectOption('name')]);
    assert.match(page.url(), /platform=elastic/);
    const names = await page.locator('.result h3 a').allInnerTexts();
    // Name order, leading punctuation aside.
    const key = (n: string) => n.replace(/^[^\p{L}\p{N}]+/u, '');
    assert.deepEqual(
      names,
      [...names].sort((a, b) => key(a).localeCompare(key(b))),
    );
    // A page past the end says so, and its link leads to the last page.
    await page.goto(`${server.url}?platform=elastic&page=9999`);
    const past = page.locator('.search-error', { hasText: /Page 9,999 is past the last page/ });
    assert.equal(await past.count(), 1);
    await Promise.all([page.waitForURL(/page=\d+$/), past.locator('a').click()]);
    assert.ok((await page.locator('.result').count()) > 0, 'the last page lists rules');
    assert.deepEqual(seen.errors, []);
    await page.close();
  });
});

describe('browser: rule content never runs as script', { skip: noBrowser }, () => {
  let session: BrowserSession;
  let server: RunningServer;
  let browser: Browser;

  before(async () => {
    const fixture = openFixtureStore();
    session = await serveInBrowser(fixture.store, fixture.cleanup);
    ({ server, browser } = session);
  });

  after(async () => {
    await session?.close();
  });

  test('a <script> in a rule name is shown as text', async () => {
    const page = await browser.newPage();
    const seen = watchPage(page);
    for (const path of [`/rules/${encodeURIComponent(xssId)}`, '/?q=evil', '/?q=evil+script+img+onerror+alert', '/report']) {
      await page.goto(new URL(path, server.url).href);
      assert.equal(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss), undefined, path);
      assert.equal(await page.locator('img').count(), 0, `${path}: no injected <img>`);
      assert.equal(await page.locator('script:not([src])').count(), 0, `${path}: no inline script`);
    }
    // The words searched for are marked inside the hostile name, which stays text.
    await page.goto(new URL('/?q=evil+script+img+onerror+alert', server.url).href);
    const name = page.locator('.result h3 a');
    assert.match(await name.innerText(), /^Evil <script>window\.__xss=1;alert\(1\)<\/script>/);
    assert.deepEqual(await name.locator('mark').allInnerTexts(), ['Evil', 'script', 'alert', 'script', 'img', 'onerror', 'alert']);
    await page.goto(new URL(`/rules/${encodeURIComponent(xssId)}`, server.url).href);
    assert.match(await page.locator('h1').innerText(), /<script>window\.__xss=1;alert\(1\)<\/script>/);
    const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    assert.ok(
      hrefs.every((h) => !/^\s*javascript:/i.test(h)),
      'no javascript: link',
    );
    assert.deepEqual(seen.dialogs, [], 'no alert() ran');
    await page.close();
  });
});
