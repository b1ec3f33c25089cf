import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { AttackCatalog } from '../attack/catalog.js';
import type { FileError, Rule } from '../model/types.js';
import { assignIds, countIndicators, linkSameAction } from './corpus.js';
import { readRuleFile } from './read-file.js';
import { listFiles } from './walk.js';

export interface SourceDir {
  dir: string;
  /** Defaults to the folder's name. */
  name?: string;
}

export interface BuildResult {
  rules: Rule[];
  errors: FileError[];
  skipped: FileError[];
  files: number;
  millis: number;
}

export interface BuildProgress {
  source: string;
  done: number;
  total: number;
}

/** Read every file of every source, analyse its rules, then link the corpus. */
export function buildCatalog(
  sources: SourceDir[],
  attack: AttackCatalog,
  onProgress?: (p: BuildProgress) => void,
): BuildResult {
  const started = performance.now();
  const rules: Rule[] = [];
  const errors: FileError[] = [];
  const skipped: FileError[] = [];
  let files = 0;
  for (const source of sources) {
    const root = resolve(source.dir);
    const sourceName = source.name ?? basename(root);
    let paths: string[];
    try {
      paths = listFiles(root);
    } catch (err) {
      errors.push({ path: source.dir, reason: `source folder cannot be read: ${err instanceof Error ? err.message : String(err)}` });
      continue;
    }
    paths.forEach((path, i) => {
      files++;
      const shownPath = sources.length > 1 ? `${sourceName}/${path}` : path;
      let text: string;
      try {
        text = readFileSync(join(root, path), 'utf8');
      } catch (err) {
        errors.push({ path: shownPath, reason: `file cannot be read: ${err instanceof Error ? err.message : String(err)}` });
        return;
      }
      const outcome = readRuleFile({ path, text }, { attack, sourceName });
      if (outcome.kind === 'rules') rules.push(...outcome.rules);
      else if (outcome.kind === 'error') errors.push({ ...outcome.error, path: shownPath });
      else skipped.push({ ...outcome.skipped, path: shownPath });
      if (onProgress && (i % 50 === 0 || i === paths.length - 1)) onProgress({ source: sourceName, done: i + 1, total: paths.length });
    });
  }
  assignIds(rules);
  countIndicators(rules);
  linkSameAction(rules);
  return { rules, errors, skipped, files, millis: performance.now() - started };
}
