export const schemaVersion = 14;

/**
 * Bytes per page of a new catalog. Rows of a few KB (a deflated file, a rule's JSON) leave the end of
 * most 4 KB pages empty: 16 KB pages took the catalog of the shared corpus written four times over
 * from 302 to 281 MiB (8 and 32 KB: 291 and 283 MiB).
 */
export const pageSize = 16384;

export const schema = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- Rules as the corpus pass leaves them: written once the pass has run (build) or when it changes a
-- rule's corpus-level fields (sync). Small rows: a sync reads and rewrites them without the big text.
CREATE TABLE rules (
  id TEXT PRIMARY KEY,
  native_id TEXT NOT NULL,
  platform TEXT NOT NULL,
  language TEXT NOT NULL,
  source_name TEXT NOT NULL,
  path TEXT NOT NULL,
  name TEXT NOT NULL,
  severity TEXT NOT NULL,
  current INTEGER NOT NULL,
  -- The corpus-level fields the rule's JSON ends with (see corpusFields), deflated (store/codec.ts),
  -- and the digest of what the corpus pass decided for the rule (catalog/pass.ts passSignature; '' when unknown).
  corpus BLOB NOT NULL,
  pass_sha TEXT NOT NULL,
  -- Its sameAction list (action_lists.id; NULL: the list is in \`corpus\`, or it has none): \`corpus\`
  -- then holds this number as its sameAction.
  action_list INTEGER
);
-- Each sameAction list once (store/action-lists.ts): the ids of the current rules watching the same
-- events as the rules naming it, in order, as a deflated JSON array; each of those rules leaves out
-- its own copies (same platform and native id) when it is read.
CREATE TABLE action_lists (id INTEGER PRIMARY KEY, sha1 BLOB NOT NULL UNIQUE, ids BLOB NOT NULL);
-- What a rule's file alone decides, under the same rowid as its \`rules\` row: written as soon as the
-- rule is analysed. \`json\`: the rule's JSON without its corpus-level fields (a reader appends
-- \`rules.corpus\`), deflated against its file's text (store/codec.ts); \`body\`: its file (bodies.id).
CREATE TABLE rule_text (
  rowid INTEGER PRIMARY KEY,
  body INTEGER NOT NULL,
  json BLOB NOT NULL
);
-- Each file text once (the rules of one file share it), deflated; \`refs\`: how many rule_text rows
-- name it (the row goes with the last of them).
CREATE TABLE bodies (
  id INTEGER PRIMARY KEY,
  sha1 BLOB NOT NULL UNIQUE,
  refs INTEGER NOT NULL,
  text BLOB NOT NULL
);
-- What sync's in-place update reads of a rule, deflated against its rule_text.json (which holds most
-- of it), only for the rows it rewrites: \`core\`, the rule's core before the corpus pass (JSON), then
-- after a newline its rules_fts values (a JSON array), which removing its row from the contentless index takes.
CREATE TABLE rule_core (
  rowid INTEGER PRIMARY KEY,
  core BLOB NOT NULL
);
-- What the corpus pass reads of a rule that its \`rules\` row does not hold (catalog/pass.ts), keys
-- interned in pass_keys: a sync runs the pass again over these, not over every rule's core. They are
-- kept in \`pass_inputs\`, by parts of 1,024 consecutive rowids (store/pass-inputs.ts), each part deflated
-- whole. \`similar\`: its similar list as the last pass decided it (NULL: not known), reused by a sync
-- whose changes leave every input of the similarity step as it was; deflated (store/codec.ts).
CREATE TABLE rule_pass (
  rowid INTEGER PRIMARY KEY,
  similar BLOB
);
CREATE TABLE pass_inputs (part INTEGER PRIMARY KEY, inputs BLOB NOT NULL);
-- \`hash\`: the first 48 bits of the sha1 of kind and key, what a key is looked up by (store/pass-keys.ts):
-- an index of the keys themselves took as much room as the table.
CREATE TABLE pass_keys (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, key TEXT NOT NULL, text TEXT NOT NULL, hash INTEGER NOT NULL);
-- The index tables: what each rule's core holds, one row per indicator, event, technique and tactic,
-- by the rule's rowid in \`rules\` (\`rule\`), for SQL over the catalog; only sync's in-place update reads
-- them (by rule), so they carry no other index (create one to query them by value).
CREATE TABLE indicators (
  rule INTEGER NOT NULL, field TEXT NOT NULL, op TEXT NOT NULL, value TEXT NOT NULL,
  negated INTEGER NOT NULL, corpus_count INTEGER NOT NULL,
  -- The indicator in the shared field vocabulary (NULL when its field does not map), and its cross-platform count.
  canonical_field TEXT, canonical_op TEXT, canonical_value TEXT, canonical_count INTEGER
);
CREATE TABLE events (rule INTEGER NOT NULL, provider TEXT NOT NULL, event TEXT NOT NULL);
CREATE TABLE techniques (rule INTEGER NOT NULL, technique TEXT NOT NULL, tactic TEXT);
-- Every file read (build and sync): a later sync re-reads a file only when its size or mtime
-- changed, and re-analyses it only when its sha1 did, or the analyser that read it (\`analyser\`:
-- analysis/versions.ts), or a file its analysis read (\`related\`: JSON [[path, sha1]]); its rules
-- are the rows with its source and path. Together these are the key of its stored analysis.
CREATE TABLE files (
  source TEXT NOT NULL, path TEXT NOT NULL, sha1 TEXT NOT NULL, size INTEGER NOT NULL, mtime REAL NOT NULL,
  kind TEXT NOT NULL, reason TEXT NOT NULL, related TEXT NOT NULL, analyser TEXT NOT NULL, PRIMARY KEY (source, path)
);
-- Each folder of a source as sync last listed it (catalog/walk.ts listFilesSince): its mtime and
-- entries (JSON {entries, others}: folders ending with /; others, links and pipes, are looked at on
-- every walk); a folder whose mtime is unchanged is not read again.
CREATE TABLE folders (source TEXT NOT NULL, path TEXT NOT NULL, mtime REAL NOT NULL, entries TEXT NOT NULL, PRIMARY KEY (source, path));
-- The tests a file holds (evaluate/stored-tests.ts: a Panther rule's \`Tests:\`, a Sigma regression sample),
-- written with the file's analysis and gone with the file; \`rule\`: the native id of the rule tested on
-- \`platform\` (a sample sits in another source than its rule); \`test\`: the StoredTest as JSON, deflated;
-- \`code\`: the sha1s of the test_code texts it names, space-separated.
CREATE TABLE tests (
  source TEXT NOT NULL, path TEXT NOT NULL, platform TEXT NOT NULL, rule TEXT NOT NULL, name TEXT NOT NULL, test BLOB NOT NULL,
  code TEXT NOT NULL DEFAULT ''
);
CREATE INDEX tests_file ON tests(source, path);
-- The code a Panther Python rule's tests run (its .py, the helper modules it imports, data models'
-- Python), each text once by sha1 (many rules import the same helpers), deflated; \`refs\`: how many
-- tests rows name it (the row goes with the last of them).
CREATE TABLE test_code (sha1 TEXT PRIMARY KEY, refs INTEGER NOT NULL, text BLOB NOT NULL);
-- Rule history; a rule gone upstream keeps its row in \`rules\`, its last change being 'removed'.
CREATE TABLE history (key TEXT NOT NULL, change TEXT NOT NULL, git_commit TEXT NOT NULL, date TEXT NOT NULL, sync INTEGER NOT NULL);
-- Rowid: the rule's rowid. Written with rule_text, before the rule's id is known. Contentless (the
-- texts are in rule_text and rule_core, deflated): search reads only rowids and bm25. A row leaves with FTS5's
-- 'delete' command and the values it was indexed with (contentless_delete = 1 would not need them,
-- but its deletes leave the row counts bm25 ranks with as they were: rankings drift with each sync).
CREATE VIRTUAL TABLE rules_fts USING fts5(
  name, description, query, fields, vals, tags,
  content = '',
  tokenize = 'unicode61 remove_diacritics 2'
);
`;

/** Indexes are built once the tables are filled: faster than keeping them up to date row by row. */
export const indexes = `
CREATE INDEX indicators_rule ON indicators(rule);
CREATE INDEX events_rule ON events(rule);
CREATE INDEX techniques_rule ON techniques(rule);
CREATE INDEX pass_keys_hash ON pass_keys(hash);
`;
