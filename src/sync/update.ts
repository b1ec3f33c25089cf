// A sync over an existing catalog, in place and in one transaction (a crash leaves the catalog as
// it was): only changed files are read and analysed; the corpus pass runs again over every rule's
// stored pass input (catalog/pass.ts: interned keys, not the rule's core), and only rows whose
// corpus-level fields changed are read and rewritten, with their index and full-text rows. An
// unchanged sync reads no rule at all.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import type { AttackCatalog } from '../attack/catalog.js';
import { readRawText } from '../catalog/analyse-files.js';
import { outcomeMayMove, runPass } from '../catalog/corpus-pass.js';
import { applyPass, passDigest, type PassRule, passInputJson, passRuleFromStored, passRuleOf, passSignature, similarFromJson, similarJson } from '../catalog/pass.js';
import { similarityItems } from '../catalog/similar.js';
import type { RuleCore } from '../catalog/staged.js';
import type { FolderListing } from '../catalog/walk.js';
import type { FileError, HistoryEntry } from '../model/types.js';
import { type BuildReport, makeReport, type SyncSummary } from '../report/report.js';
import { StoredDictionary } from '../store/pass-keys.js';
import { placeholderId, RuleRows } from '../store/rows.js';
import { schemaVersion } from '../store/schema.js';
import { corpusFields, type FileRow } from '../store/writer.js';
import { fileKey, historyKey, HistoryLog, type RuleChanges, type SyncCounts, type SyncedSource } from './keys.js';
import { analyseChanged, type LightRow, type Plan } from './analyse-changed.js';
import { type Scan, scanSources, sha1 } from './scan.js';

export interface SyncWrite {
  counts: SyncCounts;
  changes: RuleChanges;
  report: BuildReport;
}

export interface UpdateOptions {
  sync: number;
  /** ATT&CK and the set-up of these languages, loaded only when some file has to be analysed. */
  prepare: (languages: string[]) => Promise<AttackCatalog>;
  summary: (counts: SyncCounts, changes: RuleChanges) => SyncSummary;
  /** Names of the sources marked as the user's own (meta `mine`). */
  mine: string[];
  onProgress?: (p: { done: number; total: number }) => void;
}

/** One rule row as loaded: the pass's view of it, made from its stored pass input. */
interface Row {
  rowid: number;
  /** Its id, name and platform in the table right now. */
  id: string;
  name: string;
  platform: string;
  rule: PassRule;
  /** Digest of what the last pass decided for it. */
  sha: string;
  /** Whether it was current (the newest of its copies), and its similar list, as the last pass left them (null: not known). */
  current: number;
  similar: string | null;
  /** Its core as analysed by this sync (its file changed): its corpus-level part is always rewritten. */
  core?: RuleCore;
  history?: HistoryEntry[];
  dropped?: boolean;
}

/** The last sync number of the catalog at `path` when it can be updated in place (written by this schema), else undefined. */
export function updatableSync(path: string): number | undefined {
  if (!existsSync(path)) return undefined;
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const meta = db.prepare('SELECT value FROM meta WHERE key = ?').pluck();
    if (meta.get('schemaVersion') !== String(schemaVersion)) return undefined;
    return Number(meta.get('lastSync') ?? '0');
  } catch {
    return undefined;
  } finally {
    db?.close();
  }
}

