// A helper thread of the build: claims files from the shared task list and analyses them exactly
// as the main thread does (catalog/parallel.ts), posting each outcome with its task index.
import { type MessagePort, workerData } from 'node:worker_threads';
import { AttackCatalog } from '../attack/catalog.js';
import { prepareLanguages } from '../languages/registry.js';
import { analyseTask, type FileTask } from './analyse-files.js';
import { BIG_FILE_BYTES, MAX_AHEAD, NEXT_TASK, POSTED, TAKEN } from './parallel.js';
import { forPosting, type PostedFile } from './posted-outcome.js';
import { RealFolders, readSourceFile, type SourceText } from './source-file.js';

export interface WorkerInput {
  tasks: FileTask[];
  attackPath?: string;
  /** Int32 slots (parallel.ts): the next task index to claim, results posted, results the main thread took. */
  shared: SharedArrayBuffer;
  port: MessagePort;
}

export interface WorkerResult {
  index: number;
  /** Undefined: a big file, left to the writing thread (see BIG_FILE_BYTES). */
  posted?: PostedFile;
}

const input = workerData as WorkerInput;
const slots = new Int32Array(input.shared);
await prepareLanguages();
const attack = AttackCatalog.loadIfPresent(input.attackPath);
// A helper lives for one write: its folders are resolved once for it.
const folders = new RealFolders();

/** The file's text, read first so that its size is known before it is analysed (undefined: analyseTask reports why it cannot be read). */
function readFirst(task: FileTask): SourceText | undefined {
  try {
    return readSourceFile(task.root, task.path, folders);
  } catch {
    return undefined;
  }
}

for (;;) {
  // Not too far ahead of the thread that writes: what is posted waits in memory until it is taken.
  for (let taken = Atomics.load(slots, TAKEN); Atomics.load(slots, POSTED) - taken >= MAX_AHEAD; taken = Atomics.load(slots, TAKEN))
    Atomics.wait(slots, TAKEN, taken, 100);
  const index = Atomics.add(slots, NEXT_TASK, 1);
  const task = input.tasks[index];
  if (!task) break;
  const read = readFirst(task);
  const result: WorkerResult =
    read && read.size >= BIG_FILE_BYTES ? { index } : { index, posted: forPosting(analyseTask(task, attack, read, undefined, folders)) };
  input.port.postMessage(result);
  Atomics.add(slots, POSTED, 1);
  Atomics.notify(slots, POSTED);
}
input.port.close();
