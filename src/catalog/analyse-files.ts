import { dirname, resolve, sep } from 'node:path';
import type { AttackCatalog } from '../attack/catalog.js';
import type { RuleContext } from '../analysis/analyse-rule.js';
import type { RawRule } from '../model/types.js';
import { type FileOutcome, type FileToRead, readRawRules, readRuleFile } from './read-file.js';
import { readError, RealFolders, readSourceFile, type SourceText } from './source-file.js';

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

/**
 * The file `text` of `task` as formats read it: other files of the source it names are read next to
 * it, never outside the source (by name or through a link: readSourceFile), each noted in `seen`;
 * why one was not read is kept for the rule's diagnostic, and a note on its text for the report.
 */
function fileToRead(
  task: FileTask,
  read: Pick<SourceText, 'text' | 'note' | 'refused'>,
  seen: RelatedFiles,
  folders?: RealFolders,
): FileToRead {
  const notes = read.note ? [read.note] : [];
  const unread = new Map<string, string>();
  const inSource = (relativePath: string) => {
    const root = resolve(task.root);
    const target = resolve(root, dirname(task.path), relativePath);
    if (!target.startsWith(root + sep)) return undefined;
    return target
      .slice(root.length + 1)
      .split(sep)
      .join('/');
  };
  // A file may be read twice (a Panther rule's helper modules: by its analysis, then for its tests): once from disk.
  const known = new Map<string, string | undefined>();
  const readRelated = (relativePath: string) => {
    const rel = inSource(relativePath);
    if (rel !== undefined && known.has(rel)) return known.get(rel);
    const text = readOnce(relativePath, rel);
    if (rel !== undefined) known.set(rel, text);
    return text;
  };
  const readOnce = (relativePath: string, rel: string | undefined) => {
    if (rel === undefined) {
      unread.set(relativePath, 'the path leads outside the source');
      return undefined;
    }
    try {
      const related = readSourceFile(task.root, rel, folders);
      seen.push([rel, related.sha1]);
      if (related.refused) unread.set(relativePath, related.refused);
      else if (related.note) notes.push(`${rel}: ${related.note}`);
      return related.refused ? undefined : related.text;
    } catch (err) {
      seen.push([rel, '']);
      // A file that is not there is said so by the format ("not found").
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') unread.set(relativePath, readError(err));
      return undefined;
    }
  };
  return { path: task.path, text: read.text, refused: read.refused, notes, readRelated, whyUnread: (p) => unread.get(p) };
}

/** Analyse one file whose text is already read; never throws. `reuse`: see RuleContext. */
function analyseText(
  task: FileTask,
  read: SourceText,
  attack: AttackCatalog,
  reuse?: RuleContext['reuse'],
  folders?: RealFolders,
): FileOutcome & { related: RelatedFiles } {
  const related: RelatedFiles = [];
  const outcome = readRuleFile(fileToRead(task, read, related, folders), { attack, sourceName: task.sourceName, reuse });
  return { ...outcome, related };
}

/** A file's rules as its format reads them, queries not analysed (readRawRules); undefined when it yields none. */
export function readRawText(task: FileTask, read: Pick<SourceText, 'text' | 'note' | 'refused'>): RawRule[] | undefined {
  return readRawRules(fileToRead(task, read, []));
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
  /** How long reading and analysing it took, ms (the write reports files over their time budget). */
  millis: number;
}

/**
 * Read (unless `known` holds the text already read) and analyse one file; never throws.
 * `folders`: the write's resolved folders (source-file.ts RealFolders), when it keeps them.
 */
export function analyseTask(
  task: FileTask,
  attack: AttackCatalog,
  known?: SourceText,
  reuse?: RuleContext['reuse'],
  folders?: RealFolders,
): AnalysedFile {
  const started = performance.now();
  let file: ReadFile | undefined;
  try {
    const read = known ?? readSourceFile(task.root, task.path, folders);
    file = { size: read.size, mtime: read.mtime, sha1: read.sha1 };
    const { related, ...outcome } = analyseText(task, read, attack, reuse, folders);
    return { outcome, file, related, millis: performance.now() - started };
  } catch (err) {
    return {
      outcome: {
        kind: 'error',
        error: { path: task.path, reason: `file cannot be read: ${readError(err)}` },
      },
      file,
      related: [],
      millis: performance.now() - started,
    };
  }
}

export type OnFileAnalysed = (done: number, analysed: AnalysedFile, task: FileTask) => void;

/** Read and analyse files in order, handing each outcome over as soon as it is known; never throws. */
export function analyseFiles(tasks: FileTask[], attack: AttackCatalog, onEach: OnFileAnalysed, folders = new RealFolders()): void {
  tasks.forEach((task, i) => onEach(i + 1, analyseTask(task, attack, undefined, undefined, folders), task));
}
