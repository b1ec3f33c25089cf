// Builds analyse files on every core: the main thread and helper threads (analyse-worker.ts) claim
// the next file from one shared counter, so a thread never waits for another while files are
// left. Outcomes are handed over in task order, whichever thread produced them, so a catalog
// is the same whatever the number of threads.
import { availableParallelism } from 'node:os';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { AttackCatalog } from '../attack/catalog.js';
import { analyseFiles, analyseTask, type FileTask, type OnFileAnalysed } from './analyse-files.js';
import type { WorkerInput, WorkerResult } from './analyse-worker.js';
import { received } from './posted-outcome.js';
import { RealFolders } from './source-file.js';

export interface ParallelOptions {
  /** Threads besides the main one; 0 analyses everything on the main thread. */
  helpers: number;
  /** The ATT&CK bundle the helpers load (the main thread's catalog does not cross threads). */
  attackPath?: string;
  /** V8 old-space cap of each helper, MB. */
  helperHeapMb?: number;
  /** V8 young-generation size of each helper, MB (default 8). */
  helperYoungMb?: number;
  /** Fewer files than this are analysed on the main thread alone (default 300). */
  minFiles?: number;
  /** False leaves every file to the helpers (tests; the main thread still covers a failed helper). */
  mainThreadAnalyses?: boolean;
}

/** Below this many files, starting a thread (~0.5 s to load the parsers) costs more than it saves. */
const MIN_FILES_FOR_HELPERS = 300;

/** Int32 slots shared with the helpers (analyse-worker.ts): the next task to claim, outcomes posted, outcomes taken. */
export const NEXT_TASK = 0;
export const POSTED = 1;
export const TAKEN = 2;
const SHARED_SLOTS = 3;

/**
 * How many outcomes the helpers may have posted that the main thread has not taken: past it, a helper
 * waits. Unbounded, the outcomes of files analysed faster than they were written queued up in the
 * ports (a file's rules, serialized: 32 MB for one list of 80,000 values).
 */
export const MAX_AHEAD = 16;

/**
 * A helper leaves a file of this many bytes or more to the writing thread, which analyses it when its
 * turn comes (catalog/analyse-worker.ts): a list of 80,000 values (3.2 MB) took the helper's heap to
 * about 130 MB, kept after its outcome was posted, while the writer received a 58 MB copy of it and
 * wrote its rows (482 MB of peak RSS with the shared corpus). The shared corpus's largest rule file is 0.3 MB.
 */
export const BIG_FILE_BYTES = 2 ** 20;

const LEFT_TO_WRITER = 'left to the writer';

/** How many files each kind of thread analysed. */
export interface SharedStats {
  main: number;
  helpers: number;
}

/** How a fresh write shares its files between threads (see threadPlan). */
export type ThreadPlan = Pick<ParallelOptions, 'helpers' | 'helperYoungMb' | 'mainThreadAnalyses'>;

/**
 * Up to this many bytes of files to analyse, a fresh write analyses on a helper thread while the main
 * thread writes. Peak RSS grows about 1 MB per MB of files; measured on the 2-core machine this project
 * is built on (loaded): the whole shared corpus (10,419 files, 37.6 MB) peaked at 277-287 MB on one
 * thread and 292 MB with the helper; the corpus written four times over (41,676 files, 150.6 MB), held
 * to 400 MB, at 379-383 MB on one thread and 403 MB with the helper. At 80 MB, with the helper: ~335 MB.
 * (The main thread analysing beside the helper took the whole corpus to 341-344 MB; two helpers, 405 MB.)
 */
export const HELPER_MAX_BYTES = 80 * 2 ** 20;

/**
 * The helper's young generation, MB (V8 gives a third of it to each semi-space): 16 MB semi-spaces as
 * V8 would by default, like the main thread's in a write this size (pipeline/young-generation.ts).
 */
const HELPER_YOUNG_MB = 48;

/**
 * How a fresh write of `bytesToAnalyse` bytes of files shares them: `RULEATLAS_THREADS=N` (all
 * analysing threads, main included) as asked; else, on a machine of two cores or more and up to
 * HELPER_MAX_BYTES, one helper analyses every file while the main thread writes their rows (pack,
 * insert) and runs the corpus pass; above it, the main thread does everything, within the memory bound.
 */
export function threadPlan(bytesToAnalyse: number): ThreadPlan {
  const wanted = Number(process.env.RULEATLAS_THREADS);
  if (Number.isInteger(wanted) && wanted > 0) return { helpers: wanted - 1 };
  if (availableParallelism() < 2 || bytesToAnalyse > HELPER_MAX_BYTES) return { helpers: 0 };
  return { helpers: 1, helperYoungMb: HELPER_YOUNG_MB, mainThreadAnalyses: false };
}

/**
 * Analyse every task, calling `onEach` in task order. A helper that fails (an error thrown in it,
 * out of memory) fails the whole call with its error; one that ends early without an error leaves
 * its unclaimed files to the main thread.
 */
