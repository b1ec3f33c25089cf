// The one write path of a catalog. Scan the sources against the catalog's `files` rows, analyse only
// the files whose stored analysis does not fit (new or changed content, another analyser version, a
// changed file their analysis read), write their file-level rows as each is analysed, run the corpus
// pass over every rule's pass input, and rewrite the rows whose pass outcome changed.
//   build: this against an empty catalog, written to a temporary file and renamed into place;
//   sync:  this in place, in one transaction (a crash leaves the catalog as it was).
// Memory holds each rule's pass view (catalog/pass.ts: a few strings and numbers), never its core:
// cores are read back one at a time when their row is rewritten.
import type Database from 'better-sqlite3';
import { renameSync, rmSync } from 'node:fs';
import { type AnalyserVersions, currentVersions } from '../analysis/versions.js';
import type { AttackCatalog } from '../attack/catalog.js';
import { hasThreats, loadThreatsIfPresent, threatsKey } from '../attack/threats.js';
import { type FolderListing, listingJson, storedListing } from '../catalog/walk.js';
import type { FileError } from '../model/types.js';
import type { BuildReport, FileTiming, SyncSummary } from '../report/report.js';
import type { PassRule } from '../catalog/pass.js';
import { indexes, pageSize, schema, schemaVersion } from '../store/schema.js';
import type { FileRow } from '../store/writer.js';
import { fileKey, type RuleChanges, type SyncCounts, type SyncedSource } from '../sync/keys.js';
import { type ChangedFile, scanSources } from '../sync/scan.js';
import { openDatabase } from '../store/open.js';
import {
  type CarriedHistory,
  clearForReplace,
  explainBusy,
  lockCatalog,
  readOldHistory,
  removeStaleTemps,
  resetSteps,
  untilDone,
  updatableSync,
  writerStep,
} from './catalog-file.js';

/**
 * What a write needs only when some file is analysed or some rule goes (the formats, languages,
 * providers, the corpus pass, the row writer): loaded then, not for a sync that finds nothing
 * changed, whose process would otherwise spend about a third of its CPU time loading them.
 */
const changesModule = () => import('./apply-changes.js');
const reportModule = () => import('../report/report.js');

export interface WriteOptions {
  /** ATT&CK and the set-up of these languages (all when undefined), loaded only when some file is analysed. */
  prepare: (languages?: string[]) => Promise<{ attack: AttackCatalog; attackPath?: string }>;
  /** The sync summary of the report (sync), none for a build. */
  summary?: (counts: SyncCounts, changes: RuleChanges, sync: number) => SyncSummary;
  /** Names of the sources marked as the user's own (meta `mine`). */
  mine: string[];
  /** Write a new catalog (build) even when the one at the path could be updated in place. */
  fresh?: boolean;
  /** Rules of sources the catalog has and `sources` lacks are marked removed (without it, such a write is refused). */
  prune?: boolean;
  /** The analyser's versions (default: the running code's). */
  versions?: AnalyserVersions;
  /** How long to wait for another writer of the catalog to end (ms; default: fail at once, naming it). */
  waitMs?: number;
  /** Helper threads for a fresh write, the main thread analysing too (default: catalog/parallel.ts threadPlan). */
  helpers?: number;
  /** From how many files to analyse their texts are deflated on another thread (default: defaultDeflateElsewhereFrom). */
  deflateElsewhereFrom?: number;
  /** A file whose reading and analysis take longer is named in the report (ms; default: RULEATLAS_FILE_BUDGET_MS, else 2,000). */
  fileBudgetMs?: number;
  onProgress?: (p: { done: number; total: number }) => void;
}

export interface CatalogWrite {
  sync: number;
  counts: SyncCounts;
  changes: RuleChanges;
  report: BuildReport;
  /** False when no rule was found (a fresh write then leaves nothing behind). */
  written: boolean;
}

/** Sources the catalog holds rules or files of that the write was not given, refused without `prune`. */
export class DroppedSourcesError extends Error {
  constructor(readonly sources: string[]) {
    super(
      `the catalog has rules of ${sources.map((s) => `"${s}"`).join(', ')}, which ${sources.length > 1 ? 'are' : 'is'} not among the sources given; ` +
        'nothing was written. Restore the source (check its name), or pass --prune to mark its rules removed (their history is kept).',
    );
  }
}

