// The one write path, checked as a property: after any sequence of edits to a source (titles, query
// values, added, renamed, copied and deleted files, a Python file a Panther rule reads), a sync in
// place leaves the catalog exactly as a fresh build of the same files, field by field, and analyses
// only the files whose stored analysis no longer fits. Runs on the checked-in mini-corpus
// (test/mini-corpus), so it needs nothing beside the checkout.
import assert from 'node:assert/strict';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type AnalyserVersions, currentVersions, versionsOf } from '../analysis/versions.js';
import { AttackCatalog } from '../attack/catalog.js';
import { prepareLanguages } from '../languages/registry.js';
import type { EventRef, Rule } from '../model/types.js';
import { expandEventPatterns } from '../analysis/event-patterns.js';
import { providers } from '../providers/registry.js';
import { CatalogStore } from '../store/read.js';
import type { SyncedSource } from '../sync/keys.js';
import { CatalogLockedError } from './catalog-file.js';
import { type CatalogWrite, DroppedSourcesError, writeCatalog, type WriteOptions } from './write.js';

const mini = fileURLToPath(new URL('../../test/mini-corpus', import.meta.url));

const prepare: WriteOptions['prepare'] = async (languages) => {
  await prepareLanguages(languages);
  return { attack: AttackCatalog.empty() };
};

function write(db: string, sources: SyncedSource[], extra: Partial<WriteOptions> = {}): Promise<CatalogWrite> {
  return writeCatalog(db, sources, { prepare, mine: [], ...extra });
}

/** Every rule of a catalog without its history (a fresh build starts it again), by id. */
function rulesOf(db: string): Map<string, Omit<Rule, 'history'>> {
  const store = CatalogStore.open(db);
  try {
    return new Map(store.rules.map(({ history: _h, ...rule }) => [rule.id, rule]));
  } finally {
    store.close();
  }
}

function historyCount(db: string): number {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare('SELECT count(*) FROM history').pluck().get() as number;
  } finally {
    d.close();
  }
}

/** A small deterministic generator (mulberry32), so that a failing sequence can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function filesBelow(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
    const path = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...filesBelow(root, path));
    else out.push(path);
  }
  return out.sort();
}

/** One edit of the source; returns what it did, and how many files a sync must analyse again for it. */
type Edit = (root: string, pick: <T>(list: T[]) => T, n: number) => { did: string; analysed: number } | undefined;

const ruleFiles = (root: string) => filesBelow(root).filter((f) => /\.(yml|yaml|toml|md)$/.test(f) && !f.endsWith('README.md'));

