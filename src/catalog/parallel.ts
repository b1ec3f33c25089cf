import { Worker } from 'node:worker_threads';
import type { AttackCatalog } from '../attack/catalog.js';
import { analyseFiles, type FileTask } from './analyse-files.js';
import type { FileOutcome } from './read-file.js';

/** Below this many files a worker's start-up (and its own parser warm-up) costs more than it saves. */
const minFilesForWorker = 400;

/**
 * Analyse files on this thread and one worker thread, each taking every other file so that both
 * get a fair share of every source and language. Outcomes come back in the tasks' order.
 */
export async function analyseInParallel(
  tasks: FileTask[],
  attack: AttackCatalog,
  attackPath: string | undefined,
  onProgress?: (done: number) => void,
): Promise<FileOutcome[]> {
  // RULEATLAS_THREADS=1 keeps everything on one thread (for measuring, or tiny machines).
  if (tasks.length < minFilesForWorker || process.env.RULEATLAS_THREADS === '1') return analyseFiles(tasks, attack, onProgress);
  const theirs = tasks.filter((_, i) => i % 2 === 1);
  const ours = tasks.filter((_, i) => i % 2 === 0);
  let worker: Worker;
  try {
    worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: { tasks: theirs, attackPath } });
  } catch {
    return analyseFiles(tasks, attack, onProgress);
  }
  const fromWorker = new Promise<FileOutcome[]>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`build worker exited with ${code}`)));
  });
  const mine = analyseFiles(ours, attack, (done) => onProgress?.(done * 2));
  let theirsOut: FileOutcome[];
  try {
    theirsOut = await fromWorker;
  } catch {
    // A worker that dies must not lose files: analyse its share here instead.
    theirsOut = analyseFiles(theirs, attack);
  }
  await worker.terminate();
  return tasks.map((_, i) => (i % 2 === 0 ? mine[i / 2]! : theirsOut[(i - 1) / 2]!));
}
