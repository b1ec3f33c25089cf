// `--corpus-copies`: a small corpus written twice and built by the ruleatlas command, once under the
// default heap cap and once under a cap too small for it (the command's retry must be noticed).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildCorpusCopies } from './corpus-copies.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));

describe('buildCorpusCopies', () => {
  const work = mkdtempSync(join(tmpdir(), 'ruleatlas-copies-'));
  after(() => rmSync(work, { recursive: true, force: true }));
  const corpus = join(work, 'corpus');
  mkdirSync(join(corpus, 'sigma'), { recursive: true });
  mkdirSync(join(corpus, 'sentinel'), { recursive: true });
  const sigma = [
    'title: Whoami',
    'id: 11111111-2222-4333-8444-555555555555',
    'logsource:',
    '    category: process_creation',
    '    product: windows',
  ];
  sigma.push('detection:', '    selection:', "        Image|endswith: '\\\\whoami.exe'", '    condition: selection');
  writeFileSync(join(corpus, 'sigma', 'a.yml'), `${sigma.join('\n')}\n`);
  const sentinel = ['id: 66666666-7777-4888-8999-000000000000', 'name: Failed Logons', 'description: Many failed logons.', 'severity: Low'];
  sentinel.push('query: |', '  SecurityEvent', '  | where EventID == 4625');
  writeFileSync(join(corpus, 'sentinel', 's.yaml'), `${sentinel.join('\n')}\n`);

  test('builds the copies and reports sizes, rules and whether the heap cap held', async () => {
    const run = await buildCorpusCopies({ repo, corpus, copies: 2, work: join(work, 'a') });
    assert.equal(run.report.rules, 4);
    assert.equal(run.report.duplicates, 0);
    assert.equal(run.heapOverflow, false);
    assert.ok(run.processes >= 2, 'the command and the build it starts');
    assert.ok(run.sourceBytes > 400 && run.catalogBytes > 10_000, `${run.sourceBytes} / ${run.catalogBytes} bytes`);
  });

  test('notices when the command had to run the build again without a cap', async () => {
    const before = process.env.RULEATLAS_HEAP_MB;
    process.env.RULEATLAS_HEAP_MB = '8';
    try {
      const run = await buildCorpusCopies({ repo, corpus, copies: 2, work: join(work, 'b') });
      assert.equal(run.heapOverflow, true);
      assert.ok(run.overflowAfterMs! > 0 && run.overflowAfterMs! < run.wallMs);
      assert.equal(run.report.rules, 4);
    } finally {
      if (before === undefined) delete process.env.RULEATLAS_HEAP_MB;
      else process.env.RULEATLAS_HEAP_MB = before;
    }
  });
});
