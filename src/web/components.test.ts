import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatCount } from './components.js';

test('formatCount writes numbers as toLocaleString("en-US") does', () => {
  for (const n of [
    0,
    1,
    12,
    999,
    1000,
    1001,
    12_345,
    999_999,
    1_000_000,
    1_234_567_890,
    -5,
    -1234,
    -1_000_000,
    1.5,
    1234.56,
    Number.MAX_SAFE_INTEGER,
    1e21,
  ])
    assert.equal(formatCount(n), n.toLocaleString('en-US'), String(n));
});
