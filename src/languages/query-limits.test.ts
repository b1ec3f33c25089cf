import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyseQuery } from './registry.js';
import { bracketDepth, overLimits } from './query-limits.js';
import { testContext } from './test-support.js';

test('bracket depth counts (, [ and { together and stops once past its limit', () => {
  assert.equal(bracketDepth('a (b [c {d}] e) (f)'), 3);
  assert.equal(bracketDepth(')))((('), 3, 'unmatched closers do not go below zero');
  assert.equal(bracketDepth('('.repeat(1_000_000), 10), 11);
});

test('a query over its language limits is reported with the figures, not parsed', () => {
  assert.equal(overLimits('T | where (a)', { bytes: 100, depth: 2 }), undefined);
  assert.match(overLimits('x'.repeat(101), { bytes: 100 })?.message ?? '', /^query too large to analyse \(101 bytes; limit 100\)$/);
  assert.match(overLimits('é'.repeat(60), { bytes: 100 })?.message ?? '', /\(120 bytes; limit 100\)/, 'UTF-8 bytes');
  assert.match(overLimits('((()))', { depth: 2 })?.message ?? '', /^query too deeply nested to analyse .*limit 2\)$/);
  const nested = analyseQuery('kql', `T | where ${'('.repeat(300)}a${')'.repeat(300)}`, testContext);
  assert.equal(nested.parsed, false);
  assert.match(nested.diagnostics[0]!.message, /query too deeply nested to analyse/);
  assert.equal(nested.diagnostics[0]!.severity, 'error');
});
