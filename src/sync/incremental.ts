// The sync build: unchanged files reuse their stored analysis, changed ones are analysed again,
// rules of deleted files are kept as removed; then the corpus pass runs over every rule.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withCanonical } from '../analysis/canonical.js';
import type { AttackCatalog } from '../attack/catalog.js';
import { expandEventPatterns } from '../analysis/event-patterns.js';
import { analyseText } from '../catalog/analyse-files.js';
import type { BuildResult } from '../catalog/build.js';
import { assignIds, countIndicators, linkSameAction } from '../catalog/corpus.js';
import { countCanonical } from '../catalog/canonical-counts.js';
import { linkSimilar } from '../catalog/similar.js';
import { coreOf, type RuleCore } from '../catalog/staged.js';
import { listFiles } from '../catalog/walk.js';
import { platformInfo } from '../formats/registry.js';
import type { FileError, HistoryEntry, Rule } from '../model/types.js';
import { providers } from '../providers/registry.js';
import { type CatalogWriter, type FileRow, stagedJson } from '../store/writer.js';
import { fileKey, type PreviousCatalog, type RemovedRule } from './previous.js';

export interface SyncedSource {
  name: string;
  /** Where its files are; undefined when it could not be fetched (its previous files are kept as they were). */
  root?: string;
  /** Commit and commit date; for folder sources an empty commit and the sync time. */
  commit: string;
  date: string;
}

export interface SyncCounts {
  /** Files read and analysed (new or changed content). */
  analysed: number;
  /** Files whose stored analysis was reused. */
  reused: number;
  /** Files gone from their source. */
  removed: number;
}

export interface RuleChanges {
  added: number;
  changed: number;
  removed: number;
}

export interface IncrementalResult extends BuildResult {
  counts: SyncCounts;
  changes: RuleChanges;
}

export interface IncrementalOptions {
  attack: AttackCatalog;
  writer: CatalogWriter;
  prev?: PreviousCatalog;
  /** This sync's number (1 for the first). */
  sync: number;
  onProgress?: (p: { done: number; total: number }) => void;
}

/** What history follows: platform, native id and where the rule lives. */
export const historyKey = (rule: Pick<Rule, 'platform' | 'nativeId' | 'sourceName' | 'path'>) =>
  `${rule.platform}:${rule.nativeId}:${rule.sourceName}/${rule.path}`;

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

type StagedRule = Omit<Rule, 'id' | 'sameAction' | 'duplicates' | 'body'>;

/** A full rule back from its staged JSON (corpus-level fields are decided again). */
function restoreRule(json: string, body: string): Rule {
  const rule: Rule = { ...(JSON.parse(json) as StagedRule), id: '', sameAction: [], body };
  // Canonical forms follow the current field maps, not the ones of the sync that analysed the file.
  withCanonical(rule.indicators, platformInfo(rule.platform)?.schema ?? rule.platform, rule.sources);
  return rule;
}

function rowRules(row: FileRow): string[] {
  return row.kind === 'rules' ? (JSON.parse(row.rules) as unknown[]).map((r) => JSON.stringify(r)) : [];
}