export async function updateInPlace(path: string, sources: SyncedSource[], opts: UpdateOptions): Promise<SyncWrite> {
  const started = performance.now();
  const db = new Database(path, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    const known = new Map<string, FileRow>();
    for (const row of db.prepare('SELECT source, path, sha1, size, mtime, kind, reason FROM files').all() as FileRow[]) known.set(fileKey(row.source, row.path), row);
    const folders = new Map<string, Map<string, FolderListing>>();
    for (const f of db.prepare('SELECT source, path, mtime, entries FROM folders').all() as { source: string; path: string; mtime: number; entries: string }[]) {
      let listed = folders.get(f.source);
      if (!listed) folders.set(f.source, (listed = new Map()));
      listed.set(f.path, { mtime: f.mtime, entries: JSON.parse(f.entries) as string[] });
    }
    const scan = scanSources(sources, known, folders);
    const configured = new Set(sources.map((s) => s.name));
    const dropped = (db.prepare('SELECT DISTINCT source_name FROM rules UNION SELECT DISTINCT source FROM files').pluck().all() as string[]).filter((n) => !configured.has(n));
    const counts: SyncCounts = { analysed: scan.changed.length, reused: scan.unchanged, removed: scan.deleted.length };
    // The languages the changed files' rules are in (their formats read them without analysis).
    const languages = scan.changed.flatMap((f) => readRawText({ root: f.src.root!, path: f.path, sourceName: f.src.name }, f.text)?.map((raw) => raw.language) ?? []);
    const attack = scan.changed.length ? await opts.prepare(languages) : undefined;

    const upsertFile = db.prepare('INSERT OR REPLACE INTO files (source, path, sha1, size, mtime, kind, reason) VALUES (?,?,?,?,?,?,?)');
    const putFile = (f: FileRow) => upsertFile.run(f.source, f.path, f.sha1, f.size, f.mtime, f.kind, f.reason);
    const setMeta = db.prepare('INSERT OR REPLACE INTO meta VALUES (?, ?)');
    let report: BuildReport;
    let changes: RuleChanges = { added: 0, changed: 0, removed: 0 };

    db.exec('BEGIN IMMEDIATE');
    try {
      for (const f of scan.touched) putFile(f);
      writeFolders(db, folders, scan.folders);
      if (!attack && !scan.deleted.length && !dropped.length) {
        // Nothing to analyse or remove: the rules, and so the report's counts, are as they were.
        report = { ...previousReport(db), builtAt: new Date().toISOString(), millis: performance.now() - started, sync: opts.summary(counts, changes) };
      } else {
        const result = applyChanges(db, sources, scan, dropped, attack, opts);
        changes = result.changes;
        for (const f of result.files) putFile(f);
        const errors: FileError[] = [...scan.errors];
        const skipped: FileError[] = [];
        for (const f of db.prepare("SELECT source, path, kind, reason FROM files WHERE kind != 'rules' ORDER BY source, path").all() as FileRow[]) {
          (f.kind === 'error' ? errors : skipped).push({ path: `${f.source}/${f.path}`, reason: f.reason });
        }
        const files = db.prepare('SELECT count(*) FROM files').pluck().get() as number;
        const millis = performance.now() - started;
        // Without `live`, every rule's core and corpus-level fields are as the last sync left them, and so are the report's rule counts.
        report = result.live
          ? { ...makeReport({ rules: result.live, errors, skipped, files, millis }), sync: opts.summary(counts, changes) }
          : { ...previousReport(db), builtAt: new Date().toISOString(), millis: Math.round(millis), files, errors, skipped, sync: opts.summary(counts, changes) };
      }
      setMeta.run('lastSync', String(opts.sync));
      setMeta.run('mine', JSON.stringify(opts.mine));
      setMeta.run('report', JSON.stringify(report));
      db.exec('COMMIT');
    } catch (err) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw err;
    }
    return { counts, changes, report };
  } finally {
    db.close();
  }
}

/** The folder listings of the sources scanned, where they differ from the stored ones. */
function writeFolders(db: Database.Database, before: ReadonlyMap<string, ReadonlyMap<string, FolderListing>>, now: ReadonlyMap<string, ReadonlyMap<string, FolderListing>>): void {
  const put = db.prepare('INSERT OR REPLACE INTO folders (source, path, mtime, entries) VALUES (?,?,?,?)');
  const drop = db.prepare('DELETE FROM folders WHERE source = ? AND path = ?');
  for (const [source, listed] of now) {
    const old = before.get(source);
    for (const [path, listing] of listed) if (old?.get(path) !== listing) put.run(source, path, listing.mtime, JSON.stringify(listing.entries));
    for (const path of old?.keys() ?? []) if (!listed.has(path)) drop.run(source, path);
  }
}

