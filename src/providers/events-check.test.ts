// Precision and recall of provider events over a hand-checked list (events-check.data.ts),
// on a catalog of the shared corpus (../shared beside the checkout, as in CI).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { captureOutput } from '../cli/capture-output.js';
import { main } from '../cli/main.js';
import { checkedEvents } from './events-check.data.js';

const corpus = fileURLToPath(new URL('../../../shared/corpus', import.meta.url));
const skip = !existsSync(corpus) && !process.env.CI ? 'no ../shared corpus here' : false;
// The pattern vocabulary is corpus-wide, so every platform is built, not only the listed files.
const sources = ['sentinel', 'elastic', 'sigma', 'splunk', 'chronicle', 'panther', 'kql-community'];

describe('provider events against the hand-checked list', { skip }, () => {
  const work = mkdtempSync(join(tmpdir(), 'ruleatlas-events-'));
  const dbPath = join(work, 'catalog.db');
  const found = new Map<string, Set<string>>();
  before(async () => {
    const io = captureOutput();
    const code = await main(['build', ...sources.flatMap((s) => ['--source', join(corpus, s)]), '--db', dbPath, '--json'], io);
    assert.equal(code, 0, io.stderr);
    const db = new Database(dbPath, { readonly: true });
    const rows = db.prepare(
      'SELECT r.source_name AS source, r.path AS path FROM events e JOIN rules r ON r.rowid = e.rule WHERE r.current = 1 AND e.provider = ? AND lower(e.event) = lower(?)',
    );
    for (const c of checkedEvents) {
      found.set(
        `${c.provider}/${c.event}`,
        new Set((rows.all(c.provider, c.event) as { source: string; path: string }[]).map((r) => `${r.source}/${r.path}`)),
      );
    }
    db.close();
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  test('recall and precision are at least 95% over the list', () => {
    let expected = 0;
    let hits = 0;
    let claimed = 0;
    const lines: string[] = [];
    for (const c of checkedEvents) {
      const got = found.get(`${c.provider}/${c.event}`)!;
      const want = new Set(c.rules);
      const tp = [...want].filter((r) => got.has(r)).length;
      expected += want.size;
      hits += tp;
      claimed += got.size;
      lines.push(`${c.provider}/${c.event}: recall ${tp}/${want.size}, precision ${tp}/${got.size}`);
      for (const r of want) if (!got.has(r)) lines.push(`  missed ${r}`);
      for (const r of got) if (!want.has(r)) lines.push(`  extra ${r}`);
    }
    const report = lines.join('\n');
    assert.ok(hits / expected >= 0.95, `recall ${hits}/${expected}\n${report}`);
    assert.ok(hits / claimed >= 0.95, `precision ${hits}/${claimed}\n${report}`);
  });
});
