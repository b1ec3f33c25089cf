// The threat pages in a real browser (playwright-core driving Debian's chromium), over the coverage fixture.
// Skipped with a message when /usr/bin/chromium is missing, unless CI is set (then it must run).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { type BrowserSession, noBrowser as noBrowserHere, serveInBrowser, watchPage } from './browser-harness.js';
import { openCoverageStore } from './coverage-fixture.js';
import type { RunningServer } from './server.js';

const noBrowser = noBrowserHere('threat browser tests');

describe('browser: threat pages', { skip: noBrowser }, () => {
  let fixture: ReturnType<typeof openCoverageStore>;
  let session: BrowserSession;
  let server: RunningServer;
  let browser: Browser;
  const url = (path: string) => new URL(path, server.url).href;

  before(async () => {
    fixture = openCoverageStore();
    session = await serveInBrowser(fixture.store, fixture.cleanup);
    ({ server, browser } = session);
  });

  after(async () => {
    await session?.close();
  });

  test('groups: from the header, an actor with its gaps first, its rules in Explore, its layer', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const seen = watchPage(page);
    await page.goto(url('/'));
    await Promise.all([page.waitForURL(/\/actors$/), page.locator('.top-nav a', { hasText: 'Threats' }).click()]);
    assert.equal(await page.locator('.tabs a[aria-current="page"]').innerText(), 'Groups');
    assert.deepEqual(await page.locator('.threat-index tbody th a').allInnerTexts(), ['APT28', 'APT29']);
    await Promise.all([page.waitForURL(/\/actors\/G0016$/), page.getByRole('link', { name: 'APT29', exact: true }).click()]);
    const rows = page.locator('.threat-techniques tbody tr');
    assert.equal(await rows.count(), 6);
    // Gaps first, marked; the technique no release names says so.
    assert.deepEqual(await rows.nth(0).getAttribute('class'), 'has-gap');
    assert.deepEqual(await rows.nth(1).getAttribute('class'), 'has-gap');
    assert.equal(await rows.nth(2).getAttribute('class'), null);
    assert.match(await page.locator('.threat-techniques tbody tr', { hasText: 'T1999' }).innerText(), /not in the loaded ATT&CK/);
    // The coverage bars are drawn by the stylesheet (CSP: no inline styles): a partly covered bar has width.
    const fill = page.locator('.threat-summary tbody tr').first().locator('.bar-fill');
    assert.ok((await fill.evaluate((el) => el.getBoundingClientRect().width)) > 0);
    await page.screenshot({ path: '/tmp/ruleatlas-threat-actor.png', fullPage: true });

    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'ATT&CK Navigator layer' }).click();
    const layer = JSON.parse(readFileSync(await (await download).path(), 'utf8')) as {
      versions: { layer: string };
      techniques: unknown[];
    };
    assert.equal(layer.versions.layer, '4.5');
    assert.equal(layer.techniques.length, 6);

    const t1140 = page.locator('.threat-techniques tbody tr', { hasText: 'T1140' });
    await t1140.locator('details summary').click();
    assert.match(await t1140.locator('details').innerText(), /Decoded payloads <script>window.__xss=1/);
    await Promise.all([page.waitForURL(/\/\?.*technique=T1140/), t1140.locator('td.num a').first().click()]);
    assert.deepEqual((await page.locator('.result h3 a').allInnerTexts()).sort(), ['Certutil decode (Elastic)', 'Certutil decode (Sigma)']);
    assert.deepEqual(seen.errors, [], 'no console errors or CSP violations');
    assert.deepEqual(seen.dialogs, []);
    await page.close();
  });

  test('CVEs: the tab, a CVE with the rules naming it, on to Explore filtered by it', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watchPage(page);
    await page.goto(url('/actors'));
    await Promise.all([page.waitForURL(/\/cves$/), page.locator('.tabs a', { hasText: 'CVEs' }).click()]);
    assert.deepEqual(await page.locator('.cve-index tbody th a').allInnerTexts(), ['CVE-2021-44228']);
    await page.locator('input[name="id"]').fill('cve_2021_44228');
    await Promise.all([page.waitForURL(/\/cves\/CVE-2021-44228$/), page.getByRole('button', { name: 'Open' }).click()]);
    assert.match(
      await page.locator('.cve-rules tbody').innerText(),
      /Certutil decode \(Elastic\)[\s\S]*reference[\s\S]*Certutil decode \(Sigma\)[\s\S]*tag/,
    );
    await Promise.all([page.waitForURL(/\/\?.*cve=CVE-2021-44228/), page.getByRole('link', { name: 'Open in Explore' }).click()]);
    assert.deepEqual((await page.locator('.result h3 a').allInnerTexts()).sort(), ['Certutil decode (Elastic)', 'Certutil decode (Sigma)']);
    assert.deepEqual(seen.errors, []);
    await page.close();
  });

  test('data components: the tab, a component with its rules per platform, on to Explore by its events', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watchPage(page);
    await page.goto(url('/actors'));
    await Promise.all([page.waitForURL(/\/data-components$/), page.locator('.tabs a', { hasText: 'Data components' }).click()]);
    const first = page.locator('.datacomp-index tbody tr').first();
    assert.match(
      await first.innerText(),
      /User Account Authentication[\s\S]*DC0002[\s\S]*2[\s\S]*okta\/user\.session\.impersonation\.initiate/,
    );
    assert.match(await page.locator('.datacomp-index').innerText(), /Hostile <script>/);
    await Promise.all([
      page.waitForURL(/\/data-components\/DC0002$/),
      first.getByRole('link', { name: 'User Account Authentication' }).click(),
    ]);
    assert.deepEqual(
      (await page.locator('.datacomp-platforms tbody th').allInnerTexts()).map((t) => t.trim()),
      ['Elastic Security', 'Microsoft Sentinel'],
    );
    assert.match(await page.locator('.datacomp-platforms tbody').innerText(), /table:OktaSSO/);
    assert.match(await page.locator('.datacomp-techniques').innerText(), /T1134\.003/);
    await Promise.all([page.waitForURL(/\/\?.*event=okta/), page.getByRole('link', { name: 'Open in Explore' }).click()]);
    assert.deepEqual((await page.locator('.result h3 a').allInnerTexts()).sort(), [
      'Okta User Session Impersonation',
      'User Session Impersonation(Okta)',
    ]);
    assert.deepEqual(seen.errors, []);
    assert.deepEqual(seen.dialogs, []);
    await page.close();
  });

  test('visibility: my log sources Okta and AWS CloudTrail, the rules that run and the techniques left blind', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watchPage(page);
    await page.goto(url('/coverage/matrix'));
    await Promise.all([page.waitForURL(/\/coverage\/visibility$/), page.locator('.tabs a', { hasText: 'Visibility' }).click()]);
    await page.locator('input[name="logs"][value="okta"]').check();
    await page.locator('input[name="logs"][value="aws-cloudtrail"]').check();
    await Promise.all([page.waitForURL(/logs=/), page.getByRole('button', { name: 'Show' }).click()]);
    assert.deepEqual(await page.locator('.vis-rules li a').allInnerTexts(), [
      'CloudTrail logging stopped',
      'Okta User Session Impersonation',
      'User Session Impersonation(Okta)',
    ]);
    assert.match(await page.locator('.vis-blind tbody').innerText(), /T1059[\s\S]*Windows/);
    await page.screenshot({ path: '/tmp/ruleatlas-visibility.png', fullPage: true });
    assert.deepEqual(seen.errors, []);
    await page.close();
  });

  test('compare two groups from the list: shared techniques and shared gaps', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watchPage(page);
    await page.goto(url('/actors'));
    await page.getByRole('checkbox', { name: 'Compare APT29' }).check();
    await page.getByRole('checkbox', { name: 'Compare APT28' }).check();
    await Promise.all([page.waitForURL(/\/actors\/compare\?id=/), page.getByRole('button', { name: 'Compare selected' }).click()]);
    assert.match(await page.locator('h2', { hasText: 'Used by all' }).innerText(), /\(2\)/);
    assert.match(await page.locator('h2', { hasText: 'Shared gaps' }).innerText(), /\(1\)/);
    assert.match(await page.locator('.threat-list').nth(1).innerText(), /T1003/);
    const t1140 = page.locator('.threat-compare tbody tr', { hasText: 'T1140' });
    assert.equal(await t1140.locator('td.used').count(), 2);
    await page.screenshot({ path: '/tmp/ruleatlas-threat-compare.png', fullPage: true });
    assert.deepEqual(seen.errors, []);
    await page.close();
  });
});
