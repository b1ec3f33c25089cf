import type Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import type { AttackMatrixSpec } from '../attack/catalog.js';
import type { AttackThreats } from '../attack/threats.js';
import type { Rule } from '../model/types.js';
import type { BuildReport } from '../report/report.js';
import { readActionLists } from './action-lists.js';
import { type Packed, unpack, unpackBytes } from './codec.js';
import { openReadOnly } from './open.js';
import { readStoredTests, readTestCode } from './rows.js';
import { schemaVersion } from './schema.js';

/**
 * Turn what a person types into a safe FTS5 query: every word a quoted prefix term, except a word of
 * one or two ASCII letters or digits (`a`, `s3`): as a prefix it names most of the vocabulary, which
 * is slow and no help (two CJK characters are a word, and stay a prefix).
 * Combining marks belong to their word, as the FTS5 tokenizer (unicode61) reads them: `Mu\u0308ller`
 * is one word, and inside the quotes the tokenizer splits and folds it the way it indexed it.
 */
export function ftsQuery(text: string): string | undefined {
  const words = searchWords(text);
  if (!words.length) return undefined;
  return words.map((w) => `"${w}"${prefixable(w) ? '*' : ''}`).join(' ');
}

/** The words of a text as the FTS5 tokenizer reads them (quotes and operators are not words). */
export function searchWords(text: string): string[] {
  return text.match(/[\p{L}\p{M}\p{N}_]+/gu)?.filter((w) => /[\p{L}\p{N}]/u.test(w)) ?? [];
}

/** Whether a word is searched as a prefix (see ftsQuery). */
export function prefixable(word: string): boolean {
  return !/^[a-z0-9_]{1,2}$/i.test(word);
}

/** Searches whose hits a store keeps (at most one position per rule each: 64 × 40k rules is 20 MB at worst). */
const recentSearchesKept = 64;

/** A rule as stored: corpus counts sit in one array beside the indicators (see CatalogWriter). */
type StoredRule = Rule & { corpusCounts?: number[]; canonicalCounts?: (number | null)[] };

function restore(stored: StoredRule): Rule {
  const { corpusCounts, canonicalCounts, ...rule } = stored;
  if (corpusCounts) rule.indicators.forEach((ind, i) => (ind.corpusCount = corpusCounts[i] ?? 0));
  if (canonicalCounts) rule.indicators.forEach((ind, i) => ind.canonical && (ind.canonical.corpusCount = canonicalCounts[i] ?? 0));
  rule.body = '';
  return rule;
}

/**
 * Linked rules are stored by id alone (store/rows.ts linksById): their names and platforms are the
 * linked rules' own. A sameAction entry is read-only, one object per linked rule. A sameAction
 * stored as a number is a list of `actionLists` (store/action-lists.ts), the rule's own copies left out.
 */
function nameLinks(rules: Rule[], byId: ReadonlyMap<string, Rule>, actionLists: ReadonlyMap<number, string[]>): void {
  const links = new Map<string, Rule['sameAction'][number]>();
  const link = (entry: { id: string; name?: string; platform?: string }) => {
    let out = links.get(entry.id);
    if (!out) {
      const other = byId.get(entry.id);
      // Not in this catalog (hand-made catalogs only): what the entry says, if anything.
      out = { id: entry.id, name: other?.name ?? entry.name ?? entry.id, platform: other?.platform ?? entry.platform ?? '' };
      links.set(entry.id, out);
    }
    return out;
  };
  const own = (rule: Rule) => (id: string) => {
    const other = byId.get(id);
    return !other || other.nativeId !== rule.nativeId || other.platform !== rule.platform;
  };
  for (const rule of rules) {
    const stored = rule.sameAction as Rule['sameAction'] | number;
    if (typeof stored === 'number') rule.sameAction = (actionLists.get(stored) ?? []).filter(own(rule)).map((id) => link({ id }));
    else if (stored.length) rule.sameAction = stored.map(link);
    if (rule.similar) rule.similar = rule.similar.map((s) => ({ ...link(s), score: s.score, shared: s.shared }));
  }
}

