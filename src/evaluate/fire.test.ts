// The fire index against trying every rule: on each event, the rules it finds are exactly those
// evaluateRule says fire or may (an index that left a rule out would fail here); and `ruleatlas fire --json`.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AttackCatalog } from '../attack/catalog.js';
import { captureOutput } from '../cli/capture-output.js';
import { main } from '../cli/main.js';
import { evaluatorFor } from '../languages/evaluate.js';
import { prepareLanguages } from '../languages/registry.js';
import { writeCatalog, type WriteOptions } from '../pipeline/write.js';
import { CatalogStore } from '../store/read.js';
import type { SyncedSource } from '../sync/keys.js';
import { recogniseLog } from './event-log.js';
import { FireIndex } from './fire.js';
import { evaluateRule, PreparedEvent } from './rule.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const prepare: WriteOptions['prepare'] = async (languages) => {
  await prepareLanguages(languages);
  return { attack: AttackCatalog.empty() };
};

const sysmon = (fields: Record<string, unknown>) => ({ Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 1, ...fields });
const events: { event: unknown; logType?: string }[] = [
  { event: sysmon({ Image: 'C:\\Windows\\System32\\whoami.exe', CommandLine: 'whoami /all' }) },
  { event: sysmon({ Image: 'C:\\Windows\\System32\\certutil.exe', CommandLine: 'certutil -decode a.b64 a.exe' }) },
  // Case differs from the rule's values: containment without case still finds the rule.
  { event: sysmon({ Image: 'C:\\WINDOWS\\SYSTEM32\\CERTUTIL.EXE', CommandLine: 'CERTUTIL /DECODE A B', EventID: '1' }) },
  { event: sysmon({ OriginalFileName: 'certutil.exe', CommandLine: ['x', 'certutil -urlcache -f http://a/b c'] }) },
  { event: sysmon({ Image: 'C:\\Windows\\notepad.exe', CommandLine: 'notepad' }) },
  { event: { eventtype: 'user.session.impersonation.initiate' }, logType: 'okta/okta' },
  { event: { eventtype: 'user.session.impersonation.initiate' } },
];

describe('fire', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ruleatlas-fire-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, 'catalog.db');
  const date = '2026-01-01T00:00:00.000Z';
  const sources: SyncedSource[] = [
    { name: 'mini', root: here('../../test/mini-corpus'), commit: '', date },
    { name: 'sigma', root: here('../formats/sigma/fixtures'), commit: '', date },
  ];

  test('the index finds exactly the rules that fire or may, as trying every rule does', async () => {
    await writeCatalog(db, sources, { prepare, mine: [] });
    const store = CatalogStore.open(db);
    try {
      const index = new FireIndex(store.rules);
      let found = 0;
      for (const { event, logType } of events) {
        const log = recogniseLog(event, logType);
        const indexed = index.fire(event, log).map((f) => `${f.rule.id} ${f.evaluation.fires}`);
        const prepared = new PreparedEvent(event, log);
        const every = store.rules
          .filter((r) => evaluatorFor(r.language))
          .map((r) => `${r.id} ${evaluateRule(r, prepared).fires}`)
          .filter((line) => !line.endsWith(' no'))
          .sort();
        assert.deepEqual(indexed, every, JSON.stringify(event));
        found += indexed.length;
      }
      assert.ok(found >= 5, `only ${found} rules fired over the events`);
      // Rules of languages without an evaluator are counted, not tried.
      assert.equal(index.notEvaluated, store.rules.filter((r) => !evaluatorFor(r.language)).length);
    } finally {
      store.close();
    }
  });

  test('fire --json: one entry per event, the rules that fire with their trace', async () => {
    const file = join(dir, 'events.jsonl');
    writeFileSync(
      file,
      events
        .slice(0, 2)
        .map((e) => JSON.stringify(e.event))
        .join('\n'),
    );
    const io = captureOutput();
    assert.equal(await main(['fire', file, '--db', db, '--json'], io), 0, io.stderr);
    const out = JSON.parse(io.stdout) as {
      event: number;
      logType: string;
      rules: { name: string; fires: string; mapped: boolean; trace: unknown[] }[];
    }[];
    assert.deepEqual(
      out.map((e) => [e.event, e.logType]),
      [
        [0, 'Microsoft-Windows-Sysmon/Operational 1'],
        [1, 'Microsoft-Windows-Sysmon/Operational 1'],
      ],
    );
    const first = out[0]!.rules.find((r) => r.name === 'Fixture - Whoami execution');
    assert.equal(first?.fires, 'yes');
    assert.equal(first.mapped, false);
    assert.ok(first.trace.length > 0);
    assert.ok(out[1]!.rules.some((r) => /certutil/i.test(r.name) && r.fires === 'yes'));
    assert.ok(!out[1]!.rules.some((r) => r.name === 'Fixture - Whoami execution'));
  });
});
