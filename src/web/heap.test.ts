import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { collectGarbage } from './heap.js';

test('collectGarbage frees what nothing reaches, and keeps what something does', async () => {
  let dropped: number[] | undefined = Array.from({ length: 100_000 }, (_, i) => i);
  const gone = new WeakRef(dropped);
  const kept = new WeakRef(Array.from({ length: 10 }, (_, i) => i));
  const hold = kept.deref();
  dropped = undefined;
  // A WeakRef keeps its target until the current job ends.
  await nextTurn();
  collectGarbage();
  assert.equal(gone.deref(), undefined);
  assert.equal(kept.deref(), hold);
});
