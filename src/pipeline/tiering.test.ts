import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

/**
 * Whether V8 has optimized a function created after the write's tiering was (or was not) set at run
 * time, once called `calls` times. Optimization is made synchronous (--no-concurrent-recompilation)
 * so that the answer does not depend on how busy the machine is.
 */
function optimizedAfter(calls: number, writeTiering: boolean): boolean {
  const script = `
    import { useWriteTiering } from ${JSON.stringify(new URL('./tiering.js', import.meta.url).href)};
    if (${writeTiering}) useWriteTiering();
    // Made after the flag is set, as the modules a sync loads after the bin sets it.
    const f = new Function('x', 'return (x * 3 + 1) % 7;');
    let sum = 0;
    for (let i = 0; i < ${calls}; i++) sum += f(i);
    const status = new Function('g', 'return %GetOptimizationStatus(g);')(f);
    console.log(JSON.stringify({ optimized: (status & 16) !== 0, sum }));`;
  const run = spawnSync(
    process.execPath,
    ['--allow-natives-syntax', '--no-concurrent-recompilation', '--input-type=module', '-e', script],
    { encoding: 'utf8' },
  );
  assert.equal(run.status, 0, run.stderr);
  return (JSON.parse(run.stdout) as { optimized: boolean }).optimized;
}

test("set at run time, the write's tiering leaves a function V8 would have optimized by now to the baseline compiler", () => {
  // V8's default budget optimizes this function within 5,000-8,000 calls; the write's, within 40,000-50,000.
  assert.equal(optimizedAfter(12_000, false), true);
  assert.equal(optimizedAfter(12_000, true), false);
});

test("under the write's tiering, a function that stays hot is still optimized", () => {
  assert.equal(optimizedAfter(200_000, true), true);
});
