// The threat report page in a real browser over the coverage fixture: a hostile report pasted, a report
// uploaded as a file, the CSV and Navigator layer downloaded from the result. Skipped with a message when
// /usr/bin/chromium is missing, unless CI is set (then it must run).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { type BrowserSession, noBrowser as noBrowserHere, serveInBrowser, watchPage } from './browser-harness.js';
import { openCoverageStore } from './coverage-fixture.js';
import { xss } from './fixture-catalog.js';
import type { RunningServer } from './server.js';

const noBrowser = noBrowserHere('threat report browser tests');

describe('browser: threat report', { skip: noBrowser }, () => {
  let session: BrowserSession;
  let server: RunningServer;
  let browser: Browser;
  const url = (path: string) => new URL(path, server.url).href;

  before(async () => {
    const fixture = openCoverageStore();
    session = await serveInBrowser(fixture.store, fixture.cleanup);
    ({ server, browser } = session);
  });

  after(async () => {
    await session?.close();
  });

  test('a hostile report pasted: what it names, gaps first, nothing of it run; the exports', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const seen = watchPage(page);
    await page.goto(url('/actors'));
    await Promise.all([page.waitForURL(/\/threat-report$/), page.locator('.tabs a', { hasText: 'Threat report' }).click()]);
    const hostile = [
      `Evil ${xss} was seen again.`,
      'It used T1134 and T1003</textarea><script>window.__xss=2</script>, and T1999.',
      '"><img src=x onerror="window.__xss=3"> exploited CVE-2021-44228; see https://example.invalid/T1059 (not fetched).',
    ].join('\n');
    await page.locator('#report-text').fill(hostile);
    // A POST to the same address: wait for its answer, not for the URL.
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Find coverage' }).click(),
    ]);
    await page.locator('.report-summary').waitFor();
    // An id in a link is a mention too (the link itself is never fetched).
    assert.deepEqual(await page.locator('.report-techniques tbody th code').allInnerTexts(), ['T1003', 'T1134', 'T1059']);
    assert.equal(await page.locator('.report-techniques tbody tr').first().getAttribute('class'), 'has-gap');
    assert.deepEqual(await page.locator('.report-unknown li').allInnerTexts(), ['T1999']);
    // The alias full of markup still names APT29, shown as text.
    const apt29 = page.locator('.report-entities tbody tr', { hasText: 'APT29' });
    assert.match(await apt29.locator('td.small').first().innerText(), /<script>window\.__xss=1/);
    assert.deepEqual(await page.locator('.report-cves tbody th a').allInnerTexts(), ['CVE-2021-44228']);
    // The text stays in the form as it was typed.
    assert.equal(await page.locator('#report-text').inputValue(), hostile);
    assert.equal(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
    await page.screenshot({ path: '/tmp/ruleatlas-threat-report.png', fullPage: true });

    const csv = page.waitForEvent('download');
    await page.getByRole('button', { name: 'CSV' }).click();
    const csvText = readFileSync(await (await csv).path(), 'utf8');
    assert.match(csvText, /^kind,id,name,state,/);
    assert.match(csvText, /\r\ntechnique,T1003,OS Credential Dumping,gap,/);
    const layerDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: 'ATT&CK Navigator layer' }).click();
    const layer = JSON.parse(readFileSync(await (await layerDownload).path(), 'utf8')) as {
      versions: { layer: string };
      techniques: { techniqueID: string }[];
    };
    assert.equal(layer.versions.layer, '4.5');
    assert.deepEqual(
      layer.techniques.map((t) => t.techniqueID),
      ['T1003', 'T1059', 'T1134'],
    );
    assert.deepEqual(seen.errors, [], 'no console errors or CSP violations');
    assert.deepEqual(seen.dialogs, []);
    await page.close();
  });

  test('a report uploaded as a text file', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watchPage(page);
    await page.goto(url('/threat-report'));
    await page.locator('input[type="file"]').setInputFiles({
      name: 'report.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from('# Campaign C0024\nThe SolarWinds Compromise used T1078.004 (Cobalt Strike too).\n'),
    });
    // A POST to the same address: wait for its answer, not for the URL.
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Find coverage' }).click(),
    ]);
    await page.locator('.report-summary').waitFor();
    assert.deepEqual(await page.locator('.report-techniques tbody th code').allInnerTexts(), ['T1078.004']);
    assert.deepEqual(await page.locator('.report-entities tbody th a').allInnerTexts(), ['SolarWinds Compromise', 'Cobalt Strike']);
    assert.match(await page.locator('#report-text').inputValue(), /SolarWinds Compromise used T1078\.004/);
    assert.deepEqual(seen.errors, []);
    await page.close();
  });
});
