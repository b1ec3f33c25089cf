import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { allocatedBytes, type ProbeWindow } from './server-probe.js';

const probe = fileURLToPath(new URL('./server-probe.js', import.meta.url));

test("the probe counts a full collection's pause apart from the scavenges", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'probe-'));
  try {
    const file = join(dir, 'probe.json');
    // One full collection (gc()), then many short-lived arrays (scavenges), then the window asked for.
    const script = `gc(); let keep; for (let i = 0; i < 2e6; i++) keep = new Array(16).fill(i);
      setTimeout(() => { process.kill(process.pid, 'SIGUSR2'); setTimeout(() => process.exit(0), 50); }, 50);`;
    const child = spawn(process.execPath, ['--expose-gc', '--max-semi-space-size=1', `--import=${probe}`, '-e', script], {
      env: { ...process.env, RULEATLAS_PROBE_FILE: file },
      stdio: 'inherit',
    });
    assert.equal(await new Promise((resolve) => child.on('exit', resolve)), 0);
    const seen = JSON.parse(readFileSync(file, 'utf8')) as ProbeWindow;
    assert.equal(seen.gcFullPauses, 1);
    assert.ok(seen.gcPauses > seen.gcFullPauses, 'the scavenges are counted too');
    assert.ok(seen.gcFullMs <= seen.gcMs);
    // 2 M arrays of 16 slots are over 200 MB of heap, however V8 lays them out; most were collected young.
    assert.ok(seen.heapAllocatedBytes > 200 * 1024 * 1024, `${seen.heapAllocatedBytes} bytes allocated`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bytes allocated are the growth between collections plus what each collection found', () => {
  const sizes = (before: number, after: number) => ({
    beforeGC: { heapStatistics: { usedHeapSize: before } },
    afterGC: { heapStatistics: { usedHeapSize: after } },
  });
  // 100 -> 180 (80 allocated), collected to 110; -> 150 (40), collected to 105; -> 125 at the end (20).
  assert.equal(allocatedBytes(100, [sizes(180, 110), sizes(150, 105)], 125), 140);
  assert.equal(allocatedBytes(100, [], 130), 30);
});
