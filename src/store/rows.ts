// The rows one rule has in a catalog (rules, its index tables, full-text), written the same way by
// the full write (CatalogWriter) and by sync's in-place update (sync/update.ts). File-level rows
// (rule_text, bodies, rule_core, full-text) are written when a rule is analysed; its `rules` row after the corpus pass.
// The big texts are stored deflated (store/codec.ts): read them back with storedText and storedCore.
import type Database from 'better-sqlite3';
import { hash } from 'node:crypto';
import type { RuleCore } from '../catalog/staged.js';
import type { StoredPythonRun, StoredTest } from '../evaluate/stored-tests.js';
import { ActionLists } from './action-lists.js';
import { deflateBytes, FAST_LEVEL, pack, type Packed, unpack, unpackBytes } from './codec.js';
import { PackThread, type PackResult } from './pack-thread.js';
import { PassInputs } from './pass-inputs.js';

/** A rule's file-level text: its JSON without corpus-level fields, its file, its search text, its core before the corpus pass. */
export interface StagedText {
  /** As UTF-8 (store/json-bytes.ts): it is deflated, and is its core's dictionary, as bytes. */
  json: Buffer;
  body: string;
  /** JSON of the rule's core as analysed, before the corpus pass decides its corpus-level fields. */
  core: string;
  name: string;
  description: string;
  query: string;
  fields: string;
  vals: string;
  tags: string;
}

/**
 * Corpus-level fields as stored: the rules a rule links (sameAction, similar) by id alone, without
 * their names and platforms, which a reader takes from the rules it holds (store/read.ts): 12 of the
 * 28 MB these fragments take over the shared corpus. A sync reads and writes the fragment back as it is.
 */
export function linksById(fragment: string): string {
  if (!fragment.includes('"name":')) return fragment;
  const fields = JSON.parse(`{${fragment.slice(1)}}`) as {
    sameAction?: { id: string }[] | number;
    similar?: { id: string; score: number; shared: string[] }[];
  };
  // A number: a stored list's, ids already (store/action-lists.ts).
  if (Array.isArray(fields.sameAction)) fields.sameAction = fields.sameAction.map(({ id }) => ({ id }));
  if (fields.similar) fields.similar = fields.similar.map(({ id, score, shared }) => ({ id, score, shared }));
  return `,${JSON.stringify(fields).slice(1, -1)}`;
}

/** A rule's full-text row: name, description, query, fields, values, tags (the columns of rules_fts). */
type SearchValues = [string, string, string, string, string, string];
const searchValues = (s: StagedText): SearchValues => [s.name, s.description, s.query, s.fields, s.vals, s.tags];

/**
 * A rule's `rule_core` value: its core and, after a newline (JSON.stringify writes none), its full-text
 * values, deflated together against its JSON: one deflate and one dictionary set-up a rule, not two.
 */
const coreValue = (s: StagedText) => `${s.core}\n${JSON.stringify(searchValues(s))}`;

/**
 * coreValue's bytes, written straight from its two parts: joined as one string first, a big rule's
 * core (15 MB of JSON for a list of 80,000 values) was copied into a flat string of its own on the heap.
 */
function coreValueBytes(s: StagedText): Buffer {
  const search = `\n${JSON.stringify(searchValues(s))}`;
  const coreBytes = Buffer.byteLength(s.core);
  const bytes = Buffer.allocUnsafe(coreBytes + Buffer.byteLength(search));
  bytes.write(s.core, 0);
  bytes.write(search, coreBytes);
  return bytes;
}
// Never short: a core's JSON alone is longer than what pack keeps as text.
const packCore = (s: StagedText, json: Buffer): Packed => deflateBytes(coreValueBytes(s), json, FAST_LEVEL);

/** A rule's JSON as `rule_text.json` stores it (against its file's text; never short). */
const packJson = (s: StagedText, body: Buffer): Packed => deflateBytes(s.json, body);

/** How many rules' texts may be in the deflating thread at once (their texts are held until written). */
const MAX_IN_FLIGHT = 64;

