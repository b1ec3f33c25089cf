// "Your rules" and watch-mode reloads in a real browser (as browser.test.ts: skipped without chromium unless CI).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import type { CatalogStore } from '../store/read.js';
import { type BrowserSession, buildTempCatalog, noBrowser as noBrowserHere, serveInBrowser, watchPage } from './browser-harness.js';
import type { RunningServer } from './server.js';

const examples = fileURLToPath(new URL('../../examples/rules/', import.meta.url));
const noBrowser = noBrowserHere('your-rules browser tests');

describe('browser: your rules', { skip: noBrowser }, () => {
  let session: BrowserSession;
  let store: CatalogStore;
  let server: RunningServer;
  let browser: Browser;

  before(async () => {
    const built = await buildTempCatalog('ruleatlas-mine-browser-', {
      sources: [join(examples, 'sentinel')],
      mine: [join(examples, 'elastic')],
    });
    store = built.store;
    session = await serveInBrowser(store, built.cleanup, true);
    ({ server, browser } = session);
  });

  after(async () => {
    await session?.close();
  });

  test('follow a public same-action rule from your rule; the page reloads when the catalog does', async () => {
    const page = await browser.newPage();
    const seen = watchPage(page);
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
    assert.deepEqual(seen.errors, [], 'no console errors or CSP violations');
    assert.deepEqual(seen.dialogs, []);
    await page.close();
  });
});
