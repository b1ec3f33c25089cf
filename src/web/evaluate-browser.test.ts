// Would it fire, in a real browser (as browser.test.ts: skipped without chromium unless CI): the rule
// page's Tests (a passing and a failing regression sample, traces collapsed), Try an event (an event
// that fires, one that does not, one whose values try to inject markup), the /fire page, and the
// Explore facets "Has tests" and "Tests pass".
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { type BrowserSession, buildTempCatalog, noBrowser as noBrowserHere, serveInBrowser, watchPage } from './browser-harness.js';
import type { RunningServer } from './server.js';

const formats = fileURLToPath(new URL('../formats/', import.meta.url));
const noBrowser = noBrowserHere('evaluation browser tests');

const whoamiId = 'sigma:00000000-0000-4000-8000-00000000a001';
const sample = 'proc_creation_example';
const sysmon = (data: Record<string, string>) => ({
  Event: {
    System: {
      Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon' } },
      EventID: 1,
      Channel: 'Microsoft-Windows-Sysmon/Operational',
    },
    EventData: data,
  },
});
const whoami = sysmon({ Image: 'C:\\Windows\\System32\\whoami.exe', CommandLine: 'whoami /all' });
const notepad = sysmon({ Image: 'C:\\Windows\\notepad.exe', CommandLine: 'notepad' });
const hostile = sysmon({
  Image: 'C:\\x\\<img src=x onerror="window.__xss=1">whoami.exe',
  CommandLine: '<script>window.__xss=1;alert(1)</script>',
});

/** Sources in a temporary folder: the Sigma and Panther fixtures, the regression sample, and a second sample the rule does not fire on. */
function fixtureSources(): { work: string; sources: string[] } {
  const work = mkdtempSync(join(tmpdir(), 'ruleatlas-evaluate-browser-'));
  cpSync(join(formats, 'sigma/fixtures'), join(work, 'sigma'), { recursive: true });
  cpSync(join(formats, 'panther/fixtures'), join(work, 'panther'), { recursive: true });
  const samples = join(work, 'samples');
  cpSync(join(formats, 'sigma-regression/fixtures'), samples, { recursive: true });
  const miss = join(samples, 'proc_creation_miss');
  mkdirSync(miss);
  writeFileSync(
    join(miss, 'info.yml'),
    readFileSync(join(samples, sample, 'info.yml'), 'utf8')
      .replaceAll(sample, 'proc_creation_miss')
      .replace('Positive Detection Test', 'Miss'),
  );
  writeFileSync(join(miss, '00000000-0000-4000-8000-00000000a001.json'), JSON.stringify(notepad));
  return { work, sources: ['sigma', 'panther', 'samples'].map((s) => join(work, s)) };
}

