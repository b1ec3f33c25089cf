// The peer's side of the benchmark against a stand-in checkout that behaves as the documented
// contract says (folders in environment variables, catalog under $HOME/.cache, a log line with the
// count), so that the mapping, the fresh HOME per run and the counting are tested without the peer.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { peerEntry, peerFolders, runPeer } from './peer.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));

describe('peer', () => {
  const work = mkdtempSync(join(tmpdir(), 'ruleatlas-peer-test-'));
  after(() => rmSync(work, { recursive: true, force: true }));
  const corpus = join(work, 'corpus');
  for (const dir of [
    'sigma',
    'sigma-regression',
    'splunk/detections',
    'splunk/stories',
    'elastic',
    'kql-community',
    'sentinel',
    'panther',
    'chronicle',
  ]) {
    mkdirSync(join(corpus, dir), { recursive: true });
  }
  const folders = ['chronicle', 'elastic', 'kql-community', 'panther', 'sentinel', 'sigma', 'sigma-regression', 'splunk'].map((f) =>
    join(corpus, f),
  );

  test('maps our folders to its variables and leaves out what it cannot read', () => {
    const { env, used, skipped } = peerFolders(folders);
    assert.deepEqual(env, {
      ELASTIC_PATHS: join(corpus, 'elastic'),
      KQL_PATHS: `${join(corpus, 'kql-community')},${join(corpus, 'sentinel')}`,
      SIGMA_PATHS: join(corpus, 'sigma'),
      SPLUNK_PATHS: join(corpus, 'splunk', 'detections'),
      STORY_PATHS: join(corpus, 'splunk', 'stories'),
    });
    assert.deepEqual(
      used.map((u) => u.slice(corpus.length + 1)),
      ['elastic', 'kql-community', 'sentinel', 'sigma', 'splunk'],
    );
    assert.deepEqual(
      skipped.map((u) => u.slice(corpus.length + 1)),
      ['chronicle', 'panther', 'sigma-regression'],
    );
  });

  test('names a folder that is not a built checkout', () => {
    assert.match((peerEntry(work) as { error: string }).error, /not a built checkout/);
  });

  test('runs the entry point with the folders, a fresh HOME each run, and counts what it indexed', async () => {
    const checkout = join(work, 'peer');
    mkdirSync(join(checkout, 'dist'), { recursive: true });
    writeFileSync(join(checkout, 'dist', 'indexer.js'), '');
    // Indexes one "sigma" rule per run into $HOME/.cache; refuses a HOME that already has a catalog.
    writeFileSync(
      join(checkout, 'dist', 'index.js'),
      `import { createRequire } from 'node:module';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
const Database = createRequire(${JSON.stringify(join(repo, 'package.json'))})('better-sqlite3');
const dir = join(process.env.HOME, '.cache', 'security-detections-mcp');
if (existsSync(dir)) process.exit(5);
mkdirSync(dir, { recursive: true });
const db = new Database(join(dir, 'detections.sqlite'));
db.exec('CREATE TABLE detections (id TEXT, source_type TEXT)');
const types = { SIGMA_PATHS: 'sigma', SPLUNK_PATHS: 'splunk_escu', ELASTIC_PATHS: 'elastic', KQL_PATHS: 'kql' };
let n = 0;
for (const [key, type] of Object.entries(types)) {
  for (const path of (process.env[key] ?? '').split(',').filter(Boolean)) db.prepare('INSERT INTO detections VALUES (?, ?)').run(path, type), n++;
}
console.error('[peer] Indexed ' + n + ' detections (attack ' + (process.env.ATTACK_STIX_PATH ?? 'none') + ')');
console.error('[peer] Server started');`,
    );
    const entry = peerEntry(checkout);
    assert.ok('entry' in entry);
    for (let i = 0; i < 2; i++) {
      const run = await runPeer(entry.entry, folders, join(corpus, 'enterprise-attack.json'));
      assert.equal(run.rules, 5);
      assert.deepEqual(run.byType, { elastic: 1, kql: 2, sigma: 1, splunk_escu: 1 });
      assert.ok(run.indexedMs !== undefined && run.indexedMs <= run.wallMs);
      assert.match(run.stderr[0]!.line, /attack .*enterprise-attack\.json/);
      assert.ok(run.maxRssMb > 0 && run.cpuMs > 0);
    }
  });
});