/** A built catalog, opened read-only, with every rule held in memory for fast pages. */
export class CatalogStore {
  readonly rules: Rule[];
  readonly byId: Map<string, Rule>;
  readonly report: BuildReport;
  /** Names of the sources marked as the user's own (config `mine: true`, `build --mine`). */
  readonly mine: ReadonlySet<string>;
  /** The catalog's sync number (meta `lastSync`), for watchers of the catalog. */
  readonly lastSync: string;
  private readonly db: Database.Database;
  /** null until first asked (see attackMatrix). */
  private matrixSpec: AttackMatrixSpec | undefined | null = null;
  private threats: AttackThreats | undefined | null = null;
  private readonly searchStmt: Database.Statement<[string], number>;
  /** The same match without ranking: bm25 is most of a broad search's time, and other sort orders do not need it. */
  private readonly matchStmt: Database.Statement<[string], number>;
  /** A rule's file text by the rule's rowid (its rule_text row names the file: a sync may have changed it). */
  private readonly bodyStmt: Database.Statement<[number], Packed>;
  /** Each rule's rowid, by rule id: a page reads its rule's file by primary keys. */
  private readonly rowidOf = new Map<string, number>();
  /** Position in `rules` of each rowid (-1 for none): sync updates rows in place and may leave gaps. */
  private readonly positionOf: Int32Array;
  /**
   * The hits of the last searches, by FTS query and ranking, least recently used first: Explore asks
   * the same search again for each facet, sort or page a person picks, and a broad search is most of
   * its answer's time. The store's rules never change, so a hit list stays right.
   */
  private readonly recentSearches = new Map<string, readonly number[]>();

  private constructor(db: Database.Database) {
    this.db = db;
    // What this reader reads is the current schema's (older ones lack tables: `bodies`, `action_lists` ...).
    const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'meta'").get();
    const version = hasMeta ? Number(db.prepare("SELECT value FROM meta WHERE key = 'schemaVersion'").pluck().get()) : NaN;
    if (version !== schemaVersion) {
      db.close();
      throw new Error(
        version > schemaVersion
          ? `this catalog was written by a newer ruleatlas (schema ${version}; this one reads ${schemaVersion})`
          : 'this catalog was written by an older ruleatlas: run `ruleatlas build` (or `sync`) again',
      );
    }
    // A rule's JSON is its file-level JSON with its corpus-level fields appended (see CatalogWriter),
    // deflated against its file's text (see RuleRows). Rows are read one at a time: a packed row is
    // garbage as soon as its rule is parsed.
    const packedBodies = new Map(db.prepare('SELECT id, text FROM bodies').raw().all() as [number, Packed][]);
    // The rules of a file follow each other: its text is inflated once for them.
    let last: { id: number; bytes: Buffer } | undefined;
    const bodyBytes = (id: number) => {
      if (last?.id !== id) last = { id, bytes: unpackBytes(packedBodies.get(id) ?? '') };
      return last.bytes;
    };
    const rows = db
      .prepare('SELECT r.rowid, t.body, t.json, r.corpus FROM rules r JOIN rule_text t ON t.rowid = r.rowid ORDER BY r.rowid')
      .raw()
      .iterate() as IterableIterator<[number, number, Packed, Packed]>;
    const rowids: number[] = [];
    // Bodies stay on disk until a page asks (see bodyOf).
    this.rules = [];
    for (const [rowid, body, packed, corpus] of rows) {
      const json = typeof packed === 'string' ? packed : unpack(packed, bodyBytes(body));
      const rule = restore(JSON.parse(`${json.slice(0, -1)}${unpack(corpus)}}`) as StoredRule);
      this.rules.push(rule);
      this.rowidOf.set(rule.id, rowid);
      rowids.push(rowid);
    }
    this.positionOf = new Int32Array((rowids.at(-1) ?? 0) + 1).fill(-1);
    rowids.forEach((rowid, i) => (this.positionOf[rowid] = i));
    this.bodyStmt = db.prepare<[number], Packed>('SELECT b.text FROM rule_text t JOIN bodies b ON b.id = t.body WHERE t.rowid = ?').pluck();
    this.byId = new Map(this.rules.map((r) => [r.id, r]));
    nameLinks(this.rules, this.byId, readActionLists(db));
    const report = db.prepare("SELECT value FROM meta WHERE key = 'report'").get() as { value: string } | undefined;
    this.report = report ? (JSON.parse(report.value) as BuildReport) : ({} as BuildReport);
    const meta = (key: string) => (db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined) ?? '';
    this.mine = new Set(JSON.parse(meta('mine') || '[]') as string[]);
    this.lastSync = meta('lastSync');
    // bm25 weights: name, description, query, fields, values, tags.
    // The FTS rowid of a rule is its rowid in `rules` (see RuleRows).
    this.searchStmt = db
      .prepare<[string], number>('SELECT rowid FROM rules_fts WHERE rules_fts MATCH ? ORDER BY bm25(rules_fts, 10, 4, 1, 2, 2, 3)')
      .pluck();
    this.matchStmt = db.prepare<[string], number>('SELECT rowid FROM rules_fts WHERE rules_fts MATCH ?').pluck();
  }

