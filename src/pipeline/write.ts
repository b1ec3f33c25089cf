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
import { queryInputsKey, type RuleContext } from '../analysis/analyse-rule.js';
import { analyserKey, type AnalyserVersions, currentVersions } from '../analysis/versions.js';
import type { AttackCatalog } from '../attack/catalog.js';
import { hasThreats, loadThreatsIfPresent, threatsKey } from '../attack/threats.js';
import { type AnalysedFile, analyseTask, type FileTask, readRawText } from '../catalog/analyse-files.js';
import { outcomeMayMove, runPass } from '../catalog/corpus-pass.js';
import { analyseFilesShared, defaultHelpers } from '../catalog/parallel.js';
import {
  applyPass,
  type Dictionary,
  MemoryDictionary,
  passDigest,
  type PassRule,
  passInputJson,
  passRuleFromStored,
  passRuleOf,
  passSignature,
  similarFromJson,
  similarJson,
} from '../catalog/pass.js';
import { similarityItems } from '../catalog/similar.js';
import { coreOf, type RuleCore } from '../catalog/staged.js';
import { sha1 } from '../catalog/source-file.js';
import { type FolderListing, listingJson, storedListing } from '../catalog/walk.js';
import type { FileError, HistoryEntry } from '../model/types.js';
import { type BuildReport, type FileTiming, makeReport, type SyncSummary } from '../report/report.js';
import { insertPassKeys, StoredDictionary } from '../store/pass-keys.js';
import { type Packed, unpack } from '../store/codec.js';
import { RuleRows, TestRows } from '../store/rows.js';
import { indexes, pageSize, schema, schemaVersion } from '../store/schema.js';
import { corpusFields, type FileRow, stagedText } from '../store/writer.js';
import { type LightRow, previousDerived } from '../sync/analyse-changed.js';
import { fileKey, historyKey, HistoryLog, type RuleChanges, type SyncCounts, type SyncedSource } from '../sync/keys.js';
import { FileDates } from '../sync/file-dates.js';
import { type ChangedFile, readChanged, type Scan, scanSources } from '../sync/scan.js';
import { openDatabase } from '../store/open.js';
import {
  type CarriedHistory,
  clearForReplace,
  explainBusy,
  loadHistory,
  lockCatalog,
  readOldHistory,
  removeStaleTemps,
  resetSteps,
  untilDone,
  updatableSync,
  writerStep,
} from './catalog-file.js';

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
  /** Helper threads for a fresh write (default: RULEATLAS_THREADS). */
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

/** One rule row of the write: the pass's view of it and what the last pass left in its row. */
interface Row {
  rowid: number;
  /** Its id in the table right now ('' for a row this write adds). */
  id: string;
  rule: PassRule;
  /** Digest of what the last pass decided for it. */
  sha: string;
  /** Whether it was current (the newest of its copies), and its similar list, as the last pass left them (null: not known). */
  current: number;
  similar: Packed | null;
  /** Analysed by this write: its corpus-level part is always rewritten. */
  analysed?: boolean;
  /** Added by this write: its `rules` row is inserted once the pass has run. */
  added?: boolean;
  history?: HistoryEntry[];
}

function defaultFileBudgetMs(): number {
  const set = process.env.RULEATLAS_FILE_BUDGET_MS;
  const ms = Number(set);
  return set && Number.isFinite(ms) && ms >= 0 ? ms : 2000;
}

function timeFile(timing: FileTiming, path: string, millis: number): void {
  const ms = Math.round(millis);
  timing.analysed++;
  if (!timing.slowest || ms > timing.slowest.ms) timing.slowest = { path, ms };
  if (millis > timing.budgetMs) timing.over.push({ path, ms });
}

