import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCached } from './code-cache.js';

test('a script runs in this context; its compiled code is kept once, then used as it is', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ruleatlas-code-cache-'));
  const previous = process.env.RULEATLAS_CACHE_DIR;
  process.env.RULEATLAS_CACHE_DIR = join(dir, 'cache');
  const global = globalThis as { ruleatlasCodeCacheRuns?: number };
  try {
    const script = join(dir, 'lib.js');
    writeFileSync(
      script,
      'globalThis.ruleatlasCodeCacheRuns = (globalThis.ruleatlasCodeCacheRuns ?? 0) + 1; function twice(x) { return 2 * x; } twice(2);',
    );
    runCached(script).save();
    assert.equal(global.ruleatlasCodeCacheRuns, 1);
    const [kept] = readdirSync(join(dir, 'cache'));
    assert.ok(kept?.startsWith('lib.js-'), String(kept));
    const written = statSync(join(dir, 'cache', kept!)).mtimeMs;
    // The second process (here: run) takes the kept code and has nothing to save.
    runCached(script).save();
    assert.equal(global.ruleatlasCodeCacheRuns, 2);
    assert.deepEqual(readdirSync(join(dir, 'cache')), [kept]);
    assert.equal(statSync(join(dir, 'cache', kept!)).mtimeMs, written);
  } finally {
    if (previous === undefined) delete process.env.RULEATLAS_CACHE_DIR;
    else process.env.RULEATLAS_CACHE_DIR = previous;
    delete global.ruleatlasCodeCacheRuns;
    rmSync(dir, { recursive: true, force: true });
  }
});
