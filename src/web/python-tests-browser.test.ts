// The rule page's Tests of a Panther Python rule, in a real browser (as browser.test.ts: skipped
// without chromium unless CI): the page renders our model's answers, and its script replaces them
// with the answers of the tests run by the rule's code (POST /api/rules/<id>/test, on Pyodide).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AttackCatalog } from '../attack/catalog.js';
import { prepareLanguages } from '../languages/registry.js';
import { writeCatalog } from '../pipeline/write.js';
import { CatalogStore } from '../store/read.js';
import { type BrowserSession, noBrowser as noBrowserHere, serveInBrowser, watchPage } from './browser-harness.js';

const fixtures = fileURLToPath(new URL('../evaluate/fixtures/panther-python/', import.meta.url));
const noBrowser = noBrowserHere('Panther Python tests browser test');
// Loading Pyodide takes 6-13 s on a loaded machine: generous budgets against hangs only.
const budget = { timeout: 240_000 };

describe('browser: a Panther Python rule page shows its tests run by its code', { skip: noBrowser, ...budget }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'ruleatlas-python-browser-'));
  let session: BrowserSession;

  before(async () => {
    const db = join(dir, 'catalog.db');
    await writeCatalog(db, [{ name: 'panther', root: fixtures, commit: '', date: '2026-01-01T00:00:00.000Z' }], {
      prepare: async (languages) => {
        await prepareLanguages(languages);
        return { attack: AttackCatalog.empty() };
      },
      mine: [],
    });
    const store = CatalogStore.open(db);
    session = await serveInBrowser(store, () => {
      store.close();
      rmSync(dir, { recursive: true, force: true });
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
