import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AttackCatalog } from '../attack/catalog.js';
import { type FileOutcome, readRuleFile } from './read-file.js';

/** One file to read: where it is, and how the catalog names it. */
export interface FileTask {
  root: string;
  path: string;
  sourceName: string;
}

/** Read and analyse files in order; never throws. */
export function analyseFiles(tasks: FileTask[], attack: AttackCatalog, onEach?: (done: number) => void): FileOutcome[] {
  return tasks.map((task, i) => {
    let outcome: FileOutcome;
    try {
      const text = readFileSync(join(task.root, task.path), 'utf8');
      outcome = readRuleFile({ path: task.path, text }, { attack, sourceName: task.sourceName });
    } catch (err) {
      outcome = { kind: 'error', error: { path: task.path, reason: `file cannot be read: ${err instanceof Error ? err.message : String(err)}` } };
    }
    onEach?.(i + 1);
    return outcome;
  });
}
