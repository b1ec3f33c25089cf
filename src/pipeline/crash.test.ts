// Crash safety and concurrent writers, with real processes: a sync or build killed (SIGKILL) at
// points of its write leaves a catalog that opens read-only as it was before or after that write,
// with its history and sync number; one writer at a time, the others refused with the writer named
// or waiting (--wait); a build whose parent bin process is killed does not go on to replace the catalog.
// Points in a write are reached deterministically by the writer's test hook (RULEATLAS_TEST_STEP,
// pipeline/catalog-file.ts writerStep): the writer sends itself SIGKILL or SIGSTOP there.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { Rule } from '../model/types.js';
import { CatalogStore } from '../store/read.js';

const bin = fileURLToPath(new URL('../../bin/ruleatlas.js', import.meta.url));
const mini = fileURLToPath(new URL('../../test/mini-corpus', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'ruleatlas-crash-'));
after(() => rmSync(work, { recursive: true, force: true }));

const linux = process.platform === 'linux' ? false : 'not here: reads /proc and stops processes with SIGSTOP (Linux)';

interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The ruleatlas command, with extra environment (the test hook). */
function ruleatlas(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Run>((resolve) => child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr })));
  // 'close' waits for every holder of its output pipes, a child of the bin too.
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return { child, done, exited };
}

interface Setup {
  root: string;
  config: string;
  db: string;
}

/** A folder of rules (a copy of the mini-corpus, named as `build` names a folder source), its sources config and a catalog path. */
function folder(name: string): Setup {
  const root = join(work, name, 'rules');
  cpSync(mini, root, { recursive: true });
  const config = join(work, name, 'config.json');
  writeFileSync(config, JSON.stringify({ sources: [{ name: 'rules', dir: root }] }));
  return { root, config, db: join(work, name, 'catalog.db') };
}

let base: Promise<string> | undefined;

/** `folder(name)` with a catalog synced from it (one sync, copied for every test). */
async function setup(name: string): Promise<Setup> {
  base ??= (async () => {
    const { config, db } = folder('base');
    const run = await ruleatlas(['sync', '--config', config, '--db', db]).done;
    assert.equal(run.status, 0, run.stderr);
    return db;
  })();
  const catalog = await base;
  const out = folder(name);
  cpSync(catalog, out.db);
  return out;
}

/** The catalog as a reader sees it (CatalogStore opens it read-only): rules without history, sync number, history rows in order. */
function stateOf(db: string): { rules: Map<string, Omit<Rule, 'history'>>; lastSync: number; history: string[] } {
  const store = CatalogStore.open(db);
  const rules = new Map(store.rules.map(({ history: _h, ...rule }) => [rule.id, rule]));
  const lastSync = Number(store.lastSync);
  store.close();
  const d = new Database(db, { readonly: true });
  try {
    const history = (d.prepare('SELECT key, change, sync FROM history ORDER BY rowid').raw().all() as unknown[][]).map((r) => r.join(' '));
    return { rules, lastSync, history };
  } finally {
    d.close();
  }
}

/** A small deterministic generator (mulberry32), so that a failing run can be replayed from its seed. */
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

// No KQL file: the Kusto parser takes a second to load in each sync.
const ruleFiles = [
  'sigma/certutil_decode.yml',
  'sigma/okta_impersonation.yml',
  'sigma/security_log_cleared.yml',
  'elastic/certutil_urlcache.toml',
];

