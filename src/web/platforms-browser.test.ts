// Issue #14's done-when, item by item, in a real browser (as browser.test.ts: skipped without chromium
// unless CI) on a catalog of the shared corpus's Okta rules of every platform (Sentinel, Elastic, Sigma,
// Splunk, Chronicle, Panther rules and queries), and one hostile rule of our own beside them. What a page
// should show is worked out here from the corpus files and the rules' texts, not by our search code.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { Rule } from '../model/types.js';
import type { CatalogStore } from '../store/read.js';
import {
  assertHostileMarkdownInert,
  type BrowserSession,
  buildTempCatalog,
  hostileMarkdown,
  noBrowser as noBrowserHere,
  serveInBrowser,
  watchPage,
} from './browser-harness.js';
import type { RunningServer } from './server.js';

const corpus = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
const corpusSources = [
  join(corpus, 'sentinel', 'Solutions', 'Okta Single Sign-On'),
  join(corpus, 'elastic', 'rules', 'integrations', 'okta'),
  join(corpus, 'sigma', 'rules', 'identity', 'okta'),
  join(corpus, 'splunk', 'detections', 'application'),
  join(corpus, 'chronicle', 'rules', 'community', 'okta'),
  join(corpus, 'panther', 'rules', 'okta_rules'),
  join(corpus, 'panther', 'queries', 'okta_queries'),
  join(corpus, 'panther', 'correlation_rules'),
];
// The shared corpus holds Panther's YAML without its Python (see its MANIFEST): the repository's Panther Python fixture stands in.
const pythonFixture = fileURLToPath(new URL('../evaluate/fixtures/panther-python/', import.meta.url));
const noCorpus = corpusSources.every((s) => existsSync(s)) ? false : `skipped: the shared corpus is not at ${corpus}`;
const noBrowser = noBrowserHere('every platform browser tests');

const count = (text: string) => Number(text.replace(/[^\d]/g, ''));
const listedCount = async (page: Page) => count(await page.locator('.results-head .count').innerText());

/** Our own Elastic rule whose guide and set-up are hostile markdown (`hostileMarkdown`), served beside the corpus's. */
const hostileToml = `[metadata]
creation_date = "2024/01/02"
maturity = "production"
updated_date = "2024/01/03"

[rule]
author = ["ruleatlas tests"]
description = "A rule whose investigation guide and set-up note are hostile markdown."
index = ["logs-okta*"]
language = "kuery"
name = "Hostile markdown guide"
risk_score = 21
rule_id = "0d0d0d0d-1111-4222-8333-444444444444"
severity = "low"
type = "query"
query = '''
event.dataset:okta.system and event.action:user.session.start
'''
note = """${hostileMarkdown}"""
setup = """${hostileMarkdown}"""
`;

/** The rules Explore lists by default: current, newest copies. */
const listedRules = (store: CatalogStore) => store.rules.filter((r) => !r.removed && r.duplicates?.newest !== false);

/**
 * The texts a search reads, by hand: a rule's own words, its name, description, query and tags, its ATT&CK
 * technique ids and names and tactic names, the fields and values it tests and the fields it outputs (not
 * the events a wildcard of it expands to over the whole corpus: those are found with `event:`).
 */
const searchedText = (r: Rule) =>
  [
    r.name,
    r.description,
    r.query,
    ...r.tags,
    ...r.attack.techniques.map((t) => `${t.id} ${t.name}`),
    ...r.attack.tactics.map((t) => t.name),
    ...r.indicators.flatMap((i) => [i.field, i.value]),
    ...r.outputFields.map((o) => o.field),
  ].join('\n');
/** A word starting with `term` (any case): what a search term matches. */
const hasWord = (text: string, term: string) => new RegExp(`(?<![\\p{L}\\p{M}\\p{N}])${term}`, 'iu').test(text);

