// A helper thread of the build: claims files from the shared task list and analyses them exactly
// as the main thread does (catalog/parallel.ts), posting each outcome with its task index.
import { type MessagePort, workerData } from 'node:worker_threads';
import { AttackCatalog } from '../attack/catalog.js';
import { prepareLanguages } from '../languages/registry.js';
import { analyseTask, type FileTask } from './analyse-files.js';
import { RealFolders } from './source-file.js';

export interface WorkerInput {
  tasks: FileTask[];
  attackPath?: string;
  /** Int32 slots: [0] next task index to claim, [1] results posted (for Atomics.wait). */
  shared: SharedArrayBuffer;
  port: MessagePort;
}

export interface WorkerResult {
  index: number;
  analysed: ReturnType<typeof analyseTask>;
}

const input = workerData as WorkerInput;
const slots = new Int32Array(input.shared);
await prepareLanguages();
const attack = AttackCatalog.loadIfPresent(input.attackPath);
// A helper lives for one write: its folders are resolved once for it.
const folders = new RealFolders();
for (;;) {
  const index = Atomics.add(slots, 0, 1);
  const task = input.tasks[index];
  if (!task) break;
  const result: WorkerResult = { index, analysed: analyseTask(task, attack, undefined, undefined, folders) };
  input.port.postMessage(result);
  Atomics.add(slots, 1, 1);
  Atomics.notify(slots, 1);
}
input.port.close();