export async function analyseFilesShared(
  tasks: FileTask[],
  attack: AttackCatalog,
  onEach: OnFileAnalysed,
  opts: ParallelOptions,
): Promise<SharedStats> {
  const folders = new RealFolders();
  if (opts.helpers <= 0 || tasks.length < (opts.minFiles ?? MIN_FILES_FOR_HELPERS)) {
    analyseFiles(tasks, attack, onEach, folders);
    return { main: tasks.length, helpers: 0 };
  }
  let failure: Error | undefined;
  const shared = new SharedArrayBuffer(SHARED_SLOTS * 4);
  const slots = new Int32Array(shared);
  const ports: MessagePort[] = [];
  const workers: Worker[] = [];
  const exits: Promise<void>[] = [];
  for (let h = 0; h < opts.helpers; h++) {
    const { port1, port2 } = new MessageChannel();
    const input: WorkerInput = { tasks, attackPath: opts.attackPath, shared, port: port2 };
    const worker = new Worker(new URL('./analyse-worker.js', import.meta.url), {
      workerData: input,
      transferList: [port2],
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: opts.helperHeapMb ?? 128, maxYoungGenerationSizeMb: opts.helperYoungMb ?? 8 },
    });
    // A helper that fails fails the build with its error (its files are not silently redone).
    worker.on('error', (err) => (failure ??= err));
    exits.push(new Promise((resolve) => worker.once('exit', () => resolve())));
    workers.push(worker);
    ports.push(port1);
  }

  // An outcome ready in order, or a big file a helper left to this thread (analysed when its turn comes).
  const ready = new Map<number, ReturnType<typeof analyseTask> | typeof LEFT_TO_WRITER>();
  // The tasks whose outcome a helper posted (they count against its lead, see MAX_AHEAD).
  const posted = new Set<number>();
  const stats: SharedStats = { main: 0, helpers: 0 };
  let next = 0;
  // Outcomes are taken off the ports only until the next one in order is there: one taken ahead of
  // its turn is a whole analysed file on this thread's heap (a list of 80,000 values: 58 MB) while
  // the files before it are written.
  const take = (port: MessagePort): boolean => {
    const m = receiveMessageOnPort(port);
    if (!m) return false;
    const r = m.message as WorkerResult;
    ready.set(r.index, r.posted ? received(r.posted) : LEFT_TO_WRITER);
    posted.add(r.index);
    if (r.posted) stats.helpers++;
    return true;
  };
  const receive = () => {
    while (!ready.has(next)) {
      let got = false;
      for (const port of ports) got = take(port) || got;
      if (!got) return;
    }
  };
  // Hands over every outcome whose turn has come, as they come.
  const handOver = () => {
    for (receive(); ready.has(next); receive()) {
      let outcome = ready.get(next)!;
      ready.delete(next);
      if (outcome === LEFT_TO_WRITER) {
        outcome = analyseTask(tasks[next]!, attack, undefined, undefined, folders);
        stats.main++;
      }
      onEach(next + 1, outcome, tasks[next]!);
      if (posted.delete(next)) {
        Atomics.add(slots, TAKEN, 1);
        Atomics.notify(slots, TAKEN);
      }
      next++;
    }
  };

  // A write that fails here (onEach threw) stops the helpers: one waiting for its results to be taken
  // (MAX_AHEAD) would otherwise wait for ever, and the call would never end.
  let writeFailure: unknown;
  const stopHelpers = (err: unknown) => {
    writeFailure ??= err;
    for (const worker of workers) void worker.terminate();
  };
  const claim = () => (opts.mainThreadAnalyses === false ? tasks.length : Atomics.add(slots, NEXT_TASK, 1));
  try {
    for (let i = claim(); i < tasks.length; i = claim()) {
      ready.set(i, analyseTask(tasks[i]!, attack, undefined, undefined, folders));
      stats.main++;
      handOver();
    }
  } catch (err) {
    stopHelpers(err);
  }
  // Every file is claimed: wait for the helpers' last ones, handing outcomes over as they come.
  const timer = setInterval(() => {
    if (writeFailure !== undefined) return;
    try {
      handOver();
    } catch (err) {
      stopHelpers(err);
    }
  }, 10);
  await Promise.all(exits);
  clearInterval(timer);
  if (writeFailure !== undefined) {
    for (const port of ports) port.close();
    throw writeFailure instanceof Error ? writeFailure : new Error(String(writeFailure));
  }
  if (failure) {
    for (const port of ports) port.close();
    throw new Error(`a helper thread of the build failed: ${failure.message}`, { cause: failure });
  }
  // The helpers are gone: whatever they posted is taken, and what they left unanalysed is analysed here.
  for (const port of ports) while (take(port));
  for (let i = next; i < tasks.length; i++) {
    if (ready.has(i)) continue;
    ready.set(i, analyseTask(tasks[i]!, attack, undefined, undefined, folders));
    stats.main++;
  }
  handOver();
  for (const port of ports) port.close();
  return stats;
}
