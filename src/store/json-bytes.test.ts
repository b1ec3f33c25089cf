import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonBytes } from './json-bytes.js';

const same = (value: Record<string, unknown>) => assert.deepEqual(jsonBytes(value), Buffer.from(JSON.stringify(value)));

describe('jsonBytes', () => {
  it('writes the bytes JSON.stringify writes, keys in order, left-out values left out', () => {
    same({});
    same({ b: 1, a: 'two', c: undefined, d: null, e: () => 1, f: [undefined, 1], g: { h: undefined, i: 'é €' } });
    same({ 'a"b': '\u0000\n', emoji: '😀', nested: [{ x: [1, 2, { y: 'z' }] }] });
  });

  it('writes a long array a piece at a time with the same bytes, elements in order', () => {
    const values = Array.from({ length: 5000 }, (_, i) => ({ value: i.toString(16).padStart(32, '0'), branch: i, gone: undefined }));
    same({ name: 'many', values, after: true });
    same({ holes: Array.from({ length: 3000 }, (_, i) => (i % 3 ? i : undefined)) });
    // Exactly one piece, and one element past it.
    same({ a: Array.from({ length: 1024 }, (_, i) => i), b: Array.from({ length: 1025 }, (_, i) => `v${i}`) });
  });
});
