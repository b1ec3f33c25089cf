import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { LruCache } from './cache.js';

const byLength = () => new LruCache<string>(2, 1000, (s) => s.length);

test('an entry asked for since the last eviction outlives one that was not', () => {
  const cache = byLength();
  cache.set('a', 'A');
  cache.set('b', 'B');
  assert.equal(cache.get('a'), 'A');
  cache.set('c', 'C');
  assert.deepEqual(
    ['a', 'b', 'c'].map((k) => cache.get(k)),
    ['A', undefined, 'C'],
  );
});

test('a hit marks its entry instead of moving it: eviction passes over a marked entry once, clearing the mark', () => {
  // A hit that moved its entry to the back would have made `b` the oldest here, and `b` would go.
  // Marked in place, `a` and `b` are both passed over once, then `a`, first in the order, goes.
  const cache = byLength();
  cache.set('a', 'A');
  cache.set('b', 'B');
  cache.get('b');
  cache.get('a');
  cache.set('c', 'C');
  assert.deepEqual(
    ['a', 'b', 'c'].map((k) => cache.get(k)),
    [undefined, 'B', 'C'],
  );
});

test('the weight bound evicts as many entries as it takes, marked ones after the others', () => {
  const cache = new LruCache<string>(100, 80, (s) => s.length);
  for (const k of ['a', 'b', 'c', 'd']) cache.set(k, k.repeat(10));
  cache.get('a');
  cache.set('e', 'e'.repeat(10)); // 50 of 80: nothing goes
  assert.equal(cache.size, 5);
  cache.set('f', 'f'.repeat(10));
  cache.set('g', 'g'.repeat(10));
  cache.set('h', 'h'.repeat(10));
  cache.set('i', 'i'.repeat(10)); // 90 > 80: the oldest unmarked goes (b), `a` stays
  assert.equal(cache.get('a'), 'aaaaaaaaaa');
  assert.equal(cache.get('b'), undefined);
  assert.equal(cache.weight, 80);
});

test('a value heavier than an eighth of the bound is not kept, and evicts nothing', () => {
  const cache = new LruCache<string>(10, 80, (s) => s.length);
  cache.set('a', 'aaaa');
  cache.set('big', 'x'.repeat(11));
  assert.equal(cache.get('big'), undefined);
  assert.equal(cache.get('a'), 'aaaa');
});
