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

/**
 * Other files of the source a file's analysis read (a Panther YAML's Python file, its data models),
 * as [path relative to the source, sha1 of the text, '' when absent]: their content is part of what
 * the file's analysis depends on, so a change to one analyses the file again.
 */
type RelatedFiles = [string, string][];

/** Reads files next to a task's file, never outside its source folder, noting each one in `seen`. */
function relatedReader(task: FileTask, seen: RelatedFiles): (relativePath: string) => string | undefined {
  return (relativePath) => {
    const root = resolve(task.root);
    const target = resolve(root, dirname(task.path), relativePath);
    if (!target.startsWith(root + sep)) return undefined;
    const rel = target
      .slice(root.length + 1)
      .split(sep)
      .join('/');
    try {
      const text = readFileSync(target, 'utf8');
      seen.push([rel, sha1(text)]);
      return text;
    } catch {
      seen.push([rel, '']);
      return undefined;
    }
  };
}

export const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

/** Analyse one file whose text is already read; never throws. `reuse`: see RuleContext. */
function analyseText(
  task: FileTask,
  text: string,
  attack: AttackCatalog,
  reuse?: RuleContext['reuse'],
): FileOutcome & { related: RelatedFiles } {
  const related: RelatedFiles = [];
  const outcome = readRuleFile(
    { path: task.path, text, readRelated: relatedReader(task, related) },
    { attack, sourceName: task.sourceName, reuse },
  );
  return { ...outcome, related };
}

/** A file's rules as its format reads them, queries not analysed (readRawRules); undefined when it yields none. */
export function readRawText(task: FileTask, text: string): RawRule[] | undefined {
  return readRawRules({ path: task.path, text, readRelated: relatedReader(task, []) });
}

/** A file as read: its size and mtime (taken before reading, so a later change shows) and its sha1. */
export interface ReadFile {
  size: number;
  mtime: number;
  sha1: string;
}

/** A file analysed: what it gave, the file as read (absent when it could not be), the other files its analysis read. */
export interface AnalysedFile {
  outcome: FileOutcome;
  file?: ReadFile;
  related: RelatedFiles;
}

/** Read (unless `known` holds the text already read) and analyse one file; never throws. */
export function analyseTask(
  task: FileTask,
  attack: AttackCatalog,
  known?: ReadFile & { text: string },
  reuse?: RuleContext['reuse'],
): AnalysedFile {
  let file: ReadFile | undefined;
  try {
    let text = known?.text;
    if (known) file = { size: known.size, mtime: known.mtime, sha1: known.sha1 };
    else {
      const full = join(task.root, task.path);
      const stat = statSync(full);
      text = readFileSync(full, 'utf8');
      file = { size: stat.size, mtime: stat.mtimeMs, sha1: sha1(text) };
    }
    const { related, ...outcome } = analyseText(task, text!, attack, reuse);
    return { outcome, file, related };
  } catch (err) {
    return {
      outcome: {
        kind: 'error',
        error: { path: task.path, reason: `file cannot be read: ${err instanceof Error ? err.message : String(err)}` },
      },
      file,
      related: [],
    };
  }
}

export type OnFileAnalysed = (done: number, analysed: AnalysedFile, task: FileTask) => void;

/** Read and analyse files in order, handing each outcome over as soon as it is known; never throws. */
export function analyseFiles(tasks: FileTask[], attack: AttackCatalog, onEach: OnFileAnalysed): void {
  tasks.forEach((task, i) => onEach(i + 1, analyseTask(task, attack), task));
}
