// The rule page and Explore as a detection engineer reads them, in a real browser (as browser.test.ts:
// skipped without chromium unless CI): same-action grouped by event on the shared corpus's Okta rules.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import {
  assertHostileMarkdownInert,
  type BrowserSession,
  buildTempCatalog,
  hostileMarkdown,
  noBrowser as noBrowserHere,
  serveInBrowser,
  watchPage,
} from './browser-harness.js';
import { shownPerPlatform } from './pages/rule-same-action.js';
import type { NavigatorLayer } from '../export/navigator.js';
import { openTestCatalog } from '../explore/test-catalog.js';
import { silentNotes } from '../pipeline/notes.js';
import { CatalogStore } from '../store/read.js';
import { loadConfig } from '../sync/config.js';
import { runSync } from '../sync/sync.js';
import { fixtureRule } from './fixture-catalog.js';
import type { RunningServer } from './server.js';

const corpus = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
// Chronicle's Okta rules and Elastic's: a small catalog where one generic Okta event (an MFA prompt) is watched by many.
const sources = [join(corpus, 'chronicle'), join(corpus, 'elastic', 'rules', 'integrations', 'okta')];
const noCorpus = sources.every((s) => existsSync(s)) ? false : `skipped: the shared corpus is not at ${corpus}`;
const noBrowser = noBrowserHere('rule page browser tests');

const count = (text: string) => Number(text.replace(/[^\d]/g, ''));