describe('browser: issue #14 on every platform of the shared corpus', { skip: noBrowser || noCorpus }, () => {
  let session: BrowserSession;
  let store: CatalogStore;
  let server: RunningServer;
  let browser: Browser;
  let hostileDir = '';

  before(async () => {
    hostileDir = mkdtempSync(join(tmpdir(), 'ruleatlas-hostile-'));
    writeFileSync(join(hostileDir, 'hostile_markdown_guide.toml'), hostileToml);
    const built = await buildTempCatalog('ruleatlas-platforms-', { sources: [...corpusSources, pythonFixture, hostileDir] });
    store = built.store;
    session = await serveInBrowser(store, built.cleanup);
    ({ server, browser } = session);
  });

  after(async () => {
    await session?.close();
    if (hostileDir) rmSync(hostileDir, { recursive: true, force: true });
  });

  test('item 1: every kind of name a rule goes by finds it first, on every platform; /rules/<native id> leads to it', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watchPage(page);
    const listed = listedRules(store);
    const platforms = [...new Set(listed.map((r) => r.platform))].sort();
    assert.deepEqual(platforms, ['chronicle', 'elastic', 'panther', 'sentinel', 'sigma', 'splunk']);
    const fileNames = new Map<string, number>();
    for (const r of store.rules) fileNames.set(basename(r.path), (fileNames.get(basename(r.path)) ?? 0) + 1);
    const nativeIds = new Map<string, number>();
    for (const r of store.rules) nativeIds.set(r.nativeId.toLowerCase(), (nativeIds.get(r.nativeId.toLowerCase()) ?? 0) + 1);
    for (const platform of platforms) {
      // A rule whose native id and file name are its own (a copy's would list its newest copy).
      const rule = listed.find(
        (r) => r.platform === platform && nativeIds.get(r.nativeId.toLowerCase()) === 1 && fileNames.get(basename(r.path)) === 1,
      );
      assert.ok(rule, `a ${platform} rule`);
      for (const q of [rule.nativeId, rule.id, basename(rule.path), rule.path, `${rule.sourceName}/${rule.path}`]) {
        await page.goto(`${server.url}?${new URLSearchParams({ q }).toString()}`);
        const first = await page.locator('.result h3 a').first().getAttribute('href');
        assert.equal(first, `/rules/${encodeURIComponent(rule.id)}`, `${platform}: ${q}`);
      }
      await page.goto(`${server.url}rules/${encodeURIComponent(rule.nativeId)}`);
      assert.equal(new URL(page.url()).pathname, `/rules/${encodeURIComponent(rule.id)}`, `${platform}: /rules/${rule.nativeId}`);
    }
    assert.deepEqual(seen.errors, []);
    await page.close();
  });

  test('item 2: OR, NOT, -term and brackets list the rules a plain filter over their texts counts', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watchPage(page);
    const texts = listedRules(store).map(searchedText);
    const hand = (keep: (has: (term: string) => boolean) => boolean) => texts.filter((t) => keep((term) => hasWord(t, term))).length;
    const cases: [string, number][] = [
      ['okta', hand((has) => has('okta'))],
      ['mfa OR impersonat', hand((has) => has('mfa') || has('impersonat'))],
      ['okta -mfa', hand((has) => has('okta') && !has('mfa'))],
      ['okta NOT push', hand((has) => has('okta') && !has('push'))],
      ['(mfa OR push) -factor', hand((has) => (has('mfa') || has('push')) && !has('factor'))],
      [
        'session (admin OR privilege) -impersonation',
        hand((has) => has('session') && (has('admin') || has('privilege')) && !has('impersonation')),
      ],
    ];
    for (const [q, expected] of cases) {
      await page.goto(`${server.url}?${new URLSearchParams({ q }).toString()}`);
      assert.equal(await listedCount(page), expected, q);
    }
    // Not a search that finds everything or nothing.
    assert.ok(
      cases.every(([, n]) => n > 0 && n < texts.length),
      cases.map(([q, n]) => `${q}: ${n}`).join('; '),
    );
    assert.deepEqual(seen.errors, []);
    await page.close();
  });

  test('item 3: every matrix cell at 1,280 px opens a list of as many rules as it counts', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watchPage(page);
    await page.goto(`${server.url}coverage/matrix`);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 1280, 'no sideways scroll');
    for (const box of await page.locator('.mx-tactic').evaluateAll((hs) => hs.map((h) => h.getBoundingClientRect().toJSON() as DOMRect)))
      assert.ok(box.left >= 0 && box.right <= 1280, `a tactic column at ${box.left}-${box.right} px`);
    // Every counted cell, sub-techniques included, and what its link lists (as the browser follows it).
    const cells = await page
      .locator('.mx-cell > a.mx-link')
      .evaluateAll((as) =>
        as.map((a) => ({ href: a.getAttribute('href') ?? '', n: Number(a.querySelector('.mx-n')?.textContent ?? 'NaN') })),
      );
    const counted = cells.filter((c) => c.n > 0);
    assert.ok(counted.length > 20, `${counted.length} covered cells`);
    const wrong: string[] = [];
    for (const cell of counted) {
      await page.goto(new URL(cell.href, server.url).href);
      const listed = await listedCount(page);
      if (listed !== cell.n) wrong.push(`${cell.href}: ${cell.n} counted, ${listed} listed`);
    }
    assert.deepEqual(wrong, []);
    assert.deepEqual(seen.errors, []);
    await page.close();
  });

  test('items 5 and 6: every indicator count on a rule page is a link to as many other rules; values keep their width', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watchPage(page);
    // Rules whose indicators other rules share, one per platform.
    const shared = listedRules(store).filter((r) => r.indicators.some((i) => (i.corpusCount ?? 0) > 0));
    const sample = [...new Map(shared.map((r) => [r.platform, r])).values()];
    assert.ok(sample.length >= 4, sample.map((r) => r.id).join(' '));
    for (const rule of sample) {
      await page.goto(`${server.url}rules/${encodeURIComponent(rule.id)}`);
      const numbers = page.locator('#indicators td.num');
      const cells = await numbers.evaluateAll((tds) =>
        tds.map((td) => ({ text: td.textContent?.trim() ?? '', href: td.querySelector('a')?.getAttribute('href') ?? null })),
      );
      const nonZero = cells.filter((c) => /^[1-9][\d,]*$/.test(c.text));
      assert.ok(nonZero.length > 0, `${rule.id}: a shared indicator`);
      assert.deepEqual(
        nonZero.filter((c) => c.href === null),
        [],
        `${rule.id}: every count is a link`,
      );
      for (const c of nonZero.slice(0, 4)) {
        await page.goto(new URL(c.href!, server.url).href);
        const listed = await listedCount(page);
        // Copies count once and a rule held only by an older copy is counted, not listed: never more than counted.
        assert.ok(listed >= 1 && listed <= count(c.text), `${c.href}: ${listed} listed, ${c.text} counted`);
        assert.ok(
          !(await page.locator('.result h3 a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).includes(
            `/rules/${encodeURIComponent(rule.id)}`,
          ),
          'not the rule itself',
        );
      }
    }
    // A long value beside the rest of the table keeps a readable column: the value and canonical cells hold
    // at least 16 characters of their code a line (they were squeezed to 13: "user.authent|ication.auth|_via_IDP"),
    // and the table fits its box (an unbreakable canonical form had pushed it past, squeezing the values).
    const long = listedRules(store).find(
      (r) => r.indicators.filter((i) => i.value.length > 30 && i.canonical).length > 1 && r.indicators.length > 5,
    )!;
    await page.goto(`${server.url}rules/${encodeURIComponent(long.id)}`);
    const widths = await page.locator('#indicators td.val, #indicators td.canon').evaluateAll((tds) =>
      tds.flatMap((td) => {
        const code = td.querySelector('code');
        if (!code) return [];
        const measure = document.createElement('canvas').getContext('2d')!;
        measure.font = getComputedStyle(code).font;
        const style = getComputedStyle(td);
        const inner = td.clientWidth - Number.parseFloat(style.paddingLeft) - Number.parseFloat(style.paddingRight);
        return [{ text: (td.textContent ?? '').trim(), chars: Math.floor(inner / measure.measureText('x').width) }];
      }),
    );
    assert.ok(widths.length > 4, `${long.id}: values`);
    assert.deepEqual(
      widths.filter((v) => v.chars < 16),
      [],
      `${long.id}: characters a line`,
    );
    assert.ok(await page.locator('#indicators .scroll').evaluate((el) => el.scrollWidth <= el.clientWidth + 1), 'the table fits its box');
    assert.deepEqual(seen.errors, []);
    await page.close();
  });

  test('item 8: labels as each platform means them, read from the rule files', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watchPage(page);
    const file = (r: Rule) => {
      const source = corpusSources.find((s) => basename(s) === r.sourceName);
      return source ? readFileSync(join(source, r.path), 'utf8') : '';
    };
    // Panther: DedupPeriodMinutes groups alerts of a rule run on every event; no look-back.
    const panther = listedRules(store).find((r) => r.platform === 'panther' && /^DedupPeriodMinutes:\s*\d+/m.test(file(r)))!;
    const minutes = /^DedupPeriodMinutes:\s*(\d+)/m.exec(file(panther))![1]!;
    await page.goto(`${server.url}rules/${encodeURIComponent(panther.id)}`);
    const pantherAbout = await page.locator('.about').innerText();
    assert.match(pantherAbout, new RegExp(`alerts merged over ${minutes}m\\s+\\(dedup period\\)`), panther.id);
    assert.doesNotMatch(pantherAbout, /looking back/);
    // Elastic: its `type` a badge, its look-back (`from = "now-..."`) a duration.
    const elastic = listedRules(store).find((r) => r.platform === 'elastic' && /^from = "now-/m.test(file(r)))!;
    await page.goto(`${server.url}rules/${encodeURIComponent(elastic.id)}`);
    assert.match(await page.locator('.rule-head .badges').innerText(), new RegExp(`\\b${/^type = "(\w+)"/m.exec(file(elastic))![1]}\\b`));
    const elasticAbout = await page.locator('.about').innerText();
    assert.match(elasticAbout, /looking back \d+[smhd]\b/);
    assert.doesNotMatch(elasticAbout, /now-/);
    // Splunk: the analytic type (TTP, Anomaly, Hunting) a badge.
    for (const type of ['TTP', 'Anomaly', 'Hunting']) {
      const splunk = listedRules(store).find((r) => r.platform === 'splunk' && new RegExp(`^type: ${type}$`, 'm').test(file(r)))!;
      await page.goto(`${server.url}rules/${encodeURIComponent(splunk.id)}`);
      const badges = await page.locator('.rule-head .badges span[title="Rule type"]').allInnerTexts();
      assert.ok(badges.includes(type), `${splunk.id}: ${type} as Splunk writes it in ${badges.join(' ')}`);
    }
    assert.deepEqual(seen.errors, []);
    await page.close();
  });

  test('item 9: the Provider, Event and Source filters are in view at 1,280 × 900 without scrolling', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watchPage(page);
    await page.goto(server.url);
    for (const name of ['Provider', 'Event', 'Source']) {
      const box = await page.locator(`.facet[aria-label="${name}"] h3`).boundingBox();
      assert.ok(box && box.y >= 0 && box.y + box.height <= 900, `${name} at ${box?.y} px`);
    }
    assert.deepEqual(seen.errors, []);
    await page.close();
  });

  test('item 10: every language of the catalog is highlighted from its own folder', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watchPage(page);
    const languages = [
      ...new Set(
        listedRules(store)
          .filter((r) => r.query)
          .map((r) => r.language),
      ),
    ].sort();
    for (const need of ['eql', 'esql', 'kql', 'kuery', 'panther-detection', 'python', 'sigma', 'spl', 'sql', 'yaral'])
      assert.ok(languages.includes(need), `${need} in ${languages.join(' ')}`);
    const plain: string[] = [];
    for (const language of languages) {
      const rule = listedRules(store).find((r) => r.language === language && r.query.length > 40)!;
      await page.goto(`${server.url}rules/${encodeURIComponent(rule.id)}`);
      const kinds = await page
        .locator('#query pre.code span[class^="hl-"]')
        .evaluateAll((ss) => [...new Set(ss.map((s) => s.className))].sort());
      // A keyword or a field, beside strings or numbers: more than one kind of token told apart.
      if (kinds.length < 2) plain.push(`${language} (${rule.id}): ${kinds.join(' ')}`);
    }
    assert.deepEqual(plain, []);
    assert.deepEqual(seen.errors, []);
    await page.close();
  });

  test('item 10: the corpus guide is rendered markdown; our hostile guide beside it stays inert', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watchPage(page);
    const guided = listedRules(store).find((r) => r.platform === 'elastic' && /^## Triage and analysis/m.test(r.guide ?? ''))!;
    await page.goto(`${server.url}rules/${encodeURIComponent(guided.id)}`);
    await page.locator('#guide summary').click();
    assert.equal(await page.locator('#guide .markdown h2', { hasText: 'Triage and analysis' }).count(), 1);
    assert.doesNotMatch(await page.locator('#guide .markdown').innerText(), /^#+ /m, 'no raw markdown');
    assert.deepEqual(seen.errors, []);
    await page.close();
    await assertHostileMarkdownInert(browser, `${server.url}rules/${encodeURIComponent('elastic:0d0d0d0d-1111-4222-8333-444444444444')}`);
  });

  test('item 11: /changes after a build is paged, without empty commit pills; a page past the end says so; name order', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watchPage(page);
    const total = store.rules.length;
    await page.goto(`${server.url}changes`);
    const rows = page.locator('#sync-1 tbody tr');
    assert.equal(await rows.count(), 100);
    const pages = Math.ceil(total / 100);
    assert.match(await page.locator('#sync-1 .pager').innerText(), new RegExp(`page 1 of ${pages}`));
    assert.equal(await page.locator('#sync-1 code:empty, #sync-1 .badge:empty').count(), 0, 'no empty pill');
    assert.equal(await page.locator('#sync-1 th', { hasText: 'Commit' }).count(), 0, 'folder sources: no commit column');
    await Promise.all([page.waitForURL(/page=2/), page.locator('#sync-1 a[rel="next"]').click()]);
    assert.equal(await rows.count(), Math.min(100, total - 100));
    // Explore's default order is by name, leading punctuation aside (browser.test.ts has names that start with it).
    await page.goto(`${server.url}?size=200`);
    const names = await page.locator('.result h3 a').allInnerTexts();
    const key = (n: string) => n.replace(/^[^\p{L}\p{N}]+/u, '');
    assert.ok(names.length > 100, `${names.length} names`);
    assert.deepEqual(
      names,
      [...names].sort((a, b) => key(a).localeCompare(key(b))),
    );
    await page.goto(`${server.url}changes?sync=1&page=${pages + 5}`);
    assert.match(await page.locator('#sync-1').innerText(), new RegExp(`Page ${pages + 5} is past the last page \\(${pages}\\)`));
    assert.deepEqual(seen.errors, []);
    await page.close();
  });
});
