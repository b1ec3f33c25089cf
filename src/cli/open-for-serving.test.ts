import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildMiniCatalog } from '../mcp/test-catalog.js';
import { captureOutput } from './capture-output.js';
import { fireIndexOf, fireIndexReady } from '../web/evaluate-routes.js';
import { openForServing } from './open-for-serving.js';

let db: string;
let cleanup: () => void;
before(async () => ({ db, cleanup } = await buildMiniCatalog()));
after(() => cleanup());

test('serve says what it does while it opens a catalog, step by step, on stderr', () => {
  const io = captureOutput();
  let clock = 0;
  const store = openForServing(db, io, () => (clock += 1500));
  try {
    const lines = io.stderr.trim().split('\n');
    assert.equal(lines.length, 3, io.stderr);
    assert.match(lines[0]!, /^ruleatlas: reading the catalog .+ \(\d+\.\d MB\)…$/);
    assert.match(lines[1]!, new RegExp(`^ruleatlas: ${store.rules.length} rules read in 1\\.5 s; indexing them`));
    assert.match(lines[2]!, /^ruleatlas: indexed in 1\.5 s; starting the server$/);
    assert.equal(io.stdout, '', 'stdout keeps the address alone');
    assert.match(lines[1]!, /the fire index…$/);
    // The first POST /api/fire finds the index ready instead of building it (about 1 s on the whole corpus).
    assert.ok(fireIndexReady(store));
    // Its regexes compiled too: warm with a deadline already past has nothing left to do.
    assert.ok(fireIndexOf(store).warm(Number.NEGATIVE_INFINITY), 'every regex compiled before listening');
  } finally {
    store.close();
  }
});

test('a path that is no catalog fails as opening it does, after saying what it tried', () => {
  const io = captureOutput();
  assert.throws(() => openForServing('/nonexistent/catalog.db', io));
  assert.match(io.stderr, /reading the catalog \/nonexistent\/catalog\.db…/);
});
