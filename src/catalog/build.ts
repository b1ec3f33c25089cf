import { basename, resolve } from 'node:path';
import type { AttackCatalog } from '../attack/catalog.js';
import type { FileError } from '../model/types.js';
import type { FileTask } from './analyse-files.js';
import { analyseFilesShared, defaultHelpers } from './parallel.js';
import { runCorpusPass } from './corpus-pass.js';
import { MemoryDictionary, passDigest, passInputJson, type PassRecord, passSignature, similarJson } from './pass.js';
import type { Rule } from '../model/types.js';
import type { FileRow } from '../store/writer.js';
import type { OnFileAnalysed } from './analyse-files.js';
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
  /** What the catalog keeps of the pass for sync (kept as text: the pass's objects are let go at once). */
  pass: PassRecord;
}

export interface BuildProgress {
  done: number;
  total: number;
}

export interface BuildOptions {
  attack: AttackCatalog;
  /** Receives each analysed rule as soon as it is known (the staging area of the writer). */
  stage: (rule: Rule, core: RuleCore) => void;
  /** Receives every file read, for the catalog's files table (what a later sync compares against). */
  onFile?: (file: FileRow) => void;
  onProgress?: (p: BuildProgress) => void;
  /** Where `attack` was loaded from: helper threads load it again. */
  attackPath?: string;
  /** Helper threads besides the main one (default: see defaultHelpers). */
  helpers?: number;
}

/** Read every file of every source, analyse its rules, then link the corpus. */
export async function buildCatalog(sources: SourceDir[], opts: BuildOptions): Promise<BuildResult> {
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
  const rules: RuleCore[] = [];
  const skipped: FileError[] = [];
  const shown = (task: FileTask, path: string) => (sources.length > 1 ? `${task.sourceName}/${path}` : path);
  // Each file's rules are staged as soon as they are analysed, so that the object trees of
  // ten thousand analyses never sit in memory at once.
  const onEach: OnFileAnalysed = (done, outcome, task, file) => {
    if (file && opts.onFile) {
      const reason = outcome.kind === 'error' ? outcome.error.reason : outcome.kind === 'skipped' ? outcome.skipped.reason : '';
      opts.onFile({ source: task.sourceName, path: task.path, sha1: file.sha1, size: file.size, mtime: file.mtime, kind: outcome.kind, reason });
    }
    if (outcome.kind === 'rules') {
      if (outcome.problem) errors.push({ ...outcome.problem, path: shown(task, outcome.problem.path) });
      for (const rule of outcome.rules) {
        const core = coreOf(rule);
        rules.push(core);
        // Staged before the corpus pass changes the core.
        opts.stage(rule, core);
      }
    }
    else if (outcome.kind === 'error') errors.push({ ...outcome.error, path: shown(task, outcome.error.path) });
    else skipped.push({ ...outcome.skipped, path: shown(task, outcome.skipped.path) });
    opts.onProgress?.({ done, total });
  };
  await analyseFilesShared(tasks, opts.attack, onEach, { helpers: opts.helpers ?? defaultHelpers(), attackPath: opts.attackPath });
  const dict = new MemoryDictionary();
  const passed = runCorpusPass(rules, dict);
  const pass: PassRecord = { inputs: passed.map(passInputJson), similar: passed.map(similarJson), shas: passed.map((r) => passDigest(passSignature(r))), dict };
  return { rules, errors, skipped, files: total, millis: performance.now() - started, pass };
}
