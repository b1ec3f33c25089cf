import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, test } from 'node:test';
import { baselineCheckout, parseBenchArgs } from './options.js';
import { pairedCpu } from './resync.js';

describe('bench options', () => {
  const work = mkdtempSync(join(tmpdir(), 'ruleatlas-bench-options-'));
  after(() => rmSync(work, { recursive: true, force: true }));
  const repo = join(work, 'ruleatlas');
  /** A stand-in checkout: the files the bench looks for, `built` or not. */
  const checkout = (name: string, built: boolean) => {
    const dir = join(work, name);
    mkdirSync(join(dir, 'bin'), { recursive: true });
    writeFileSync(join(dir, 'bin', 'ruleatlas.js'), '');
    if (built) {
      mkdirSync(join(dir, 'dist', 'cli'), { recursive: true });
      writeFileSync(join(dir, 'dist', 'cli', 'main.js'), '');
    }
    return dir;
  };
  const old = checkout('old', true);

  test('--baseline takes a folder, beside --only build, in either spelling', () => {
    const values = parseBenchArgs(['--only', 'build', '--baseline', old], repo);
    assert.equal(values.only, 'build');
    assert.equal(values.baseline, old);
    assert.equal(parseBenchArgs([`--baseline=${old}`], repo).baseline, old);
    assert.equal(parseBenchArgs(['--only', 'build'], repo).baseline, undefined);
    // Defaults stay as they were.
    assert.equal(values['resync-runs'], '5');
    assert.equal(values.corpus, join(repo, '..', 'shared', 'corpus'));
  });

  test('--baseline without a folder, or an unknown option, is refused', () => {
    assert.throws(() => parseBenchArgs(['--baseline'], repo), /argument missing/);
    assert.throws(() => parseBenchArgs(['--base-line', old], repo), /Unknown option/);
  });

  test('the baseline is a built ruleatlas checkout, not the one measured', () => {
    assert.deepEqual(baselineCheckout(old, repo), { dir: old, bin: join(old, 'bin', 'ruleatlas.js') });
    // Relative to the working folder, as a shell passes it.
    assert.deepEqual(baselineCheckout(relative(process.cwd(), old), repo), { dir: old, bin: join(old, 'bin', 'ruleatlas.js') });
    const unbuilt = checkout('unbuilt', false);
    assert.match((baselineCheckout(unbuilt, repo) as { error: string }).error, /not built/);
    assert.match((baselineCheckout(join(work, 'nothing-here'), repo) as { error: string }).error, /no bin\/ruleatlas\.js/);
    const self = checkout('ruleatlas', true);
    assert.match((baselineCheckout(self, repo) as { error: string }).error, /the checkout being measured/);
  });

  test('pairs compare ours with the baseline run beside it', () => {
    // Medians of each side would say 0.40 against 0.40; the pairs say ours took less in two of three.
    assert.deepEqual(pairedCpu([0.3, 0.4, 0.5], [0.4, 0.5, 0.4]), { medianRatio: 0.8, oursLower: 2, pairs: 3 });
  });
});
