// A build worker: analyses its share of the files and posts the outcomes back in order.
import { parentPort, workerData } from 'node:worker_threads';
import { AttackCatalog } from '../attack/catalog.js';
import { analyseFiles, type FileTask } from './analyse-files.js';

const { tasks, attackPath } = workerData as { tasks: FileTask[]; attackPath?: string };
const attack = AttackCatalog.loadIfPresent(attackPath);
parentPort!.postMessage(analyseFiles(tasks, attack));