describe('browser: would it fire', { skip: noBrowser }, () => {
  let session: BrowserSession;
  let server: RunningServer;
  let browser: Browser;

  before(async () => {
    const { work, sources } = fixtureSources();
    const built = await buildTempCatalog('ruleatlas-evaluate-catalog-', { sources });
    session = await serveInBrowser(built.store, () => {
      built.cleanup();
      rmSync(work, { recursive: true, force: true });
    });
    ({ server, browser } = session);
  });

  after(async () => {
    await session?.close();
  });

  const evaluate = async (page: Page, event: unknown, logType = '') => {
    await page.locator('form.evaluate textarea[name="event"]').fill(typeof event === 'string' ? event : JSON.stringify(event));
    await page.locator('form.evaluate input[name="logType"]').fill(logType);
    await page.locator('form.evaluate button[type="submit"]').click();
    await page.locator('.evaluate-result .evaluated-event, .evaluate-result .search-error').first().waitFor();
  };

  test('the rule page: Tests with expected vs got and collapsed traces; Try an event fires, does not, and shows hostile values as text', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watchPage(page);
    await page.goto(new URL(`/rules/${encodeURIComponent(whoamiId)}`, server.url).href);
    const tests = page.locator('#tests');
    assert.match(await tests.locator('p.small').first().innerText(), /1 passed, 1 failed, 0 unknown/);
    const passed = tests.locator('.test-item', { hasText: sample });
    assert.equal(await passed.locator('.badge').first().innerText(), 'passed');
    assert.match(await passed.innerText(), /Expected yes, got yes/);
    const failed = tests.locator('.test-item', { hasText: 'proc_creation_miss' });
    assert.equal(await failed.locator('.badge').first().innerText(), 'failed');
    assert.match(await failed.innerText(), /Expected yes, got no/);
    // The trace is collapsed until opened.
    const trace = failed.locator('details .trace-table');
    assert.equal(await trace.isVisible(), false);
    await failed.locator('details summary').click();
    assert.match(await trace.innerText(), /Image\s+\|endswith.*notepad\.exe\s+false/s);
    await page.screenshot({ path: '/tmp/ruleatlas-rule-tests.png', fullPage: true });

    await evaluate(page, whoami);
    const result = page.locator('#rule-result');
    assert.equal(await result.locator('.fires').first().innerText(), 'fires: yes');
    assert.match(await result.locator('.trace-table').innerText(), /Image\s+\|endswith/);
    await evaluate(page, notepad);
    assert.equal(await result.locator('.fires').first().innerText(), 'fires: no');
    assert.match(await result.innerText(), /source: true/);
    // Bad JSON: the server's reason.
    await evaluate(page, '{"Image": ');
    assert.match(await result.locator('.search-error').innerText(), /not valid JSON/);
    // Hostile values are text.
    await evaluate(page, hostile);
    assert.match(await result.innerText(), /<img src=x onerror="window\.__xss=1">whoami\.exe/);
    assert.equal(await page.locator('#rule-result img, #rule-result script').count(), 0);
    assert.equal(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss), undefined);
    assert.deepEqual(seen.dialogs, []);
    assert.deepEqual(seen.errors, [], 'no console errors or CSP violations');
    await page.close();
  });

  test('What fires on this event? lists the rules that fire, by platform, with traces', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watchPage(page);
    await page.goto(server.url);
    await Promise.all([page.waitForURL(/\/fire$/), page.locator('.top-nav a', { hasText: 'What fires?' }).click()]);
    assert.equal(await page.locator('h1').innerText(), 'What fires on this event?');
    await evaluate(page, [whoami, notepad]);
    const events = page.locator('#fire-result .evaluated-event');
    assert.equal(await events.count(), 2);
    const first = events.nth(0);
    assert.match(await first.locator('h2').innerText(), /Event 1: 1 fire/);
    const sigma = first.locator('.fired-yes .fired-platform', { hasText: 'Sigma' });
    const rule = sigma.locator('.fired-rule', { hasText: 'Fixture - Whoami execution' });
    assert.equal(await rule.locator('summary .fires').innerText(), 'fires: yes');
    assert.equal(await rule.locator('.trace-table').isVisible(), false, 'the trace is folded');
    await rule.locator('summary').click();
    assert.match(await rule.locator('.trace-table').innerText(), /Image\s+\|endswith/);
    // The rule's link leads to its page.
    await Promise.all([
      page.waitForURL(new RegExp(`/rules/${encodeURIComponent(whoamiId)}$`)),
      rule.getByRole('link', { name: 'Fixture - Whoami execution' }).click(),
    ]);
    await page.goBack();
    await page.goto(new URL('/fire', server.url).href);
    await evaluate(page, notepad);
    assert.equal(await page.locator('#fire-result .fired-rule', { hasText: 'Fixture - Whoami execution' }).count(), 0);
    assert.deepEqual(seen.errors, []);
    await page.close();
  });

  test('Explore: "Has tests" and "Tests pass" facets with counts', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watchPage(page);
    await page.goto(server.url);
    const facet = (title: string) => page.locator(`.facet[aria-label="${title}"]`);
    const option = (title: string, label: string) => facet(title).locator('a.facet-opt', { hasText: label });
    const count = async (title: string, label: string) => Number(await option(title, label).locator('.count').innerText());
    assert.ok((await count('Has tests', 'Yes')) >= 2, 'the Sigma rule and the Panther detection have tests');
    assert.ok((await count('Has tests', 'No')) >= 1);
    assert.equal(await page.locator('.facet[aria-label="Has tests"] a.facet-opt').count(), 2);
    assert.equal(await count('Tests pass', 'Fail'), 1);
    assert.ok((await count('Tests pass', 'Pass')) >= 1, 'the Panther detection passes its test');
    await Promise.all([page.waitForURL(/testresult=fail/), option('Tests pass', 'Fail').click()]);
    assert.deepEqual(await page.locator('.result h3 a').allInnerTexts(), ['Fixture - Whoami execution']);
    assert.deepEqual(seen.errors, []);
    await page.close();
  });
});
