// The coverage views in a real browser (playwright-core driving Debian's chromium), over the coverage fixture.
// Skipped with a message when /usr/bin/chromium is missing, unless CI is set (then it must run).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { type BrowserSession, noBrowser as noBrowserHere, serveInBrowser, watchPage } from './browser-harness.js';
import { openCoverageStore } from './coverage-fixture.js';
import type { RunningServer } from './server.js';

const noBrowser = noBrowserHere('coverage browser tests');

describe('browser: coverage views', { skip: noBrowser }, () => {
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

  test('matrix: from Explore, expand sub-techniques, compare platforms, open a cell in Explore', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watchPage(page);
    await page.goto(url('/?severity=medium&severity=high'));
    await Promise.all([
      page.waitForURL(/\/coverage\/matrix\?severity=medium&severity=high$/),
      page.locator('.coverage-links a', { hasText: 'ATT&CK matrix' }).click(),
    ]);
    assert.equal(await page.locator('.tabs a[aria-current="page"]').innerText(), 'ATT&CK matrix');
    assert.deepEqual(await page.locator('.mx-tactic > span:first-child').allInnerTexts(), [
      'Execution',
      'Privilege Escalation',
      'Defense Evasion',
      'Credential Access',
    ]);
    const t1134 = page.locator('.mx-col[aria-labelledby="mx-TA0004"] > ul > .mx-cell', {
      has: page.locator('.mx-id', { hasText: /^T1134$/ }),
    });
    // Coloured by the stylesheet (CSP allows it): a covered cell is not white.
    assert.notEqual(await t1134.evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(255, 255, 255)');
    const sub = t1134.locator('.mx-subs .mx-cell').first();
    assert.equal(await sub.isVisible(), false, 'sub-techniques start folded');
    await t1134.locator('.mx-subs > summary').click();
    assert.equal(await sub.isVisible(), true);
    assert.match(await sub.innerText(), /T1134\.003\s+Make and Impersonate Token\s+1/);
    await page.screenshot({ path: '/tmp/ruleatlas-coverage-matrix.png', fullPage: true });

    await page.locator('input[name="compare"][value="sentinel"]').check();
    await page.locator('input[name="compare"][value="elastic"]').check();
    await Promise.all([page.waitForURL(/compare=/), page.locator('.cov-form button[type="submit"]').click()]);
    assert.match(page.url(), /severity=medium&severity=high/, 'the filters stay');
    const valid = page.locator('.mx-col[aria-labelledby="mx-TA0005"] > ul > .mx-cell', {
      has: page.locator('.mx-id', { hasText: /^T1078$/ }),
    });
    assert.match(await valid.locator('> .mx-plats').innerText(), /Microsoft Sentinel\s+0[\s\S]*Elastic Security\s+1/);
    assert.equal(await valid.locator('> .mx-plats li.gap').count(), 1, 'Sentinel misses what Elastic covers');

    await Promise.all([page.waitForURL(/\/\?q=matrix%3ATA0005%2FT1078&/), valid.locator('> a.mx-link').click()]);
    assert.match(page.url(), /severity=high/);
    assert.deepEqual(await page.locator('.result h3 a').allInnerTexts(), ['Okta User Session Impersonation']);
    assert.deepEqual(seen.errors, [], 'no console errors or CSP violations');
    await page.close();
  });

  test('providers: index, a provider with gaps, the provider picker', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watchPage(page);
    await page.goto(url('/'));
    await Promise.all([page.waitForURL(/\/coverage\/matrix$/), page.locator('.top-nav a', { hasText: 'Coverage' }).click()]);
    await Promise.all([page.waitForURL(/\/coverage\/providers$/), page.locator('.tabs a', { hasText: 'Providers' }).click()]);
    await Promise.all([page.waitForURL(/\/coverage\/providers\/okta$/), page.getByRole('link', { name: 'Okta', exact: true }).click()]);
    for (const p of ['sentinel', 'elastic', 'sigma']) await page.locator(`input[name="compare"][value="${p}"]`).check();
    await Promise.all([page.waitForURL(/compare=/), page.locator('form.cov-form:has(fieldset) button').click()]);
    const headers = await page.locator('.prov-table thead th').allInnerTexts();
    assert.deepEqual(
      headers.map((h) => h.replace(/\s+\d+$/, '')),
      ['Event', 'Rules', 'Microsoft Sentinel', 'Elastic Security', 'Sigma'],
    );
    const row = page.locator('.prov-table tbody tr', { hasText: 'user.session.impersonation.initiate' });
    assert.equal(await row.locator('td.gap').count(), 1, 'Sigma has no rule on the event');
    assert.equal(await row.locator('td.gap').getAttribute('title'), 'No Sigma rule watches this event');
    await page.screenshot({ path: '/tmp/ruleatlas-coverage-provider.png', fullPage: true });

    await page.locator('select[name="id"]').selectOption('aws-cloudtrail');
    await Promise.all([
      page.waitForURL(/\/coverage\/providers\/aws-cloudtrail\?/),
      page.locator('form.cov-form:has(select[name="id"]) button').click(),
    ]);
    assert.match(await page.locator('.lead').innerText(), /AWS CloudTrail|aws-cloudtrail/i);
    assert.match(await page.locator('.prov-table tbody').innerText(), /StopLogging/);
    assert.deepEqual(seen.errors, []);
    await page.close();
  });

  test('indicators: the canonical view lines Sigma and Elastic up; the rules behind an indicator', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watchPage(page);
    await page.goto(url('/coverage/indicators'));
    await page.locator('select[name="view"]').selectOption('canonical');
    await Promise.all([page.waitForURL(/view=canonical/), page.locator('form.cov-form button').click()]);
    const card = page.locator('.ind-field', { has: page.locator('h2 code', { hasText: /^process\.name$/ }) });
    const row = card.locator('tbody tr', { hasText: 'certutil.exe' });
    assert.match(await row.innerText(), /eq\s+certutil\.exe\s+2\s+(Sigma 1, Elastic Security 1|Elastic Security 1, Sigma 1)/);
    await row.locator('details summary').click();
    await page.screenshot({ path: '/tmp/ruleatlas-coverage-indicators.png', fullPage: true });
    await Promise.all([
      page.waitForURL(/\/rules\/sigma%3Acertutil-sigma$/),
      row.getByRole('link', { name: 'Certutil decode (Sigma)' }).click(),
    ]);
    assert.equal(await page.locator('h1').innerText(), 'Certutil decode (Sigma)');

    await page.goto(url('/coverage/indicators'));
    await page.locator('input[name="field"]').fill('event.action');
    await Promise.all([page.waitForURL(/field=event\.action/), page.locator('input[name="field"]').press('Enter')]);
    assert.deepEqual(await page.locator('.ind-field h2 code').allInnerTexts(), ['event.action']);
    assert.deepEqual(seen.errors, []);
    await page.close();
  });

  test('compare: pick two platforms, follow a shared technique to Explore', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watchPage(page);
    await page.goto(url('/coverage/compare'));
    await page.locator('select[name="a"]').selectOption('sigma');
    await page.locator('select[name="b"]').selectOption('elastic');
    await Promise.all([page.waitForURL(/a=sigma&b=elastic/), page.locator('form.cov-form button').click()]);
    assert.match(await page.locator('#cmp-technique .only-b').innerText(), /T1078\.004/);
    const shared = page.locator('#cmp-indicator .shared li', { hasText: 'process.name eq certutil.exe' });
    assert.match(await shared.innerText(), /canonical\s+1 \/ 1/);
    await page.screenshot({ path: '/tmp/ruleatlas-coverage-compare.png', fullPage: true });
    const technique = page.locator('#cmp-technique .shared li', { hasText: 'T1140' });
    await Promise.all([page.waitForURL(/platform=sigma&technique=T1140/), technique.getByRole('link').first().click()]);
    assert.deepEqual(await page.locator('.result h3 a').allInnerTexts(), ['Certutil decode (Sigma)']);
    assert.deepEqual(seen.errors, []);
    await page.close();
  });

  test('hostile rule content never runs on the coverage pages', async () => {
    const page = await browser.newPage();
    const seen = watchPage(page);
    for (const path of [
      '/coverage/matrix?compare=sentinel,elastic',
      '/coverage/providers/windows-security',
      '/coverage/indicators',
      '/coverage/indicators?view=canonical',
      '/coverage/compare?a=sentinel&b=elastic',
    ]) {
      await page.goto(url(path));
      assert.equal(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss), undefined, path);
      assert.equal(await page.locator('img').count(), 0, `${path}: no injected <img>`);
      assert.equal(await page.locator('script:not([src])').count(), 0, `${path}: no inline script`);
    }
    assert.deepEqual(seen.dialogs, [], 'no alert() ran');
    await page.close();
  });
});
