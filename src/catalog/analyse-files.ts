import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
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

/** A file as read: its size and mtime (taken before reading, so a later change shows) and its sha1. */
export interface ReadFile {
  size: number;
  mtime: number;
  sha1: string;
}

const unreadable = (task: FileTask, err: unknown): FileOutcome => ({
  kind: 'error',
  error: { path: task.path, reason: `file cannot be read: ${err instanceof Error ? err.message : String(err)}` },
});

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
    return { outcome: unreadable(task, err), file };
  }
}

/** A file's text with its size and mtime (stat before reading, as analyseTask), or why it could not be read. */
async function readTask(task: FileTask): Promise<{ text: string; size: number; mtime: number } | { error: unknown }> {
  try {
    const full = join(task.root, task.path);
    const st = await stat(full);
    return { text: await readFile(full, 'utf8'), size: st.size, mtime: st.mtimeMs };
  } catch (error) {
    return { error };
  }
}

/** Files read ahead of the one being analysed: reads wait on the disk in libuv's threads, not on the parser. */
const READ_AHEAD = 16;

export type OnFileAnalysed = (done: number, outcome: FileOutcome, task: FileTask, file?: ReadFile) => void;

/**
 * Read and analyse files in order, handing each outcome over as soon as it is known; never throws.
 * The next files are read while one is analysed (on a cold page cache, reading the corpus took a second).
 */
export async function analyseFiles(tasks: FileTask[], attack: AttackCatalog, onEach: OnFileAnalysed): Promise<void> {
  const reads: Promise<Awaited<ReturnType<typeof readTask>>>[] = [];
  for (let i = 0; i < tasks.length; i++) {
    for (let j = reads.length; j < Math.min(tasks.length, i + 1 + READ_AHEAD); j++) reads.push(readTask(tasks[j]!));
    const task = tasks[i]!;
    const read = await reads[i]!;
    delete reads[i];
    if ('error' in read) {
      onEach(i + 1, unreadable(task, read.error), task);
      continue;
    }
    const file: ReadFile = { size: read.size, mtime: read.mtime, sha1: createHash('sha1').update(read.text).digest('hex') };
    let outcome: FileOutcome;
    try {
      outcome = analyseText(task, read.text, attack);
    } catch (err) {
      outcome = unreadable(task, err);
    }
    onEach(i + 1, outcome, task, file);
  }
}
