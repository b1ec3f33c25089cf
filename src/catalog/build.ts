import { basename, resolve } from 'node:path';
import type { AttackCatalog } from '../attack/catalog.js';
import type { FileError } from '../model/types.js';
import { expandEventPatterns } from '../analysis/event-patterns.js';
import { providers } from '../providers/registry.js';
import { analyseFiles, type FileTask } from './analyse-files.js';
import { assignIds, countIndicators, linkSameAction } from './corpus.js';
import type { Rule } from '../model/types.js';
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
  analyseFiles(tasks, opts.attack, (done, outcome, task) => {
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
  assignIds(rules);
  countIndicators(rules);
  expandEventPatterns(rules, providers);
  linkSameAction(rules);
  return { rules, errors, skipped, files: total, millis: performance.now() - started };
}