const edits: Record<string, Edit> = {
  title(root, pick, n) {
    const file = pick(ruleFiles(root));
    const text = readFileSync(join(root, file), 'utf8');
    const next = text.replace(
      /^(title: |name: |DisplayName: "|name = ")(.*?)(")?$/m,
      (_m, key: string, title: string, q: string | undefined) => `${key}${title} v${n}${q ?? ''}`,
    );
    if (next === text) return undefined;
    writeFileSync(join(root, file), next);
    return { did: `retitled ${file}`, analysed: 1 };
  },
  queryValue(root, pick, n) {
    const file = pick(ruleFiles(root));
    const text = readFileSync(join(root, file), 'utf8');
    const next = text
      .replace(/('urlcache '\n)/, `$1            - 'value${n} '\n`)
      .replace(/"verifyctl"\)/, `"verifyctl", "value${n}")`)
      .replace(/"verifyctl"\)\n'''/, `"verifyctl", "value${n}")\n'''`)
      .replace(/EventID: 1102/, `EventID: ${1100 + (n % 3)}`)
      .replace(/EventID == \d+/, `EventID == ${1100 + (n % 3)}`)
      .replace(/("-decode ")|'-decode '/, `'-decode${n} '`);
    if (next === text) return undefined;
    writeFileSync(join(root, file), next);
    return { did: `changed a query value in ${file}`, analysed: 1 };
  },
  add(root, pick, n) {
    const file = pick(ruleFiles(root).filter((f) => f.startsWith('sigma/')));
    if (!file) return undefined;
    const text = readFileSync(join(root, file), 'utf8')
      .replace(/^id: .*$/m, `id: 9d000000-0000-4000-8000-${String(n).padStart(12, '0')}`)
      .replace(/^title: (.*)$/m, `title: $1 (copy ${n})`);
    writeFileSync(join(root, `sigma/added_${n}.yml`), text);
    return { did: `added sigma/added_${n}.yml from ${file}`, analysed: 1 };
  },
  olderCopy(root, pick, n) {
    // The same native id again, older: the pass marks duplicates and keeps ids apart.
    const file = pick(ruleFiles(root).filter((f) => f.startsWith('sigma/')));
    if (!file) return undefined;
    const text = readFileSync(join(root, file), 'utf8')
      .replace(/^title: (.*)$/m, '$1 (older copy)')
      .replace(/^date: .*$/m, 'date: 2001-01-01');
    writeFileSync(join(root, `sigma/older_${n}.yml`), text.replace(/^(.*) \(older copy\)$/m, 'title: $1 (older copy)'));
    return { did: `copied ${file} as an older duplicate`, analysed: 1 };
  },
  rename(root, pick, n) {
    const file = pick(ruleFiles(root));
    const to = file.replace(/(\.[a-z]+)$/, `_r${n}$1`);
    renameSync(join(root, file), join(root, to));
    return { did: `renamed ${file} to ${to}`, analysed: 1 };
  },
  remove(root, pick) {
    const files = ruleFiles(root);
    if (files.length < 6) return undefined;
    const file = pick(files);
    unlinkSync(join(root, file));
    return { did: `deleted ${file}`, analysed: 0 };
  },
  python(root, _pick, n) {
    // A file no format reads, read by a Panther rule: the rule is analysed again with it.
    const py = join(root, 'panther/okta_impersonation.py');
    if (!existsSync(py) || !existsSync(join(root, 'panther/okta_impersonation.yml'))) return undefined;
    writeFileSync(
      py,
      readFileSync(py, 'utf8')
        .replace(/!= "okta-system"/, `not in ("okta-system", "svc${n}")`)
        .replace(/not in \("okta-system", "svc\d+"\)/, `not in ("okta-system", "svc${n}")`),
    );
    return { did: 'edited the Python file of the Panther rule', analysed: 2 };
  },
};

describe('the one write path', () => {
  const work = mkdtempSync(join(tmpdir(), 'ruleatlas-pipeline-'));
  after(() => rmSync(work, { recursive: true, force: true }));

  // More seeds on demand: RULEATLAS_PROPERTY_SEEDS=50.
  const seeds = Array.from({ length: Number(process.env.RULEATLAS_PROPERTY_SEEDS) || 3 }, (_, i) => i + 1);
  for (const seed of seeds) {
    test(`in-place syncs equal fresh builds after random edits (seed ${seed})`, async () => {
      const root = join(work, `rules-${seed}`);
      cpSync(mini, root, { recursive: true });
      const source: SyncedSource = { name: 'rules', root, commit: '', date: '2026-01-01T00:00:00.000Z' };
      const db = join(work, `synced-${seed}.db`);
      // Odd seeds: the syncs deflate on another thread and the builds they are compared with do not; even seeds the other way round.
      const [syncing, building] =
        seed % 2
          ? [{ deflateElsewhereFrom: 0 }, { deflateElsewhereFrom: 1e9 }]
          : [{ deflateElsewhereFrom: 1e9 }, { deflateElsewhereFrom: 0 }];
      const first = await write(db, [source], syncing);
      assert.ok(first.written && first.report.rules >= 10, `${first.report.rules} rules`);
      const next = random(seed);
      const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)]!;
      const names = Object.keys(edits);
      for (let step = 1; step <= 10; step++) {
        const edit = edits[pick(names)]!(root, pick, step * 10 + seed);
        if (!edit) continue;
        const synced = await write(db, [source], syncing);
        const label = `seed ${seed} step ${step}: ${edit.did}`;
        assert.equal(synced.counts.analysed, edit.analysed, `${label}: files analysed`);
        const fresh = join(work, `fresh-${seed}-${step}.db`);
        await write(fresh, [source], { fresh: true, ...building });
        const built = rulesOf(fresh);
        const live = [...rulesOf(db).values()].filter((r) => !r.removed);
        assert.deepEqual(live.map((r) => r.id).sort(), [...built.keys()].sort(), label);
        for (const rule of live) assert.deepEqual(rule, built.get(rule.id), `${label}: ${rule.id}`);
        rmSync(fresh);
      }
    });
  }

  test('an exclusion edited in one rule moves the count of another rule that shares it, though no similar list moves', async () => {
    // Exclusions take no part in similarity: nothing is ranked again, and only the corpus counts
    // tell the two rules apart (outcomeMayMove must find the other rule by the key it lost).
    const root = join(work, 'rules-exclusion');
    cpSync(mini, root, { recursive: true });
    const source: SyncedSource = { name: 'rules', root, commit: '', date: '2026-01-01T00:00:00.000Z' };
    const db = join(work, 'exclusion.db');
    await write(db, [source]);
    const countOf = (rules: Map<string, Omit<Rule, 'history'>>) =>
      [...rules.values()].find((r) => r.nativeId.endsWith('000000000003'))!.indicators.find((i) => i.value === 'svc_backup')!.corpusCount;
    assert.equal(countOf(rulesOf(db)), 1, 'the certutil rule excludes the same account');
    const file = join(root, 'sigma/certutil_urlcache.yml');
    writeFileSync(file, readFileSync(file, 'utf8').replace("'svc_backup'", "'svc_other'"));
    assert.equal((await write(db, [source])).counts.analysed, 1);
    const fresh = join(work, 'exclusion-fresh.db');
    await write(fresh, [source], { fresh: true });
    assert.equal(countOf(rulesOf(fresh)), 0);
    assert.equal(countOf(rulesOf(db)), 0, 'the in-place sync rewrote the other rule');
    assert.deepEqual(rulesOf(db), rulesOf(fresh));
  });

  test('the events the corpus pass gives a rule are the events the catalog holds, a term that is itself a name included', async () => {
    const root = join(work, 'rules-pass-events');
    cpSync(mini, root, { recursive: true });
    // `has` a term no known event name holds: the pass takes it for a name (nothing else names it).
    writeFileSync(
      join(root, 'sentinel/gcp_backend_service_delete.yaml'),
      [
        'id: 2e6b1c7f-8d52-4f1b-8c20-0000000000f1',
        'name: GCP backend service deleted',
        'description: A compute backend service is deleted.',
        'severity: Low',
        'query: |',
        '  GCPAuditLogs',
        '  | where MethodName has "compute.backendServices.delete"',
        '',
      ].join('\n'),
    );
    const source: SyncedSource = { name: 'rules', root, commit: '', date: '2026-01-01T00:00:00.000Z' };
    const db = join(work, 'pass-events.db');
    await write(db, [source]);
    const stored = [...rulesOf(db).values()].filter((r) => !r.removed);
    // The pass run again over what the catalog holds of each rule before the pass.
    const again = stored.map((r) => ({ id: r.id, events: r.events.filter((e) => e.via === undefined), eventPatterns: r.eventPatterns }));
    expandEventPatterns(again, providers);
    const eventsOf = (rules: { id: string; events: EventRef[] }[]) => new Map(rules.map((r) => [r.id, r.events]));
    assert.deepEqual(eventsOf(stored), eventsOf(again));
    const gcp = stored.find((r) => r.name === 'GCP backend service deleted')!;
    assert.deepEqual(
      gcp.events.map((e) => [e.provider, e.event]),
      [['gcp-audit', 'compute.backendServices.delete']],
    );
  });

  test('the pattern expansions a pass keeps are taken back by the next pass of the same analysis code only', async () => {
    const root = join(work, 'rules-expansions');
    cpSync(mini, root, { recursive: true });
    const sentinel = (file: string, name: string, where: string) =>
      writeFileSync(
        join(root, 'sentinel', file),
        [
          `id: 2e6b1c7f-8d52-4f1b-8c20-0000000000${file.length}`,
          `name: ${name}`,
          'description: A fixture.',
          'severity: Low',
          'query: |',
          '  GCPAuditLogs',
          `  | where ${where}`,
          '',
        ].join('\n'),
      );
    sentinel('exact.yaml', 'Backend deleted', 'MethodName == "compute.backendServices.delete"');
    sentinel('pattern-rule.yaml', 'Backend changed', 'MethodName startswith "compute.backendServices.del"');
    const source: SyncedSource = { name: 'rules', root, commit: '', date: '2026-01-01T00:00:00.000Z' };
    const db = join(work, 'expansions.db');
    const v1 = currentVersions();
    await write(db, [source], { versions: v1 });
    const patternEvents = () => [...rulesOf(db).values()].find((r) => r.name.startsWith('Backend changed'))!.events.map((e) => e.event);
    assert.deepEqual(patternEvents(), ['compute.backendServices.delete']);
    // What the memo holds is what the next pass takes: a stand-in answer shows the pattern is not matched again.
    const d = new Database(db);
    const stored = JSON.parse(d.prepare("SELECT value FROM meta WHERE key = 'patternExpansions'").pluck().get() as string) as {
      code: string;
      entries: [string, string[]][];
    };
    assert.equal(stored.code, v1.common);
    assert.ok(stored.entries.length > 0);
    stored.entries = stored.entries.map(([key, names]) => [key, key.includes('\u0000gcp-audit\u0000') ? ['compute.standIn'] : names]);
    d.prepare("UPDATE meta SET value = ? WHERE key = 'patternExpansions'").run(JSON.stringify(stored));
    d.close();
    // A title edit: the pass runs again over the same vocabulary, and the rule's row is written again.
    sentinel('pattern-rule.yaml', 'Backend changed (renamed)', 'MethodName startswith "compute.backendServices.del"');
    await write(db, [source], { versions: v1 });
    assert.deepEqual(patternEvents(), ['compute.standIn']);
    // Other analysis code (matching is part of it): the patterns are matched again.
    sentinel('pattern-rule.yaml', 'Backend changed (again)', 'MethodName startswith "compute.backendServices.del"');
    await write(db, [source], { versions: { ...v1, common: 'changed' } });
    assert.deepEqual(patternEvents(), ['compute.backendServices.delete']);
  });

  test('rules watching the same events on one platform name one stored sameAction list, each leaving out itself', async () => {
    const root = join(work, 'rules-action-lists');
    cpSync(mini, root, { recursive: true });
    // A second Sigma rule on the Okta event: the two Sigma rules share a list.
    const okta = readFileSync(join(root, 'sigma/okta_impersonation.yml'), 'utf8');
    writeFileSync(join(root, 'sigma/okta_second.yml'), okta.replace('000000000004', '000000000099').replace('title: ', 'title: Second '));
    const source: SyncedSource = { name: 'rules', root, commit: '', date: '2026-01-01T00:00:00.000Z' };
    const db = join(work, 'action-lists.db');
    await write(db, [source]);
    const sql = (query: string) => {
      const d = new Database(db, { readonly: true });
      try {
        return d.prepare(query).raw().all() as unknown[][];
      } finally {
        d.close();
      }
    };
    const lists = sql(
      "SELECT DISTINCT action_list FROM rules WHERE platform = 'sigma' AND (native_id LIKE '%000000000099' OR native_id LIKE '%000000000004')",
    );
    assert.equal(lists.length, 1, 'one list for both');
    assert.ok(lists[0]![0] !== null);
    const rules = [...rulesOf(db).values()];
    const [first, second] = ['000000000004', '000000000099'].map((n) =>
      rules.find((r) => r.platform === 'sigma' && r.nativeId.endsWith(n))!,
    );
    assert.ok(first!.sameAction.some((s) => s.id === second!.id) && !first!.sameAction.some((s) => s.id === first!.id));
    assert.ok(second!.sameAction.some((s) => s.id === first!.id) && !second!.sameAction.some((s) => s.id === second!.id));
    assert.equal(first!.sameAction[0]!.platform === 'sigma', false, 'other platforms first');

    // The second rule gone: the list without it replaces the one with it, which no row names any more.
    unlinkSync(join(root, 'sigma/okta_second.yml'));
    await write(db, [source]);
    assert.deepEqual(sql('SELECT id FROM action_lists WHERE id NOT IN (SELECT action_list FROM rules WHERE action_list IS NOT NULL)'), []);
    const fresh = join(work, 'action-lists-fresh.db');
    await write(fresh, [source], { fresh: true });
    const live = new Map([...rulesOf(db)].filter(([, r]) => !r.removed));
    assert.equal(live.size, rulesOf(db).size - 1, 'the rule gone is kept, removed');
    assert.deepEqual(live, rulesOf(fresh));
  });

  test('a build keeps the history of the catalog it replaces, and a sync after it analyses nothing', async () => {
    const root = join(work, 'rules-history');
    cpSync(mini, root, { recursive: true });
    const source: SyncedSource = { name: 'rules', root, commit: '', date: '2026-01-01T00:00:00.000Z' };
    const db = join(work, 'history.db');
    await write(db, [source], { fresh: true });
    const before = historyCount(db);
    // A temporary catalog a killed build left behind goes; one of a live process stays.
    writeFileSync(`${db}.tmp-2147483646`, 'left by a killed build');
    writeFileSync(`${db}.tmp-${process.ppid}`, 'a live process');
    const rebuilt = await write(db, [source], { fresh: true });
    assert.ok(!existsSync(`${db}.tmp-2147483646`), 'the stale temporary catalog was removed');
    assert.ok(existsSync(`${db}.tmp-${process.ppid}`));
    assert.ok(!existsSync(`${db}.tmp-${process.pid}`), 'its own temporary file is renamed');
    assert.equal(rebuilt.sync, 2);
    assert.equal(historyCount(db), before, 'no rule is "added" twice');
    const again = await write(db, [source]);
    assert.equal(again.counts.analysed, 0);
    assert.equal(again.sync, 3);
  });

  test('a catalog written by another analyser version analyses again exactly the files that version read, and says why', async () => {
    const root = join(work, 'rules-versions');
    cpSync(mini, root, { recursive: true });
    const source: SyncedSource = { name: 'rules', root, commit: '', date: '2026-01-01T00:00:00.000Z' };
    const db = join(work, 'versions.db');
    const v1: AnalyserVersions = currentVersions();
    await write(db, [source], { versions: v1 });
    assert.equal((await write(db, [source], { versions: v1 })).counts.analysed, 0);
    // The Sigma language changed: the four Sigma rule files, nothing else.
    const v2 = { ...v1, languages: { ...v1.languages, sigma: 'changed' } };
    const sigma = await write(db, [source], { versions: v2 });
    assert.equal(sigma.counts.analysed, 4);
    assert.deepEqual(sigma.counts.why, { 'analyser changed (sigma language)': 4 });
    assert.equal(sigma.changes.changed, 4);
    // A new format could claim any file none claimed (README, the .py): those, and the format's own files.
    const v3 = { ...v2, formats: { ...v2.formats, elastic: 'changed' } };
    const formats = await write(db, [source], { versions: v3 });
    assert.equal(formats.counts.analysed, 2 + 2);
    // The code every analysis runs: every file.
    const v4 = { ...v3, common: 'changed' };
    assert.equal((await write(db, [source], { versions: v4 })).counts.analysed, filesBelow(root).length);
    // The versions come from the running code: the same code gives the same versions.
    assert.deepEqual(versionsOf(fileURLToPath(new URL('..', import.meta.url))), v1);
  });

  test("a file a rule reads (a Panther rule's .py) is part of its analysis key", async () => {
    const root = join(work, 'rules-related');
    cpSync(mini, root, { recursive: true });
    const source: SyncedSource = { name: 'rules', root, commit: '', date: '2026-01-01T00:00:00.000Z' };
    const db = join(work, 'related.db');
    await write(db, [source]);
    const fieldsOf = () => [...rulesOf(db).values()].find((r) => r.platform === 'panther')!.indicators.map((i) => i.value);
    assert.ok(!fieldsOf().includes('svc-ruleatlas'));
    writeFileSync(
      join(root, 'panther/okta_impersonation.py'),
      readFileSync(join(root, 'panther/okta_impersonation.py'), 'utf8').replace('"okta-system"', '"svc-ruleatlas"'),
    );
    const synced = await write(db, [source]);
    assert.equal(synced.counts.analysed, 2, 'the .py and the YAML that reads it');
    assert.deepEqual(synced.counts.why, { 'a file its analysis reads changed': 1 });
    assert.ok(fieldsOf().includes('svc-ruleatlas'), 'the rule shows its new code');
    // The Python file gone: the rule says its code is missing.
    unlinkSync(join(root, 'panther/okta_impersonation.py'));
    assert.equal((await write(db, [source])).counts.analysed, 1);
  });

  test('a catalog locked by another writer is refused with the process named, its history intact', async () => {
    const root = join(work, 'rules-lock');
    cpSync(mini, root, { recursive: true });
    const source: SyncedSource = { name: 'rules', root, commit: '', date: '2026-01-01T00:00:00.000Z' };
    const db = join(work, 'lock.db');
    await write(db, [source]);
    const history = historyCount(db);
    writeFileSync(
      join(root, 'sigma/certutil_decode.yml'),
      readFileSync(join(root, 'sigma/certutil_decode.yml'), 'utf8').replace('title: ', 'title: Renamed '),
    );
    // A live process holds the writer lock (this one, as a stand-in for another).
    writeFileSync(`${db}.lock`, `${process.pid} 2026-01-01T00:00:00.000Z\n`);
    await assert.rejects(
      write(db, [source]),
      (err: unknown) => err instanceof CatalogLockedError && err.message.includes(`process ${process.pid}`),
    );
    assert.equal(historyCount(db), history);
    // A lock left by a process that is gone is taken over; so is one whose process id now names a later process (a container restarted).
    writeFileSync(`${db}.lock`, '2147483646 2026-01-01T00:00:00.000Z\n');
    assert.equal((await write(db, [source])).counts.analysed, 1);
    assert.ok(!existsSync(`${db}.lock`), 'the lock is released');
    if (process.platform === 'linux') {
      writeFileSync(
        join(root, 'sigma/certutil_decode.yml'),
        readFileSync(join(root, 'sigma/certutil_decode.yml'), 'utf8').replace('title: ', 'title: Reused '),
      );
      writeFileSync(`${db}.lock`, `${process.pid} 2026-01-01T00:00:00.000Z 1\n`);
      assert.equal((await write(db, [source])).counts.analysed, 1);
      assert.ok(!existsSync(`${db}.lock`), 'the lock is released');
    }

    const beforeBusy = historyCount(db);
    // SQLite's own lock (a reader or writer of another program): the sync fails naming the catalog, after the busy timeout.
    writeFileSync(
      join(root, 'sigma/certutil_decode.yml'),
      readFileSync(join(root, 'sigma/certutil_decode.yml'), 'utf8').replace('title: ', 'title: Again '),
    );
    const other = new Database(db);
    other.exec('BEGIN EXCLUSIVE');
    process.env.RULEATLAS_BUSY_MS = '100';
    try {
      await assert.rejects(
        write(db, [source]),
        new RegExp(`catalog ${db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is locked by another process`),
      );
    } finally {
      delete process.env.RULEATLAS_BUSY_MS;
      other.exec('ROLLBACK');
      other.close();
    }
    assert.equal(historyCount(db), beforeBusy, 'nothing written');
  });

  test('a source missing from the sources given is refused, and with prune its rules are removed with history', async () => {
    const a = join(work, 'source-a');
    const b = join(work, 'source-b');
    cpSync(join(mini, 'sigma'), a, { recursive: true });
    cpSync(join(mini, 'elastic'), b, { recursive: true });
    const src = (name: string, root: string): SyncedSource => ({ name, root, commit: '', date: '2026-01-01T00:00:00.000Z' });
    const db = join(work, 'dropped.db');
    await write(db, [src('a', a), src('b', b)]);
    const all = rulesOf(db).size;
    await assert.rejects(write(db, [src('a', a)]), (err: unknown) => err instanceof DroppedSourcesError && err.sources.join() === 'b');
    assert.equal(rulesOf(db).size, all, 'nothing was written');
    const pruned = await write(db, [src('a', a)], { prune: true });
    assert.equal(pruned.changes.removed, 2);
    const store = CatalogStore.open(db);
    try {
      const gone = store.rules.filter((r) => r.sourceName === 'b');
      assert.equal(gone.length, 2);
      assert.ok(gone.every((r) => r.removed && r.history?.at(-1)?.change === 'removed'));
    } finally {
      store.close();
    }
  });

  test('two sources of one name are refused before anything is written: their files and history would mix', async () => {
    const a = join(work, 'same-name-a');
    const b = join(work, 'same-name-b');
    cpSync(join(mini, 'sigma'), a, { recursive: true });
    cpSync(join(mini, 'sigma'), b, { recursive: true });
    const src = (root: string): SyncedSource => ({ name: 'sigma', root, commit: '', date: '2026-01-01T00:00:00.000Z' });
    const db = join(work, 'same-name.db');
    await write(db, [{ ...src(a), name: 'other' }]);
    const before = rulesOf(db);
    await assert.rejects(write(db, [src(a), src(b)]), /two sources are named "sigma"/);
    assert.deepEqual(rulesOf(db), before);
  });

  test("the ATT&CK threats are written again only when their bundle's files changed, not at every sync", async () => {
    const root = join(work, 'threats-src');
    cpSync(mini, root, { recursive: true });
    const attackDir = join(work, 'threats-attack');
    mkdirSync(attackDir, { recursive: true });
    const bundle = join(attackDir, 'enterprise-attack.json');
    const ref = (id: string) => [{ source_name: 'mitre-attack', external_id: id }];
    const group = (name: string) => ({ type: 'intrusion-set', id: 'intrusion-set--1', name, external_references: ref('G9999') });
    writeFileSync(bundle, JSON.stringify({ objects: [group('APT Test')] }));
    const withBundle: WriteOptions['prepare'] = async (languages) => ({ ...(await prepare(languages)), attackPath: bundle });
    const source: SyncedSource = { name: 'rules', root, commit: '', date: '2026-01-01T00:00:00.000Z' };
    const db = join(work, 'threats.db');
    await write(db, [source], { prepare: withBundle });
    const threats = () => {
      const d = new Database(db, { readonly: true });
      try {
        return d.prepare("SELECT value FROM meta WHERE key = 'attackThreats'").pluck().get() as string | undefined;
      } finally {
        d.close();
      }
    };
    assert.match(threats() ?? '', /APT Test/);
    const drop = () => {
      const d = new Database(db);
      d.prepare("DELETE FROM meta WHERE key = 'attackThreats'").run();
      d.close();
    };
    const edit = (step: number) => {
      const file = join(root, ruleFiles(root)[0]!);
      writeFileSync(file, `${readFileSync(file, 'utf8')}\n# edit ${step}\n`);
    };
    // Same bundle: a sync that analyses a file leaves the threats as they are (here: removed by hand, so still absent).
    drop();
    edit(1);
    assert.equal((await write(db, [source], { prepare: withBundle })).counts.analysed, 1);
    assert.equal(threats(), undefined);
    // Another bundle: written again.
    writeFileSync(bundle, JSON.stringify({ objects: [group('APT Renamed')] }));
    edit(2);
    await write(db, [source], { prepare: withBundle });
    assert.match(threats() ?? '', /APT Renamed/);
  });
});