describe('browser: the rule page on Okta rules of the shared corpus', { skip: noBrowser || noCorpus }, () => {
  let session: BrowserSession;
  let store: CatalogStore;
  let server: RunningServer;
  let browser: Browser;

  before(async () => {
    const built = await buildTempCatalog('ruleatlas-rule-page-', { sources });
    store = built.store;
    session = await serveInBrowser(store, built.cleanup);
    ({ server, browser } = session);
  });

  after(async () => {
    await session?.close();
  });

  test('same action: grouped by event with counts, the generic event last and folded behind "show all"', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watchPage(page);
    await page.goto(`${server.url}rules/${encodeURIComponent('chronicle:okta_user_rejected_multiple_push_notifications')}`);
    const groups = page.locator('#same-action .sa-group');
    const events = await groups.evaluateAll((gs) => gs.map((g) => g.getAttribute('data-event')));
    assert.deepEqual(events, ['okta/user.mfa.okta_verify.deny_push', 'okta/user.authentication.auth_via_mfa']);
    const totals: number[] = [];
    for (let g = 0; g < 2; g++) {
      const group = groups.nth(g);
      const total = count(await group.locator('.sa-count').innerText());
      totals.push(total);
      // In view: at most a few rules per platform.
      for (const list of await group.locator('.sa-top > li').all()) {
        const shown = await list.locator('a').count();
        assert.ok(shown >= 1 && shown <= shownPerPlatform, `${shown} rules of a platform in view`);
      }
      const folded = group.locator('details.sa-all');
      const inView = await group.locator('.sa-top a').count();
      if (total > inView) {
        assert.equal(await folded.locator('a').first().isVisible(), false, 'the rest is folded');
        await folded.locator('summary').click();
        assert.ok(await folded.locator('a').first().isVisible());
      }
      // Every rule the count names is listed, once.
      const listed = await group.locator('li a').allInnerTexts();
      assert.equal(listed.length, total, `${events[g]}: the count is the list`);
    }
    assert.ok(totals[0]! < totals[1]!, `the rarer event first: ${totals.join(' < ')}`);
    assert.ok(totals[1]! > 2 * shownPerPlatform, `the generic MFA event is watched by many (${totals[1]})`);
    await page.screenshot({ path: '/tmp/ruleatlas-same-action.png', fullPage: true });
    assert.deepEqual(seen.errors, []);
    await page.close();
  });

  test('dates in results; "since" counts upstream dates (the rules’ own updated field here), not the build day', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watchPage(page);
    const elastic = store.rules.filter((r) => r.platform === 'elastic' && (!r.duplicates || r.duplicates.newest));
    const updated = elastic.map((r) => (r.updated ?? '').replaceAll('/', '-')).filter(Boolean);
    assert.ok(updated.length > 10, 'Elastic rules carry updated_date');
    const since = [...updated].sort()[Math.floor(updated.length / 2)]!;
    const expected = updated.filter((d) => d >= since).length;
    await page.goto(`${server.url}?${new URLSearchParams({ platform: 'elastic', since, sort: 'updated', size: '100' }).toString()}`);
    assert.equal(count(await page.locator('.results-head .count').innerText()), expected, `Elastic rules updated since ${since}`);
    const dates = await page.locator('.result .changed time').evaluateAll((ts) => ts.map((t) => t.getAttribute('datetime') ?? ''));
    assert.ok(dates.length > 0 && dates.every((d) => d >= since), dates.join(' '));
    assert.deepEqual(dates, [...dates].sort().reverse(), 'recently updated first');
    // On the build day, only what changed upstream that day: every rule was "added" by the build.
    const today = new Date().toISOString().slice(0, 10);
    await page.goto(`${server.url}?${new URLSearchParams({ platform: 'elastic', since: today }).toString()}`);
    assert.equal(count(await page.locator('.results-head .count').innerText()), updated.filter((d) => d >= today).length);
    // The rule page says when, and from what.
    const rule = elastic.find((r) => r.updated)!;
    await page.goto(`${server.url}rules/${encodeURIComponent(rule.id)}`);
    const changed = page.locator('.about .changed');
    assert.equal(await changed.locator('time').getAttribute('datetime'), rule.updated!.replaceAll('/', '-'));
    assert.match((await changed.getAttribute('title')) ?? '', /the rule's own updated date/);
    assert.deepEqual(seen.errors, []);
    await page.close();
  });

  test('facet labels are shown whole: two events of one provider never read the same', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watchPage(page);
    await page.goto(`${server.url}?provider=okta`);
    const event = page.locator('.facet[aria-label="Event"]');
    // Every event of the provider: the facet's "more" link opens the page with all of them.
    await Promise.all([page.waitForURL(/more=event/), event.locator('a.facet-more').click()]);
    const labels = await event
      .locator('.facet-opt .label')
      .evaluateAll((ls) => ls.map((l) => ({ text: (l as HTMLElement).innerText, cut: l.scrollWidth > l.clientWidth + 1 })));
    assert.ok(labels.length > 8, `${labels.length} Okta events`);
    assert.deepEqual(
      labels.filter((l) => l.cut).map((l) => l.text),
      [],
      'no label cut',
    );
    assert.ok(
      labels.some((l) => /^Okta: user\.session\.impersonation\.initiate$/.test(l.text)),
      'a long event name in full',
    );
    assert.deepEqual(seen.errors, []);
    await page.close();
  });

  test('the Navigator layer downloads under a name saying what it holds, its rule links absolute', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watchPage(page);
    await page.goto(`${server.url}?platform=elastic`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('.export-links a', { hasText: 'Navigator layer' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'ruleatlas-elastic.layer.json');
    const layer = JSON.parse(readFileSync(await download.path(), 'utf8')) as NavigatorLayer;
    const links = layer.techniques.flatMap((t) => t.links.map((l) => l.url));
    assert.ok(links.length > 0, 'the layer links its rules');
    for (const url of links) assert.ok(url.startsWith(`${server.url}rules/elastic%3A`), url);
    // A link from the imported layer leads back to its rule.
    await page.goto(links[0]!);
    assert.match(await page.locator('.rule-head .badges').innerText(), /Elastic Security/);
    assert.deepEqual(seen.errors, []);
    await page.close();
  });

  test('an investigation guide is rendered markdown', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watchPage(page);
    await page.goto(`${server.url}rules/${encodeURIComponent('elastic:c74fd275-ab2c-4d49-8890-e2943fa65c09')}`);
    await page.locator('#guide summary').click();
    const guide = page.locator('#guide .markdown');
    assert.equal(await guide.locator('h2', { hasText: 'Triage and analysis' }).count(), 1);
    assert.equal(await guide.locator('h3', { hasText: 'Possible investigation steps' }).count(), 1);
    assert.ok((await guide.locator('ul > li').count()) >= 5, 'the steps are a list');
    assert.doesNotMatch(await guide.innerText(), /^#+ /m, 'no raw markdown');
    assert.deepEqual(seen.errors, []);
    await page.close();
  });
});

