// "Your rules" and watch-mode reloads in a real browser (as browser.test.ts: skipped without chromium unless CI).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { captureOutput } from '../cli/capture-output.js';
import { runBuild } from '../cli/commands/build.js';
import { CatalogStore } from '../store/read.js';
import { launchChromium, noBrowser as noBrowserHere } from './browser-harness.js';
import { type RunningServer, startServer } from './server.js';

const examples = fileURLToPath(new URL('../../examples/rules/', import.meta.url));
const noBrowser = noBrowserHere('your-rules browser tests');

describe('browser: your rules', { skip: noBrowser }, () => {
  let work: string;
  let store: CatalogStore;
  let server: RunningServer;
  let browser: Browser;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'ruleatlas-mine-browser-'));
    const db = join(work, 'catalog.db');
    assert.ok(await runBuild({ sources: [join(examples, 'sentinel')], mine: [join(examples, 'elastic')], db }, captureOutput()));
    store = CatalogStore.open(db);
    server = await startServer(store, { port: 0, host: '127.0.0.1', live: true });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    store?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('follow a public same-action rule from your rule; the page reloads when the catalog does', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(new URL('/mine', server.url).href);
    assert.equal(await page.locator('h1').innerText(), 'Your rules');
    assert.equal(await page.locator('.top-nav a[aria-current="page"]').innerText(), 'Your rules');
    const yours = page.locator('#yours tbody tr', { hasText: 'Okta session impersonation started' });
    const link = yours.getByRole('link', { name: 'Okta admin started an impersonation session' });
    assert.equal(await link.count(), 1);
    await Promise.all([page.waitForURL(/\/rules\/sentinel%3A/), link.click()]);
    assert.equal(await page.locator('h1').innerText(), 'Okta admin started an impersonation session');
    // The source facet lists both sources; the client script (CSP: no inline script) polls /api/version.
    await page.goto(server.url);
    assert.match(await page.locator('.facet[aria-label="Source"]').innerText(), /elastic[\s\S]*sentinel|sentinel[\s\S]*elastic/);
    const reloaded = page.waitForEvent('load', { timeout: 10000 });
    server.reload(store);
    await reloaded;
    assert.deepEqual(errors, []);
    await page.close();
  });
});