/** Write the catalog at `path` from the sources: in place when it can be, else a new one. */
export async function writeCatalog(path: string, sources: SyncedSource[], opts: WriteOptions): Promise<CatalogWrite> {
  // Files, history and ids are keyed by source name: two sources of one name would mix their rules.
  const names = new Set<string>();
  for (const { name } of sources) {
    if (names.has(name)) throw new Error(`two sources are named "${name}": each source needs a name of its own`);
    names.add(name);
  }
  const release = await lockCatalog(path, opts.waitMs);
  // Also when the process exits under the write (process.exit: the bin's child whose parent is gone).
  const done = untilDone(release);
  resetSteps();
  try {
    writerStep('locked');
    const lastSync = opts.fresh ? undefined : updatableSync(path);
    if (lastSync !== undefined) return await inPlace(path, sources, lastSync + 1, opts);
    return await freshCatalog(path, sources, opts);
  } catch (err) {
    throw explainBusy(err, path);
  } finally {
    done();
    release();
  }
}

async function freshCatalog(path: string, sources: SyncedSource[], opts: WriteOptions): Promise<CatalogWrite> {
  // A catalog replaced keeps its rules' history (any schema).
  const carried = readOldHistory(path);
  // Under the writer lock: any other temporary catalog here is a killed writer's.
  removeStaleTemps(path);
  const temp = `${path}.tmp-${process.pid}`;
  const db = openDatabase(temp);
  let renamed = false;
  const removeTemp = () => {
    if (db.open) db.close();
    if (!renamed) rmSync(temp, { force: true });
  };
  const done = untilDone(removeTemp);
  try {
    db.pragma(`page_size = ${pageSize}`);
    // Nothing to keep if this fails: the file is removed, so no journal on disk (journal_mode OFF, meant
    // before, is refused by better-sqlite3's defensive mode: it left a -journal beside the temporary file).
    // Once whole, it becomes a WAL catalog (see store/open.ts).
    db.pragma('journal_mode = MEMORY');
    db.pragma('synchronous = OFF');
    db.exec(schema);
    const out = await write(db, sources, (carried?.lastSync ?? 0) + 1, opts, carried);
    db.pragma('journal_mode = WAL');
    db.close();
    if (out.written) {
      writerStep('rename');
      clearForReplace(path);
      renameSync(temp, path);
      renamed = true;
      writerStep('renamed', false);
    }
    return out;
  } finally {
    done();
    removeTemp();
  }
}

async function inPlace(path: string, sources: SyncedSource[], sync: number, opts: WriteOptions): Promise<CatalogWrite> {
  const db = openDatabase(path, { fileMustExist: true });
  try {
    useWal(db);
    return await write(db, sources, sync, opts);
  } finally {
    db.close();
  }
}

/**
 * WAL: a writer killed before its commit leaves the catalog as it was, readable read-only (store/open.ts).
 * A catalog of an older ruleatlas is converted, unless another program holds it open in rollback mode
 * (then this write stays in that mode, safe too, and a later one converts it).
 */
function useWal(db: Database.Database): void {
  try {
    db.pragma('journal_mode = WAL');
  } catch (err) {
    if (!/SQLITE_BUSY|database is locked/.test(`${(err as { code?: string }).code} ${(err as Error).message}`)) throw err;
  }
}

function defaultFileBudgetMs(): number {
  const set = process.env.RULEATLAS_FILE_BUDGET_MS;
  const ms = Number(set);
  return set && Number.isFinite(ms) && ms >= 0 ? ms : 2000;
}

