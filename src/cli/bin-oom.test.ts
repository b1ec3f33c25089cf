// A build that runs out of its capped heap runs again with more memory: the user sees one line
// saying so, not V8's crash report, and no temporary catalog of the aborted run is left behind.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/ruleatlas.js', import.meta.url));
const mini = fileURLToPath(new URL('../../test/mini-corpus', import.meta.url));

test('a build over its heap cap re-runs with one line of explanation and leaves no temporary files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ruleatlas-oom-'));
  try {
    const db = join(dir, 'catalog.db');
    // 16 MB: the mini-corpus build reaches it (measured), well before it writes its catalog.
    const run = spawnSync(process.execPath, [bin, 'build', '--source', mini, '--db', db], {
      encoding: 'utf8',
      env: { ...process.env, RULEATLAS_HEAP_MB: '16' },
      timeout: 120_000,
    });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /the build needed more than 16 MB of heap; running it again with more memory/);
    assert.doesNotMatch(run.stderr, /Last few GCs|FATAL ERROR|JavaScript heap out of memory/);
    assert.deepEqual(readdirSync(dir).sort(), ['catalog.db']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
