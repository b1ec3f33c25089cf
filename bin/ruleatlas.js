#!/usr/bin/env node
// The ruleatlas command. Builds run under a V8 heap cap: left alone, V8 lets the heap of a
// build grow to several times its live data (measured: 460 MB RSS for 120 MB live on the
// shared corpus). If a build ever needs more than the cap, it runs again with more memory.
// A sync that updates a catalog in place runs in this process, uncapped: its heap stays small
// (about 120 MB on the shared corpus) and a second process would cost ~0.1 s of start-up.
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';

const args = process.argv.slice(2);
const heavy = new Set(['build', 'sync']);
const capMb = Number(process.env.RULEATLAS_HEAP_MB || 256);
const v8Flags = [...process.execArgv, process.env.NODE_OPTIONS ?? ''];
const capped = v8Flags.some((a) => a.includes('max-old-space-size'));
const help = args.includes('--help') || args.includes('-h');

/** The value of `--db FILE` or `--db=FILE`, if given. */
function dbArg() {
  const at = args.indexOf('--db');
  if (at >= 0) return args[at + 1];
  return args.find((a) => a.startsWith('--db='))?.slice(5);
}

/** True for a sync over a catalog it can update in place (the modules it loads to tell are the ones the sync uses). */
async function inPlaceSync() {
  if (args[0] !== 'sync') return false;
  const db = dbArg();
  if (!db || !existsSync(db)) return false;
  // Set before the write's modules load: they tier up as in a writing process (pipeline/tiering.ts);
  // a sync that writes afresh runs in a child that gets the same (runCapped).
  (await import('../dist/pipeline/tiering.js')).useWriteTiering();
  const { updatableSync } = await import('../dist/pipeline/catalog-file.js');
  return updatableSync(db) !== undefined;
}

const runHere = () => {
  // Run by a parent ruleatlas (the heap-capped re-run): end when that parent is gone, even killed
  // with SIGKILL, instead of serving or writing on alone. The channel never keeps this process alive.
  // A write in it also stops at its next step (pipeline/catalog-file.ts writerStep, RULEATLAS_PARENT_PID),
  // even in a stretch that never lets the disconnect event in, and removes its temporary catalog.
  if (process.channel) {
    process.on('disconnect', () => process.exit(process.exitCode ?? 130));
    process.channel.unref();
  } else {
    delete process.env.RULEATLAS_PARENT_PID;
  }
  // A capped build's semi-spaces held at their first size before anything is loaded (see runCapped).
  if (process.env.RULEATLAS_YOUNG_HELD === '1') {
    delete process.env.RULEATLAS_YOUNG_HELD;
    setFlagsFromString('--semi-space-growth-factor=1');
  }
  return import('../dist/cli/main.js')
    .then((m) => m.main(args))
    .then(
      (code) => {
        process.exitCode = code ?? 0;
      },
      (err) => {
        console.error(err instanceof Error ? err.stack : err);
        process.exitCode = 1;
      },
    );
};

/** Where V8's report of a fatal out-of-memory starts: what follows is for V8 developers, not users. */
const fatalOom = /\n?<--- Last few GCs --->|\n?FATAL ERROR: /;

/**
 * Run this command again in a child with these V8 flags; signals sent to this process reach the
 * child. With `quietOom`, the child's stderr passes through this process (told it is a terminal
 * when ours is), up to a fatal out-of-memory report, which is dropped.
 */
function runChild(flags, quietOom = false, childArgs = args, childEnv = {}) {
  const self = fileURLToPath(import.meta.url);
  return new Promise((resolve) => {
    const env = { ...process.env, ...childEnv, RULEATLAS_PARENT_PID: String(process.pid) };
    if (quietOom && process.stderr.isTTY) env.RULEATLAS_STDERR_TTY = '1';
    const stdio = ['inherit', 'inherit', quietOom ? 'pipe' : 'inherit', 'ipc'];
    const child = spawn(process.execPath, [...flags, self, ...childArgs], { stdio, env });
    if (quietOom) {
      let dropping = false;
      child.stderr.on('data', (chunk) => {
        if (dropping) return;
        const text = chunk.toString();
        const at = text.search(fatalOom);
        if (at >= 0) dropping = true;
        process.stderr.write(at >= 0 ? text.slice(0, at) : text);
      });
    }
    const forward = (signal) => child.kill(signal);
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    for (const signal of signals) process.on(signal, forward);
    child.on('exit', async (status, signal) => {
      for (const s of signals) process.off(s, forward);
      // Killed by a signal, a writing child had no chance to remove its temporary catalog and lock.
      const db = dbArg();
      if (signal && db) {
        const { removeWriterLeftovers } = await import('../dist/pipeline/catalog-file.js');
        removeWriterLeftovers(db, child.pid);
      }
      resolve({ status, signal, pid: child.pid });
    });
  });
}

/**
 * Semi-spaces of a server's young generation (MB; V8's default is 16). A server's garbage is its
 * answers' (a search answer leaves about 0.2 MB, a rule page about 0.2 MB), and each scavenge copies
 * what the answers in flight hold, whatever the space's size: four times the space, a quarter of the
 * scavenges, and fewer objects live long enough to be promoted into the old generation, which the
 * catalog makes large (about 250 MB on the shared corpus) and slow to mark. Measured on the shared
 * corpus, 50 clients, the same half hour (src/bench/load.ts): GC pauses per 1,000 answers of search and
 * rule pages 11-14 with 16 MB, 6-8 with 32 MB, 3-4 with 64 MB; 8 s of each at 700 req/s, 98 scavenges
 * and 2 full collections with 16 MB, 29 and none with 64 MB, for an RSS 68 MB higher after the runs.
 */
