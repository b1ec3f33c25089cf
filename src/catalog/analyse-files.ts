import { readFileSync, statSync } from 'node:fs';
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

/** A file as read: its text, and its size and mtime taken before reading (a later change then shows). */
export interface ReadFile {
  text: string;
  size: number;
  mtime: number;
}

/** Read and analyse files in order, handing each outcome over as soon as it is known; never throws. */
export function analyseFiles(
  tasks: FileTask[],
  attack: AttackCatalog,
  onEach: (done: number, outcome: FileOutcome, task: FileTask, file?: ReadFile) => void,
): void {
  tasks.forEach((task, i) => {
    let outcome: FileOutcome;
    let file: ReadFile | undefined;
    try {
      const full = join(task.root, task.path);
      const stat = statSync(full);
      file = { text: readFileSync(full, 'utf8'), size: stat.size, mtime: stat.mtimeMs };
      outcome = analyseText(task, file.text, attack);
    } catch (err) {
      outcome = { kind: 'error', error: { path: task.path, reason: `file cannot be read: ${err instanceof Error ? err.message : String(err)}` } };
    }
    onEach(i + 1, outcome, task, file);
  });
}