/** Rename the rule of one file (its title or name). */
function rename(root: string, file: string, tag: string): void {
  const path = join(root, file);
  writeFileSync(path, readFileSync(path, 'utf8').replace(/^(\s*)(title: |name: |name = ")/m, `$1$2${tag} `));
}

/** Files beside the catalog other than SQLite's own -wal and -shm: a temporary catalog, a lock. */
const leftovers = (db: string) => readdirSync(join(db, '..')).filter((f) => f.startsWith('catalog.db.'));

async function stopped(pid: number): Promise<void> {
  for (const end = Date.now() + 30_000; Date.now() < end;) {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '')[0];
    if (state === 'T') return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`process ${pid} did not reach its stop`);
}

test(
  'a sync killed at any point of its write leaves the catalog as before or after it, readable read-only, history kept',
  { skip: linux },
  async () => {
    const { root, config, db } = await setup('killed-sync');
    const sync = (env?: Record<string, string>) => ruleatlas(['sync', '--config', config, '--db', db], env).done;
    const seeds = [1, 2];
    // Named points are the commit's edges; numbered ones fall anywhere (files, the pass, each row rewritten).
    const points = [...seeds.map((seed) => String(1 + Math.floor(random(seed)() * 14))), 'commit', 'committed'];
    let killed = 0;
    for (const [i, point] of points.entries()) {
      const pick = random(100 + i);
      for (let n = 0; n < 2; n++) rename(root, ruleFiles[Math.floor(pick() * ruleFiles.length)]!, `Edit${i}.${n}`);
      if (i === 1) unlinkSync(join(root, 'sigma/certutil_urlcache.yml'));
      const before = stateOf(db);
      const run = await sync({ RULEATLAS_TEST_STEP: `${point}:SIGKILL` });
      if (run.signal === 'SIGKILL') killed++;
      else assert.equal(run.status, 0, `point ${point}: ${run.stderr}`);

      const crashed = stateOf(db);
      const recovered = await sync();
      assert.equal(recovered.status, 0, `the sync after a kill at ${point} failed: ${recovered.stderr}`);
      const now = stateOf(db);
      assert.ok(
        [before.lastSync, before.lastSync + 1].includes(crashed.lastSync),
        `point ${point}: sync ${crashed.lastSync} after ${before.lastSync}`,
      );
      const committed = crashed.lastSync === before.lastSync + 1;
      assert.deepEqual(crashed.rules, committed ? now.rules : before.rules, `point ${point}: the catalog is the state before or after`);
      assert.deepEqual(crashed.history.slice(0, before.history.length), before.history, `point ${point}: history kept`);
      assert.equal(now.lastSync, crashed.lastSync + 1, `point ${point}: the next sync numbered on`);
      assert.deepEqual(now.history.slice(0, crashed.history.length), crashed.history);
      assert.deepEqual(leftovers(db), [], `point ${point}: nothing left beside the catalog`);
    }
    assert.ok(killed >= 2, `the writer was killed at ${killed} of ${points.length} points`);
  },
);

test('a build killed at any point leaves the catalog it replaces, and its temporary file is removed', { skip: linux }, async () => {
  const { root, config, db } = await setup('killed-build');
  rename(root, 'sigma/certutil_decode.yml', 'Built');
  const before = stateOf(db);
  for (const point of ['file', 'rename']) {
    // The build runs in the bin's heap-capped child, which gets the hook and is killed; the bin cleans up after it.
    const run = await ruleatlas(['build', '--source', root, '--db', db], { RULEATLAS_TEST_STEP: `${point}:SIGKILL` }).done;
    assert.notEqual(run.status, 0);
    assert.deepEqual(stateOf(db), before, `killed at ${point}: the catalog as it was`);
    assert.deepEqual(leftovers(db), [], `killed at ${point}: no temporary catalog or lock left`);
  }
  const killedAfter = await ruleatlas(['build', '--source', root, '--db', db], { RULEATLAS_TEST_STEP: 'renamed:SIGKILL' }).done;
  assert.notEqual(killedAfter.status, 0);
  const built = stateOf(db);
  assert.equal(built.lastSync, before.lastSync + 1, 'the new catalog, numbered on');
  assert.deepEqual(built.history.slice(0, before.history.length), before.history, 'history carried over');
  assert.deepEqual(leftovers(db), []);
  // Renamed in place of a catalog with its -wal: the next sync and reader see the new catalog alone.
  rename(root, 'sigma/okta_impersonation.yml', 'After');
  const next = await ruleatlas(['sync', '--config', config, '--db', db]).done;
  assert.equal(next.status, 0, next.stderr);
  assert.equal(stateOf(db).lastSync, built.lastSync + 1);
});

test(
  'one writer at a time: a second sync or a build is refused naming the writer, or waits with --wait; no sync number twice',
  { skip: linux },
  async () => {
    const { root, config, db } = await setup('concurrent');
    rename(root, 'sigma/certutil_decode.yml', 'First');
    const before = stateOf(db);
    // The first writer pauses in the middle of its write (an in-place sync runs in the bin's own process).
    const first = ruleatlas(['sync', '--config', config, '--db', db], { RULEATLAS_TEST_STEP: 'file:SIGSTOP' });
    await stopped(first.child.pid!);
    try {
      const second = await ruleatlas(['sync', '--config', config, '--db', db]).done;
      assert.equal(second.status, 1);
      assert.match(second.stderr, new RegExp(`being written by process ${first.child.pid}`));
      const build = await ruleatlas(['build', '--source', root, '--db', db]).done;
      assert.equal(build.status, 1);
      assert.match(build.stderr, new RegExp(`being written by process ${first.child.pid}`));
      const waitedOut = await ruleatlas(['sync', '--config', config, '--db', db, '--wait', '0.3']).done;
      assert.equal(waitedOut.status, 1);
      assert.match(waitedOut.stderr, /after waiting/);
      assert.deepEqual(stateOf(db), before, 'nothing written by the refused writers');

      const waiting = ruleatlas(['sync', '--config', config, '--db', db, '--wait', '60']);
      await new Promise((r) => setTimeout(r, 500));
      first.child.kill('SIGCONT');
      const [a, b] = await Promise.all([first.done, waiting.done]);
      assert.equal(a.status, 0, a.stderr);
      assert.equal(b.status, 0, b.stderr);
      assert.match(a.stdout, new RegExp(`sync ${before.lastSync + 1}:`));
      assert.match(b.stdout, new RegExp(`sync ${before.lastSync + 2}:`));
    } finally {
      first.child.kill('SIGCONT');
      await first.done;
    }
    const after = stateOf(db);
    assert.equal(after.lastSync, before.lastSync + 2);
    assert.equal(new Set(after.history).size, after.history.length, 'no history entry twice');
    assert.deepEqual(leftovers(db), []);
  },
);

test(
  'a build whose bin process is killed (SIGKILL) stops in its heap-capped child: the catalog stays, nothing is left',
  { skip: linux },
  async () => {
    const { root, db } = await setup('orphan');
    rename(root, 'sigma/certutil_decode.yml', 'Orphaned');
    const before = stateOf(db);
    // The child pauses just before it would rename its new catalog into place; its parent is then killed.
    const parent = ruleatlas(['build', '--source', root, '--db', db], { RULEATLAS_TEST_STEP: 'rename:SIGSTOP' });
    const pid = parent.child.pid!;
    let child = 0;
    for (const end = Date.now() + 30_000; !child && Date.now() < end;) {
      child = Number(readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0]) || 0;
      if (!child) await new Promise((r) => setTimeout(r, 20));
    }
    await stopped(child);
    parent.child.kill('SIGKILL');
    await parent.exited;
    process.kill(child, 'SIGCONT');
    for (const end = Date.now() + 30_000; existsSync(`/proc/${child}`) && Date.now() < end;) await new Promise((r) => setTimeout(r, 20));
    assert.ok(!existsSync(`/proc/${child}`), 'the child ended');
    assert.deepEqual(stateOf(db), before, 'the catalog was not replaced');
    assert.deepEqual(leftovers(db), [], 'its temporary catalog and lock removed');
  },
);

test('a catalog left with a hot rollback journal (a writer of an older ruleatlas killed) opens read-only as it was, and syncs on', async () => {
  const { root, config, db } = await setup('hot-journal');
  const legacy = new Database(db);
  legacy.pragma('journal_mode = DELETE');
  legacy.close();
  const before = stateOf(db);
  // A writer in rollback-journal mode killed in the middle of its transaction.
  const script = join(work, 'killed-writer.cjs');
  writeFileSync(
    script,
    `const Database = require(${JSON.stringify(createRequire(import.meta.url).resolve('better-sqlite3'))});
const db = new Database(process.argv[2]);
db.pragma('cache_size = 1');
db.exec('BEGIN IMMEDIATE');
db.exec("DELETE FROM history; UPDATE meta SET value = '999' WHERE key = 'lastSync'; DELETE FROM rules");
process.kill(process.pid, 'SIGKILL');`,
  );
  assert.equal(spawnSync(process.execPath, [script, db]).signal, 'SIGKILL');
  assert.ok(existsSync(`${db}-journal`), 'a hot journal is left');
  assert.deepEqual(stateOf(db), before, 'read-only, as before the killed write');
  rename(root, 'sigma/certutil_decode.yml', 'Later');
  const next = await ruleatlas(['sync', '--config', config, '--db', db]).done;
  assert.equal(next.status, 0, next.stderr);
  const now = stateOf(db);
  assert.equal(now.lastSync, before.lastSync + 1);
  assert.deepEqual(now.history.slice(0, before.history.length), before.history);
});
