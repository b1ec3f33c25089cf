import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

/** New space (both semi-spaces, MB) of a fresh process with 16 MB semi-spaces, after garbage is made held and then released. */
function newSpaceSizes(): { held: number; released: number } {
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    import { holdYoungGeneration, releaseYoungGeneration } from ${JSON.stringify(new URL('./young-generation.js', import.meta.url).href)};
    const newSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 2 ** 20;
    // Objects that live through a scavenge or two: what makes V8 grow its semi-spaces.
    const churn = () => { const kept = []; for (let i = 0; i < 3e6; i++) { kept.push({ i }); if (kept.length > 1e5) kept.length = 0; } };
    holdYoungGeneration();
    churn();
    const held = newSpace();
    releaseYoungGeneration();
    churn();
    console.log(JSON.stringify({ held, released: newSpace() }));`;
  const run = spawnSync(process.execPath, ['--max-semi-space-size=16', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as { held: number; released: number };
}

test('held, the semi-spaces keep their first size however much survives; released, they grow', () => {
  const { held, released } = newSpaceSizes();
  assert.ok(held <= 2, `held: ${held} MB`);
  assert.ok(released > held, `released: ${released} MB, held: ${held} MB`);
});
