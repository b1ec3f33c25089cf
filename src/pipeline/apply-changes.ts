// The part of the one write path (write.ts) that runs when files are analysed or rules go: analyse
// the changed files, write their file-level rows, run the corpus pass over every rule's pass input,
// and rewrite the rows whose pass outcome changed. A module of its own, loaded by write.ts only then:
// with it come the formats, the languages and providers, the pass and the row writer.
import type Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { queryInputsKey, type RuleContext } from '../analysis/analyse-rule.js';
import { analyserKey, type AnalyserVersions } from '../analysis/versions.js';
import type { AttackCatalog } from '../attack/catalog.js';
import { type AnalysedFile, analyseTask, type FileTask, readRawText } from '../catalog/analyse-files.js';
import { outcomeMayMove, runPass } from '../catalog/corpus-pass.js';
import { analyseFilesShared, HELPER_MAX_BYTES, type ThreadPlan, threadPlan } from '../catalog/parallel.js';
import {
  applyPass,
  type Dictionary,
  MemoryDictionary,
  type PassColumns,
  passColumnsOf,
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
import { RealFolders, sha1 } from '../catalog/source-file.js';
import type { FileDate, FileError, HistoryEntry, Rule } from '../model/types.js';
import type { FileTiming } from '../report/report.js';
import { insertPassKeys, StoredDictionary } from '../store/pass-keys.js';
import { FAST_LEVEL, pack, type Packed, unpack } from '../store/codec.js';
import { RuleRows, type StagedText, TestRows } from '../store/rows.js';
import { corpusFields, type FileRow, stagedText } from '../store/writer.js';
import { type LightRow, previousDerived } from '../sync/analyse-changed.js';
import { fileKey, historyKey, HistoryLog, type RuleChanges, type SyncedSource } from '../sync/keys.js';
import { FileDates } from '../sync/file-dates.js';
import { type ChangedFile, readChanged, type Scan } from '../sync/scan.js';
import { loadHistory, writerStep } from './catalog-file.js';
import type { WriteOptions } from './write.js';
import { releaseYoungGeneration } from './young-generation.js';

const taskOf = (f: ChangedFile): FileTask => ({ root: f.src.root!, path: f.path, sourceName: f.src.name });

/** The languages of the changed files' rules (read for it), so that a sync loads only those. */
export function languagesOf(changed: ChangedFile[]): string[] {
  return changed.flatMap((f) => {
    const read = readChanged(f);
    return read ? (readRawText(taskOf(f), read)?.map((r) => r.language) ?? []) : [];
  });
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
  /**
   * Its pre-pass core as JSON, kept from its analysis (see CORE_MEMO_CHARS) instead of read back from its
   * row; a core over CORE_MEMO_MAX_CHARS, deflated on its own.
   */
  coreText?: Packed;
  /** Added by this write: its `rules` row is inserted once the pass has run. */
  added?: boolean;
  history?: HistoryEntry[];
}

/** An analysed rule's history key, core and texts: all a write keeps of it (the rule itself is let go). */
function stageRule(rule: Rule, fileDate: FileDate | undefined): { key: string; core: RuleCore; staged: StagedText } {
  if (fileDate) rule.fileDate = fileDate;
  const core = coreOf(rule);
  return { key: historyKey(rule), core, staged: stagedText(rule, core) };
}

/**
 * A rule's pass input and pass view, made once its texts are written: detached from the file's text
 * (strings a parser sliced out of it would keep the whole text alive), made as a stored rule's is,
 * from its pass input and columns as JSON (the input is written anyway).
 */
function passViewOf(core: RuleCore, dict: Dictionary): { passInput: string; passRule: PassRule } {
  const passInput = passInputJson(passRuleOf(core, dict));
  return { passInput, passRule: passRuleFromStored(JSON.parse(JSON.stringify(passColumnsOf(core))) as PassColumns, passInput) };
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

/**
 * How many characters of pre-pass cores a fresh write of up to HELPER_MAX_BYTES of files keeps in
 * memory for the rewrite after the pass, instead of reading each back from its row (its JSON inflated
 * against its file, then its core against its JSON). The shared corpus's cores take 39 MB; a write
 * above HELPER_MAX_BYTES (the four-copy corpus, held to 400 MB of peak RSS) keeps none.
 */
const CORE_MEMO_CHARS = 48 * 2 ** 20;

/**
 * A core longer than this is kept deflated on its own (a list of 80,000 values: a 15 MB core, 1 MB
 * deflated at FAST_LEVEL): kept as text, it stayed on the heap through the corpus pass, when the write's
 * heap is at its largest; read back from its row, it came with its rule's 30 MB JSON inflated as its
 * dictionary. The shared corpus's largest core is 1.1 M characters.
 */
const CORE_MEMO_MAX_CHARS = 4 * 2 ** 20;

/** Meta key of the pattern expansions the last pass made (analysis/event-patterns ExpansionMemo), with the analysis code that made them. */
const expansionMemoKey = 'patternExpansions';
/** Where an older ruleatlas kept its regex expansions alone (dropped when the new memo is written). */
const regexMemoKey = 'regexExpansions';

interface StoredExpansions {
  code: string;
  entries: [string, string[]][];
}

/** The last pass's expansions, when the analysis code that made them is the running one (matching is part of it). */
function storedExpansions(db: Database.Database, code: string): Map<string, string[]> {
  const json = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(expansionMemoKey) as string | undefined;
  const stored = json ? (JSON.parse(json) as StoredExpansions) : undefined;
  return new Map(stored?.code === code ? stored.entries : []);
}

/** A row's similar list as the last pass left it, as text: unpacked when first needed (most rows keep theirs untouched). */
function storedSimilar(row: Row): string {
  if (row.similar !== null && typeof row.similar !== 'string') row.similar = unpack(row.similar);
  return row.similar ?? '';
}

export interface ChangeInput {
  sources: SyncedSource[];
  scan: Scan;
  dropped: string[];
  prepared?: { attack: AttackCatalog; attackPath?: string };
  sync: number;
  fresh: boolean;
  versions: AnalyserVersions;
  opts: WriteOptions;
  /** The `files` rows of the write. */
  files: { put(f: FileRow): void };
  errors: FileError[];
  /** Filled as files are analysed. */
  timing: FileTiming;
}

export async function applyChanges(db: Database.Database, input: ChangeInput): Promise<{ changes: RuleChanges; live?: PassRule[] }> {
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
  // The bytes of a fresh write's files, counted up to just past HELPER_MAX_BYTES (threadPlan, coreMemo).
  const freshBytes = fresh ? bytesOf(scan.changed) : Infinity;
  let coreMemo = freshBytes <= HELPER_MAX_BYTES ? CORE_MEMO_CHARS : 0;
  // Held small for memory until now (pipeline/young-generation.ts): a write this size can afford V8's semi-spaces.
  if (freshBytes <= HELPER_MAX_BYTES) releaseYoungGeneration();
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
    // Taken out of the analysed file, and each let go once its texts are made: a rule listing 80,000
    // values is 55 MB of heap, on top of which came its row's bytes and its pass keys.
    const pending: (Rule | undefined)[] = rules.splice(0);
    for (let i = 0; i < pending.length; i++) {
      const { key, core, staged } = stageRule(pending[i]!, fileDate);
      pending[i] = undefined;
      const wasLive = history.isLive(key);
      if (!fresh || !wasLive) history.record(key, wasLive ? 'changed' : 'added', f.src);
      const coreJson = staged.core;
      const at = old.findIndex((r) => historyKey(r) === key);
      const before = at >= 0 ? old.splice(at, 1)[0] : undefined;
      if (before) {
        // The row this rule had (same key in the same file) is rewritten.
        if (samePass && wasLive && storedCore.get(before.rowid) === coreJson) sameRows.push({ row: before, key });
        else samePass = false;
        rowsOut.stage(before.rowid, before.id, core, staged, true);
        const { passInput, passRule } = passViewOf(core, dict);
        rowsOut.setPassInput(before.rowid, passInput);
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
        const { passInput, passRule } = passViewOf(core, dict);
        rowsOut.setPassInput(rowid, passInput);
        const keep = coreJson.length <= Math.min(coreMemo, CORE_MEMO_MAX_CHARS);
        if (keep) coreMemo -= coreJson.length;
        const deflated = coreJson.length > CORE_MEMO_MAX_CHARS ? pack(coreJson, undefined, undefined, FAST_LEVEL) : undefined;
        rows.push({
          rowid,
          id: '',
          rule: passRule,
          sha: '',
          current: 0,
          similar: null,
          analysed: true,
          added: true,
          coreText: keep ? coreJson : deflated,
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
    if (input.prepared) await analyse(scan.changed, input.prepared, fresh && freshBytes, input.opts, onEach, reuseOf);
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
  const expansionMemo = {
    previous: fresh ? new Map<string, string[]>() : storedExpansions(db, versions.common),
    next: new Map<string, string[]>(),
  };
  const { ranked } = runPass(live, dict, { similarSince, mine: new Set(input.opts.mine), expansionMemo });
  const stored: StoredExpansions = { code: versions.common, entries: [...expansionMemo.next] };
  db.prepare('INSERT OR REPLACE INTO meta VALUES (?, ?)').run(expansionMemoKey, JSON.stringify(stored));
  db.prepare('DELETE FROM meta WHERE key = ?').run(regexMemoKey);
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
    const core = JSON.parse(row.coreText === undefined ? storedCore.get(row.rowid)! : unpack(row.coreText)) as RuleCore;
    row.coreText = undefined;
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
  /** A fresh write: the bytes of its files, as bytesOf counts them (false: a write over a catalog). */
  fresh: number | false,
  opts: WriteOptions,
  onEach: (f: ChangedFile, a: AnalysedFile) => void,
  reuseOf: (f: ChangedFile) => RuleContext['reuse'] | undefined,
): Promise<void> {
  const total = changed.length;
  // Only a fresh write shares its files: a sync reuses stored analyses, which the helpers do not have.
  let plan: ThreadPlan = { helpers: 0 };
  if (fresh !== false) plan = opts.helpers === undefined ? threadPlan(fresh) : { helpers: opts.helpers };
  if (plan.helpers > 0) {
    await analyseFilesShared(
      changed.map(taskOf),
      prepared.attack,
      (done, a) => {
        onEach(changed[done - 1]!, a);
        opts.onProgress?.({ done, total });
      },
      { ...plan, attackPath: prepared.attackPath },
    );
    return;
  }
  const folders = new RealFolders();
  changed.forEach((f, i) => {
    onEach(f, analyseTask(taskOf(f), prepared.attack, f.read, f.read ? reuseOf(f) : undefined, folders));
    opts.onProgress?.({ done: i + 1, total });
  });
}

/** A file's size; one that cannot be stat'ed counts none (its analysis reports why). */
function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** The bytes of the files to analyse, counted up to just past HELPER_MAX_BYTES: all threadPlan needs. */
function bytesOf(changed: ChangedFile[]): number {
  let bytes = 0;
  for (const f of changed) {
    if (bytes > HELPER_MAX_BYTES) break;
    if (f.read) bytes += f.read.size;
    else if (f.src.root) bytes += sizeOf(join(f.src.root, f.path));
  }
  return bytes;
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
