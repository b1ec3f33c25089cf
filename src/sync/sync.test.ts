import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { captureOutput } from '../cli/capture-output.js';
import { main } from '../cli/main.js';
import { explore, parseExploreQuery } from '../explore/explore.js';
import type { BuildReport } from '../report/report.js';
import { CatalogStore } from '../store/read.js';
import { startServer } from '../web/server.js';

// examples/ from src/sync (tsx) or dist/sync (compiled).
const examples = resolve(dirname(fileURLToPath(import.meta.url)), '../../examples/rules');

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

function commitAll(repo: string, message: string): void {
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', message);
}

function makeRepo(dir: string, files: Record<string, string>): string {
  mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q');
  git(dir, 'config', 'uploadpack.allowFilter', 'true');
  for (const [path, from] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    copyFileSync(join(examples, from), join(dir, path));
  }
  commitAll(dir, 'first');
  return dir;
}

async function sync(config: string, db: string, cache: string) {
  const io = captureOutput();
  const status = await main(['sync', '--config', config, '--db', db, '--cache', cache, '--json'], io);
  const report = io.stdout ? (JSON.parse(io.stdout) as BuildReport) : undefined;
  return { status, report, stderr: io.stderr };
}

function withStore<T>(db: string, f: (store: CatalogStore) => T): T {
  const store = CatalogStore.open(db);
  try {
    return f(store);
  } finally {
    store.close();
  }
}

