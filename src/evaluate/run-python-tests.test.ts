// Panther Python rules' stored tests run for real through `ruleatlas test`, on fixture rules in the
// panther-analysis layout (rules/<pack>/, global_helpers/, data_models/): the catalog holds the code
// they need (the source folder is gone when they run), a test with a mock, a test that fails, a rule
// importing a package that is not available offline and a rule whose .py is missing (both unknown).
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { AttackCatalog } from '../attack/catalog.js';
import { captureOutput } from '../cli/capture-output.js';
import { main } from '../cli/main.js';
import { prepareLanguages } from '../languages/registry.js';
import { createPythonRunner } from '../languages/python/runtime/runner.js';
import { writeCatalog, type WriteOptions } from '../pipeline/write.js';
import { CatalogStore } from '../store/read.js';
import type { SyncedSource } from '../sync/keys.js';
import { PythonTests } from './run-python-tests.js';
import { rulesByNativeId, runStoredTests, type TestSummary } from './run-tests.js';

const fixtures = fileURLToPath(new URL('./fixtures/panther-python/', import.meta.url));
const prepare: WriteOptions['prepare'] = async (languages) => {
  await prepareLanguages(languages);
  return { attack: AttackCatalog.empty() };
};
// Loading Pyodide takes 6-13 s on a loaded machine: generous budgets against hangs only.
const budget = { timeout: 240_000 };

describe('Panther Python tests in ruleatlas test', budget, () => {
  const dir = mkdtempSync(join(tmpdir(), 'ruleatlas-pytests-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const root = join(dir, 'panther');
  const db = join(dir, 'catalog.db');
  const sync = () =>
    writeCatalog(db, [{ name: 'panther', root, commit: '', date: '2026-01-01T00:00:00.000Z' } satisfies SyncedSource], {
      prepare,
      mine: [],
    });
  const runTests = async () => {
    const io = captureOutput();
    const code = await main(['test', '--db', db, '--json'], io);
    return { code, summary: JSON.parse(io.stdout) as TestSummary };
  };
  const outcomes = async () => {
    const store = CatalogStore.open(db);
    const python = new PythonTests(
      (sha1) => store.testCode(sha1),
      () => createPythonRunner(),
    );
    try {
      const results = await runStoredTests(store.storedTests(), rulesByNativeId(store.rules), python);
      return results.map((o) => [o.test.ruleId, o.test.name, o.result, o.reason] as const);
    } finally {
      await python.close();
      store.close();
    }
  };
  const testCodeRows = () => {
    const conn = new Database(db, { readonly: true });
    try {
      return conn.prepare('SELECT count(*) FROM test_code').pluck().get() as number;
    } finally {
      conn.close();
    }
  };

  test("a rule's Python runs with its helpers, data model and mocks, from the catalog alone", budget, async () => {
    cpSync(fixtures, root, { recursive: true });
    await sync();
    // The source is gone: `test` reads the code from the catalog.
    renameSync(root, `${root}-away`);
    try {
      const { code, summary } = await runTests();
      assert.equal(code, 1);
      assert.deepEqual(
        { ...summary.platforms.panther, model: undefined },
        { total: 7, passed: 4, failed: 1, unknown: 2, model: undefined },
      );
      assert.deepEqual(
        summary.failures.map((f) => [f.id, f.test, f.expected, f.got, f.reason]),
        [['panther:Fixture.Python.WatchedOktaEvent', 'a test that states the wrong result', 'yes', 'no', 'rule() returned False']],
      );
      // Our model of the rules, on the same tests: agreement per language, each disagreement with its class.
      assert.deepEqual(summary.languages, { none: { agreed: 0, total: 1 }, python: { agreed: 3, total: 6 } });
      assert.deepEqual(
        summary.disagreements.map((d) => [d.id.replace('panther:Fixture.Python.', ''), d.expected, d.model, d.class]),
        [
          ['NoFile', 'yes', 'unknown', 'no query in the catalog'],
          ['OfflineImport', 'yes', 'unknown', 'helper or library call not inlined'],
          ['WatchedOktaEvent', 'yes', 'no', 'misses where the code fires (a condition read too narrowly)'],
          ['WatchedOktaEvent', 'yes', 'no', 'misses where the code fires (a condition read too narrowly)'],
        ],
      );
      const unknown = (await outcomes()).filter(([, , result]) => result === 'unknown');
      assert.deepEqual(
        unknown.map(([id, , , reason]) => [id, reason.replace(/Pyodide [\d.]+/, 'Pyodide N')]),
        [
          ['Fixture.Python.NoFile', "the rule's Python file is not in the catalog"],
          [
            'Fixture.Python.OfflineImport',
            'imports fixture_package_not_offline, which is neither in the source nor a package of Pyodide N',
          ],
        ],
      );
    } finally {
      renameSync(`${root}-away`, root);
    }
  });

  test('a sync follows a helper module the rule imports; the code of removed tests leaves the catalog', budget, async () => {
    const helper = join(root, 'global_helpers/fixture_base.py');
    writeFileSync(helper, readFileSync(helper, 'utf8').replace('.lower()', '.upper()'));
    await sync();
    const ran = await outcomes();
    // Nothing is watched once the helper upper-cases event types: the tests expecting a match fail.
    assert.deepEqual(
      ran.filter(([id]) => id === 'Fixture.Python.WatchedOktaEvent').map(([, , result]) => result),
      ['failed', 'passed', 'passed', 'failed', 'failed'],
    );
    assert.ok(testCodeRows() > 0);
    rmSync(join(root, 'rules'), { recursive: true });
    await sync();
    assert.equal(testCodeRows(), 0);
  });

  test('no Python runner starts when no Python test is run', async () => {
    cpSync(join(fixtures, 'rules'), join(root, 'rules'), { recursive: true });
    rmSync(join(root, 'rules/fixture_pack/watched_okta_event.yml'));
    rmSync(join(root, 'rules/fixture_pack/offline_import.yml'));
    await sync();
    const store = CatalogStore.open(db);
    let starts = 0;
    const python = new PythonTests(
      (sha1) => store.testCode(sha1),
      () => (starts++, createPythonRunner()),
    );
    try {
      const results = await runStoredTests(store.storedTests(), rulesByNativeId(store.rules), python);
      assert.deepEqual(
        results.map((o) => [o.test.ruleId, o.result]),
        [['Fixture.Python.NoFile', 'unknown']],
      );
      assert.equal(starts, 0);
    } finally {
      await python.close();
      store.close();
    }
  });
});