const serveSemiSpaceMb = 64;

/**
 * The rest of a server's heap flags. The semi-spaces start at their largest and stay there
 * (`--min-semi-space-size`): V8's memory reducer shrinks an idle server's young generation (to 16 MB
 * on the whole shared corpus, after a pause between two loads), and the load after it kept about a
 * tenth of what each scavenge found, against 1-2% with 64 MB: old-generation garbage, sooner. The old
 * generation may grow by half its live size between mark-compacts (`--heap-growing-percent`): V8's own
 * factor after the load's forced collection let it grow by 5-15% only, so what requests promote (about
 * 1 MB a scavenge) set off a mark-compact of the whole catalog every 10-20 s of load (incremental
 * marking of 150-550 ms on the main thread, pauses to 75 ms; --trace-gc, two servers side by side,
 * rule pages and Explore at 1,000 req/s twice each: 7 mark-compacts with V8's factor, 1 with half).
 * The load test (src/bench/load.ts), old and new flags side by side, three times, loaded machine:
 * mark-compacts in its eight windows 8, 17, 12 (150-276 ms of pauses) -> 4, 6, 4 (53-100 ms), none
 * left in the search and rule-page windows; the server's peak RSS 839-912 MB -> 846-880 MB.
 */
const serveHeapFlags = [`--min-semi-space-size=${serveSemiSpaceMb}`, '--heap-growing-percent=50'];

/** A build (or sync, or start's build) in a heap-capped child; once more with more memory if it needs it. */
async function runCapped(childArgs) {
  // 8 MB semi-spaces, held at their first size (1 MB) until the write knows its size
  // (pipeline/young-generation.ts): a fresh write small enough for the helper thread lets them grow,
  // a larger one keeps them small for memory (the corpus written four times over stays under 400 MB
  // of peak RSS). Whole shared corpus, quiet, one run each: 4 MB 41.0 CPU s / 329 MiB peak, 8 MB
  // 35.7 s / 352 MiB, 16 MB 36.3 s / 406 MiB (past the 400 MB bound for nothing more).
  // Functions tier up as in any write (pipeline/tiering.ts): whole shared corpus, loaded machine (load
  // average 12-22), three interleaved pairs: 46.3 -> 36.0, 45.7 -> 43.0, 38.9 -> 35.5 CPU s, peak RSS 5-15 MB lower.
  // Its C allocator gives back what it frees (pipeline/malloc-arenas.ts).
  const { writeTieringFlag } = await import('../dist/pipeline/tiering.js');
  const { writeMallocEnv } = await import('../dist/pipeline/malloc-arenas.js');
  const writeEnv = writeMallocEnv(process.env);
  let result = await runChild([`--max-old-space-size=${capMb}`, '--max-semi-space-size=8', writeTieringFlag], true, childArgs, {
    ...writeEnv,
    RULEATLAS_YOUNG_HELD: '1',
  });
  if (result.signal === 'SIGABRT' || result.status === 134) {
    // The aborted child could not remove its temporary catalog and SQLite's files beside it (pipeline/write.ts names it).
    const db = dbArg();
    if (db) for (const end of ['', '-journal', '-wal', '-shm']) rmSync(`${db}.tmp-${result.pid}${end}`, { force: true });
    process.stderr.write(`ruleatlas: the build needed more than ${capMb} MB of heap; running it again with more memory\n`);
    result = await runChild(['--max-old-space-size=16384', writeTieringFlag], false, childArgs, writeEnv);
  }
  return result;
}

const exitCodeOf = (result) => result.status ?? (result.signal ? 128 + 15 : 1);
const serveFlags = () =>
  v8Flags.some((a) => a.includes('max-semi-space-size')) ? [] : [`--max-semi-space-size=${serveSemiSpaceMb}`, ...serveHeapFlags];

if (heavy.has(args[0]) && !capped && capMb > 0 && !help && !(await inPlaceSync())) {
  process.exitCode = exitCodeOf(await runCapped(args));
} else if (args[0] === 'start' && !capped && capMb > 0 && !help && !args.some((a) => a === '--build-only' || a === '--serve-only')) {
  // start is a build and a server: the build runs capped, the server (whose heap is the whole
  // catalog's, about 255 MB on the shared corpus: past the build's cap) in a second child with a
  // server's young generation. One process for both made a large start run out of the cap once
  // serving, and build everything again.
  const built = await runCapped([...args, '--build-only']);
  process.exitCode = exitCodeOf(built);
  if (built.status === 0) process.exitCode = exitCodeOf(await runChild(serveFlags(), false, [...args, '--serve-only']));
} else if (args[0] === 'serve' && !help && !v8Flags.some((a) => a.includes('max-semi-space-size'))) {
  // V8 sizes the young generation when the process starts: a server runs again in a child with its flags.
  process.exitCode = exitCodeOf(await runChild(serveFlags()));
} else {
  void runHere();
}
