import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { captureOutput } from '../cli/capture-output.js';
import { main } from '../cli/main.js';
import type { MineReport } from '../mine/mine.js';
import type { BuildReport } from '../report/report.js';
import { CatalogStore } from '../store/read.js';
import { type RunningServer, startServer } from '../web/server.js';
import { loadConfig } from './config.js';
import { runSync } from './sync.js';
import { silentNotes } from '../pipeline/notes.js';
import { watchSources, type Watching } from './watch.js';
import { lockCatalog } from '../pipeline/catalog-file.js';

const examples = resolve(dirname(fileURLToPath(import.meta.url)), '../../examples/rules');

describe('your rules and watch mode', () => {
  let root: string;
  let store: CatalogStore;
  let server: RunningServer;
  let watching: Watching;
  const get = async <T>(path: string) => (await fetch(new URL(path, server.url))).json() as Promise<T>;
  const page = async (path: string) => (await fetch(new URL(path, server.url))).text();

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'ruleatlas-watch-'));
    mkdirSync(join(root, 'public'));
    mkdirSync(join(root, 'ours'));
    copyFileSync(join(examples, 'sentinel/okta-admin-impersonation.yaml'), join(root, 'public/okta.yaml'));
    copyFileSync(join(examples, 'sentinel/cloudtrail-logging-stopped.yaml'), join(root, 'public/cloudtrail.yaml'));
    copyFileSync(join(examples, 'elastic/okta_impersonation.toml'), join(root, 'ours/okta.toml'));
    writeFileSync(
      join(root, 'ruleatlas.config.yaml'),
      'sources:\n  - name: public\n    dir: public\n  - name: ours\n    dir: ours\n    mine: true\n',
    );
    const config = loadConfig(join(root, 'ruleatlas.config.yaml'));
    const db = join(root, 'catalog.db');
    await runSync({ config, db }, silentNotes);
    store = CatalogStore.open(db);
    server = await startServer(store, { port: 0, host: '127.0.0.1', live: true });
    watching = watchSources({ config, db, notes: silentNotes, debounceMs: 50, onReload: (next) => server.reload(next) });
  });

  after(async () => {
    watching?.stop();
    await server?.close();
    store?.close();
    rmSync(root, { recursive: true, force: true });
  });

  test('the source facet, /api/mine and /mine compare your rules with the public ones', async () => {
    const sources = (await get<{ facets: { source: { value: string; count: number }[] } }>('/api/rules')).facets.source.map((v) => [
      v.value,
      v.count,
    ]);
    assert.deepEqual(sources, [
      ['public', 2],
      ['ours', 1],
    ]);
    const mine = await get<MineReport>('/api/mine');
    assert.deepEqual(mine.sources, ['ours']);
    assert.equal(mine.rules.length, 1);
    assert.deepEqual(
      mine.rules[0]!.publicSameAction.map((r) => [r.platform, r.source, r.name]),
      [['sentinel', 'public', 'Okta admin started an impersonation session']],
    );
    const aws = mine.eventGaps.find((g) => g.provider === 'aws-cloudtrail');
    assert.ok(
      aws?.events.some((e) => e.event === 'StopLogging' && e.rules === 1),
      JSON.stringify(mine.eventGaps),
    );
    assert.ok(!mine.eventGaps.some((g) => g.provider === 'okta'), 'your rule detects the Okta event');
    assert.ok(
      mine.techniqueGaps.some((g) => g.techniques.some((t) => t.id === 'T1562.008')),
      JSON.stringify(mine.techniqueGaps),
    );
    const html = await page('/mine');
    assert.match(html, /<h1>Your rules<\/h1>/);
    assert.match(html, /href="\/\?event=aws-cloudtrail%2FStopLogging"/);
    assert.match(html, /<meta name="ruleatlas-live" content="[^"]+">/);
  });

  test('a saved rule file is re-analysed alone, the catalog reloaded and the version moved on; rule text is escaped', async () => {
    const before = (await get<{ version: string }>('/api/version')).version;
    const file = join(root, 'ours/okta.toml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('name = "Okta session impersonation started"', 'name = "Ours <script>alert(1)</script> & co"'),
    );
    const deadline = Date.now() + 20000;
    while ((await get<{ version: string }>('/api/version')).version === before) {
      assert.ok(Date.now() < deadline, 'the catalog was not reloaded');
      await new Promise((r) => setTimeout(r, 100));
    }
    await watching.idle();
    const report = await get<BuildReport>('/api/report');
    assert.deepEqual([report.sync?.analysed, report.sync?.changes], [1, { added: 0, changed: 1, removed: 0 }]);
    assert.equal((await get<{ total: number }>(`/api/rules?q=${encodeURIComponent('ours script')}`)).total, 1);
    const html = await page('/mine');
    assert.match(html, /Ours &lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; co/);
    assert.doesNotMatch(html, /<script>alert/);
  });

  test('a save while another writer holds the catalog is synced once that writer ends', async () => {
    const before = (await get<{ version: string }>('/api/version')).version;
    // Another writer: this process holds the catalog's writer lock for a while.
    const release = await lockCatalog(join(root, 'catalog.db'));
    try {
      const file = join(root, 'ours/okta.toml');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/^name = ".*"$/m, 'name = "Okta impersonation, saved while locked"'));
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal((await get<{ version: string }>('/api/version')).version, before, 'nothing is written while the lock is held');
    } finally {
      release();
    }
    const deadline = Date.now() + 20000;
    while ((await get<{ version: string }>('/api/version')).version === before) {
      assert.ok(Date.now() < deadline, 'the save was not synced after the writer ended');
      await new Promise((r) => setTimeout(r, 100));
    }
    await watching.idle();
    assert.equal((await get<{ total: number }>(`/api/rules?q=${encodeURIComponent('saved while locked')}`)).total, 1);
  });
});

test('a catalog written by build is updated in place by a sync over the same folders', async () => {
  const root = mkdtempSync(join(tmpdir(), 'ruleatlas-build-sync-'));
  try {
    const a = join(root, 'alpha');
    mkdirSync(a);
    copyFileSync(join(examples, 'sentinel/okta-admin-impersonation.yaml'), join(a, 'okta.yaml'));
    copyFileSync(join(examples, 'elastic/okta_impersonation.toml'), join(a, 'okta.toml'));
    const db = join(root, 'catalog.db');
    const io = captureOutput();
    assert.equal(await main(['build', '--source', a, '--db', db, '--json'], io), 0, io.stderr);
    const config = join(root, 'ruleatlas.config.json');
    writeFileSync(config, JSON.stringify({ sources: [{ name: 'alpha', dir: 'alpha' }] }));
    const sync = captureOutput();
    assert.equal(await main(['sync', '--config', config, '--db', db, '--json'], sync), 0, sync.stderr);
    const s = (JSON.parse(sync.stdout) as BuildReport).sync!;
    assert.deepEqual([s.sync, s.analysed, s.reused, s.changes], [2, 0, 2, { added: 0, changed: 0, removed: 0 }]);
    const check = CatalogStore.open(db);
    try {
      assert.deepEqual(
        check.rules.map((r) => r.history?.map((h) => [h.change, h.sync])),
        [[['added', 1]], [['added', 1]]],
      );
      assert.equal(check.rules[0]!.sameAction.length, 1, 'corpus links survive');
    } finally {
      check.close();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