export function incrementalBuild(sources: SyncedSource[], opts: IncrementalOptions): IncrementalResult {
  const started = performance.now();
  const { writer, prev } = opts;
  const prevShas = prev?.fileShas() ?? new Map<string, string>();
  const history = prev?.history() ?? new Map<string, HistoryEntry[]>();
  const wasLive = new Set([...history].filter(([, h]) => h.at(-1)?.change !== 'removed').map(([k]) => k));
  const counts: SyncCounts = { analysed: 0, reused: 0, removed: 0 };
  const changes: RuleChanges = { added: 0, changed: 0, removed: 0 };
  const record = (key: string, change: HistoryEntry['change'], src: SyncedSource) => {
    history.set(key, [...(history.get(key) ?? []), { change, commit: src.commit, date: src.date, sync: opts.sync }]);
    changes[change]++;
  };
  const errors: FileError[] = [];
  const skipped: FileError[] = [];
  const live: { core: RuleCore; key: string }[] = [];
  const gone: (RemovedRule & { src: SyncedSource })[] = [];

  const stageLive = (rule: Rule) => {
    writer.add(rule);
    live.push({ core: coreOf(rule), key: historyKey(rule) });
  };
  const noteOutcome = (row: FileRow) => {
    const entry = { path: `${row.source}/${row.path}`, reason: row.reason };
    if (row.kind === 'error') errors.push(entry);
    else if (row.kind === 'skipped') skipped.push(entry);
  };
  const reuse = (row: FileRow) => {
    for (const json of rowRules(row)) stageLive(restoreRule(json, row.body));
    noteOutcome(row);
    writer.addFile(row);
    counts.reused++;
  };
  const dropAll = (row: FileRow, src: SyncedSource, except = new Set<string>()) => {
    for (const json of rowRules(row)) {
      const rule = restoreRule(json, '');
      const key = historyKey(rule);
      if (!except.has(key)) gone.push({ key, json, body: row.body, src });
    }
  };

  // Every file of every reachable source first, for progress totals.
  const tasks: { src: SyncedSource; path: string }[] = [];
  for (const src of sources) {
    if (!src.root) continue;
    try {
      for (const path of listFiles(src.root)) tasks.push({ src, path });
    } catch (err) {
      errors.push({ path: src.name, reason: `source folder cannot be read: ${err instanceof Error ? err.message : String(err)}` });
    }
  }
  const seen = new Set<string>();
  tasks.forEach(({ src, path }, i) => {
    const root = src.root!;
    const key = fileKey(src.name, path);
    seen.add(key);
    let text: string;
    try {
      text = readFileSync(join(root, path), 'utf8');
    } catch (err) {
      errors.push({ path: `${src.name}/${path}`, reason: `file cannot be read: ${err instanceof Error ? err.message : String(err)}` });
      return;
    }
    const sha = sha1(text);
    const before = prevShas.get(key);
    const oldRow = before === undefined ? undefined : prev!.fileRow(src.name, path);
    if (oldRow && before === sha) reuse(oldRow);
    else {
      counts.analysed++;
      const outcome = analyseText({ root, path, sourceName: src.name }, text, opts.attack);
      const rules = outcome.kind === 'rules' ? outcome.rules : [];
      const keys = new Set<string>();
      for (const rule of rules) {
        const k = historyKey(rule);
        keys.add(k);
        record(k, wasLive.has(k) ? 'changed' : 'added', src);
        stageLive(rule);
      }
      // Rules the old version of the file had and the new one lacks are gone upstream.
      if (oldRow) dropAll(oldRow, src, keys);
      const reason = outcome.kind === 'error' ? outcome.error.reason : outcome.kind === 'skipped' ? outcome.skipped.reason : '';
      // Only rule files need their text again (rule pages); a skipped data file may be large.
      const row: FileRow = { source: src.name, path, sha1: sha, kind: outcome.kind, reason, rules: `[${rules.map(stagedJson).join(',')}]`, body: outcome.kind === 'rules' ? text : '' };
      noteOutcome(row);
      writer.addFile(row);
    }
    opts.onProgress?.({ done: i + 1, total: tasks.length });
  });

  // Files a reachable source no longer has; an unreachable source keeps all of its files.
  for (const src of sources) {
    for (const path of prev?.pathsOf(src.name) ?? []) {
      const key = fileKey(src.name, path);
      if (src.root && seen.has(key)) continue;
      const row = prev!.fileRow(src.name, path)!;
      if (src.root) {
        counts.removed++;
        dropAll(row, src);
      } else reuse(row);
    }
  }

  const liveKeys = new Set(live.map((l) => l.key));
  const removed: RemovedRule[] = [];
  for (const g of gone) {
    if (liveKeys.has(g.key)) continue;
    record(g.key, 'removed', g.src);
    removed.push(g);
  }
  // Rules removed at earlier syncs stay removed unless they came back.
  const newlyGone = new Set(removed.map((r) => r.key));
  for (const r of prev?.removedRules() ?? []) if (!liveKeys.has(r.key) && !newlyGone.has(r.key)) removed.push(r);

  const cores = live.map((l) => l.core);
  assignIds(cores);
  countIndicators(cores);
  expandEventPatterns(cores, providers);
  linkSameAction(cores);
  countCanonical(cores);
  linkSimilar(cores);
  const taken = new Set(cores.map((c) => c.id));
  for (const r of removed) {
    const rule = { ...restoreRule(r.json, r.body), removed: true };
    writer.add(rule);
    writer.addRemovedRule(r.key, r.json, r.body);
    const core = coreOf(rule);
    // A removed rule never takes an id a current rule has.
    let id = `${rule.platform}:${rule.nativeId}`;
    if (taken.has(id)) id = `${id}@removed-${sha1(`${rule.sourceName}/${rule.path}`).slice(0, 8)}`;
    for (let n = 2; taken.has(id); n++) id = `${id.replace(/~\d+$/, '')}~${n}`;
    taken.add(id);
    core.id = id;
    live.push({ core, key: r.key });
  }
  for (const { core, key } of live) core.history = history.get(key);
  for (const [key, entries] of history) for (const e of entries) writer.addHistory(key, e);
  return {
    rules: live.map((l) => l.core),
    errors,
    skipped,
    files: counts.analysed + counts.reused,
    millis: performance.now() - started,
    counts,
    changes,
  };
}
