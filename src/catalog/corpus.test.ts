import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeRule } from '../model/rule-factory.js';
import type { Indicator } from '../model/types.js';
import type { Rule } from '../model/types.js';
import { assignIds, countIndicators, linkSameAction, maxDuplicateOthers } from './corpus.js';
import { MemoryDictionary, passRuleOf, sameActionOf } from './pass.js';
import { coreOf } from './staged.js';

/** Rules as the corpus pass sees them (interned keys). */
const pass = (rules: Rule[]) => {
  const dict = new MemoryDictionary();
  return rules.map((rule) => passRuleOf(coreOf(rule), dict));
};

const ind = (value: string): Indicator => ({ field: 'f', op: 'eq', value, negated: false, caseSensitive: true });

test('repeated native ids: every file kept, the newest takes the plain id', () => {
  const rules = pass([
    makeRule({ nativeId: 'x', path: 'a.yaml', version: '1.0.0' }),
    makeRule({ nativeId: 'x', path: 'b.yaml', version: '1.1.1' }),
    makeRule({ nativeId: 'x', path: 'c.yaml', version: '1.0.10' }),
    makeRule({ nativeId: 'y' }),
  ]);
  assignIds(rules);
  assert.equal(rules[1]!.id, 'sentinel:x');
  assert.match(rules[0]!.id, /^sentinel:x@[0-9a-f]{8}$/);
  assert.match(rules[2]!.id, /^sentinel:x@[0-9a-f]{8}$/);
  assert.equal(new Set(rules.map((r) => r.id)).size, 4);
  assert.equal(rules[1]!.duplicates?.newest, true);
  assert.equal(rules[2]!.duplicates?.newest, false);
  assert.deepEqual(rules[1]!.duplicates?.others.length, 2);
  assert.equal(rules[3]!.duplicates, undefined);
  // Stable: the same input gives the same ids.
  const again = pass(rules.map((r) => makeRule({ nativeId: r.nativeId, path: r.path, version: r.version })));
  assignIds(again);
  assert.deepEqual(
    again.map((r) => r.id),
    rules.map((r) => r.id),
  );
});

test('ids are unique whatever the sources: copies sharing a source name and path, a native id shaped like a copy id', () => {
  const copy = (sourceName: string) => makeRule({ nativeId: 'x', path: 'rules/x.yaml', sourceName });
  // Three copies of one file under one source name (three folders named alike), and a rule whose
  // native id is exactly the first copy's would-be id.
  const plain = pass([copy('sigma'), copy('sigma'), copy('sigma')]);
  assignIds(plain);
  const copyId = plain[1]!.id;
  const rules = pass([copy('sigma'), copy('sigma'), copy('sigma'), makeRule({ nativeId: copyId.slice('sentinel:'.length) })]);
  assignIds(rules);
  assert.equal(new Set(rules.map((r) => r.id)).size, 4, rules.map((r) => r.id).join(' '));
  // The rule whose native id it is keeps it: a copy never takes another rule's plain id.
  assert.equal(rules[3]!.id, copyId);
});

test('ids stay unique and linear when one file repeats a native id many times', () => {
  const rules = pass(Array.from({ length: 5_000 }, () => makeRule({ nativeId: 'x', path: 'one.yaml' })));
  assignIds(rules);
  assert.equal(new Set(rules.map((r) => r.id)).size, 5_000);
  assert.ok(rules.some((r) => r.id.endsWith('-4999')));
  // Each copy lists the newest others only, and how many copies there are: not 5,000 x 4,999 ids.
  const listed = rules.reduce((n, r) => n + (r.duplicates?.others.length ?? 0), 0);
  assert.equal(listed, 5_000 * maxDuplicateOthers);
  const newest = rules.find((r) => r.duplicates?.newest)!;
  assert.deepEqual(
    { copies: newest.duplicates!.copies, others: newest.duplicates!.others.length },
    { copies: 5_000, others: maxDuplicateOthers },
  );
  const older = rules.find((r) => !r.duplicates?.newest)!;
  assert.equal(older.duplicates!.others[0], newest.id, 'the newest copy is listed first');
  // A short group lists every other copy, with no count.
  const few = pass([makeRule({ nativeId: 'y', path: 'a.yaml' }), makeRule({ nativeId: 'y', path: 'b.yaml' })]);
  assignIds(few);
  assert.deepEqual(few[0]!.duplicates, { others: [few[1]!.id], newest: few[0]!.duplicates!.newest });
});

test("your copy of a public rule never takes the public rule's id, and neither turns into an older copy", () => {
  const made = [
    makeRule({ nativeId: 'x', path: 'x.yaml', sourceName: 'public', version: '1.0' }),
    makeRule({ nativeId: 'x', path: 'x.yaml', sourceName: 'mine', version: '2.0' }),
    makeRule({ nativeId: 'x', path: 'x-old.yaml', sourceName: 'mine', version: '0.1' }),
  ];
  const rules = pass(made);
  assignIds(rules, new Set(['mine']));
  assert.equal(rules[0]!.id, 'sentinel:x');
  assert.match(rules[1]!.id, /^sentinel:x@[0-9a-f]{8}$/);
  assert.deepEqual(
    rules.map((r) => r.duplicates?.newest),
    [true, true, false],
  );
  // Without sources marked mine, the newest file wins as before.
  const plain = pass(made);
  assignIds(plain);
  assert.equal(plain[1]!.id, 'sentinel:x');
  assert.equal(plain[0]!.duplicates?.newest, false);
});

test('corpusCount counts other rules, copies of one rule once, values without case', () => {
  const rules = pass([
    makeRule({ nativeId: 'a', indicators: [ind('X')] }),
    makeRule({ nativeId: 'b', indicators: [ind('x')] }),
    makeRule({ nativeId: 'b', path: 'copy.yaml', indicators: [ind('x')] }),
    makeRule({ nativeId: 'c', indicators: [ind('z')] }),
  ]);
  countIndicators(rules);
  assert.deepEqual(
    rules.map((r) => r.counts![0]),
    [1, 1, 1, 0],
  );
});

test('sameAction links other platforms first, skips own copies and older copies', () => {
  const event = [{ provider: 'okta', event: 'e1' }];
  const made = [
    makeRule({ nativeId: 's1', name: 'Sentinel one', events: event }),
    makeRule({ nativeId: 's1', path: 'old.yaml', version: '0.1', name: 'Sentinel one (old)', events: event }),
    makeRule({ nativeId: 's2', name: 'Sentinel two', events: [{ provider: 'okta', event: 'E1' }] }),
    makeRule({ nativeId: 'e1', platform: 'elastic', name: 'Elastic one', events: event }),
    makeRule({ nativeId: 'z', name: 'Other event', events: [{ provider: 'okta', event: 'e2' }] }),
  ];
  made[0]!.version = '1.0';
  const rules = pass(made);
  assignIds(rules);
  linkSameAction(rules);
  assert.deepEqual(
    sameActionOf(rules[0]!).map((s) => s.name),
    ['Elastic one', 'Sentinel two'],
  );
  assert.deepEqual(
    sameActionOf(rules[3]!).map((s) => s.name),
    ['Sentinel one', 'Sentinel two'],
  );
  assert.deepEqual(sameActionOf(rules[4]!), []);
});
