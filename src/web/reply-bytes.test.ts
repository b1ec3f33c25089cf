import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pooledConcat, pooledSpliced, pooledUtf8, SlabPool } from './reply-bytes.js';

test('pooled answers hold the bytes Buffer.from gives, small, pooled, large and multi-byte', () => {
  const slabs = new SlabPool();
  for (const text of [
    '',
    'a',
    'é'.repeat(9000),
    'x'.repeat(16 * 1024),
    'ab<c>'.repeat(20_000),
    '😀\ud800z'.repeat(7000),
    'y'.repeat(1_100_000),
  ]) {
    const { bytes, release } = pooledUtf8(text, slabs);
    assert.ok(bytes.equals(Buffer.from(text, 'utf8')), `${text.length} characters`);
    release?.();
  }
});

test('a slab is handed out again only once released, and once however often it is released', () => {
  const slabs = new SlabPool();
  const first = pooledUtf8('a'.repeat(20_000), slabs);
  const second = pooledUtf8('b'.repeat(20_000), slabs);
  assert.ok(first.release && second.release, 'answers of this size are pooled');
  assert.notEqual(first.bytes.buffer, second.bytes.buffer, 'a slab in use is never given to another answer');
  first.release();
  first.release();
  assert.equal(slabs.held, 32 * 1024);
  const third = pooledUtf8('c'.repeat(30_000), slabs);
  assert.equal(third.bytes.buffer, first.bytes.buffer, 'a released slab of the size class is reused');
  assert.equal(third.bytes.toString(), 'c'.repeat(30_000));
  const fourth = pooledUtf8('d'.repeat(20_000), slabs);
  assert.notEqual(fourth.bytes.buffer, third.bytes.buffer, 'released twice, the slab went back once');
  assert.equal(second.bytes.toString(), 'b'.repeat(20_000), 'an answer in use keeps its bytes');
});

test('free slabs are kept up to the bound, past it left to the GC', () => {
  const slabs = new SlabPool(64 * 1024);
  const answers = Array.from({ length: 5 }, (_, i) => pooledUtf8(String(i).repeat(20_000), slabs));
  for (const a of answers) a.release?.();
  assert.equal(slabs.held, 64 * 1024);
});

test('pooled parts hold the bytes Buffer.concat gives, and their slab is reused once released', () => {
  const slabs = new SlabPool();
  const parts = [
    Buffer.from('['),
    Buffer.alloc(30_000, 'x'),
    Buffer.from('é,'),
    Buffer.alloc(0),
    Buffer.alloc(5_000, 'y'),
    Buffer.from(']'),
  ];
  const joined = pooledConcat(parts, slabs);
  assert.ok(joined.bytes.equals(Buffer.concat(parts)));
  assert.ok(joined.release, 'an answer of this size is pooled');
  joined.release();
  const again = pooledConcat([Buffer.alloc(40_000, 'z')], slabs);
  assert.equal(again.bytes.buffer, joined.bytes.buffer);
  assert.ok(again.bytes.equals(Buffer.alloc(40_000, 'z')), 'the same size class (64 KB) as the released slab');
  for (const small of [[], [Buffer.from('ab')], [Buffer.alloc(2_000_000, 'q')]]) {
    const out = pooledConcat(small, slabs);
    assert.ok(out.bytes.equals(Buffer.concat(small)));
    assert.equal(out.release, undefined, 'too small or too large for a slab');
  }
});

test('a spliced answer is its text as UTF-8 with each part marker replaced by its part, a part placed as often as named', () => {
  const slabs = new SlabPool();
  const parts = [Buffer.from('<b>one</b>'), Buffer.from('caf\u00e9 \u00b7', 'utf8'), Buffer.alloc(20_000, 'z')];
  for (const [text, expected] of [
    ['a<!--ruleatlas:part:0-->b', 'a<b>one</b>b'],
    [
      '<!--ruleatlas:part:1-->\u00e9\u2014<!--ruleatlas:part:0--><!--ruleatlas:part:1-->',
      'caf\u00e9 \u00b7\u00e9\u2014<b>one</b>caf\u00e9 \u00b7',
    ],
    ['no part', 'no part'],
    ['x<!--ruleatlas:part:2-->y', `x${'z'.repeat(20_000)}y`],
  ] as const) {
    const { bytes, release } = pooledSpliced(text, parts, slabs);
    assert.ok(bytes.equals(Buffer.from(expected, 'utf8')), text);
    release?.();
  }
  assert.equal(slabs.held, 32 * 1024, 'the answer of 20 KB came from a slab, handed back');
});

test('a spliced answer naming a part it does not have is refused', () => {
  const parts = [Buffer.from('p')];
  for (const text of [
    '<!--ruleatlas:part:1-->',
    '<!--ruleatlas:part:-->',
    '<!--ruleatlas:part: 0-->',
    '<!--ruleatlas:part:0',
    '<!--ruleatlas:part:x-->',
  ])
    assert.throws(() => pooledSpliced(text, parts), /names a part it does not have/, text);
});
