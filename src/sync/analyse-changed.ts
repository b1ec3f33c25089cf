// The files a sync found changed, analysed and matched against the rows their stored versions had
// (sync/update.ts writes them). A rule whose query inputs are as stored takes the stored analysis.
import type Database from 'better-sqlite3';
import { type QueryDerived, queryInputsKey } from '../analysis/analyse-rule.js';
import type { AttackCatalog } from '../attack/catalog.js';
import { analyseText, type FileTask, readRawText } from '../catalog/analyse-files.js';
import type { Rule } from '../model/types.js';
import { RuleRows, type StagedText } from '../store/rows.js';
import { type FileRow, stagedText } from '../store/writer.js';
import { fileKey, historyKey } from './keys.js';
import type { ChangedFile, Scan } from './scan.js';

/** A row as first loaded: what finds a rule's file and history without its core. */
export interface LightRow {
  rowid: number;
  id: string;
  nativeId: string;
  platform: string;
  language: string;
  sourceName: string;
  path: string;
  name: string;
  sha: string;
  current: number;
}

/** One rule of a changed file, analysed, with the row it had (same history key in the same file), if any. */
export interface Analysed {
  f: ChangedFile;
  key: string;
  s: StagedText;
  row?: LightRow;
}

/** What the changed files hold now, matched against the rows their old versions had, file by file. */
export interface Plan {
  changed: { rules: Analysed[]; /** Rows whose rule the file's new version lacks. */ gone: LightRow[] }[];
  files: FileRow[];
}

export function analyseChanged(db: Database.Database, scan: Scan, byFile: Map<string, LightRow[]>, attack: AttackCatalog, onProgress?: (p: { done: number; total: number }) => void): Plan {
  const plan: Plan = { changed: [], files: [] };
  const rows = new RuleRows(db);
  scan.changed.forEach((f, i) => {
    const task = { root: f.src.root!, path: f.path, sourceName: f.src.name };
    const old = [...(byFile.get(fileKey(f.src.name, f.path)) ?? [])];
    const previous = previousDerived(task, old, (rowid) => rows.storedText(rowid));
    const outcome = analyseText(task, f.text, attack, (raw) => previous.get(queryInputsKey(raw)));
    const rules: Analysed[] = [];
    for (const rule of outcome.kind === 'rules' ? outcome.rules : []) {
      rule.body = f.text;
      const key = historyKey(rule);
      const at = old.findIndex((r) => historyKey(r) === key);
      rules.push({ f, key, s: stagedText(rule), row: at >= 0 ? old.splice(at, 1)[0] : undefined });
    }
    plan.changed.push({ rules, gone: old });
    const reason = outcome.kind === 'error' ? outcome.error.reason : outcome.kind === 'skipped' ? outcome.skipped.reason : '';
    plan.files.push({ source: f.src.name, path: f.path, sha1: f.sha1, size: f.size, mtime: f.mtime, kind: outcome.kind, reason });
    onProgress?.({ done: i + 1, total: scan.changed.length });
  });
  return plan;
}

/**
 * What the stored version of a changed file derived from each rule's query, by its query inputs:
 * a rule whose query, language, platform and declared sources and outputs are as they were (its
 * title, description or severity edited) takes it instead of being analysed again. The old version
 * is read again from the stored file text, queries not analysed; each of its rules is matched with
 * its stored row by native id and query.
 */
function previousDerived(task: FileTask, old: readonly LightRow[], stored: (rowid: number) => { json: string; body: string } | undefined): Map<string, QueryDerived> {
  const out = new Map<string, QueryDerived>();
  const texts = old.map((row) => stored(row.rowid));
  const raws = texts[0] && readRawText(task, texts[0].body);
  if (!raws) return out;
  // Two rules of one file with the same native id and query are left to be analysed: which is which is not known.
  const byQuery = new Map<string, Rule | null>();
  for (const text of texts) {
    if (!text) continue;
    const rule = JSON.parse(text.json) as Rule;
    const key = `${rule.nativeId}\u0000${rule.query}`;
    byQuery.set(key, byQuery.has(key) ? null : rule);
  }
  const seen = new Set<string>();
  for (const raw of raws) {
    const key = `${raw.nativeId}\u0000${raw.query}`;
    const rule = seen.has(key) ? null : byQuery.get(key);
    seen.add(key);
    if (!rule) continue;
    const { stages, sources, parsed, indicators, events, eventPatterns, outputFields, diagnostics } = rule;
    out.set(queryInputsKey(raw), { stages, sources, parsed, indicators, events, ...(eventPatterns ? { eventPatterns } : {}), outputFields, diagnostics });
  }
  return out;
}
