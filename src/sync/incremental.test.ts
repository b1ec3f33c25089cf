// An in-place sync must leave the catalog a fresh build of the same files gives: it runs the corpus
// pass again over stored pass inputs and rewrites only the rows it changed, so every corpus-level
// field (ids, duplicates, counts, events, sameAction, similar) is compared rule by rule, on a slice
// of the shared corpus (../shared beside the checkout, as in CI) with many shared indicators.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { captureOutput } from '../cli/capture-output.js';
import { main } from '../cli/main.js';
import type { Rule } from '../model/types.js';
import type { BuildReport } from '../report/report.js';
import { CatalogStore } from '../store/read.js';

const corpus = fileURLToPath(new URL('../../../shared/corpus', import.meta.url));
const sigmaDir = join(corpus, 'sigma/rules/windows/process_creation');
const elasticDir = join(corpus, 'elastic/rules/windows');
const sentinelDir = join(corpus, 'sentinel/Detections/SecurityEvent');
const skip = !existsSync(sigmaDir) && !process.env.CI ? 'no ../shared corpus here' : false;

async function sync(config: string, db: string): Promise<BuildReport> {
  const io = captureOutput();
  const status = await main(['sync', '--config', config, '--db', db, '--json'], io);
  assert.equal(status, 0, io.stderr);
  return JSON.parse(io.stdout) as BuildReport;
}

/** Every rule without its history (a fresh build starts history again), by id. */
function rulesOf(db: string): Map<string, Omit<Rule, 'history'>> {
  const store = CatalogStore.open(db);
  try {
    return new Map(store.rules.map(({ history: _h, ...rule }) => [rule.id, rule]));
  } finally {
    store.close();
  }
}

describe('in-place sync against a fresh build', { skip }, () => {
  const work = mkdtempSync(join(tmpdir(), 'ruleatlas-incremental-'));
  after(() => rmSync(work, { recursive: true, force: true }));
  const src = join(work, 'rules');

  test('after a rename, query edits, a technique, an added copy of a rule, a new rule and a deleted file, every corpus-level field is as a full build makes it', async () => {
    // Certutil rules and their neighbours: sameAction links, shared indicators and similar rules.
    mkdirSync(join(src, 'sigma'), { recursive: true });
    mkdirSync(join(src, 'elastic'), { recursive: true });
    for (const f of readdirSync(sigmaDir)
      .sort()
      .filter((f) => /certutil|powershell|rundll32|regsvr32|mshta/.test(f))
      .slice(0, 150))
      cpSync(join(sigmaDir, f), join(src, 'sigma', f));
    for (const f of readdirSync(elasticDir).sort().slice(0, 120)) cpSync(join(elasticDir, f), join(src, 'elastic', f));
    mkdirSync(join(src, 'sentinel'), { recursive: true });
    for (const f of readdirSync(sentinelDir).sort()) cpSync(join(sentinelDir, f), join(src, 'sentinel', f));
    const sentinel = (name: string) => join(src, 'sentinel', name);
    const config = join(work, 'ruleatlas.config.json');
    writeFileSync(config, JSON.stringify({ sources: [{ name: 'rules', dir: src }] }));
    const db = join(work, 'catalog.db');
    const first = await sync(config, db);
    assert.ok(first.rules > 250, `${first.rules} rules`);

    const sigma = (name: string) => join(src, 'sigma', name);
    const edit = (path: string, from: RegExp, to: string) => {
      const text = readFileSync(path, 'utf8');
      assert.match(text, from, path);
      writeFileSync(path, text.replace(from, to));
    };
    const fresh = async (label: string) => {
      const freshDb = join(work, `fresh-${label}.db`);
      await sync(config, freshDb);
      return rulesOf(freshDb);
    };
    const compare = (synced: Map<string, Omit<Rule, 'history'>>, built: Map<string, Omit<Rule, 'history'>>) => {
      const live = [...synced.values()].filter((r) => !r.removed);
      assert.deepEqual(live.map((r) => r.id).sort(), [...built.keys()].sort());
      for (const rule of live) assert.deepEqual(rule, built.get(rule.id), rule.id);
    };

    // 1. Renames only (the query's analysis is reused, and the pass's inputs for similarity are unchanged).
    edit(sigma('proc_creation_win_certutil_download.yml'), /^title: (.*)$/m, 'title: $1 (renamed)');
    edit(sentinel('AADHealthMonAgentRegKeyAccess.yaml'), /^name: (.*)$/m, 'name: $1 (renamed)');
    const second = await sync(config, db);
    assert.equal(second.sync!.analysed, 2);
    compare(rulesOf(db), await fresh('rename'));

    // 2. A query edit alone: a new value, and a value other certutil rules share dropped (their
    // counts move); similar lists are ranked again only where they can move.
    edit(sigma('proc_creation_win_certutil_download.yml'), /- 'verifyctl '/, "- 'verifyctl '\n            - 'ruleatlas-test-value '");
    edit(sigma('proc_creation_win_certutil_download.yml'), /\n {8}- OriginalFileName: 'CertUtil\.exe'/, '');
    edit(sentinel('AADHealthMonAgentRegKeyAccess.yaml'), /\| where EventID == '4656'/, "| where EventID == '4656' or EventID == '4663'");
    assert.equal((await sync(config, db)).sync!.analysed, 2);
    compare(rulesOf(db), await fresh('query'));

    // 3. A technique gained, and a value shared with other rules dropped.
    edit(sigma('proc_creation_win_certutil_download.yml'), / {4}- attack\.t1105\n/, '    - attack.t1105\n    - attack.t1140\n');
    edit(sigma('proc_creation_win_certutil_download.yml'), /\n {12}- 'URL '/, '');
    assert.equal((await sync(config, db)).sync!.analysed, 1);
    compare(rulesOf(db), await fresh('technique'));

    // 4. A new rule, an older copy of a rule, a deleted file.
    const decode = readFileSync(sigma('proc_creation_win_certutil_decode.yml'), 'utf8');
    writeFileSync(
      sigma('zz_new_rule.yml'),
      decode.replace(/^id: .*$/m, 'id: 6f1d7c0e-0000-4000-8000-000000000001').replace(/^title: .*$/m, 'title: A new certutil rule'),
    );
    writeFileSync(
      sigma('zz_older_copy.yml'),
      decode.replace(/^title: .*$/m, 'title: An older copy').replace(/^modified: .*$/m, 'modified: 2001-01-01'),
    );
    const gone = readdirSync(join(src, 'sigma'))
      .sort()
      .find(
        (f) => f.includes('certutil') && f !== 'proc_creation_win_certutil_download.yml' && f !== 'proc_creation_win_certutil_decode.yml',
      )!;
    unlinkSync(sigma(gone));
    const third = await sync(config, db);
    assert.equal(third.sync!.analysed, 2);
    assert.deepEqual(third.sync!.changes, { added: 2, changed: 0, removed: 1 });
    const synced = rulesOf(db);
    compare(synced, await fresh('edits'));
    assert.ok(
      [...synced.values()].some((r) => r.removed && r.path.endsWith(gone)),
      "the deleted file's rule is kept, removed",
    );
  });
});
