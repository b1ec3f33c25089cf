import Database from 'better-sqlite3';
import { renameSync, rmSync } from 'node:fs';
import type { RuleCore } from '../catalog/staged.js';
import { coreOf } from '../catalog/staged.js';
import type { HistoryEntry, Rule } from '../model/types.js';
import type { BuildReport } from '../report/report.js';
import { RuleRows, type StagedText } from './rows.js';
import { indexes, schema, schemaVersion } from './schema.js';

/** Text the full-text index holds for a rule: names, prose, query, and the fields and values it tests. */
export function searchText(rule: Rule) {
  return {
    fields: [...new Set([...rule.indicators.map((i) => i.field), ...rule.outputFields.map((o) => o.field)])].join(' '),
    vals: [...new Set([...rule.indicators.map((i) => i.value), ...rule.events.map((e) => `${e.provider} ${e.event}`)])].join(' '),
    tags: [...rule.tags, ...rule.attack.techniques.map((t) => `${t.id} ${t.name}`), ...rule.attack.tactics.map((t) => t.name)].join(' '),
  };
}

interface StagedRow extends StagedText {
  seq: number;
}

/** A rule's JSON as staged: what its file alone tells (the `files` table keeps it for reuse by `sync`). */
export function stagedJson(rule: Rule): string {
  const { body: _b, id: _id, sameAction: _s, similar: _sim, duplicates: _d, removed: _r, history: _h, ...rest } = rule;
  return JSON.stringify(rest);
}

/** A rule's core as its file alone decides it (before the corpus pass), as JSON. */
export function fileCoreJson(rule: Rule): string {
  const core = coreOf(rule);
  return JSON.stringify({
    ...core,
    id: '',
    sameAction: [],
    duplicates: undefined,
    removed: undefined,
    history: undefined,
    similar: undefined,
    indicators: core.indicators.map((i) => ({
      ...i,
      corpusCount: undefined,
      ...(i.canonical && { canonical: { ...i.canonical, corpusCount: undefined } }),
    })),
  });
}

/** Everything the catalog keeps of a rule's file-level state: its row before the corpus pass. */
export function stagedText(rule: Rule): StagedText {
  return { json: stagedJson(rule), body: rule.body, core: fileCoreJson(rule), name: rule.name, description: rule.description, query: rule.query, ...searchText(rule) };
}

/** One file read, as a later `sync` compares it (stat first, then content) so that an unchanged file is not read again. */
export interface FileRow {
  source: string;
  path: string;
  sha1: string;
  size: number;
  /** Modification time, ms since the epoch. */
  mtime: number;
  /** What reading the file gave: rules, an error, or not a rule file. */
  kind: 'rules' | 'error' | 'skipped';
  reason: string;
}

/** Corpus-level fields appended to a staged rule's JSON when the catalog is written (sync diffs them to update rows in place). */
export function corpusFields(core: RuleCore): string {
  let out = `,"id":${JSON.stringify(core.id)},"sameAction":${JSON.stringify(core.sameAction)}`;
  if (core.duplicates) out += `,"duplicates":${JSON.stringify(core.duplicates)}`;
  // Events the corpus step added from patterns: this later key wins over the staged one.
  if (core.events.some((e) => e.via !== undefined)) out += `,"events":${JSON.stringify(core.events)}`;
  out += `,"corpusCounts":${JSON.stringify(core.indicators.map((i) => i.corpusCount ?? 0))}`;
  // Aligned with the indicators: null where an indicator has no canonical form.
  out += `,"canonicalCounts":${JSON.stringify(core.indicators.map((i) => (i.canonical ? i.canonical.corpusCount ?? 0 : null)))}`;
  if (core.similar) out += `,"similar":${JSON.stringify(core.similar)}`;
  if (core.removed) out += ',"removed":true';
  if (core.history?.length) out += `,"history":${JSON.stringify(core.history)}`;
  return out;
}

/**
 * Writes a catalog in two steps. `add` stages each analysed rule on disk as soon as it is known
 * (so that memory holds only rule cores, whatever the corpus size); `finish` writes the catalog
 * tables from the staged rules and the cores the corpus pass completed, without parsing the
 * rules again, and moves the new file over `dbPath` so that a reader never sees half a catalog.
 * The raw file text is stored beside the rule JSON: a server fetches it only for a rule page.
 */
export class CatalogWriter {
  private readonly temp: string;
  private readonly stagingPath: string;
  private readonly db: Database.Database;
  /** A second file and connection: rows are read from it while the catalog is written. */
  private readonly staging: Database.Database;
  private readonly stage: Database.Statement;
  private insertFile?: Database.Statement;
  private insertHistory?: Database.Statement;

