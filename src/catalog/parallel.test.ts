import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { AttackCatalog } from '../attack/catalog.js';
import { prepareLanguages } from '../languages/registry.js';
import { analyseFiles, type FileTask } from './analyse-files.js';
import { analyseFilesShared, BIG_FILE_BYTES, HELPER_MAX_BYTES, threadPlan } from './parallel.js';
import type { FileOutcome } from './read-file.js';
import type { ReadFile } from './analyse-files.js';

function sigmaRule(n: number): string {
  return `title: Rule ${n}
id: 00000000-0000-4000-8000-${String(n).padStart(12, '0')}
status: test
logsource:
  product: windows
  category: process_creation
detection:
  selection:
    Image|endswith: '\\\\tool${n}.exe'
    CommandLine|contains: '-flag${n % 7}'
  condition: selection
level: medium
`;
}

describe('analyseFilesShared', () => {
  test('helper threads give the same outcomes, in task order, as one thread', async () => {
    await prepareLanguages();
    const root = mkdtempSync(join(tmpdir(), 'ruleatlas-parallel-'));
    try {
      const tasks: FileTask[] = [];
      for (let n = 0; n < 60; n++) {
        const path = `r${n}.yml`;
        writeFileSync(join(root, path), n === 13 ? 'title: [broken\n' : sigmaRule(n));
        tasks.push({ root, path, sourceName: 'sigma' });
      }
      tasks.push({ root, path: 'missing.yml', sourceName: 'sigma' });
      const attack = AttackCatalog.empty();
      const alone: [FileOutcome, ReadFile | undefined][] = [];
      analyseFiles(tasks, attack, (_done, a) => alone.push([a.outcome, a.file]));
      const shared: [FileOutcome, ReadFile | undefined][] = [];
      const order: number[] = [];
      const compiled = import.meta.url.endsWith('.js');
      const run = analyseFilesShared(
        tasks,
        attack,
        (done, a) => {
          order.push(done);
          shared.push([a.outcome, a.file]);
        },
        { helpers: 1, minFiles: 0, mainThreadAnalyses: false },
      );
      // From TypeScript sources the helper cannot start: that fails the call, with its reason.
      if (!compiled) return void (await assert.rejects(run, /helper thread/));
      const stats = await run;
      assert.deepEqual(
        order,
        tasks.map((_, i) => i + 1),
      );
      assert.deepEqual(JSON.parse(JSON.stringify(shared)), JSON.parse(JSON.stringify(alone)));
      assert.equal(stats.main + stats.helpers, tasks.length);
      assert.match(shared[0]![1]?.sha1 ?? '', /^[0-9a-f]{40}$/);
      assert.equal(shared.at(-1)![1], undefined, 'a missing file has no size or sha1');
      assert.equal(stats.helpers, tasks.length);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('a big file is left by the helper to the writing thread, which analyses it in its turn', async () => {
    await prepareLanguages();
    const root = mkdtempSync(join(tmpdir(), 'ruleatlas-parallel-'));
    try {
      const tasks: FileTask[] = [];
      for (let n = 0; n < 8; n++) {
        const path = `r${n}.yml`;
        // A comment makes the file big without making it slow to analyse.
        writeFileSync(join(root, path), n === 3 ? `${sigmaRule(n)}# ${'x'.repeat(BIG_FILE_BYTES)}\n` : sigmaRule(n));
        tasks.push({ root, path, sourceName: 'sigma' });
      }
      const attack = AttackCatalog.empty();
      const alone: FileOutcome[] = [];
      analyseFiles(tasks, attack, (_done, a) => alone.push(a.outcome));
      const shared: FileOutcome[] = [];
      const order: number[] = [];
      const run = analyseFilesShared(
        tasks,
        attack,
        (done, a) => {
          order.push(done);
          shared.push(a.outcome);
        },
        { helpers: 1, minFiles: 0, mainThreadAnalyses: false },
      );
      if (!import.meta.url.endsWith('.js')) return void (await assert.rejects(run, /helper thread/));
      const stats = await run;
      assert.deepEqual(
        order,
        tasks.map((_, i) => i + 1),
      );
      assert.deepEqual(JSON.parse(JSON.stringify(shared)), JSON.parse(JSON.stringify(alone)));
      assert.deepEqual(stats, { main: 1, helpers: tasks.length - 1 });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('a helper thread that fails fails the call with its error, instead of being redone silently', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ruleatlas-parallel-'));
    try {
      const tasks: FileTask[] = [];
      for (let n = 0; n < 4; n++) {
        writeFileSync(join(root, `r${n}.yml`), sigmaRule(n));
        tasks.push({ root, path: `r${n}.yml`, sourceName: 'sigma' });
      }
      // A heap too small to load the parsers: the helper dies of it.
      const run = analyseFilesShared(tasks, AttackCatalog.empty(), () => {}, {
        helpers: 1,
        minFiles: 0,
        mainThreadAnalyses: false,
        helperHeapMb: 1,
      });
      await assert.rejects(run, /a helper thread of the build failed/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('a write that fails while helpers run fails the call with its error, and stops the helpers (one waiting to be taken would wait for ever)', async () => {
    await prepareLanguages();
    const root = mkdtempSync(join(tmpdir(), 'ruleatlas-parallel-'));
    try {
      const tasks: FileTask[] = [];
      // More files than a helper may post ahead of the write (MAX_AHEAD).
      for (let n = 0; n < 60; n++) {
        writeFileSync(join(root, `r${n}.yml`), sigmaRule(n));
        tasks.push({ root, path: `r${n}.yml`, sourceName: 'sigma' });
      }
      for (const mainThreadAnalyses of [false, true]) {
        const run = analyseFilesShared(
          tasks,
          AttackCatalog.empty(),
          () => {
            throw new Error('the catalog could not be written');
          },
          { helpers: 1, minFiles: 0, mainThreadAnalyses },
        );
        await assert.rejects(run, /the catalog could not be written/);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('few files stay on the main thread', async () => {
    const stats = await analyseFilesShared([], AttackCatalog.empty(), () => {}, { helpers: 2 });
    assert.deepEqual(stats, { main: 0, helpers: 0 });
  });
});

describe('threadPlan', () => {
  const withThreads = (value: string | undefined, run: () => void) => {
    const before = process.env.RULEATLAS_THREADS;
    if (value === undefined) delete process.env.RULEATLAS_THREADS;
    else process.env.RULEATLAS_THREADS = value;
    try {
      run();
    } finally {
      if (before === undefined) delete process.env.RULEATLAS_THREADS;
      else process.env.RULEATLAS_THREADS = before;
    }
  };

  test('a helper analyses (with a young generation of its own) only while the files fit the memory bound', () => {
    withThreads(undefined, () => {
      const small = threadPlan(HELPER_MAX_BYTES);
      if (availableParallelism() < 2) assert.equal(small.helpers, 0);
      else {
        assert.equal(small.helpers, 1);
        assert.equal(small.mainThreadAnalyses, false);
        assert.ok((small.helperYoungMb ?? 0) > 8);
      }
      assert.deepEqual(threadPlan(HELPER_MAX_BYTES + 1), { helpers: 0 });
    });
  });

  test('RULEATLAS_THREADS decides the number of analysing threads, the main one included, whatever the size', () => {
    withThreads('3', () => assert.deepEqual(threadPlan(HELPER_MAX_BYTES * 4), { helpers: 2 }));
    withThreads('1', () => assert.deepEqual(threadPlan(1000), { helpers: 0 }));
  });
});