/** The write itself, over an open catalog (fresh when `carried` is given or the catalog is empty). */
async function write(
  db: Database.Database,
  sources: SyncedSource[],
  sync: number,
  opts: WriteOptions,
  carried?: CarriedHistory,
): Promise<CatalogWrite> {
  const started = performance.now();
  // Fresh: nothing stored to compare with or to keep numbering (the key dictionary is then kept in memory).
  const fresh = !!carried || db.prepare('SELECT (SELECT count(*) FROM rules) + (SELECT count(*) FROM pass_keys)').pluck().get() === 0;
  const versions = opts.versions ?? currentVersions();
  const known = new Map<string, FileRow>();
  for (const row of db.prepare('SELECT * FROM files').all() as FileRow[]) known.set(fileKey(row.source, row.path), row);
  const folders = loadFolders(db);
  const scan = scanSources(sources, known, folders, versions);
  writerStep('scanned');
  const configured = new Set(sources.map((s) => s.name));
  const dropped = (
    db.prepare('SELECT DISTINCT source_name FROM rules UNION SELECT DISTINCT source FROM files').pluck().all() as string[]
  ).filter((n) => !configured.has(n));
  if (dropped.length && !opts.prune) throw new DroppedSourcesError(dropped);
  const counts: SyncCounts = { analysed: scan.changed.length, reused: scan.unchanged, removed: scan.deleted.length };
  const why = reasonsOf(scan.changed);
  if (Object.keys(why).length) counts.why = why;
  // A sync loads only the languages of the changed files' rules (a KQL edit does not load Python);
  // it reads the new files for that (a fresh write reads each file once, as it analyses it, and loads every language).
  const languages = fresh ? undefined : scan.changed.length ? (await changesModule()).languagesOf(scan.changed) : [];
  const prepared = scan.changed.length ? await opts.prepare(languages) : undefined;
  const setMeta = db.prepare('INSERT OR REPLACE INTO meta VALUES (?, ?)');

  db.exec(fresh ? 'BEGIN' : 'BEGIN IMMEDIATE');
  try {
    if (carried) writeCarriedHistory(db, carried);
    const files = new FileRows(db);
    for (const f of scan.touched) files.put(f);
    writeFolders(db, folders, scan.folders);
    const errors: FileError[] = [...scan.errors];
    let outcome: { changes: RuleChanges; live?: PassRule[] } = { changes: { added: 0, changed: 0, removed: 0 } };
    const timing: FileTiming = { budgetMs: opts.fileBudgetMs ?? defaultFileBudgetMs(), analysed: 0, over: [] };
    if (prepared || scan.deleted.length || dropped.length) {
      outcome = await (
        await changesModule()
      ).applyChanges(db, { sources, scan, dropped, prepared, sync, fresh, versions, opts, files, errors, timing });
    }
    if (fresh && !outcome.live?.length)
      return {
        sync,
        counts,
        changes: outcome.changes,
        report: (await reportModule()).makeReport({ rules: [], errors, skipped: scan.skipped, files: 0, millis: 0 }),
        written: false,
      };
    const report = await reportOf(db, outcome.live, errors, scan.skipped, started);
    const summary = opts.summary?.(counts, outcome.changes, sync);
    if (summary) report.sync = summary;
    const renamed = sources.flatMap((s) => (s.renamedFrom ? [{ name: s.name, renamedFrom: s.renamedFrom }] : []));
    if (renamed.length) report.renamedSources = renamed;
    if (timing.analysed) report.timing = timing;
    if (fresh) {
      // Merged before the indexes are built: the pages the merge frees are theirs, not left free in the file.
      db.exec("INSERT INTO rules_fts(rules_fts) VALUES('optimize')");
      db.exec(indexes);
    }
    setMeta.run('schemaVersion', String(schemaVersion));
    setMeta.run('lastSync', String(sync));
    setMeta.run('mine', JSON.stringify(opts.mine));
    setMeta.run('analyser', JSON.stringify(versions));
    if (prepared?.attack.size) setMeta.run('attackMatrix', JSON.stringify(prepared.attack.matrix()));
    // The threats (1.1 MB of JSON for the shared bundle) are written again only when their bundle changed: a one-file sync took 20-35 ms for them.
    const threatsFrom = threatsKey(prepared?.attackPath);
    const storedFrom = db.prepare("SELECT value FROM meta WHERE key = 'attackThreatsKey'").pluck().get() as string | undefined;
    if (threatsFrom && threatsFrom !== storedFrom) {
      const threats = loadThreatsIfPresent(prepared?.attackPath);
      if (hasThreats(threats)) {
        setMeta.run('attackThreats', JSON.stringify(threats));
        setMeta.run('attackThreatsKey', threatsFrom);
      }
    }
    setMeta.run('report', JSON.stringify(report));
    writerStep('commit');
    db.exec('COMMIT');
    writerStep('committed', false);
    return { sync, counts, changes: outcome.changes, report, written: true };
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
  }
}

