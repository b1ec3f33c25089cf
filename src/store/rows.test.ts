import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { coreOf } from '../catalog/staged.js';
import { makeRule } from '../model/rule-factory.js';
import type { Rule } from '../model/types.js';
import type { BuildReport } from '../report/report.js';
import { CatalogStore } from './read.js';
import { linksById, RuleRows } from './rows.js';
import { indexes, schema } from './schema.js';
import { corpusFields, fileCoreJson, stagedText, writeCatalog } from './writer.js';

const dir = mkdtempSync(join(tmpdir(), 'ruleatlas-rows-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const shared = `# two rules in one file\n${'- title: one\n  query: SigninLogs | where ResultType == "50126"\n'.repeat(8)}`;

function rules(): Rule[] {
  const one = makeRule({
    nativeId: 'one',
    name: 'First rule',
    path: 'both.yaml',
    body: shared,
    query: 'SigninLogs | where ResultType == "50126"',
    indicators: [
      {
        field: 'ResultType',
        op: 'eq',
        value: '50126',
        negated: false,
        caseSensitive: false,
        corpusCount: 2,
        canonical: { field: 'auth.result', op: 'eq', value: '50126', negated: false, corpusCount: 3 },
      },
    ],
    sameAction: [{ id: 'elastic:three', name: 'Third rule', platform: 'elastic' }],
    similar: [{ id: 'sentinel:two', name: 'Second rule', platform: 'sentinel', score: 0.5, shared: ['auth.result eq 50126'] }],
  });
  const two = makeRule({
    nativeId: 'two',
    name: 'Second rule',
    path: 'both.yaml',
    body: shared,
    query: 'SigninLogs | where ResultType == "50126"',
  });
  const three = makeRule({
    nativeId: 'three',
    platform: 'elastic',
    name: 'Third rule',
    path: 'three.toml',
    body: `rule = "three"\n${'# a line of the third file\n'.repeat(6)}`,
    query: 'event.outcome: failure',
  });
  return [one, two, three];
}

const report = { builtAt: '', millis: 0 } as BuildReport;

test('a catalog keeps each file once, and a reader gets every rule and file back as written', () => {
  const db = join(dir, 'round-trip.db');
  const written = rules();
  writeCatalog(db, written, report);
  const raw = new Database(db, { readonly: true });
  assert.deepEqual(raw.prepare('SELECT refs FROM bodies ORDER BY id').pluck().all(), [2, 1]);
  raw.close();
  const store = CatalogStore.open(db);
  try {
    assert.deepEqual(
      store.rules,
      written.map((r) => ({ ...r, body: '' })),
    );
    assert.equal(store.bodyOf(store.byId.get('sentinel:two')!), shared);
    assert.equal(store.bodyOf(store.byId.get('elastic:three')!), written[2]!.body);
    assert.deepEqual(
      store.search('Second')!.map((i) => store.rules[i]!.id),
      ['sentinel:two'],
    );
  } finally {
    store.close();
  }
});

test("RuleRows reads back what it stored; a file no rule names any more leaves, and so do deleted rules' search rows", () => {
  const db = new Database(':memory:');
  db.exec(schema);
  db.exec(indexes);
  const rows = new RuleRows(db);
  const [one, two, three] = rules();
  [one, two, three].forEach((rule, i) => {
    rows.insertFileLevel(i + 1, stagedText(rule!));
    rows.insert(i + 1, coreOf(rule!), corpusFields(coreOf(rule!)), '');
  });
  const bodies = () => db.prepare('SELECT refs FROM bodies ORDER BY id').pluck().all();
  assert.deepEqual(bodies(), [2, 1]);
  const staged = stagedText(two!);
  assert.deepEqual(rows.storedText(2), { json: staged.json.toString(), body: shared });
  assert.equal(rows.storedCore(2), fileCoreJson(two!));
  assert.equal(rows.storedText(9), undefined);
  assert.equal(rows.storedCore(9), undefined);

  // Rule two's file now has its own text; rule three's file goes, and so does its text.
  const edited = { ...two!, body: `${shared}# edited\n`, name: 'Second rule, renamed' };
  rows.stage(2, 'sentinel:two', coreOf(edited), stagedText(edited), true);
  assert.deepEqual(bodies(), [1, 1, 1]);
  assert.equal(rows.storedText(2)!.body, edited.body);
  rows.delete(3, 'elastic:three');
  assert.deepEqual(bodies(), [1, 1]);
  assert.equal(rows.storedText(3), undefined);
  const hits = (word: string) => db.prepare('SELECT rowid FROM rules_fts WHERE rules_fts MATCH ? ORDER BY rowid').pluck().all(word);
  assert.deepEqual(hits('third'), []);
  assert.deepEqual(hits('renamed'), [2]);
  assert.deepEqual(hits('second'), [2]);
  assert.deepEqual(db.prepare('SELECT count(*) FROM indicators WHERE rule = 1').pluck().get(), 1);

  // The index ranks as a fresh one of the rows left does: a removed row's terms and length are gone.
  const fresh = new Database(':memory:');
  fresh.exec(schema);
  const freshRows = new RuleRows(fresh);
  freshRows.insertFileLevel(1, stagedText(one!));
  freshRows.insertFileLevel(2, stagedText(edited));
  const ranks = (d: Database.Database) =>
    d.prepare("SELECT rowid, bm25(rules_fts) AS s FROM rules_fts WHERE rules_fts MATCH 'rule OR signinlogs' ORDER BY rowid").all();
  assert.deepEqual(ranks(db), ranks(fresh));
  fresh.close();
  db.close();
});

test('linked rules are stored by id; a reader names them from the rules it holds', () => {
  const fragment = corpusFields(coreOf(rules()[0]!));
  const stored = JSON.parse(`{${linksById(fragment).slice(1)}}`) as Rule;
  assert.deepEqual(stored.sameAction, [{ id: 'elastic:three' }]);
  assert.deepEqual(stored.similar, [{ id: 'sentinel:two', score: 0.5, shared: ['auth.result eq 50126'] }]);
  assert.equal(linksById(linksById(fragment)), linksById(fragment));
  const noLinks = corpusFields(coreOf(rules()[1]!));
  assert.equal(linksById(noLinks), noLinks);
});