describe('browser: hostile markdown in a guide stays inert', { skip: noBrowser }, () => {
  let session: BrowserSession;
  let server: RunningServer;
  let browser: Browser;

  before(async () => {
    const rule = fixtureRule({ nativeId: 'hostile-guide', name: 'Hostile guide', guide: hostileMarkdown, setup: hostileMarkdown });
    const fixture = openTestCatalog([rule]);
    session = await serveInBrowser(fixture.store, fixture.cleanup);
    ({ server, browser } = session);
  });

  after(async () => {
    await session?.close();
  });

  test('no script runs, nothing loads, only http(s) links are links', async () => {
    await assertHostileMarkdownInert(browser, `${server.url}rules/${encodeURIComponent('sentinel:hostile-guide')}`);
  });
});

/** Okta rules of the shared corpus's Chronicle folder, by their path there (which is their path upstream). */
const oktaRules = ['rules/community/okta/okta_new_api_token_created.yaral', 'rules/community/okta/okta_mfa_brute_force_attack.yaral'];
/** Where the mirror's rule lies in the repository. */
const mirrored = 'mirrored/okta/failed_requests.yaral';

function git(cwd: string, ...args: string[]): string {
  const who = ['-c', 'user.name=test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main'];
  return execFileSync('git', [...who, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

describe('browser: the rule page links its file upstream', { skip: noBrowser || noCorpus }, () => {
  const github = 'https://github.com/chronicle/detection-rules';
  const elsewhere = 'https://git.example.org/rules/okta';
  let work: string;
  let commit: string;
  let session: BrowserSession;
  let server: RunningServer;
  let browser: Browser;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'ruleatlas-upstream-'));
    // One repository of shared-corpus rules, reached under two remote URLs (git's insteadOf, as a mirror
    // would be): a GitHub one, whose file URLs are known, and one of another host.
    const repo = join(work, 'repo');
    mkdirSync(repo);
    git(repo, 'init', '-q');
    git(repo, 'config', 'uploadpack.allowFilter', 'true');
    // The mirror's source reads another folder of it (the same rules twice would be copies of each other).
    const files = [
      ...oktaRules.map((path) => [path, path]),
      [mirrored, 'rules/community/okta/okta_multiple_failed_requests_to_access_applications.yaral'],
    ];
    for (const [path, from] of files) {
      mkdirSync(dirname(join(repo, path!)), { recursive: true });
      copyFileSync(join(corpus, 'chronicle', from!), join(repo, path!));
    }
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'rules');
    commit = git(repo, 'rev-parse', 'HEAD');
    Object.assign(process.env, {
      GIT_CONFIG_COUNT: '2',
      GIT_CONFIG_KEY_0: `url.file://${repo}/.insteadOf`,
      GIT_CONFIG_VALUE_0: `${github}.git`,
      GIT_CONFIG_KEY_1: `url.file://${repo}/.insteadOf`,
      GIT_CONFIG_VALUE_1: `${elsewhere}.git`,
    });
    // A folder source beside them: no upstream.
    const local = join(work, 'local');
    mkdirSync(local);
    copyFileSync(
      join(corpus, 'chronicle', 'rules/community/okta/okta_mismatch_between_source_and_response_for_verify_push_request.yaral'),
      join(local, 'mismatch.yaral'),
    );
    const config = join(work, 'ruleatlas.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        sources: [
          { name: 'chronicle', git: `${github}.git`, ref: 'main', paths: ['rules/community/okta'] },
          { name: 'mirror', git: `${elsewhere}.git`, ref: 'main', paths: [dirname(mirrored)] },
          { name: 'local', dir: local },
        ],
      }),
    );
    const db = join(work, 'catalog.db');
    const outcome = await runSync({ config: loadConfig(config), db, cache: join(work, 'cache') }, silentNotes);
    assert.equal(outcome.failed, false, 'every source synced');
    const store = CatalogStore.open(db);
    session = await serveInBrowser(store, () => {
      store.close();
      rmSync(work, { recursive: true, force: true });
    });
    ({ server, browser } = session);
  });

  after(async () => {
    for (const key of ['GIT_CONFIG_COUNT', 'GIT_CONFIG_KEY_0', 'GIT_CONFIG_VALUE_0', 'GIT_CONFIG_KEY_1', 'GIT_CONFIG_VALUE_1'])
      delete process.env[key];
    await session?.close();
  });

  /** The rule pages of a source's rules, found as a person finds them: its Explore list. */
  async function rulePagesOf(page: Page, source: string): Promise<string[]> {
    await page.goto(`${server.url}?source=${source}`);
    return page.locator('.result h3 a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
  }

  test('a GitHub source links the file at its commit; the link opens it in a new tab without a referrer', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watchPage(page);
    const asked: { url: string; referer?: string }[] = [];
    await page.context().route(`${github}/**`, (route) => {
      asked.push({ url: route.request().url(), referer: route.request().headers()['referer'] });
      return route.fulfill({ status: 200, contentType: 'text/plain', body: 'the upstream file' });
    });
    const pages = await rulePagesOf(page, 'chronicle');
    assert.equal(pages.length, oktaRules.length, "the GitHub source's rules are listed");
    const hrefs: string[] = [];
    for (const url of pages) {
      await page.goto(url);
      const link = page.locator('.about .upstream a');
      assert.equal(await link.innerText(), 'Upstream file \u2197');
      assert.equal(await link.getAttribute('target'), '_blank');
      assert.match((await link.getAttribute('rel')) ?? '', /\bnoopener\b.*\bnoreferrer\b/);
      assert.match(await page.locator('.about .upstream').innerText(), new RegExp(commit.slice(0, 7)));
      hrefs.push((await link.getAttribute('href'))!);
    }
    assert.deepEqual(hrefs.sort(), oktaRules.map((path) => `${github}/blob/${commit}/${path}`).sort());
    // Followed: a new tab at the file, no referrer sent.
    const [tab] = await Promise.all([page.context().waitForEvent('page'), page.locator('.about .upstream a').click()]);
    await tab.waitForLoadState();
    assert.equal(
      tab.url(),
      hrefs.find((h) => tab.url() === h),
    );
    assert.equal(await tab.locator('body').innerText(), 'the upstream file');
    assert.deepEqual(
      asked.map((a) => a.referer),
      [undefined],
    );
    await tab.close();
    assert.deepEqual(seen.errors, []);
    await page.close();
  });

  test('another host: the repository and commit, no guessed file URL; a folder source: nothing upstream', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watchPage(page);
    const [mirror] = await rulePagesOf(page, 'mirror');
    await page.goto(mirror!);
    const link = page.locator('.about .upstream a');
    assert.equal(await link.getAttribute('href'), elsewhere);
    assert.match(await page.locator('.about .upstream').innerText(), new RegExp(commit.slice(0, 7)));
    const [local] = await rulePagesOf(page, 'local');
    await page.goto(local!);
    assert.match(await page.locator('.about').innerText(), /local\/mismatch\.yaral/);
    assert.equal(await page.locator('.about .upstream').count(), 0);
    assert.deepEqual(seen.errors, []);
    await page.close();
  });
});