/**
 * From how many files to analyse a write deflates their texts on another thread (store/pack-thread.ts),
 * when RULEATLAS_DEFLATE_THREAD=1: starting the thread costs tens of milliseconds, which a one-file sync
 * would feel. Opt-in because the thread (its own Node environment) costs about 45 MB of peak RSS: the
 * shared corpus written four times over built in 80 s with 433 MB against 111 s with 381 MB without it,
 * over the 400 MB such a build is held to; the whole corpus, 20.5 s with it against about 20-21 s.
 */
function defaultDeflateElsewhereFrom(): number {
  return process.env.RULEATLAS_DEFLATE_THREAD === '1' ? 200 : Infinity;
}

/** Meta key of the regex expansions the last pass made (analysis/event-patterns RegexMemo). */
const regexMemoKey = 'regexExpansions';

function storedRegexMemo(db: Database.Database): Map<string, string[]> {
  const json = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(regexMemoKey) as string | undefined;
  return new Map(json ? (JSON.parse(json) as [string, string[]][]) : []);
}

/** A row's similar list as the last pass left it, as text: unpacked when first needed (most rows keep theirs untouched). */
function storedSimilar(row: Row): string {
  if (row.similar !== null && typeof row.similar !== 'string') row.similar = unpack(row.similar);
  return row.similar ?? '';
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
  const languages = fresh
    ? undefined
    : scan.changed.flatMap((f) => {
        const read = readChanged(f);
        return read ? (readRawText(taskOf(f), read)?.map((r) => r.language) ?? []) : [];
      });
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
      outcome = await applyChanges(db, { sources, scan, dropped, prepared, sync, fresh, versions, opts, files, errors, timing });
    }
    if (fresh && !outcome.live?.length)
      return {
        sync,
        counts,
        changes: outcome.changes,
        report: makeReport({ rules: [], errors, skipped: scan.skipped, files: 0, millis: 0 }),
        written: false,
      };
    const report = reportOf(db, outcome.live, errors, scan.skipped, started);
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