  constructor(private readonly dbPath: string) {
    this.temp = `${dbPath}.tmp-${process.pid}`;
    this.stagingPath = `${dbPath}.staging-${process.pid}`;
    rmSync(this.temp, { force: true });
    rmSync(this.stagingPath, { force: true });
    this.db = new Database(this.temp);
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.exec(schema);
    // One transaction from here to finish: addFile and friends write as the build goes.
    this.db.exec('BEGIN');
    this.staging = new Database(this.stagingPath);
    this.staging.pragma('journal_mode = OFF');
    this.staging.pragma('synchronous = OFF');
    this.staging.exec(`CREATE TABLE staged (seq INTEGER PRIMARY KEY, json TEXT NOT NULL, body TEXT NOT NULL, core TEXT NOT NULL,
        name TEXT, description TEXT, query TEXT, fields TEXT, vals TEXT, tags TEXT)`);
    this.stage = this.staging.prepare('INSERT INTO staged (json, body, core, name, description, query, fields, vals, tags) VALUES (?,?,?,?,?,?,?,?,?)');
    this.staging.exec('BEGIN');
  }

  /** Stage a rule. Its corpus-level fields (id, sameAction, similar, duplicates, counts) come from its core at `finish`. */
  add(rule: Rule): void {
    const s = stagedText(rule);
    this.stage.run(s.json, s.body, s.core, s.name, s.description, s.query, s.fields, s.vals, s.tags);
  }

  /** Remember a file read for the next `sync`. */
  addFile(row: FileRow): void {
    // Prepared once: ten thousand prepares cost half a second (measured).
    this.insertFile ??= this.db.prepare('INSERT OR REPLACE INTO files (source, path, sha1, size, mtime, kind, reason) VALUES (?,?,?,?,?,?,?)');
    this.insertFile.run(row.source, row.path, row.sha1, row.size, row.mtime, row.kind, row.reason);
  }

  /** One change of a rule's history, keyed by platform, native id and source path. */
  addHistory(key: string, e: HistoryEntry): void {
    this.insertHistory ??= this.db.prepare('INSERT INTO history (key, change, git_commit, date, sync) VALUES (?,?,?,?,?)');
    this.insertHistory.run(key, e.change, e.commit, e.date, e.sync);
  }

  /** Extra `meta` entries (sync state). */
  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT OR REPLACE INTO meta VALUES (?, ?)').run(key, value);
  }

  /** Write the catalog from the staged rules, in staging order, one core per staged rule. */
  finish(cores: RuleCore[], report: BuildReport): void {
    const db = this.db;
    try {
      this.staging.exec('COMMIT');
      const rows = new RuleRows(db);
      // Rowids follow the staging order, so that a search hit is a position in the loaded list.
      const staged = this.staging.prepare('SELECT seq, json, body, core, name, description, query, fields, vals, tags FROM staged ORDER BY seq');
      let i = 0;
      for (const row of staged.iterate() as Iterable<StagedRow>) {
        const core = cores[i++];
        if (!core) throw new Error('more staged rules than cores');
        rows.insert(i, core, row, corpusFields(core));
      }
      if (i !== cores.length) throw new Error('fewer staged rules than cores');
      db.exec(indexes);
      const insertMeta = db.prepare('INSERT OR REPLACE INTO meta VALUES (?, ?)');
      insertMeta.run('schemaVersion', String(schemaVersion));
      insertMeta.run('report', JSON.stringify(report));
      db.exec('COMMIT');
      db.exec("INSERT INTO rules_fts(rules_fts) VALUES('optimize')");
    } finally {
      this.close();
    }
    renameSync(this.temp, this.dbPath);
  }

  /** Give up: remove the temporary files. */
  abort(): void {
    this.close();
    rmSync(this.temp, { force: true });
  }

  private close(): void {
    if (this.db.open) this.db.close();
    if (this.staging.open) this.staging.close();
    rmSync(this.stagingPath, { force: true });
  }
}

/** Write a catalog of rules whose corpus-level fields are already set (tests, small catalogs). */
export function writeCatalog(dbPath: string, rules: Iterable<Rule>, report: BuildReport): void {
  const writer = new CatalogWriter(dbPath);
  const cores: RuleCore[] = [];
  try {
    for (const rule of rules) {
      writer.add(rule);
      cores.push(coreOf(rule));
    }
  } catch (err) {
    writer.abort();
    throw err;
  }
  writer.finish(cores, report);
}
