// The rule page's Tests of a Panther Python rule, in a real browser (as browser.test.ts: skipped
// without chromium unless CI): the page renders our model's answers, and its script replaces them
// with the answers of the tests run by the rule's code (POST /api/rules/<id>/test, on Pyodide).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildCatalogOf } from '../mcp/test-catalog.js';
import { CatalogStore } from '../store/read.js';
import { type BrowserSession, noBrowser as noBrowserHere, serveInBrowser, watchPage } from './browser-harness.js';

const fixtures = fileURLToPath(new URL('../evaluate/fixtures/panther-python/', import.meta.url));
const noBrowser = noBrowserHere('Panther Python tests browser test');
// Loading Pyodide takes 6-13 s on a loaded machine: generous budgets against hangs only.
const budget = { timeout: 240_000 };

describe('browser: a Panther Python rule page shows its tests run by its code', { skip: noBrowser, ...budget }, () => {
  let cleanup = () => {};
  let session: BrowserSession;

  before(async () => {
    const built = await buildCatalogOf([{ name: 'panther', root: fixtures }]);
    cleanup = built.cleanup;
    const store = CatalogStore.open(built.db);
    session = await serveInBrowser(store, () => {
      store.close();
      cleanup();
    });
  });

  after(async () => {
    await session?.close();
  });

  test('"passed" and "failed" from the real run replace the model\'s answers', budget, async () => {
    const page = await session.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watchPage(page);
    const id = 'panther:Fixture.Python.WatchedOktaEvent';
    await page.goto(new URL(`/rules/${encodeURIComponent(id)}`, session.server.url).href);
    const tests = page.locator('#tests');
    await tests.getByText("Run by the rule's Python code.").waitFor({ timeout: 200_000 });
    const badge = async (name: string) => tests.locator('.test-item', { hasText: name }).locator('.badge').first().innerText();
    assert.equal(await badge('a watched event that succeeded'), 'passed');
    // The data model's method: our model cannot call it, the real run does.
    assert.equal(await badge("a person known by display name only (the data model's method)"), 'passed');
    assert.equal(await badge('a test that states the wrong result'), 'failed');
    assert.match(
      await tests.locator('.test-item', { hasText: 'a test that states the wrong result' }).innerText(),
      /Expected yes, got no: rule\(\) returned False/,
    );
    assert.match(await tests.locator('p.small:not(.tests-run-status)').first().innerText(), /^4 passed, 1 failed, 0 unknown$/);
    assert.deepEqual(seen, { errors: [], dialogs: [] });
    await page.close();
  });
});