const previousReport = (db: Database.Database) =>
  JSON.parse((db.prepare("SELECT value FROM meta WHERE key = 'report'").pluck().get() as string | undefined) ?? '{}') as BuildReport;

function applyChanges(
  db: Database.Database,
  sources: SyncedSource[],
  scan: Scan,
  dropped: string[],
  attack: AttackCatalog | undefined,
  opts: UpdateOptions,
): { changes: RuleChanges; live?: PassRule[]; files: FileRow[] } {
  const rowsOut = new RuleRows(db);
  const history = new HistoryLog(loadHistory(db), opts.sync);
  const light = db
    .prepare('SELECT rowid, id, native_id AS nativeId, platform, language, source_name AS sourceName, path, name, pass_sha AS sha, current FROM rules ORDER BY rowid')
    .all() as LightRow[];
  const byFile = new Map<string, LightRow[]>();
  for (const row of light) {
    const key = fileKey(row.sourceName, row.path);
    const list = byFile.get(key);
    if (list) list.push(row);
    else byFile.set(key, [row]);
  }
  const plan: Plan = attack ? analyseChanged(db, scan, byFile, attack, opts.onProgress) : { changed: [], files: [] };
  if (!scan.deleted.length && !dropped.length && samePassInput(db, plan, history)) {
    writeSamePass(db, rowsOut, plan, history);
    return { changes: history.changes, files: plan.files };
  }

  // Every rule as the pass sees it, from its stored pass input (not its core: a tenth of the size).
  const dict = new StoredDictionary(db);
  const inputs = db.prepare('SELECT rowid, input, similar FROM rule_pass ORDER BY rowid').raw().all() as [number, string, string | null][];
  if (inputs.length !== light.length || inputs.some(([rowid], i) => rowid !== light[i]!.rowid)) throw new Error('catalog damaged: rules and rule_pass rows differ; build it again');
  const rows: Row[] = light.map((r, i) => ({
    rowid: r.rowid, id: r.id, name: r.name, platform: r.platform, sha: r.sha, current: r.current, similar: inputs[i]![2], rule: passRuleFromStored(r, inputs[i]![1]),
  }));
  // Whether the live rules can still be those of the last pass (see similarSince), and the rules whose similarity items changed.
  let sameLiveRules = !scan.deleted.length && !dropped.length;
  const itemsBefore = new Map<PassRule, PassRule>();
  // Every analysed rule that kept its row and was live, mapped to its rule before (see outcomeMayMove).
  const changedBefore = new Map<PassRule, PassRule>();
  const rowOf = new Map(rows.map((r) => [r.rowid, r]));
  let nextRowid = (rows.at(-1)?.rowid ?? 0) + 1;
  const removeAll = (old: LightRow[], src: Pick<SyncedSource, 'commit' | 'date'>) => {
    for (const row of old) {
      const key = historyKey(row);
      if (history.isLive(key)) history.record(key, 'removed', src);
    }
  };

  plan.changed.forEach(({ rules, gone }, i) => {
    if (gone.length) sameLiveRules = false;
    for (const a of rules) {
      const wasLive = history.isLive(a.key);
      history.record(a.key, wasLive ? 'changed' : 'added', a.f.src);
      const core = JSON.parse(a.s.core) as RuleCore;
      const rule = passRuleOf(core, dict);
      // The row this rule had (same key in the same file) is rewritten; a new rule gets a new row.
      if (a.row) {
        rowsOut.stage(a.row.rowid, a.row.id, core, a.s, true);
        rowsOut.setPassInput(a.row.rowid, passInputJson(rule));
        const row = rowOf.get(a.row.rowid)!;
        if (!wasLive) sameLiveRules = false;
        else {
          changedBefore.set(rule, row.rule);
          if (similarityItems(row.rule) !== similarityItems(rule)) itemsBefore.set(rule, row.rule);
        }
        Object.assign(row, { rule, core });
      } else {
        sameLiveRules = false;
        const rowid = nextRowid++;
        rowsOut.stage(rowid, placeholderId(rowid), core, a.s, false);
        rowsOut.setPassInput(rowid, passInputJson(rule));
        rows.push({ rowid, id: placeholderId(rowid), name: '', platform: '', rule, core, sha: '', current: 0, similar: null });
      }
    }
    // Rules the old version of the file had and the new one lacks are gone upstream.
    removeAll(gone, scan.changed[i]!.src);
  });

  const deleteFile = db.prepare('DELETE FROM files WHERE source = ? AND path = ?');
  const sourceOf = new Map(sources.map((s) => [s.name, s]));
  for (const d of scan.deleted) {
    deleteFile.run(d.source, d.path);
    removeAll(byFile.get(fileKey(d.source, d.path)) ?? [], sourceOf.get(d.source)!);
  }
  // Sources no longer configured leave the catalog (their history stays, should they come back).
  const droppedSet = new Set(dropped);
  for (const row of rows) if (droppedSet.has(row.rule.sourceName)) row.dropped = true;
  db.prepare(`DELETE FROM files WHERE source IN (${dropped.map(() => '?').join(',') || "''"})`).run(...dropped);
  db.prepare(`DELETE FROM folders WHERE source IN (${dropped.map(() => '?').join(',') || "''"})`).run(...dropped);

  const kept = rows.filter((r) => !r.dropped);
  for (const row of kept) {
    row.history = history.byKey.get(historyKey(row.rule));
    row.rule.removed = row.history?.at(-1)?.change === 'removed' ? true : undefined;
  }
  const liveRows = kept.filter((r) => !r.rule.removed);
  const live = liveRows.map((r) => r.rule);
  /**
   * The similarity step reads, of every live rule, its items, id and whether it is current: when no
   * rule came or went and the ids just assigned keep every rule's id and currency, it ranks again
   * only the rules whose list can have changed; the others keep theirs, as text (names are taken
   * afresh when a row is rewritten).
   */
  let stable = false;
  const similarSince = () => {
    stable = sameLiveRules && !liveRows.some((r) => r.similar === null || r.rule.id !== r.id || Number(!r.rule.duplicates || r.rule.duplicates.newest) !== r.current);
    return stable ? { before: itemsBefore } : undefined;
  };
  const { ranked } = runPass(live, dict, { similarSince });
  const listKept = (row: Row) => ranked !== 'all' && !row.rule.removed && !ranked.has(row.rule);
  // Rules whose outcome cannot have moved keep their digest without computing it.
  const moved = stable && ranked !== 'all' ? outcomeMayMove(live, changedBefore, ranked) : 'all';
  // A removed rule keeps its file-level analysis, links nothing and never takes a current rule's id.
  const taken = new Set(live.map((c) => c.id));
  for (const { rule } of kept) {
    if (!rule.removed) continue;
    let id = `${rule.platform}:${rule.nativeId}`;
    if (taken.has(id)) id = `${id}@removed-${sha1(`${rule.sourceName}/${rule.path}`).slice(0, 8)}`;
    for (let n = 2; taken.has(id); n++) id = `${id.replace(/~\d+$/, '')}~${n}`;
    taken.add(id);
    rule.id = id;
  }

  // Rows to rewrite: analysed again, or the pass decided otherwise for them (similar list included),
  // or their history grew, or they list a rule whose name or platform changed.
  const historyGrew = new Set(history.added.map((a) => a.key));
  const similarOf = (row: Row) => (listKept(row) ? row.similar! : similarJson(row.rule));
  const relabelled = kept.filter((r) => r.core && (r.name !== r.rule.name || r.platform !== r.rule.platform)).map((r) => r.rule.id);
  const relabelledSet = new Set(relabelled);
  // A kept similar list is text: a renamed rule's id is looked for as a JSON string in it.
  const quoted = relabelled.map((id) => JSON.stringify(id));
  const lists = (row: Row, similar: string) => row.rule.sameAction.some((s) => relabelledSet.has(s.id)) || quoted.some((q) => similar.includes(q));
  const rewrite = new Map<Row, { sha: string; similar: string }>();
  for (const row of kept) {
    const sha = moved === 'all' || moved.has(row.rule) ? passDigest(passSignature(row.rule)) : row.sha;
    const similar = similarOf(row);
    if (row.core || sha !== row.sha || similar !== row.similar || historyGrew.has(historyKey(row.rule)) || (quoted.length && lists(row, similar))) rewrite.set(row, { sha, similar });
  }
  // First out of each other's way (ids are unique), then each from its core and the pass.
  for (const row of rows) if (row.dropped) rowsOut.delete(row.rowid, row.id);
  for (const row of rewrite.keys()) rowsOut.park(row.rowid, row.id);
  let byId: Map<string, PassRule> | undefined;
  for (const [row, { sha, similar }] of rewrite) {
    if (listKept(row)) row.rule.similar = similarFromJson(similar, (byId ??= new Map(live.map((rule) => [rule.id, rule]))));
    const core = row.core ?? (JSON.parse(rowsOut.storedCore(row.rowid)!) as RuleCore);
    applyPass(core, row.rule, dict);
    core.history = row.history;
    core.removed = row.rule.removed;
    rowsOut.setCorpus(row.rowid, core, corpusFields(core), sha);
    // setPassInput cleared an analysed row's list.
    if (row.core || similar !== row.similar) rowsOut.setSimilar(row.rowid, similar);
  }
  writeHistory(db, history);
  return { changes: history.changes, live, files: plan.files };
}