describe('sync from git', () => {
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'ruleatlas-sync-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  test('first sync adds every rule; an edit, an addition and a deletion are reflected with history and only changed files analysed', async () => {
    const repo = makeRepo(join(tmp, 'upstream'), {
      'rules/cleared.yaml': 'sentinel/security-log-cleared.yaml',
      'rules/okta.yaml': 'sentinel/okta-admin-impersonation.yaml',
      'rules/okta.toml': 'elastic/okta_impersonation.toml',
      'other/ignored.toml': 'elastic/cloudtrail_stop_logging.toml',
    });
    const config = join(tmp, 'ruleatlas.config.json');
    writeFileSync(config, JSON.stringify({ sources: [{ name: 'up', git: `file://${repo}`, ref: 'main', paths: ['rules'] }] }));
    const db = join(tmp, 'catalog.db');
    const cache = join(tmp, 'cache');

    const first = await sync(config, db, cache);
    assert.equal(first.status, 0, first.stderr);
    assert.deepEqual(
      { analysed: first.report!.sync!.analysed, reused: first.report!.sync!.reused, removed: first.report!.sync!.removed },
      { analysed: 3, reused: 0, removed: 0 },
    );
    const firstCommit = git(repo, 'rev-parse', 'HEAD');
    withStore(db, (store) => {
      assert.equal(store.rules.length, 3, 'the sparse checkout leaves other/ out');
      for (const rule of store.rules) {
        assert.deepEqual(
          rule.history?.map((h) => [h.change, h.commit]),
          [['added', firstCommit]],
        );
        assert.ok(!rule.removed);
      }
    });

    // Edit one rule, add one, delete one.
    const cleared = join(repo, 'rules/cleared.yaml');
    writeFileSync(cleared, readFileSync(cleared, 'utf8').replace('severity: Medium', 'severity: High'));
    copyFileSync(join(examples, 'sentinel/cloudtrail-logging-stopped.yaml'), join(repo, 'rules/cloudtrail.yaml'));
    rmSync(join(repo, 'rules/okta.toml'));
    commitAll(repo, 'second');
    const secondCommit = git(repo, 'rev-parse', 'HEAD');

    const second = await sync(config, db, cache);
    assert.equal(second.status, 0, second.stderr);
    const s = second.report!.sync!;
    assert.deepEqual({ analysed: s.analysed, reused: s.reused, removed: s.removed }, { analysed: 2, reused: 1, removed: 1 });
    assert.deepEqual(s.changes, { added: 1, changed: 1, removed: 1 });
    assert.equal(s.sources[0]?.commit, secondCommit);
    withStore(db, (store) => {
      const byPath = new Map(store.rules.map((r) => [r.path, r]));
      const changes = (path: string) => byPath.get(path)?.history?.map((h) => [h.change, h.commit]);
      assert.deepEqual(changes('rules/cleared.yaml'), [
        ['added', firstCommit],
        ['changed', secondCommit],
      ]);
      assert.equal(byPath.get('rules/cleared.yaml')?.severity, 'high');
      assert.deepEqual(changes('rules/okta.yaml'), [['added', firstCommit]]);
      assert.deepEqual(changes('rules/cloudtrail.yaml'), [['added', secondCommit]]);
      assert.deepEqual(changes('rules/okta.toml'), [
        ['added', firstCommit],
        ['removed', secondCommit],
      ]);
      assert.equal(byPath.get('rules/okta.toml')?.removed, true);
      // Explore leaves removed rules out unless asked.
      const shown = (params: string) =>
        explore(store, parseExploreQuery(new URLSearchParams(params)))
          .items.map((r) => r.path)
          .sort();
      assert.deepEqual(shown(''), ['rules/cleared.yaml', 'rules/cloudtrail.yaml', 'rules/okta.yaml']);
      assert.equal(shown('removed=1').length, 4);
    });

    // Nothing changed upstream: everything reused, history untouched.
    const third = await sync(config, db, cache);
    assert.equal(third.status, 0, third.stderr);
    assert.deepEqual([third.report!.sync!.analysed, third.report!.sync!.reused, third.report!.sync!.removed], [0, 3, 0]);
    withStore(db, (store) => {
      assert.equal(store.rules.length, 4);
      assert.equal(store.rules.find((r) => r.path === 'rules/okta.toml')?.history?.length, 2);
    });
  });

  test("an unreachable source is named with git's reason, exits non-zero and keeps its rules; the others still sync", async () => {
    const root = join(tmp, 'second');
    const repo = makeRepo(join(root, 'good'), { 'a.yaml': 'sentinel/security-log-cleared.yaml' });
    const flaky = makeRepo(join(root, 'flaky'), { 'b.toml': 'elastic/okta_impersonation.toml' });
    const config = join(root, 'ruleatlas.config.json');
    const db = join(root, 'catalog.db');
    const cache = join(root, 'cache');
    const write = (flakyUrl: string) =>
      writeFileSync(
        config,
        JSON.stringify({
          sources: [{ name: 'good', git: `file://${repo}`, ref: 'main' }, { name: 'flaky', git: flakyUrl, ref: 'main' }, ...extra],
        }),
      );
    let extra: object[] = [];
    write(`file://${flaky}`);
    assert.equal((await sync(config, db, cache)).status, 0);

    copyFileSync(join(examples, 'sentinel/okta-admin-impersonation.yaml'), join(repo, 'c.yaml'));
    commitAll(repo, 'more');
    extra = [{ name: 'never', git: 'file:///nonexistent/other.git', ref: 'main' }];
    write('file:///nonexistent/repo.git');
    const run = await sync(config, db, cache);
    assert.match(run.stderr, /source "never" \(file:\/\/\/nonexistent\/other\.git\) could not be synced: git clone failed: .*nonexistent/);
    assert.deepEqual(
      run.report!.sync!.sources.map((src) => [src.name, src.ok]),
      [
        ['good', true],
        ['flaky', false],
        ['never', false],
      ],
    );
    assert.equal(run.report!.rules, 3);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /source "flaky" \(file:\/\/\/nonexistent\/repo\.git\) could not be synced: git fetch failed: .*nonexistent/);
    const flakyStatus = run.report!.sync!.sources.find((src) => src.name === 'flaky');
    assert.equal(flakyStatus?.ok, false);
    withStore(db, (store) => {
      const flakyRules = store.rules.filter((r) => r.sourceName === 'flaky');
      assert.deepEqual(
        flakyRules.map((r) => [r.path, r.removed ?? false]),
        [['b.toml', false]],
      );
      assert.deepEqual(
        store.rules
          .filter((r) => r.sourceName === 'good')
          .map((r) => r.path)
          .sort(),
        ['a.yaml', 'c.yaml'],
      );
    });
  });

  test('folder sources sync in place; show --json, /api/rules/<id>, /api/changes and since= tell the history', async () => {
    const root = join(tmp, 'third');
    const rules = join(root, 'rules');
    mkdirSync(rules, { recursive: true });
    copyFileSync(join(examples, 'sentinel/security-log-cleared.yaml'), join(rules, 'a.yaml'));
    copyFileSync(join(examples, 'elastic/okta_impersonation.toml'), join(rules, 'b.toml'));
    const config = join(root, 'ruleatlas.config.yaml');
    writeFileSync(config, 'sources:\n  - name: local\n    dir: rules\n');
    const db = join(root, 'catalog.db');
    const cache = join(root, 'cache');
    assert.equal((await sync(config, db, cache)).status, 0);
    rmSync(join(rules, 'b.toml'));
    const second = await sync(config, db, cache);
    assert.deepEqual([second.report!.sync!.analysed, second.report!.sync!.reused, second.report!.sync!.removed], [0, 1, 1]);

    const io = captureOutput();
    assert.equal(await main(['show', 'b.toml', '--db', db, '--json'], io), 0);
    const [shown] = JSON.parse(io.stdout) as {
      id: string;
      removed?: boolean;
      history?: { change: string; commit: string; date: string }[];
    }[];
    assert.equal(shown?.removed, true);
    assert.deepEqual(
      shown?.history?.map((h) => [h.change, h.commit]),
      [
        ['added', ''],
        ['removed', ''],
      ],
    );
    const today = new Date().toISOString().slice(0, 10);

    const store = CatalogStore.open(db);
    const server = await startServer(store, { port: 0, host: '127.0.0.1' });
    try {
      const get = async <T>(path: string) => (await fetch(new URL(path, server.url))).json() as Promise<T>;
      const rule = await get<{ removed?: boolean; history: { change: string }[] }>(`/api/rules/${encodeURIComponent(shown.id)}`);
      assert.equal(rule.removed, true);
      assert.deepEqual(
        rule.history.map((h) => h.change),
        ['added', 'removed'],
      );
      const changes = await get<{
        syncs: { sync: number; counts: unknown; changes: { change: string; id: string; name: string; platform: string }[] }[];
      }>('/api/changes');
      assert.deepEqual(
        changes.syncs.map((s) => [s.sync, s.counts, s.changes.map((c) => [c.change, c.platform]).sort()]),
        [
          [2, { added: 0, changed: 0, removed: 1 }, [['removed', 'elastic']]],
          [
            1,
            { added: 2, changed: 0, removed: 0 },
            [
              ['added', 'elastic'],
              ['added', 'sentinel'],
            ],
          ],
        ],
      );
      // Every rule here changed today (the sync time); nothing changed after today.
      assert.equal((await get<{ total: number }>(`/api/rules?since=${today}`)).total, 1);
      assert.equal((await get<{ total: number }>(`/api/rules?since=${today}&removed=1`)).total, 2);
      assert.equal((await get<{ total: number }>('/api/rules?since=2999-01-01')).total, 0);
      const page = await (await fetch(new URL(`/rules/${encodeURIComponent(shown.id)}`, server.url))).text();
      assert.match(page, /removed upstream/);
      assert.match(await (await fetch(new URL('/changes', server.url))).text(), /Sync 2/);
    } finally {
      await server.close();
      store.close();
    }
  });
  test("an edit that leaves a rule's analysis as it was rewrites its file and history only; a renamed rule reaches the rules that link it", async () => {
    const root = join(tmp, 'fourth');
    const rules = join(root, 'rules');
    mkdirSync(rules, { recursive: true });
    copyFileSync(join(examples, 'sentinel/okta-admin-impersonation.yaml'), join(rules, 'a.yaml'));
    copyFileSync(join(examples, 'elastic/okta_impersonation.toml'), join(rules, 'b.toml'));
    const config = join(root, 'ruleatlas.config.json');
    writeFileSync(config, JSON.stringify({ sources: [{ name: 'local', dir: rules }] }));
    const db = join(root, 'catalog.db');
    const cache = join(root, 'cache');
    const first = await sync(config, db, cache);
    assert.equal(first.status, 0, first.stderr);
    // Less its file's date, which an edit moves (checked below).
    const snapshot = () => withStore(db, (store) => store.rules.map(({ history: _h, fileDate: _f, ...rule }) => rule));
    const fileDate = () => withStore(db, (store) => store.rules.find((r) => r.platform === 'sentinel')!.fileDate!.date);
    const before = snapshot();
    const dateBefore = fileDate();
    const elastic = before.find((r) => r.platform === 'elastic')!;
    assert.ok(elastic.sameAction.length || elastic.similar?.length, 'the two rules link each other');

    writeFileSync(join(rules, 'a.yaml'), `${readFileSync(join(rules, 'a.yaml'), 'utf8')}\n# a comment\n`);
    const second = await sync(config, db, cache);
    assert.equal(second.status, 0, second.stderr);
    assert.equal(second.report!.sync!.analysed, 1);
    assert.deepEqual(second.report!.sync!.changes, { added: 0, changed: 1, removed: 0 });
    assert.deepEqual(
      // What differs is when and how long: the write's clock, and the files it timed.
      { ...second.report!, builtAt: '', millis: 0, sync: undefined, timing: undefined },
      { ...first.report!, builtAt: '', millis: 0, sync: undefined, timing: undefined },
    );
    assert.deepEqual(snapshot(), before);
    assert.ok(fileDate() >= dateBefore, 'the edited file dates the rule');
    withStore(db, (store) => {
      const sentinel = store.rules.find((r) => r.platform === 'sentinel')!;
      assert.deepEqual(
        sentinel.history?.map((h) => h.change),
        ['added', 'changed'],
      );
      assert.match(store.bodyOf(sentinel), /# a comment/);
    });

    writeFileSync(join(rules, 'a.yaml'), readFileSync(join(rules, 'a.yaml'), 'utf8').replace(/^name: .*$/m, 'name: Renamed rule'));
    const third = await sync(config, db, cache);
    assert.equal(third.status, 0, third.stderr);
    withStore(db, (store) => {
      const sentinel = store.rules.find((r) => r.platform === 'sentinel')!;
      assert.equal(sentinel.name, 'Renamed rule');
      const links = store.rules.find((r) => r.platform === 'elastic')!;
      const named = [...links.sameAction, ...(links.similar ?? [])].filter((l) => l.id === sentinel.id).map((l) => l.name);
      assert.ok(named.length > 0 && named.every((n) => n === 'Renamed rule'), JSON.stringify(named));
    });
  });
});
