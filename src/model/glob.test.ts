import assert from 'node:assert/strict';
import { test } from 'node:test';
import { globRegExp } from './glob.js';

test('globs: whole-string, regex characters literal, case and captures on request', () => {
  assert.ok(globRegExp('logs-okta*').test('logs-okta.system'));
  assert.ok(!globRegExp('logs-okta*').test('x-logs-okta'));
  assert.ok(globRegExp('a.b(c)*').test('a.b(c)d'));
  assert.ok(!globRegExp('a.b').test('axb'));
  assert.ok(!globRegExp('Device*').test('deviceevents'));
  assert.ok(globRegExp('Device*', 'i').test('deviceevents'));
  assert.deepEqual(globRegExp('src_*_ip', '', true).exec('src_nat_ip')?.slice(1), ['nat']);
  assert.equal(globRegExp('x*', 'i'), globRegExp('x*', 'i'), 'compiled once');
});
