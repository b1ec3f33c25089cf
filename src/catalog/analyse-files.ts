import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import type { AttackCatalog } from '../attack/catalog.js';
import type { RuleContext } from '../analysis/analyse-rule.js';
import type { RawRule } from '../model/types.js';
import { type FileOutcome, readRawRules, readRuleFile } from './read-file.js';

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

/** Analyse one file whose text is already read; never throws. `reuse`: see RuleContext. */
export function analyseText(task: FileTask, text: string, attack: AttackCatalog, reuse?: RuleContext['reuse']): FileOutcome {
  return readRuleFile({ path: task.path, text, readRelated: relatedReader(task) }, { attack, sourceName: task.sourceName, reuse });
}

/** A file's rules as its format reads them, queries not analysed (readRawRules); undefined when it yields none. */
export function readRawText(task: FileTask, text: string): RawRule[] | undefined {
  return readRawRules({ path: task.path, text, readRelated: relatedReader(task) });
}

/** A file as read: its size and mtime (taken before reading, so a later change shows) and its sha1. */
export interface ReadFile {
  size: number;
  mtime: number;
  sha1: string;
}

/** Read and analyse one file; never throws. */
export function analyseTask(task: FileTask, attack: AttackCatalog): { outcome: FileOutcome; file?: ReadFile } {
  let file: ReadFile | undefined;
  try {
    const full = join(task.root, task.path);
    const stat = statSync(full);
    const text = readFileSync(full, 'utf8');
    file = { size: stat.size, mtime: stat.mtimeMs, sha1: createHash('sha1').update(text).digest('hex') };
    return { outcome: analyseText(task, text, attack), file };
  } catch (err) {
    return { outcome: { kind: 'error', error: { path: task.path, reason: `file cannot be read: ${err instanceof Error ? err.message : String(err)}` } }, file };
  }
}

export type OnFileAnalysed = (done: number, outcome: FileOutcome, task: FileTask, file?: ReadFile) => void;

/** Read and analyse files in order, handing each outcome over as soon as it is known; never throws. */
export function analyseFiles(tasks: FileTask[], attack: AttackCatalog, onEach: OnFileAnalysed): void {
  tasks.forEach((task, i) => {
    const { outcome, file } = analyseTask(task, attack);
    onEach(i + 1, outcome, task, file);
  });
}
