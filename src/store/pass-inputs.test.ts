import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { PassInputs } from './pass-inputs.js';
import { schema } from './schema.js';

const input = (rowid: number, version = 0) => JSON.stringify({ i: [rowid, version], e: [], t: [], ok: true, note: 'tab\there' });

test('pass inputs written part by part as rowids grow read back whole; a later write changes, adds and drops some', () => {
  const db = new Database(':memory:');
  db.exec(schema);
  const fresh = new PassInputs(db);
  for (let rowid = 1; rowid <= 3000; rowid++) fresh.set(rowid, input(rowid));
  // Parts a fresh write has moved past are written already; the last one waits for flush.
  assert.equal(db.prepare('SELECT count(*) FROM pass_inputs').pluck().get(), 2);
  fresh.flush();
  assert.equal(db.prepare('SELECT count(*) FROM pass_inputs').pluck().get(), 3);

  const sync = new PassInputs(db);
  const all = sync.loadAll();
  assert.deepEqual(
    all,
    Array.from({ length: 3000 }, (_, i) => [i + 1, input(i + 1)]),
  );
  sync.set(5, input(5, 1));
  sync.set(2047, input(2047, 1));
  sync.set(3001, input(3001));
  for (let rowid = 1024; rowid < 2048; rowid++) if (rowid !== 2047) sync.delete(rowid);
  sync.delete(2047);
  sync.flush();

  const expected = new Map(all);
  expected.set(5, input(5, 1));
  expected.set(3001, input(3001));
  for (let rowid = 1024; rowid < 2048; rowid++) expected.delete(rowid);
  assert.deepEqual(new PassInputs(db).loadAll(), [...expected]);
  // A part left empty is no row at all.
  assert.deepEqual(db.prepare('SELECT part FROM pass_inputs ORDER BY part').pluck().all(), [0, 2]);
});

test('a write that did not read every part changes one without losing the others it holds', () => {
  const db = new Database(':memory:');
  db.exec(schema);
  const first = new PassInputs(db);
  for (let rowid = 1; rowid <= 1500; rowid++) first.set(rowid, input(rowid));
  first.flush();
  const later = new PassInputs(db);
  later.set(1499, input(1499, 2));
  later.flush();
  const back = new Map(new PassInputs(db).loadAll());
  assert.equal(back.size, 1500);
  assert.equal(back.get(1499), input(1499, 2));
  assert.equal(back.get(1498), input(1498));
});
