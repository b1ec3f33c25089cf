// Cross-fires: the Sigma rules that fire on another rule's regression sample, through the fire index
// with source gating on, and as `ruleatlas test` reports them. fixtures/cross-fires: a rule fetching a
// URL with certutil and its sample, a generic certutil rule that fires on that sample too, and two
// rules whose conditions hold on the sample but which read another log (file events, the Security
// channel): gating must keep them out.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AttackCatalog } from '../attack/catalog.js';
import { captureOutput } from '../cli/capture-output.js';
import { main } from '../cli/main.js';
import { prepareLanguages } from '../languages/registry.js';
import { writeCatalog, type WriteOptions } from '../pipeline/write.js';
import { CatalogStore } from '../store/read.js';
import type { SyncedSource } from '../sync/keys.js';
import { type CrossFires, crossFires, sigmaLogsource } from './cross-fires.js';
import { recogniseLog } from './event-log.js';
import { evaluateRule, PreparedEvent } from './rule.js';

const fixtures = fileURLToPath(new URL('fixtures/cross-fires/', import.meta.url));
const prepare: WriteOptions['prepare'] = async (languages) => {
  await prepareLanguages(languages);
  return { attack: AttackCatalog.empty() };
};
const id = (n: number) => `00000000-0000-4000-8000-00000000c00${n}`;

describe('cross-fires of Sigma regression samples', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ruleatlas-cross-'));
  const db = join(dir, 'catalog.db');
  after(() => rmSync(dir, { recursive: true, force: true }));
  before(async () => {
    const date = '2026-01-01T00:00:00.000Z';
    const sources: SyncedSource[] = [
      { name: 'sigma', root: join(fixtures, 'rules'), commit: '', date },
      { name: 'samples', root: join(fixtures, 'samples'), commit: '', date },
    ];
    await writeCatalog(db, sources, { prepare, mine: [] });
  });
  const withStore = <T>(f: (store: CatalogStore) => T): T => {
    const store = CatalogStore.open(db);
    try {
      return f(store);
    } finally {
      store.close();
    }
  };

  test("a generic rule fires on another rule's sample; rules reading other logs do not", () => {
    const cross = withStore((store) =>
      crossFires(
        store.storedTests().map((s) => s.test),
        store.rules,
      ),
    );
    assert.equal(cross.samples, 2);
    assert.equal(cross.firing, 1);
    assert.equal(cross.rules, 1);
    assert.equal(cross.mayFire, 0);
    assert.equal(cross.pairs.length, 1);
    const [pair] = cross.pairs;
    assert.equal(pair?.sampleRule.nativeId, id(1));
    assert.equal(pair.sampleRule.name, 'Fixture - Certutil download');
    assert.equal(pair.sample, 'certutil_urlcache');
    assert.equal(pair.log, 'Microsoft-Windows-Sysmon/Operational 1');
    assert.deepEqual(
      { nativeId: pair.other.nativeId, name: pair.other.name, logsource: pair.other.logsource },
      { nativeId: id(2), name: 'Fixture - Certutil execution', logsource: 'windows/process_creation' },
    );
    // The selection matched; the filter (negated) is not listed.
    assert.deepEqual(pair.matched, [{ field: 'Image', op: '|endswith', values: ['\\certutil.exe'] }]);
  });

  test('the gated rules do hold on the sample but for their logsource', () => {
    // Without this the gating case above could pass because their conditions failed.
    withStore((store) => {
      const sample = store.storedTests().find((s) => s.test.ruleId === id(1))!.test;
      for (const n of [3, 4]) {
        const rule = store.rules.find((r) => r.nativeId === id(n))!;
        const answer = evaluateRule(rule, new PreparedEvent(sample.events[0], recogniseLog(sample.events[0])), { trace: true });
        assert.equal(answer.conditions, true, sigmaLogsource(rule));
        assert.equal(answer.source.matched, false, sigmaLogsource(rule));
      }
    });
  });

  test('ruleatlas test reports them, in JSON and for people', async () => {
    const io = captureOutput();
    assert.equal(await main(['test', '--db', db, '--json'], io), 0);
    const out = JSON.parse(io.stdout) as { total: number; crossFires: CrossFires };
    assert.equal(out.total, 2);
    assert.deepEqual(
      out.crossFires.pairs.map((p) => [p.sampleRule.nativeId, p.other.nativeId]),
      [[id(1), id(2)]],
    );
    const human = captureOutput();
    assert.equal(await main(['test', '--db', db], human), 0);
    assert.match(human.stdout, /cross-fires: 1 of 2 Sigma regression samples also fire other Sigma rules \(1 pairs, 1 distinct rules/);
    assert.match(
      human.stdout,
      /Fixture - Certutil execution \[windows\/process_creation\] fires on the samples of 1 other rule:\n.*certutil_urlcache/,
    );
  });
});
