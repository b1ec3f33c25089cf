// A catalog written from scratch (`build`, or a sync with no catalog it can update in place): every
// file analysed through the staged writer, with the files table and first-seen history that let
// the next sync update it in place (sync/update.ts).
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import type { AttackCatalog } from '../attack/catalog.js';
import { buildCatalog, type BuildResult } from '../catalog/build.js';
import type { HistoryEntry } from '../model/types.js';
import type { CatalogWriter } from '../store/writer.js';
import { historyKey, HistoryLog, type RuleChanges, type SyncedSource } from './keys.js';
import { loadHistory } from './update.js';

export interface FullOptions {
  attack: AttackCatalog;
  /** Where `attack` was loaded from (helper threads load it again). */
  attackPath?: string;
  writer: CatalogWriter;
  /** This write's sync number (1 for the first). */
  sync: number;
  /** History carried over from an older catalog, if any. */
  history?: Map<string, HistoryEntry[]>;
  onProgress?: (p: { done: number; total: number }) => void;
}

/** Analyse every file of the reachable sources and stage the catalog; `writer.finish` writes it. */
export async function fullBuild(sources: SyncedSource[], opts: FullOptions): Promise<BuildResult & { changes: RuleChanges }> {
  const { writer } = opts;
  const reachable = sources.filter((s) => s.root);
  const result = await buildCatalog(
    reachable.map((s) => ({ dir: s.root!, name: s.name })),
    { attack: opts.attack, attackPath: opts.attackPath, stage: (rule, core) => writer.add(rule, core), onFile: (f) => writer.addFile(f), onProgress: opts.onProgress },
  );
  const log = new HistoryLog(opts.history ?? new Map(), opts.sync);
  const byName = new Map(reachable.map((s) => [s.name, s]));
  for (const core of result.rules) {
    const key = historyKey(core);
    if (!log.isLive(key)) log.record(key, 'added', byName.get(core.sourceName)!);
    core.history = log.byKey.get(key);
  }
  for (const [key, entries] of log.byKey) for (const e of entries) writer.addHistory(key, e);
  writer.setMeta('lastSync', String(opts.sync));
  return { ...result, changes: log.changes };
}

/** The history of a catalog this schema cannot update in place, to carry it over. */
export function readOldHistory(path: string): { history: Map<string, HistoryEntry[]>; lastSync: number } | undefined {
  if (!existsSync(path)) return undefined;
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const lastSync = Number(db.prepare("SELECT value FROM meta WHERE key = 'lastSync'").pluck().get() ?? '0');
    return { history: loadHistory(db), lastSync };
  } catch {
    return undefined;
  } finally {
    db?.close();
  }
}
