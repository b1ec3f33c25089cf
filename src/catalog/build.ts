import { createHash } from 'node:crypto';
import { basename, resolve } from 'node:path';
import type { AttackCatalog } from '../attack/catalog.js';
import type { FileError } from '../model/types.js';
import { analyseFiles, type FileTask } from './analyse-files.js';
import { assignIds, countIndicators, linkSameAction } from './corpus.js';
import type { Rule } from '../model/types.js';
import type { FileRow } from '../store/writer.js';
import { coreOf, type RuleCore } from './staged.js';
import { listFiles } from './walk.js';

export interface SourceDir {
  dir: string;
  /** Defaults to the folder's name. */
  name?: string;
}

export interface BuildResult {
  /** Every analysed rule's core, in staging order, with its corpus-level fields decided. */
  rules: RuleCore[];
  errors: FileError[];
  skipped: FileError[];
  files: number;
  millis: number;
}

export interface BuildProgress {
  done: number;
  total: number;
}

export interface BuildOptions {
  attack: AttackCatalog;
  /** Receives each analysed rule as soon as it is known (the staging area of the writer). */
  stage: (rule: Rule) => void;
  /** Receives every file read, for the catalog's files table (what a later sync compares against). */
  onFile?: (file: FileRow) => void;
  onProgress?: (p: BuildProgress) => void;
}

/** Read every file of every source, analyse its rules, then link the corpus. */
export function buildCatalog(sources: SourceDir[], opts: BuildOptions): BuildResult {
  const started = performance.now();
  const errors: FileError[] = [];
  const tasks: FileTask[] = [];
  for (const source of sources) {
    const root = resolve(source.dir);
    const sourceName = source.name ?? basename(root);
    try {
      for (const path of listFiles(root)) tasks.push({ root, path, sourceName });
    } catch (err) {
      errors.push({ path: source.dir, reason: `source folder cannot be read: ${err instanceof Error ? err.message : String(err)}` });
    }
  }
  const total = tasks.length;
  // One thread on purpose: measured here, a second thread (or process) parsing half the files
  // made each half as slow as the whole, so the build stays simple and sequential.
  const rules: RuleCore[] = [];
  const skipped: FileError[] = [];
  const shown = (task: FileTask, path: string) => (sources.length > 1 ? `${task.sourceName}/${path}` : path);
  // Each file's rules are staged as soon as they are analysed, so that the object trees of
  // ten thousand analyses never sit in memory at once.
  analyseFiles(tasks, opts.attack, (done, outcome, task, file) => {
    if (file && opts.onFile) {
      const reason = outcome.kind === 'error' ? outcome.error.reason : outcome.kind === 'skipped' ? outcome.skipped.reason : '';
      const sha1 = createHash('sha1').update(file.text).digest('hex');
      opts.onFile({ source: task.sourceName, path: task.path, sha1, size: file.size, mtime: file.mtime, kind: outcome.kind, reason });
    }
    if (outcome.kind === 'rules') {
      for (const rule of outcome.rules) {
        rules.push(coreOf(rule));
        opts.stage(rule);
      }
    }
    else if (outcome.kind === 'error') errors.push({ ...outcome.error, path: shown(task, outcome.error.path) });
    else skipped.push({ ...outcome.skipped, path: shown(task, outcome.skipped.path) });
    opts.onProgress?.({ done, total });
  });
  runCorpusPass(rules);
  return { rules, errors, skipped, files: total, millis: performance.now() - started };
}

/**
 * Everything decided over the whole corpus, on cores: ids and duplicates, indicator counts,
 * same-action links. Build and sync (sync/update.ts) both call this, and sync writes back
 * whatever it changed, so a step added here needs nothing more to reach synced catalogs.
 */
export function runCorpusPass(rules: RuleCore[]): void {
  assignIds(rules);
  countIndicators(rules);
  linkSameAction(rules);
}
