// POST /api/rules/<id>/test runs a Panther Python rule's stored tests by its code, on one runner per
// server started by the first request that needs it, one request's tests at a time.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildCatalogOf } from '../mcp/test-catalog.js';
import { CatalogStore } from '../store/read.js';
import { type RunningServer, startServer } from './server.js';

const fixtures = fileURLToPath(new URL('../evaluate/fixtures/panther-python/', import.meta.url));
// Loading Pyodide takes 6-13 s on a loaded machine: generous budgets against hangs only.
const budget = { timeout: 240_000 };

interface TestAnswer {
  name: string;
  result: string;
  got: string;
  reason: string;
}

describe('Panther Python tests on the server', budget, () => {
  let cleanup = () => {};
  let store: CatalogStore;
  let server: RunningServer;

  before(async () => {
    const built = await buildCatalogOf([{ name: 'panther', root: fixtures }]);
    cleanup = built.cleanup;
    store = CatalogStore.open(built.db);
    server = await startServer(store, { port: 0, host: '127.0.0.1' });
  });

  after(async () => {
    await server.close();
    store.close();
    cleanup();
  });

  const testsOf = async (nativeId: string): Promise<TestAnswer[]> => {
    const res = await fetch(new URL(`/api/rules/${encodeURIComponent(`panther:${nativeId}`)}/test`, server.url), { method: 'POST' });
    assert.equal(res.status, 200);
    return ((await res.json()) as { tests: TestAnswer[] }).tests;
  };

  test(
    "a rule's tests run by its code, with its helpers, data model and mocks; requests at once each get their answer",
    budget,
    async () => {
      // Two requests at once: the second waits for the first's turn on the runner.
      const [watched, again, offline] = await Promise.all([
        testsOf('Fixture.Python.WatchedOktaEvent'),
        testsOf('Fixture.Python.WatchedOktaEvent'),
        testsOf('Fixture.Python.OfflineImport'),
      ]);
      const expected = [
        ['a watched event that succeeded', 'passed', 'yes', 'rule() returned True'],
        ['an event not watched', 'passed', 'no', 'rule() returned False'],
        ['a service account (mocked)', 'passed', 'no', 'rule() returned False'],
        ["a person known by display name only (the data model's method)", 'passed', 'yes', 'rule() returned True'],
        ['a test that states the wrong result', 'failed', 'no', 'rule() returned False'],
      ];
      assert.deepEqual(
        watched.map((t) => [t.name, t.result, t.got, t.reason]),
        expected,
      );
      assert.deepEqual(
        again.map((t) => [t.name, t.result, t.got, t.reason]),
        expected,
      );
      assert.equal(offline[0]?.result, 'unknown');
      assert.match(offline[0].reason, /^imports fixture_package_not_offline, which is neither in the source nor a package of Pyodide/);
    },
  );
});
