import Database from 'better-sqlite3';
import { renameSync, rmSync } from 'node:fs';
import type { RuleCore } from '../catalog/staged.js';
import { coreOf } from '../catalog/staged.js';
import { MemoryDictionary, passInputJson, passRuleOf } from '../catalog/pass.js';
import type { Rule } from '../model/types.js';
import type { BuildReport } from '../report/report.js';
import { jsonBytes } from './json-bytes.js';
import { insertPassKeys } from './pass-keys.js';
import { RuleRows, type StagedText } from './rows.js';
import { indexes, pageSize, schema, schemaVersion } from './schema.js';

/**
 * Text the full-text index holds for a rule: names, prose, query, and the fields and values it tests.
 * File-level only, as a build writes it before the corpus pass: events that pass adds (`via`) are
 * searched through explore/search-events.ts, whatever path wrote the catalog.
 */
function searchText(rule: Rule) {
  const events = rule.events.filter((e) => e.via === undefined).map((e) => `${e.provider} ${e.event}`);
  return {
    fields: [...new Set([...rule.indicators.map((i) => i.field), ...rule.outputFields.map((o) => o.field)])].join(' '),
    vals: [...new Set([...rule.indicators.map((i) => i.value), ...events])].join(' '),
    tags: [...rule.tags, ...rule.attack.techniques.map((t) => `${t.id} ${t.name}`), ...rule.attack.tactics.map((t) => t.name)].join(' '),
  };
}

/** A rule's JSON as its file alone tells it (rule_text.json), as UTF-8: the corpus-level fields are left out. */
function stagedJson(rule: Rule): Buffer {
  const { body: _b, id: _id, sameAction: _s, similar: _sim, duplicates: _d, removed: _r, history: _h, ...rest } = rule;
  return jsonBytes(rest);
}

/** A rule's core as its file alone decides it (before the corpus pass), as JSON. */
export function fileCoreJson(rule: Rule, core: RuleCore = coreOf(rule)): string {
  // Copies only when a count is set (a rule read back from a catalog): a freshly analysed rule has
  // none, and copying a list of 80,000 values' indicators twice over cost 10 MB at the peak of a write.
  const counted = core.indicators.some((i) => i.corpusCount !== undefined || i.canonical?.corpusCount !== undefined);
  // Written as bytes a piece at a time, then decoded: one flat string, not JSON.stringify's parts and a copy.
  return jsonBytes({
    ...core,
    id: '',
    sameAction: [],
    duplicates: undefined,
    removed: undefined,
    history: undefined,
    similar: undefined,
    indicators: counted
      ? core.indicators.map((i) => ({
          ...i,
          corpusCount: undefined,
          ...(i.canonical && { canonical: { ...i.canonical, corpusCount: undefined } }),
        }))
      : core.indicators,
  }).toString();
}

/** Everything the catalog keeps of a rule's file-level state (rule_text, rule_core and full-text rows). */
export function stagedText(rule: Rule, core?: RuleCore): StagedText {
  return {
    json: stagedJson(rule),
    body: rule.body,
    core: fileCoreJson(rule, core),
    name: rule.name,
    description: rule.description,
    query: rule.query,
    ...searchText(rule),
  };
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
  /** Why it gave no rules, or (kind 'rules') what was lost reading it in part. */
  reason: string;
  /** Other files of the source its analysis read (RelatedFiles as JSON). */
  related: string;
  /** The analyser that read it (analysis/versions.ts analyserKey). */
  analyser: string;
}

/**
 * Corpus-level fields (rules.corpus) a reader appends to a rule's file-level JSON (sync diffs them to
 * update rows in place). `actionList`: the number of the stored list its sameAction is taken from
 * (store/action-lists.ts), written in the list's place.
 */
export function corpusFields(core: RuleCore, actionList?: number): string {
  // One stringify of an object whose keys come in this order (cheaper than one per field).
  const out: Record<string, unknown> = { id: core.id, sameAction: actionList ?? core.sameAction };
  if (core.duplicates) out.duplicates = core.duplicates;
  // Events the corpus step added from patterns: this later key wins over the file-level one.
  if (core.events.some((e) => e.via !== undefined)) out.events = core.events;
  out.corpusCounts = core.indicators.map((i) => i.corpusCount ?? 0);
  // Aligned with the indicators: null where an indicator has no canonical form.
  out.canonicalCounts = core.indicators.map((i) => (i.canonical ? (i.canonical.corpusCount ?? 0) : null));
  if (core.similar) out.similar = core.similar;
  if (core.removed) out.removed = true;
  if (core.history?.length) out.history = core.history;
  const json = JSON.stringify(out);
  return `,${json.slice(1, -1)}`;
}

/**
 * Writes a catalog of rules made elsewhere, whose corpus-level fields are already set (test fixtures,
 * small catalogs): their rows as the one write path (pipeline/write.ts) writes them, in one
 * transaction, into a temporary file renamed over `dbPath`. Catalogs of rule files are written by
 * that write path, never by this.
 */
export class CatalogWriter {
  private readonly temp: string;
  private readonly db: Database.Database;
  private readonly rows: RuleRows;
  private added = 0;

  constructor(private readonly dbPath: string) {
    this.temp = `${dbPath}.tmp-${process.pid}`;
    rmSync(this.temp, { force: true });
    this.db = new Database(this.temp);
    this.db.pragma(`page_size = ${pageSize}`);
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.exec(schema);
    this.db.exec('BEGIN');
    this.rows = new RuleRows(this.db);
  }

  /** Write a rule's file-level rows; its corpus-level rows come from its core at `finish`. */
  add(rule: Rule, core?: RuleCore): void {
    // Rowids follow the order of `add`, so that a search hit is a position in the loaded list.
    this.rows.insertFileLevel(++this.added, stagedText(rule, core));
  }

  /** Extra `meta` entries. */
  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT OR REPLACE INTO meta VALUES (?, ?)').run(key, value);
  }

  /** Write the `rules` and index rows: one core per added rule, in the order of `add`; then move the file into place. */
  finish(cores: RuleCore[], report: BuildReport): void {
    const db = this.db;
    try {
      if (cores.length !== this.added) throw new Error(`${this.added} rules added, ${cores.length} cores`);
      const dict = new MemoryDictionary();
      cores.forEach((core, i) => {
        // No pass digest: a sync over this catalog rewrites every row.
        this.rows.insert(i + 1, core, corpusFields(core), '');
        this.rows.setPassInput(i + 1, passInputJson(passRuleOf(core, dict)));
      });
      this.rows.finishPassInputs();
      insertPassKeys(db, dict);
      db.exec(indexes);
      const insertMeta = db.prepare('INSERT OR REPLACE INTO meta VALUES (?, ?)');
      insertMeta.run('schemaVersion', String(schemaVersion));
      insertMeta.run('report', JSON.stringify(report));
      db.exec('COMMIT');
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
