// Stored tests through the one write path and `ruleatlas test`: a build stores a Sigma regression
// sample and a Panther rule's Tests:, a sync follows an edited event file and a deleted sample, and
// the command reports (and exits 1 on) an expected result not met.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AttackCatalog } from '../attack/catalog.js';
import { captureOutput } from '../cli/capture-output.js';
import { main } from '../cli/main.js';
import { prepareLanguages } from '../languages/registry.js';
import { writeCatalog, type WriteOptions } from '../pipeline/write.js';
import { CatalogStore } from '../store/read.js';
import type { SyncedSource } from '../sync/keys.js';
import type { TestSummary } from './run-tests.js';

const formats = fileURLToPath(new URL('../formats/', import.meta.url));
const prepare: WriteOptions['prepare'] = async (languages) => {
  await prepareLanguages(languages);
  return { attack: AttackCatalog.empty() };
};

const sampleDir = 'proc_creation_example';
const eventFile = join(sampleDir, '00000000-0000-4000-8000-00000000a001.json');

describe('stored tests', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ruleatlas-tests-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const samples = join(dir, 'samples');
  cpSync(join(formats, 'sigma-regression/fixtures'), samples, { recursive: true });
  const db = join(dir, 'catalog.db');
  const date = '2026-01-01T00:00:00.000Z';
  const sources: SyncedSource[] = [
    { name: 'sigma', root: join(formats, 'sigma/fixtures'), commit: '', date },
    { name: 'panther', root: join(formats, 'panther/fixtures'), commit: '', date },
    { name: 'samples', root: samples, commit: '', date },
  ];
  const sync = () => writeCatalog(db, sources, { prepare, mine: [] });
  const runTests = async (...args: string[]) => {
    const io = captureOutput();
    const code = await main(['test', ...args, '--db', db, '--json'], io);
    return { code, summary: JSON.parse(io.stdout) as TestSummary };
  };
  const stored = () => {
    const store = CatalogStore.open(db);
    try {
      return store.storedTests();
    } finally {
      store.close();
    }
  };

  test('a build stores the sample and the Panther tests; test runs them', async () => {
    await sync();
    const tests = stored();
    const sample = tests.find((t) => t.source === 'samples');
    assert.equal(sample?.path, `${sampleDir}/info.yml`);
    assert.equal(sample.test.ruleId, '00000000-0000-4000-8000-00000000a001');
    assert.equal(sample.test.events.length, 1);
    const panther = tests.filter((t) => t.source === 'panther');
    assert.ok(panther.length > 0 && panther.every((t) => t.test.kind === 'panther' && t.test.events.length === 1));
    const { code, summary } = await runTests();
    assert.equal(code, 0);
    assert.deepEqual(summary.platforms.sigma, { total: 1, passed: 1, failed: 0, unknown: 0, model: { agreed: 1, total: 1 } });
    assert.equal(summary.total, tests.length);
    assert.equal(summary.failed, 0);
  });

  test('a selector keeps the tests of its rules', async () => {
    const { summary } = await runTests('00000000-0000-4000-8000-00000000a001');
    assert.deepEqual(Object.keys(summary.platforms), ['sigma']);
    assert.equal(summary.total, 1);
  });

  test("a sync follows the sample's event file: an event the rule does not fire on fails, exit 1", async () => {
    const path = join(samples, eventFile);
    writeFileSync(path, readFileSync(path, 'utf8').replace('whoami.exe', 'notepad-renamed.exe'));
    await sync();
    const { code, summary } = await runTests();
    assert.equal(code, 1);
    assert.equal(summary.failed, 1);
    assert.deepEqual(
      summary.failures.map((f) => [f.test, f.expected, f.got]),
      [[sampleDir, 'yes', 'no']],
    );
  });

  test("a sync drops a deleted sample's tests", async () => {
    rmSync(join(samples, sampleDir, 'info.yml'));
    await sync();
    assert.equal(stored().filter((t) => t.source === 'samples').length, 0);
    const { code, summary } = await runTests();
    assert.equal(code, 0);
    assert.equal(summary.platforms.sigma, undefined);
  });
});

describe('stored correlation tests', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ruleatlas-correlation-tests-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const root = join(dir, 'panther');
  mkdirSync(join(root, 'correlation_rules'), { recursive: true });
  writeFileSync(
    join(root, 'correlation_rules', 'open_then_take.yml'),
    `AnalysisType: correlation_rule
RuleID: Door.Open.WITH.Item.Taken
Enabled: true
Severity: High
Detection:
  - Group:
      - ID: Open
        RuleID: Door.Open
      - ID: Take
        RuleID: Item.Taken
    MatchCriteria:
      room:
        - GroupID: Open
          Match: p_alert_context.room
        - GroupID: Take
          Match: p_alert_context.room
    LookbackWindowMinutes: 30
Tests:
  - Name: Open then take in the same room
    ExpectedResult: true
    RuleOutputs:
      - ID: Open
        Matches:
          p_alert_context.room: {kitchen: ["2024-06-01T10:00:00Z"]}
      - ID: Take
        Matches:
          p_alert_context.room: {kitchen: ["2024-06-01T10:20:00Z"]}
  - Name: Take in another room
    ExpectedResult: false
    RuleOutputs:
      - ID: Open
        Matches:
          p_alert_context.room: {kitchen: [0]}
      - ID: Take
        Matches:
          p_alert_context.room: {hall: [1]}
  - Name: Said to fire but does not
    ExpectedResult: true
    RuleOutputs:
      - ID: Open
        Matches:
          p_alert_context.room: {kitchen: [0]}
`,
  );
  const db = join(dir, 'catalog.db');
  const sources: SyncedSource[] = [{ name: 'panther', root, commit: '', date: '2026-01-01T00:00:00.000Z' }];

  test("a correlation rule's tests run over their rule outputs", async () => {
    await writeCatalog(db, sources, { prepare, mine: [] });
    const io = captureOutput();
    const code = await main(['test', '--db', db, '--json'], io);
    const summary = JSON.parse(io.stdout) as TestSummary;
    assert.equal(code, 1);
    assert.deepEqual([summary.total, summary.passed, summary.failed, summary.unknown], [3, 2, 1, 0]);
    assert.deepEqual(
      summary.failures.map((f) => [f.test, f.expected, f.got]),
      [['Said to fire but does not', 'yes', 'no']],
    );
  });
});