function unpackCore(value: Packed, json: Buffer): { core: string; search: SearchValues } {
  const text = unpack(value, json);
  const cut = text.indexOf('\n');
  return { core: text.slice(0, cut), search: JSON.parse(text.slice(cut + 1)) as SearchValues };
}

const isCurrent = (core: RuleCore) => (!core.duplicates || core.duplicates.newest ? 1 : 0);

/** Never a real id (ids are `<platform>:<native id>`): rows hold one while ids are being reassigned. */
const placeholderId = (rowid: number) => `\u0000${rowid}`;

/**
 * The `bodies` table: each file text once, by content, counted by the rule_text rows that name it.
 * The text last written is remembered: the rules of one file come one after the other.
 */
class Bodies {
  private readonly byHash: Database.Statement<[Buffer], number>;
  private readonly insert: Database.Statement<[Buffer, Packed]>;
  private readonly addRef: Database.Statement<[number]>;
  private readonly dropRef: Database.Statement<[number]>;
  private readonly deleteUnused: Database.Statement<[number]>;
  private readonly textOf: Database.Statement<[number], Packed>;
  private last?: { text: string; id: number; bytes: Buffer };

  constructor(db: Database.Database) {
    this.byHash = db.prepare<[Buffer], number>('SELECT id FROM bodies WHERE sha1 = ?').pluck();
    this.insert = db.prepare<[Buffer, Packed]>('INSERT INTO bodies (sha1, refs, text) VALUES (?, 1, ?)');
    this.addRef = db.prepare<[number]>('UPDATE bodies SET refs = refs + 1 WHERE id = ?');
    this.dropRef = db.prepare<[number]>('UPDATE bodies SET refs = refs - 1 WHERE id = ?');
    this.deleteUnused = db.prepare<[number]>('DELETE FROM bodies WHERE id = ? AND refs <= 0');
    this.textOf = db.prepare<[number], Packed>('SELECT text FROM bodies WHERE id = ?').pluck();
  }

  /** One more reference to `text`: its id, and its bytes (what the rule's JSON is packed against); `packed`: its text deflated, if done. */
  ref(text: string, packed?: Packed): { id: number; bytes: Buffer } {
    const last = this.last;
    if (last && last.text === text) {
      this.addRef.run(last.id);
      return last;
    }
    const bytes = Buffer.from(text);
    const sha1 = hash('sha1', bytes, 'buffer');
    let id = this.byHash.get(sha1);
    if (id === undefined) id = Number(this.insert.run(sha1, packed ?? pack(text)).lastInsertRowid);
    else this.addRef.run(id);
    this.last = { text, id, bytes };
    return this.last;
  }

  /** One reference fewer to body `id`: the row goes with the last one. */
  release(id: number): void {
    this.dropRef.run(id);
    this.deleteUnused.run(id);
    if (this.last?.id === id) this.last = undefined;
  }

  /** The text of body `id`, as bytes (undefined: no such body). */
  bytes(id: number): Buffer | undefined {
    const packed = this.textOf.get(id);
    return packed === undefined ? undefined : unpackBytes(packed);
  }
}

export class RuleRows {
  /** The sameAction lists rows name (`insert`, `setCorpus`). */
  readonly actionLists: ActionLists;
  private readonly bodies: Bodies;
  private readonly passInputs: PassInputs;
  /** See deflateElsewhere: the thread, the rules sent to it in order, the file text last sent. */
  private packThread?: PackThread;
  private readonly inFlight: { rowid: number; s: StagedText }[] = [];
  private lastSentBody?: string;
  private readonly textRow: Database.Statement<[number], { body: number; json: Packed }>;
  private readonly coreRow: Database.Statement<[number], Packed>;
  private readonly insertText: Database.Statement;
  private readonly updateText: Database.Statement;
  private readonly insertCore: Database.Statement;
  private readonly updateCore: Database.Statement;
  private readonly deleteCore: Database.Statement;
  private readonly putPass: Database.Statement;
  private readonly putSimilar: Database.Statement;
  private readonly deletePass: Database.Statement;
  private readonly insertRule: Database.Statement;
  private readonly updateMeta: Database.Statement;
  private readonly updateCorpus: Database.Statement;
  private readonly setId: Database.Statement;
  private readonly insertIndicator: Database.Statement;
  private readonly insertEvent: Database.Statement;
  private readonly insertTechnique: Database.Statement;
  private readonly deleteIndex: Database.Statement[];
  private readonly insertFts: Database.Statement;
  private readonly deleteFts: Database.Statement;
  private readonly deleteRule: Database.Statement;
  private readonly deleteText: Database.Statement;