/** How many files were analysed again for each reason other than their own content. */
function reasonsOf(changed: ChangedFile[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of changed) {
    if (!f.why) continue;
    const reason = f.why.startsWith('analyser') ? f.why : 'a file its analysis reads changed';
    out[reason] = (out[reason] ?? 0) + 1;
  }
  return out;
}

/** The build report: rule counts from the pass (or as the last write left them), files, errors and skipped files from the files table. */
async function reportOf(
  db: Database.Database,
  live: PassRule[] | undefined,
  scanErrors: FileError[],
  scanSkipped: FileError[],
  started: number,
): Promise<BuildReport> {
  const errors = [...scanErrors];
  const skipped: FileError[] = [];
  for (const f of db
    .prepare("SELECT source, path, kind, reason FROM files WHERE kind != 'rules' OR reason != '' ORDER BY source, path")
    .all() as FileRow[]) {
    const at = { path: `${f.source}/${f.path}`, reason: f.reason };
    if (f.kind === 'rules') errors.push({ ...at, partial: true });
    else (f.kind === 'error' ? errors : skipped).push(at);
  }
  // Then the entries the walk did not read (links, pipes), in walk order.
  skipped.push(...scanSkipped);
  const files = db.prepare('SELECT count(*) FROM files').pluck().get() as number;
  const millis = performance.now() - started;
  // Without `live`, every rule is as the last write left it, and so are the report's rule counts.
  if (live) return (await reportModule()).makeReport({ rules: live, errors, skipped, files, millis });
  const previous = JSON.parse(
    (db.prepare("SELECT value FROM meta WHERE key = 'report'").pluck().get() as string | undefined) ?? '{}',
  ) as BuildReport;
  return { ...previous, builtAt: new Date().toISOString(), millis: Math.round(millis), files, errors, skipped };
}

function loadFolders(db: Database.Database): Map<string, Map<string, FolderListing>> {
  const folders = new Map<string, Map<string, FolderListing>>();
  for (const f of db.prepare('SELECT source, path, mtime, entries FROM folders').all() as {
    source: string;
    path: string;
    mtime: number;
    entries: string;
  }[]) {
    let listed = folders.get(f.source);
    if (!listed) folders.set(f.source, (listed = new Map<string, FolderListing>()));
    listed.set(f.path, storedListing(f.mtime, f.entries));
  }
  return folders;
}

/** The folder listings of the sources scanned, where they differ from the stored ones. */
function writeFolders(
  db: Database.Database,
  before: ReadonlyMap<string, ReadonlyMap<string, FolderListing>>,
  now: ReadonlyMap<string, ReadonlyMap<string, FolderListing>>,
): void {
  const put = db.prepare('INSERT OR REPLACE INTO folders (source, path, mtime, entries) VALUES (?,?,?,?)');
  const drop = db.prepare('DELETE FROM folders WHERE source = ? AND path = ?');
  for (const [source, listed] of now) {
    const old = before.get(source);
    for (const [path, listing] of listed) if (old?.get(path) !== listing) put.run(source, path, listing.mtime, listingJson(listing));
    for (const path of old?.keys() ?? []) if (!listed.has(path)) drop.run(source, path);
  }
}

function writeCarriedHistory(db: Database.Database, carried: CarriedHistory): void {
  const insert = db.prepare('INSERT INTO history (key, change, git_commit, date, sync) VALUES (?,?,?,?,?)');
  for (const [key, entries] of carried.history) for (const e of entries) insert.run(key, e.change, e.commit, e.date, e.sync);
}

class FileRows {
  private readonly upsert: Database.Statement;
  constructor(db: Database.Database) {
    this.upsert = db.prepare(
      'INSERT OR REPLACE INTO files (source, path, sha1, size, mtime, kind, reason, related, analyser) VALUES (?,?,?,?,?,?,?,?,?)',
    );
  }
  put(f: FileRow): void {
    this.upsert.run(f.source, f.path, f.sha1, f.size, f.mtime, f.kind, f.reason, f.related, f.analyser);
  }
}