const taskOf = (f: ChangedFile): FileTask => ({ root: f.src.root!, path: f.path, sourceName: f.src.name });

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
function reportOf(
  db: Database.Database,
  live: PassRule[] | undefined,
  scanErrors: FileError[],
  scanSkipped: FileError[],
  started: number,
): BuildReport {
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
  if (live) return makeReport({ rules: live, errors, skipped, files, millis });
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

interface ChangeInput {
  sources: SyncedSource[];
  scan: Scan;
  dropped: string[];
  prepared?: { attack: AttackCatalog; attackPath?: string };
  sync: number;
  fresh: boolean;
  versions: AnalyserVersions;
  opts: WriteOptions;
  files: FileRows;
  errors: FileError[];
  /** Filled as files are analysed. */
  timing: FileTiming;
}

async function applyChanges(db: Database.Database, input: ChangeInput): Promise<{ changes: RuleChanges; live?: PassRule[] }> {
  const { scan, dropped, fresh, versions, files, errors } = input;
  const rowsOut = new RuleRows(db);
  const testRows = new TestRows(db);
  // Nothing of a fresh catalog's history is "changed": its rules are added, or were already known.
  const history = new HistoryLog(loadHistory(db), input.sync);
  const fileDates = new FileDates();
  const light = db
    .prepare(
      'SELECT rowid, id, native_id AS nativeId, platform, language, source_name AS sourceName, path, name, pass_sha AS sha, current FROM rules ORDER BY rowid',
    )
    .all() as LightRow[];
  const byFile = new Map<string, LightRow[]>();
  for (const row of light) {
    const key = fileKey(row.sourceName, row.path);
    const list = byFile.get(key);
    if (list) list.push(row);
    else byFile.set(key, [row]);
  }
  // Every rule as the pass sees it, from its stored pass input (not its core: a tenth of the size).
  const dict: Dictionary = fresh ? new MemoryDictionary() : new StoredDictionary(db);
  const inputs = fresh ? [] : rowsOut.storedPassInputs();
  const similars = db.prepare('SELECT rowid, similar FROM rule_pass ORDER BY rowid').raw().all() as [number, Packed | null][];
  const damaged = (list: [number, unknown][]) => list.length !== light.length || list.some(([rowid], i) => rowid !== light[i]!.rowid);
  if (damaged(inputs) || damaged(similars))
    throw new Error('catalog damaged: rules, pass inputs and rule_pass rows differ; build it again');
  const rows: Row[] = light.map((r, i) => ({
    rowid: r.rowid,
    id: r.id,
    sha: r.sha,
    current: r.current,
    similar: similars[i]![1],
    rule: passRuleFromStored(r, inputs[i]![1]),
  }));
  const rowOf = new Map(rows.map((r) => [r.rowid, r]));
  let nextRowid = (rows.at(-1)?.rowid ?? 0) + 1;
  // Whether the live rules can still be those of the last pass (see similarSince), and the rules whose similarity items changed.
  let sameLiveRules = !scan.deleted.length && !dropped.length;
  const itemsBefore = new Map<PassRule, PassRule>();
  // Every analysed rule that kept its row and was live, mapped to its rule before (see outcomeMayMove).
  const changedBefore = new Map<PassRule, PassRule>();
  // Whether every analysed rule kept its row, stays live and has the pre-pass core it had (see writeSamePass).
  let samePass = !fresh && !scan.deleted.length && !dropped.length;
  const storedCore = { get: (rowid: number) => rowsOut.storedCore(rowid) };
  const sameRows: { row: LightRow; key: string }[] = [];
  const removeAll = (old: LightRow[], src: Pick<SyncedSource, 'commit' | 'date'>) => {
    for (const row of old) {
      const key = historyKey(row);
      if (history.isLive(key)) history.record(key, 'removed', src);
    }
  };

  const onEach = (f: ChangedFile, { outcome, file, related, millis }: AnalysedFile) => {
    writerStep('file');
    const rules = outcome.kind === 'rules' ? outcome.rules : [];
    const where = `${f.src.name}/${f.path}`;
    timeFile(input.timing, where, millis);
    if (!file) {
      // Not read at all: the catalog keeps what it knew of it, and will try again.
      if (outcome.kind === 'error') errors.push({ ...outcome.error, path: where });
      return;
    }
    const reason =
      outcome.kind === 'error'
        ? outcome.error.reason
        : outcome.kind === 'skipped'
          ? outcome.skipped.reason
          : (outcome.problem?.reason ?? '');
    const format = outcome.kind === 'rules' ? outcome.format : undefined;
    const by = { format: rules[0]?.format ?? format, languages: rules.map((r) => r.language) };
    files.put({
      source: f.src.name,
      path: f.path,
      ...file,
      kind: outcome.kind,
      reason,
      related: JSON.stringify(related),
      analyser: analyserKey(by, versions),
    });
    testRows.replace(f.src.name, f.path, outcome.kind === 'rules' ? (outcome.tests ?? []) : []);
    const old = [...(byFile.get(fileKey(f.src.name, f.path)) ?? [])];
    const fileDate = fileDates.of(f.src, f.path, file.mtime);
    for (const rule of rules) {
      if (fileDate) rule.fileDate = fileDate;
      const key = historyKey(rule);
      const wasLive = history.isLive(key);
      if (!fresh || !wasLive) history.record(key, wasLive ? 'changed' : 'added', f.src);
      const core = coreOf(rule);
      const staged = stagedText(rule, core);
      // Detached from the file's text: strings a parser sliced out of it would keep the whole text alive.
      const passRule = JSON.parse(JSON.stringify(passRuleOf(core, dict))) as PassRule;
      const at = old.findIndex((r) => historyKey(r) === key);
      const before = at >= 0 ? old.splice(at, 1)[0] : undefined;
      if (before) {
        // The row this rule had (same key in the same file) is rewritten.
        if (samePass && wasLive && storedCore.get(before.rowid) === staged.core) sameRows.push({ row: before, key });
        else samePass = false;
        rowsOut.stage(before.rowid, before.id, core, staged, true);
        rowsOut.setPassInput(before.rowid, passInputJson(passRule));
        const row = rowOf.get(before.rowid)!;
        if (!wasLive) sameLiveRules = false;
        else {
          changedBefore.set(passRule, row.rule);
          if (similarityItems(row.rule) !== similarityItems(passRule)) itemsBefore.set(passRule, row.rule);
        }
        row.rule = passRule;
        row.analysed = true;
      } else {
        samePass = false;
        sameLiveRules = false;
        const rowid = nextRowid++;
        rowsOut.insertFileLevel(rowid, staged);
        rowsOut.setPassInput(rowid, passInputJson(passRule));
        rows.push({
          rowid,
          id: '',
          rule: passRule,
          sha: '',
          current: 0,
          similar: null,
          analysed: true,
          added: true,
        });
      }
    }
    // Rules the old version of the file had and the new one lacks are gone upstream.
    if (old.length) {
      samePass = false;
      sameLiveRules = false;
      removeAll(old, f.src);
    }
  };
  // A changed file's rules whose query inputs are as stored take the stored analysis of their query.
  const reuseOf = (f: ChangedFile): RuleContext['reuse'] | undefined => {
    const old = byFile.get(fileKey(f.src.name, f.path));
    if (!old?.length) return undefined;
    const previous = previousDerived(taskOf(f), old, (rowid) => rowsOut.storedText(rowid));
    return (raw) => previous.get(queryInputsKey(raw));
  };
  // Many files to analyse: their rules' texts are deflated on another thread meanwhile.
  if (scan.changed.length >= (input.opts.deflateElsewhereFrom ?? defaultDeflateElsewhereFrom())) rowsOut.deflateElsewhere();
  try {
    if (input.prepared) await analyse(scan.changed, input.prepared, fresh, input.opts, onEach, reuseOf);
    rowsOut.finishDeflating();
  } finally {
    rowsOut.stopDeflating();
  }

  const deleteFile = db.prepare('DELETE FROM files WHERE source = ? AND path = ?');
  const sourceOf = new Map(input.sources.map((s) => [s.name, s]));
  for (const d of scan.deleted) {
    deleteFile.run(d.source, d.path);
    testRows.replace(d.source, d.path, []);
    removeAll(byFile.get(fileKey(d.source, d.path)) ?? [], sourceOf.get(d.source)!);
  }
  // Sources dropped with --prune: their rules are removed, like those of deleted files, history kept.
  const now = { commit: '', date: new Date().toISOString() };
  for (const source of dropped) {
    removeAll(
      light.filter((r) => r.sourceName === source),
      now,
    );
    db.prepare('DELETE FROM files WHERE source = ?').run(source);
    testRows.deleteSource(source);
    db.prepare('DELETE FROM folders WHERE source = ?').run(source);
  }
  rowsOut.finishPassInputs();
  if (samePass) {
    writeSamePass(db, rowsOut, sameRows, history);
    return { changes: history.changes };
  }

  for (const row of rows) {
    row.history = history.byKey.get(historyKey(row.rule));
    row.rule.removed = row.history?.at(-1)?.change === 'removed' ? true : undefined;
  }
  const liveRows = rows.filter((r) => !r.rule.removed);
  const live = liveRows.map((r) => r.rule);
  /**
   * The similarity step reads, of every live rule, its items, id and whether it is current: when no
   * rule came or went and the ids just assigned keep every rule's id and currency, it ranks again
   * only the rules whose list can have changed; the others keep theirs, as text (names are taken
   * afresh when a row is rewritten).
   */
  let stable = false;
  const similarSince = () => {
    stable =
      sameLiveRules &&
      !liveRows.some(
        (r) => r.similar === null || r.rule.id !== r.id || Number(!r.rule.duplicates || r.rule.duplicates.newest) !== r.current,
      );
    return stable ? { before: itemsBefore } : undefined;
  };
  const regexMemo = { previous: fresh ? new Map<string, string[]>() : storedRegexMemo(db), next: new Map<string, string[]>() };
  const { ranked } = runPass(live, dict, { similarSince, mine: new Set(input.opts.mine), regexMemo });
  db.prepare('INSERT OR REPLACE INTO meta VALUES (?, ?)').run(regexMemoKey, JSON.stringify([...regexMemo.next]));
  const listKept = (row: Row) => ranked !== 'all' && !row.rule.removed && !ranked.has(row.rule);
  // Rules whose outcome cannot have moved keep their digest without computing it.
  const moved = stable && ranked !== 'all' ? outcomeMayMove(live, changedBefore, ranked) : 'all';
  // A removed rule keeps its file-level analysis, links nothing and never takes a current rule's id.
  const taken = new Set(live.map((c) => c.id));
  for (const { rule } of rows) {
    if (!rule.removed) continue;
    let id = `${rule.platform}:${rule.nativeId}`;
    if (taken.has(id)) id = `${id}@removed-${sha1(`${rule.sourceName}/${rule.path}`).slice(0, 8)}`;
    for (let n = 2; taken.has(id); n++) id = `${id.replace(/~\d+$/, '')}~${n}`;
    taken.add(id);
    rule.id = id;
  }

  // Rows to rewrite: analysed again, or the pass decided otherwise for them (similar list included),
  // or their history grew. Linked rules are stored by id alone (store/rows.ts linksById): a rule that
  // links one whose name or platform changed, or an id that now names another rule, keeps its bytes.
  const historyGrew = new Set(history.added.map((a) => a.key));
  // What the pass decided for a row: the digest of its signature, and its similar list as text
  // (undefined: the list it had is kept, and stays packed unless the row is rewritten).
  const decide = (row: Row) => ({
    sha: moved === 'all' || moved.has(row.rule) ? passDigest(passSignature(row.rule)) : row.sha,
    similar: listKept(row) ? undefined : similarJson(row.rule),
  });
  const listMoved = (row: Row, similar: string | undefined) => similar !== undefined && similar !== storedSimilar(row);
  // An analysed row is always rewritten: what the pass decided for it is worked out as it is written,
  // not held for every row at once (a build's every row).
  const rewrite = new Map<Row, ReturnType<typeof decide> | undefined>();
  for (const row of rows) {
    if (row.analysed) {
      rewrite.set(row, undefined);
      continue;
    }
    const decided = decide(row);
    if (decided.sha !== row.sha || listMoved(row, decided.similar) || historyGrew.has(historyKey(row.rule))) rewrite.set(row, decided);
  }
  writerStep('pass');
  // First out of each other's way (ids are unique), then each from its core and the pass.
  for (const row of rewrite.keys()) if (!row.added) rowsOut.park(row.rowid, row.id);
  let byId: Map<string, PassRule> | undefined;
  for (const [row, decided] of rewrite) {
    writerStep('row');
    const { sha, similar } = decided ?? decide(row);
    if (similar === undefined)
      row.rule.similar = similarFromJson(storedSimilar(row), (byId ??= new Map(live.map((rule) => [rule.id, rule]))));
    const core = JSON.parse(storedCore.get(row.rowid)!) as RuleCore;
    applyPass(core, row.rule, dict);
    core.history = row.history;
    core.removed = row.rule.removed;
    const list = row.rule.sameActionList && rowsOut.actionLists.id(row.rule.sameActionList);
    if (row.added) rowsOut.insert(row.rowid, core, corpusFields(core, list), sha, list);
    else rowsOut.setCorpus(row.rowid, core, corpusFields(core, list), sha, list);
    // setPassInput cleared an analysed row's list.
    if (row.analysed || listMoved(row, similar)) rowsOut.setSimilar(row.rowid, similar ?? storedSimilar(row));
    // Written: nothing reads the list again (other rows' lists name rules by id), and a build holds every rule's.
    row.rule.similar = undefined;
  }
  if (dict instanceof MemoryDictionary) {
    insertPassKeys(db, dict);
  } else rowsOut.actionLists.prune();
  writeHistory(db, history);
  return { changes: history.changes, live };
}

/**
 * Analyse the changed files in order, handing each over as soon as it is analysed. A fresh write
 * with helper threads shares the files with them (catalog/parallel.ts); otherwise the main thread
 * reads each, reusing the stored analysis of rules whose query inputs are unchanged (sync).
 */
async function analyse(
  changed: ChangedFile[],
  prepared: { attack: AttackCatalog; attackPath?: string },
  fresh: boolean,
  opts: WriteOptions,
  onEach: (f: ChangedFile, a: AnalysedFile) => void,
  reuseOf: (f: ChangedFile) => RuleContext['reuse'] | undefined,
): Promise<void> {
  const total = changed.length;
  const helpers = opts.helpers ?? defaultHelpers();
  if (fresh && helpers > 0) {
    await analyseFilesShared(
      changed.map(taskOf),
      prepared.attack,
      (done, a) => {
        onEach(changed[done - 1]!, a);
        opts.onProgress?.({ done, total });
      },
      { helpers, attackPath: prepared.attackPath },
    );
    return;
  }
  changed.forEach((f, i) => {
    onEach(f, analyseTask(taskOf(f), prepared.attack, f.read, f.read ? reuseOf(f) : undefined));
    opts.onProgress?.({ done: i + 1, total });
  });
}

/**
 * The rows of a write that leaves the corpus pass's input as it was (every analysed rule kept its
 * row, stays live and has the pre-pass core it had: an edit to a description or a comment):
 * file-level rows were written; the corpus-level fields are as the last pass left them, with the new history.
 */
function writeSamePass(db: Database.Database, rowsOut: RuleRows, same: { row: LightRow; key: string }[], history: HistoryLog): void {
  const corpusOf = db.prepare<[number], { corpus: Packed; list: number | null }>(
    'SELECT corpus, action_list AS list FROM rules WHERE rowid = ?',
  );
  for (const { row, key } of same) {
    const core = JSON.parse(rowsOut.storedCore(row.rowid)!) as RuleCore;
    const { corpus, list } = corpusOf.get(row.rowid)!;
    const stored = JSON.parse(`{${unpack(corpus).slice(1)}}`) as StoredCorpus;
    core.id = stored.id;
    // A number: the stored list it names (written back as it is).
    core.sameAction = typeof stored.sameAction === 'number' ? [] : stored.sameAction;
    core.duplicates = stored.duplicates;
    if (stored.events) core.events = stored.events;
    core.indicators.forEach((ind, i) => {
      ind.corpusCount = stored.corpusCounts[i] ?? 0;
      if (ind.canonical) ind.canonical.corpusCount = stored.canonicalCounts[i] ?? 0;
    });
    core.similar = stored.similar;
    core.history = history.byKey.get(key);
    rowsOut.park(row.rowid, row.id);
    // What the pass decided is as it was: so is its digest.
    rowsOut.setCorpus(row.rowid, core, corpusFields(core, list ?? undefined), row.sha, list ?? undefined);
  }
  writeHistory(db, history);
}

/** Corpus-level fields as corpusFields writes them. */
interface StoredCorpus {
  id: string;
  sameAction: RuleCore['sameAction'] | number;
  duplicates?: RuleCore['duplicates'];
  events?: RuleCore['events'];
  corpusCounts: number[];
  canonicalCounts: (number | null)[];
  similar?: RuleCore['similar'];
}

function writeHistory(db: Database.Database, history: HistoryLog): void {
  const insertHistory = db.prepare('INSERT INTO history (key, change, git_commit, date, sync) VALUES (?,?,?,?,?)');
  for (const { key, entry } of history.added) insertHistory.run(key, entry.change, entry.commit, entry.date, entry.sync);
}
