// The child-process measurement used for our build and the peer's: every Node process of the tree
// is counted (CPU summed, the largest peak RSS), and stderr lines carry the time they arrived.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runMeasured } from './measure.js';

describe('runMeasured', () => {
  const work = mkdtempSync(join(tmpdir(), 'ruleatlas-measure-'));
  after(() => rmSync(work, { recursive: true, force: true }));

  test('measures a process and the Node process it starts', async () => {
    const child = join(work, 'child.mjs');
    // The child holds ~200 MB for a moment and burns some CPU: its peak is the tree's largest.
    writeFileSync(
      child,
      `const b = Buffer.alloc(200 * 2 ** 20, 1); let x = 0; for (let i = 0; i < 3e7; i++) x += b[i % b.length]; console.log(x > 0);`,
    );
    const parent = join(work, 'parent.mjs');
    writeFileSync(
      parent,
      `import { spawnSync } from 'node:child_process';
console.error('started');
const r = spawnSync(process.execPath, [${JSON.stringify(child)}], { encoding: 'utf8' });
process.stdout.write(r.stdout);
console.error('done: ' + process.env.BENCH_TEST_VALUE);`,
    );
    const run = await runMeasured([parent], { env: { BENCH_TEST_VALUE: 'seen' } });
    assert.equal(run.code, 0);
    assert.equal(run.processes, 2);
    assert.equal(run.stdout.trim(), 'true');
    assert.ok(run.maxRssMb > 200 && run.maxRssMb < 2000, `${run.maxRssMb} MB`);
    assert.ok(run.cpuMs > 10 && run.cpuMs < run.wallMs * 4, `${run.cpuMs} ms CPU`);
    assert.deepEqual(
      run.stderr.map((l) => l.line),
      ['started', 'done: seen'],
    );
    assert.ok(run.stderr[0]!.ms <= run.stderr[1]!.ms && run.stderr[1]!.ms <= run.wallMs);
  });

  test('reports the exit code and no usage for a process killed by a signal', async () => {
    const script = join(work, 'abort.mjs');
    writeFileSync(script, `process.exitCode = 3; if (process.argv[2] === 'kill') process.kill(process.pid, 'SIGKILL');`);
    assert.equal((await runMeasured([script])).code, 3);
    const killed = await runMeasured([script, 'kill']);
    assert.equal(killed.signal, 'SIGKILL');
    assert.equal(killed.processes, 0);
  });
});