  static open(path: string): CatalogStore {
    if (!existsSync(path)) throw new Error(`no catalog at ${path}: run \`ruleatlas build --source DIR --db ${path}\` first`);
    return new CatalogStore(openReadOnly(path));
  }

  /** Tactics and techniques of the ATT&CK bundle the catalog was built with; undefined without one. */
  attackMatrix(): AttackMatrixSpec | undefined {
    if (this.matrixSpec === null) {
      const row = this.db.prepare("SELECT value FROM meta WHERE key = 'attackMatrix'").get() as { value: string } | undefined;
      this.matrixSpec = row ? (JSON.parse(row.value) as AttackMatrixSpec) : undefined;
    }
    return this.matrixSpec;
  }

  /** Groups, campaigns, software and data components of the ATT&CK release the catalog was built with; undefined without one. */
  attackThreats(): AttackThreats | undefined {
    if (this.threats === null) {
      const row = this.db.prepare("SELECT value FROM meta WHERE key = 'attackThreats'").get() as { value: string } | undefined;
      this.threats = row ? (JSON.parse(row.value) as AttackThreats) : undefined;
    }
    return this.threats;
  }

  /** The raw text of the file a rule came from. */
  bodyOf(rule: Rule): string {
    const rowid = this.rowidOf.get(rule.id);
    const packed = rowid === undefined ? undefined : this.bodyStmt.get(rowid);
    return packed === undefined ? '' : unpack(packed);
  }

  /** Every test the catalog stores (store/schema.ts \`tests\`), with the file it came from. */
  storedTests(): ReturnType<typeof readStoredTests> {
    return readStoredTests(this.db);
  }

  /** A text a stored test's Python run names by sha1 (store/schema.ts \`test_code\`). */
  testCode(sha1: string): string | undefined {
    return readTestCode(this.db, sha1);
  }

  close(): void {
    this.db.close();
  }

  /**
   * Positions in `rules` of the rules matching the text, best first (in rowid order when `ranked` is
   * false); undefined when the text has no searchable word.
   */
  search(text: string, ranked = true): readonly number[] | undefined {
    const query = ftsQuery(text);
    return query === undefined ? undefined : this.matchFts(query, ranked);
  }

  /**
   * Positions in `rules` of the rules an FTS5 expression matches, as `search` orders them. The
   * expression must be well formed (explore/search.ts writes it; FTS5 throws on a malformed one).
   */
  matchFts(query: string, ranked = true): readonly number[] {
    const key = `${ranked ? 'r' : 'm'}${query}`;
    const recent = this.recentSearches.get(key);
    if (recent) {
      this.recentSearches.delete(key);
      this.recentSearches.set(key, recent);
      return recent;
    }
    // A sync in another process may have added rows since this store was loaded: those are left out.
    const out: number[] = [];
    for (const rowid of (ranked ? this.searchStmt : this.matchStmt).all(query)) {
      const i = rowid < this.positionOf.length ? this.positionOf[rowid]! : -1;
      if (i >= 0) out.push(i);
    }
    this.recentSearches.set(key, out);
    if (this.recentSearches.size > recentSearchesKept) this.recentSearches.delete(this.recentSearches.keys().next().value!);
    return out;
  }

  /** Rules whose id, native id or source-relative path equals the selector (all copies). */
  select(selector: string): Rule[] {
    const exact = this.byId.get(selector);
    const matches = this.rules.filter(
      (r) => r.id === selector || r.nativeId === selector || r.path === selector || `${r.sourceName}/${r.path}` === selector,
    );
    if (exact && !matches.includes(exact)) matches.unshift(exact);
    return matches;
  }
}
