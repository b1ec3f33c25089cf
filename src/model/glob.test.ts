import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileGlob } from './glob.js';
import { callWithin } from '../fault/bounded.js';

test('globs match whole strings, literally but for *', () => {
  assert.ok(compileGlob('logs-okta*').test('logs-okta.system'));
  assert.ok(!compileGlob('logs-okta*').test('x-logs-okta'));
  assert.ok(compileGlob('a.b(c)*').test('a.b(c)d'));
  assert.ok(!compileGlob('a.b').test('axb'));
  assert.ok(!compileGlob('Device*').test('deviceevents'));
  assert.ok(compileGlob('Device*', true).test('deviceevents'));
  assert.ok(compileGlob('*').test(''));
  assert.ok(compileGlob('a*a').test('aa'));
  assert.ok(!compileGlob('a*a').test('a'));
  assert.ok(compileGlob('*ab*ab*').test('xabab'));
  assert.ok(!compileGlob('*ab*ab*').test('xaba'));
  assert.equal(compileGlob('x*', true), compileGlob('x*', true), 'compiled once');
});

test('exec gives what each * stood for, each as long as it can be, left to right (as a greedy regex)', () => {
  assert.deepEqual(compileGlob('src_*_ip').exec('src_nat_ip')?.slice(1), ['nat']);
  for (const [pattern, text] of [
    ['*_*', 'a_b_c'],
    ['a*b*c', 'abbbcbc'],
    ['**x', 'yxx'],
    ['*a*a*', 'aaaa'],
    ['p*', 'p'],
  ] as const) {
    const body = pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('(.*)');
    assert.deepEqual(compileGlob(pattern).exec(text), [...(new RegExp(`^${body}$`).exec(text) ?? [])], `${pattern} on ${text}`);
  }
});

test('a pattern of many stars against a long text that it misses ends at once (a regex backtracks for hours)', async () => {
  const probes = new URL('../fault/probes.js', import.meta.url);
  const outcome = await callWithin(probes, 'globMatches', ['*a'.repeat(30) + '*b', 'a'.repeat(10_000)], 10_000);
  assert.equal(outcome, false, 'no match, within 10 s');
});