/**
 * True when the corpus pass would see exactly what it saw last time: every rule of the changed
 * files kept its row and its pre-pass core, and stays live. Every rule's corpus-level fields are
 * then as stored, and no other rule needs loading (an edit to a rule's description or comments).
 */
function samePassInput(db: Database.Database, plan: Plan, history: HistoryLog): boolean {
  const rules = plan.changed.flatMap((c) => c.rules);
  if (plan.changed.some((c) => c.gone.length) || rules.some((a) => !a.row || !history.isLive(a.key))) return false;
  const rows = new RuleRows(db);
  return rules.every((a) => rows.storedCore(a.row!.rowid) === a.s.core);
}

/** The rows of a sync that leaves the corpus pass's input as it was: file-level rows, and history in the corpus-level fields. */
function writeSamePass(db: Database.Database, rowsOut: RuleRows, plan: Plan, history: HistoryLog): void {
  const corpusOf = db.prepare<[number], string>('SELECT corpus FROM rules WHERE rowid = ?').pluck();
  for (const a of plan.changed.flatMap((c) => c.rules)) {
    const row = a.row!;
    history.record(a.key, 'changed', a.f.src);
    const core = JSON.parse(a.s.core) as RuleCore;
    rowsOut.stage(row.rowid, row.id, core, a.s, true);
    // The corpus-level fields as the last pass left them (as a reader restores them), with the new history.
    const stored = JSON.parse(`{${corpusOf.get(row.rowid)!.slice(1)}}`) as StoredCorpus;
    core.id = stored.id;
    core.sameAction = stored.sameAction;
    core.duplicates = stored.duplicates;
    if (stored.events) core.events = stored.events;
    core.indicators.forEach((ind, i) => {
      ind.corpusCount = stored.corpusCounts[i] ?? 0;
      if (ind.canonical) ind.canonical.corpusCount = stored.canonicalCounts[i] ?? 0;
    });
    core.similar = stored.similar;
    core.history = history.byKey.get(a.key);
    rowsOut.park(row.rowid, row.id);
    // What the pass decided is as it was: so is its digest.
    rowsOut.setCorpus(row.rowid, core, corpusFields(core), row.sha);
  }
  writeHistory(db, history);
}

/** Corpus-level fields as corpusFields writes them. */
interface StoredCorpus {
  id: string;
  sameAction: RuleCore['sameAction'];
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

export function loadHistory(db: Database.Database): Map<string, HistoryEntry[]> {
  const rows = db.prepare('SELECT key, change, git_commit AS "commit", date, sync FROM history ORDER BY rowid').all() as (HistoryEntry & { key: string })[];
  const out = new Map<string, HistoryEntry[]>();
  for (const { key, ...entry } of rows) {
    const list = out.get(key);
    if (list) list.push(entry);
    else out.set(key, [entry]);
  }
  return out;
}
