import { readFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import type { AttackCatalog } from '../attack/catalog.js';
import { type FileOutcome, readRuleFile } from './read-file.js';

/** One file to read: where it is, and how the catalog names it. */
export interface FileTask {
  root: string;
  path: string;
  sourceName: string;
}

/** Reads files next to a task's file, never outside its source folder. */
function relatedReader(task: FileTask): (relativePath: string) => string | undefined {
  return (relativePath) => {
    const root = resolve(task.root);
    const target = resolve(root, dirname(task.path), relativePath);
    if (!target.startsWith(root + sep)) return undefined;
    try {
      return readFileSync(target, 'utf8');
    } catch {
      return undefined;
    }
  };
}

/** Analyse one file whose text is already read; never throws. */
export function analyseText(task: FileTask, text: string, attack: AttackCatalog): FileOutcome {
  return readRuleFile({ path: task.path, text, readRelated: relatedReader(task) }, { attack, sourceName: task.sourceName });
}

/** Read and analyse one file; never throws. */
export function analyseTask(task: FileTask, attack: AttackCatalog): FileOutcome {
  try {
    const text = readFileSync(join(task.root, task.path), 'utf8');
    return analyseText(task, text, attack);
  } catch (err) {
    return { kind: 'error', error: { path: task.path, reason: `file cannot be read: ${err instanceof Error ? err.message : String(err)}` } };
  }
}

/** Read and analyse files in order, handing each outcome over as soon as it is known; never throws. */
export function analyseFiles(
  tasks: FileTask[],
  attack: AttackCatalog,
  onEach: (done: number, outcome: FileOutcome, task: FileTask) => void,
): void {
  tasks.forEach((task, i) => onEach(i + 1, analyseTask(task, attack), task));
}