  constructor(db: Database.Database) {
    this.bodies = new Bodies(db);
    this.passInputs = new PassInputs(db);
    this.actionLists = new ActionLists(db);
    this.textRow = db.prepare<[number], { body: number; json: Packed }>('SELECT body, json FROM rule_text WHERE rowid = ?');
    this.coreRow = db.prepare<[number], Packed>('SELECT core FROM rule_core WHERE rowid = ?').pluck();
    this.insertText = db.prepare('INSERT INTO rule_text (rowid, body, json) VALUES (?,?,?)');
    this.updateText = db.prepare('UPDATE rule_text SET body = ?, json = ? WHERE rowid = ?');
    this.insertCore = db.prepare('INSERT INTO rule_core (rowid, core) VALUES (?,?)');
    this.updateCore = db.prepare('UPDATE rule_core SET core = ? WHERE rowid = ?');
    this.insertRule = db.prepare(
      `INSERT INTO rules (rowid, id, native_id, platform, language, source_name, path, name, severity, current, corpus, pass_sha, action_list)
       VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
    );
    this.updateMeta = db.prepare(
      `UPDATE rules SET native_id = ?, platform = ?, language = ?, source_name = ?, path = ?, name = ?, severity = ?, pass_sha = '' WHERE rowid = ?`,
    );
    this.updateCorpus = db.prepare('UPDATE rules SET id = ?, current = ?, corpus = ?, pass_sha = ?, action_list = ? WHERE rowid = ?');
    this.putPass = db.prepare('INSERT OR REPLACE INTO rule_pass (rowid, similar) VALUES (?, NULL)');
    this.putSimilar = db.prepare('UPDATE rule_pass SET similar = ? WHERE rowid = ?');
    this.deletePass = db.prepare('DELETE FROM rule_pass WHERE rowid = ?');
    this.setId = db.prepare('UPDATE rules SET id = ? WHERE rowid = ?');
    this.insertIndicator = db.prepare(
      `INSERT INTO indicators (rule, field, op, value, negated, corpus_count, canonical_field, canonical_op, canonical_value, canonical_count)
       VALUES (?,?,?,?,?,?,?,?,?,?)`,
    );
    this.insertEvent = db.prepare('INSERT INTO events VALUES (?,?,?)');
    this.insertTechnique = db.prepare('INSERT INTO techniques VALUES (?,?,?)');
    this.deleteIndex = ['indicators', 'events', 'techniques'].map((t) => db.prepare(`DELETE FROM ${t} WHERE rule = ?`));
    this.insertFts = db.prepare('INSERT INTO rules_fts (rowid, name, description, query, fields, vals, tags) VALUES (?,?,?,?,?,?,?)');
    this.deleteFts = db.prepare(
      "INSERT INTO rules_fts (rules_fts, rowid, name, description, query, fields, vals, tags) VALUES ('delete',?,?,?,?,?,?,?)",
    );
    this.deleteRule = db.prepare('DELETE FROM rules WHERE rowid = ?');
    this.deleteText = db.prepare('DELETE FROM rule_text WHERE rowid = ?');
    this.deleteCore = db.prepare('DELETE FROM rule_core WHERE rowid = ?');
  }

  /**
   * From now on, new rules' texts are deflated on another thread (store/pack-thread.ts) while the
   * caller goes on; their rows are written in order as the texts come back, and before any other
   * read or write of rows, or `finishDeflating`.
   */
  deflateElsewhere(): void {
    this.packThread ??= new PackThread();
  }

  /** Writes the rows whose texts are still being deflated, and ends the thread. */
  finishDeflating(): void {
    this.writeDeflated(0);
    this.stopDeflating();
  }

  /** Ends the thread, dropping what it was given (a write that failed). */
  stopDeflating(): void {
    this.packThread?.close();
    this.packThread = undefined;
    this.inFlight.length = 0;
  }

  /** Writes the rows whose texts came back, waiting until at most `inFlight` are left. */
  private writeDeflated(inFlight: number): void {
    const thread = this.packThread;
    if (!thread) return;
    while (this.inFlight.length) {
      const packs = thread.next(this.inFlight.length > inFlight);
      if (!packs) return;
      const { rowid, s } = this.inFlight.shift()!;
      this.writeFileLevel(rowid, s, packs);
    }
  }

  /** A rule's file-level rows (text, core and full-text), as soon as it is analysed; its `rules` row follows with `insert`. */
  insertFileLevel(rowid: number, s: StagedText): void {
    if (!this.packThread) {
      this.writeFileLevel(rowid, s);
      return;
    }
    const packBody = s.body !== this.lastSentBody;
    this.lastSentBody = s.body;
    this.packThread.send({ json: s.json, body: s.body, packBody, core: coreValue(s) });
    this.inFlight.push({ rowid, s });
    this.writeDeflated(MAX_IN_FLIGHT);
  }

  private writeFileLevel(rowid: number, s: StagedText, packs?: PackResult): void {
    const body = this.bodies.ref(s.body, packs?.body);
    this.insertText.run(rowid, body.id, packs?.json ?? packJson(s, body.bytes));
    this.insertCore.run(rowid, packs?.core ?? packCore(s, s.json));
    this.insertFts.run(rowid, ...searchValues(s));
  }

  /**
   * A rule's `rules` row and index rows once the corpus pass has run: `fragment` is its corpusFields,
   * `passSha` the digest of its pass signature, `actionList` the stored sameAction list the fragment names.
   */
  insert(rowid: number, core: RuleCore, fragment: string, passSha: string, actionList?: number): void {
    const { id, nativeId, platform, language, sourceName, path, name, severity } = core;
    this.insertRule.run(
      rowid,
      id,
      nativeId,
      platform,
      language,
      sourceName,
      path,
      name,
      severity,
      isCurrent(core),
      pack(linksById(fragment)),
      passSha,
      actionList ?? null,
    );
    this.insertIndexRows(rowid, core);
  }

  /** A rule's pass input (passInputJson), new or changed; its similar list is unknown until setSimilar. */
  setPassInput(rowid: number, input: string): void {
    this.passInputs.set(rowid, input);
    this.putPass.run(rowid);
  }

  /** Every rule's stored pass input, in rowid order (a write over a catalog that has rules: call it before any setPassInput). */
  storedPassInputs(): [number, string][] {
    return this.passInputs.loadAll();
  }

  /** Writes the pass inputs set since they were read: the last step of a write's rows. */
  finishPassInputs(): void {
    this.passInputs.flush();
  }

  /** A rule's similar list as the pass decided it (similarJson). */
  setSimilar(rowid: number, similar: string): void {
    this.putSimilar.run(pack(similar), rowid);
  }

  /**
   * The file-level part of a row (new, or its file changed), under `id` for now: its corpus-level
   * fields, index rows and final id follow in `setCorpus` once the corpus pass has run.
   */
  stage(rowid: number, id: string, core: RuleCore, s: StagedText, exists: boolean): void {
    if (exists) {
      this.writeDeflated(0);
      const before = this.textRow.get(rowid);
      if (before) this.dropFts(rowid, before);
      // The new file's reference first: a file whose text is unchanged keeps its row.
      const body = this.bodies.ref(s.body);
      if (before) this.bodies.release(before.body);
      this.updateText.run(body.id, packJson(s, body.bytes), rowid);
      this.updateCore.run(packCore(s, s.json), rowid);
      this.updateMeta.run(core.nativeId, core.platform, core.language, core.sourceName, core.path, core.name, core.severity, rowid);
      this.insertFts.run(rowid, ...searchValues(s));
    } else {
      this.insertFileLevel(rowid, s);
      this.insertRule.run(
        rowid,
        id,
        core.nativeId,
        core.platform,
        core.language,
        core.sourceName,
        core.path,
        core.name,
        core.severity,
        1,
        '',
        '',
        null,
      );
    }
  }

  /** Move a row out of the way of the ids being reassigned (ids are unique); its index rows go too. */
  park(rowid: number, _id: string): void {
    this.dropIndexRows(rowid);
    this.setId.run(placeholderId(rowid), rowid);
  }

  /** Rewrite a row's corpus-level fields, id and index rows from its core after the corpus pass. */
  setCorpus(rowid: number, core: RuleCore, fragment: string, passSha: string, actionList?: number): void {
    this.updateCorpus.run(core.id, isCurrent(core), pack(linksById(fragment)), passSha, actionList ?? null, rowid);
    this.insertIndexRows(rowid, core);
  }

  delete(rowid: number, _id: string): void {
    this.writeDeflated(0);
    this.dropIndexRows(rowid);
    const text = this.textRow.get(rowid);
    if (text) {
      this.dropFts(rowid, text);
      this.bodies.release(text.body);
    }
    this.deleteRule.run(rowid);
    this.deleteText.run(rowid);
    this.deleteCore.run(rowid);
    this.deletePass.run(rowid);
    this.passInputs.delete(rowid);
  }

  /** Take a row out of the contentless full-text index: FTS5 is given the values it was indexed with. */
  private dropFts(rowid: number, text: { body: number; json: Packed }): void {
    const core = this.coreRow.get(rowid);
    if (core === undefined) return;
    const json = unpackBytes(text.json, this.bodies.bytes(text.body));
    this.deleteFts.run(rowid, ...unpackCore(core, json).search);
  }

  /** A rule's file-level JSON and its file's text as stored (undefined: no such row). */
  storedText(rowid: number): { json: string; body: string } | undefined {
    this.writeDeflated(0);
    const row = this.textRow.get(rowid);
    const body = row && this.bodies.bytes(row.body);
    if (!row || !body) return undefined;
    return { json: unpack(row.json, body), body: body.toString('utf8') };
  }

  /**
   * A rule's core before the corpus pass (StagedText.core) as stored (undefined: no such row). A build
   * reads every rule's back: its JSON is inflated as bytes only (the core's dictionary), its file's
   * text is not decoded, nor are the full-text values packed with the core.
   */
  storedCore(rowid: number): string | undefined {
    this.writeDeflated(0);
    const core = this.coreRow.get(rowid);
    if (core === undefined) return undefined;
    const row = this.textRow.get(rowid);
    const body = row && this.bodies.bytes(row.body);
    if (!row || !body) return undefined;
    // Cut at the newline (JSON.stringify writes none) before decoding: the full-text values are not read.
    const bytes = unpackBytes(core, unpackBytes(row.json, body));
    return bytes.toString('utf8', 0, bytes.indexOf(0x0a));
  }

  private dropIndexRows(rowid: number): void {
    for (const s of this.deleteIndex) s.run(rowid);
  }

  private insertIndexRows(rowid: number, core: RuleCore): void {
    for (const ind of core.indicators) {
      const c = ind.canonical;
      const canonical = [c?.field ?? null, c?.op ?? null, c?.value ?? null, c ? (c.corpusCount ?? 0) : null];
      this.insertIndicator.run(rowid, ind.field, ind.op, ind.value, ind.negated ? 1 : 0, ind.corpusCount ?? 0, ...canonical);
    }
    for (const e of core.events) this.insertEvent.run(rowid, e.provider, e.event);
    for (const t of core.techniques) {
      if (t.tactics.length === 0) this.insertTechnique.run(rowid, t.id, null);
      for (const tactic of t.tactics) this.insertTechnique.run(rowid, t.id, tactic);
    }
  }
}

/**
 * The `tests` rows of a file (evaluate/stored-tests.ts): replaced whenever the file is analysed, gone
 * with it; the code texts they name (`StoredTest.codeTexts`) kept once each in `test_code`, counted
 * by the rows naming them.
 */
export class TestRows {
  private readonly insert: Database.Statement;
  private readonly codeOfFile: Database.Statement<[string, string], string>;
  private readonly codeOfSource: Database.Statement<[string], string>;
  private readonly deleteOfFile: Database.Statement;
  private readonly deleteOfSource: Database.Statement;
  private readonly addRef: Database.Statement<[string]>;
  private readonly addCode: Database.Statement<[string, Packed]>;
  private readonly dropRef: Database.Statement<[string]>;
  private readonly deleteUnused: Database.Statement<[string]>;
  constructor(db: Database.Database) {
    this.insert = db.prepare('INSERT INTO tests (source, path, platform, rule, name, test, code) VALUES (?,?,?,?,?,?,?)');
    this.codeOfFile = db.prepare<[string, string], string>("SELECT code FROM tests WHERE source = ? AND path = ? AND code != ''").pluck();
    this.codeOfSource = db.prepare<[string], string>("SELECT code FROM tests WHERE source = ? AND code != ''").pluck();
    this.deleteOfFile = db.prepare('DELETE FROM tests WHERE source = ? AND path = ?');
    this.deleteOfSource = db.prepare('DELETE FROM tests WHERE source = ?');
    this.addRef = db.prepare<[string]>('UPDATE test_code SET refs = refs + 1 WHERE sha1 = ?');
    this.addCode = db.prepare<[string, Packed]>('INSERT INTO test_code (sha1, refs, text) VALUES (?, 1, ?)');
    this.dropRef = db.prepare<[string]>('UPDATE test_code SET refs = refs - 1 WHERE sha1 = ?');
    this.deleteUnused = db.prepare<[string]>('DELETE FROM test_code WHERE sha1 = ? AND refs <= 0');
  }

  /** The file's tests are now these (none: it has none left). */
  replace(source: string, path: string, tests: readonly StoredTest[]): void {
    // The new rows' references first: a text the file keeps is never deleted and written again.
    const before = this.codeOfFile.all(source, path);
    this.deleteOfFile.run(source, path);
    for (const t of tests) {
      const { codeTexts, ...stored } = t;
      const names = stored.python ? codeNames(stored.python) : [];
      for (const sha1 of names) {
        // Deflated only when new: most rules of a source import the same helper modules.
        if (this.addRef.run(sha1).changes > 0) continue;
        const text = codeTexts?.[sha1];
        if (text === undefined) throw new Error(`test ${t.name} names code ${sha1} it does not carry`);
        this.addCode.run(sha1, pack(text));
      }
      this.insert.run(source, path, t.platform, t.ruleId, t.name, pack(JSON.stringify(stored)), names.join(' '));
    }
    this.release(before);
  }

  deleteSource(source: string): void {
    const before = this.codeOfSource.all(source);
    this.deleteOfSource.run(source);
    this.release(before);
  }

  private release(codeLists: readonly string[]): void {
    for (const list of codeLists)
      for (const sha1 of list.split(' ')) {
        this.dropRef.run(sha1);
        this.deleteUnused.run(sha1);
      }
  }
}

/** The sha1s of the texts a Python run names, each once. */
function codeNames(run: StoredPythonRun): string[] {
  const names = [run.code, ...Object.values(run.modules), ...(run.dataModel?.code ? [run.dataModel.code] : [])];
  return [...new Set(names)];
}

/** A text of `test_code` by its sha1 (undefined: no such text). */
export function readTestCode(db: Database.Database, sha1: string): string | undefined {
  const packed = db.prepare<[string], Packed>('SELECT text FROM test_code WHERE sha1 = ?').pluck().get(sha1);
  return packed === undefined ? undefined : unpack(packed);
}

/** Every stored test, in file order, with where it is stored. */
export function readStoredTests(db: Database.Database): { source: string; path: string; test: StoredTest }[] {
  const rows = db.prepare('SELECT source, path, test FROM tests ORDER BY source, path, rowid').all() as {
    source: string;
    path: string;
    test: Packed;
  }[];
  return rows.map((r) => ({ source: r.source, path: r.path, test: JSON.parse(unpack(r.test)) as StoredTest }));
}
