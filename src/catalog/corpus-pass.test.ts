import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeRule } from '../model/rule-factory.js';
import type { EventRef, Indicator } from '../model/types.js';
import { outcomeMayMove, runPass } from './corpus-pass.js';
import { MemoryDictionary, type PassRule, passInputJson, passRuleFromStored, passRuleOf, passSignature } from './pass.js';
import { coreOf } from './staged.js';

const ind = (field: string, value: string): Indicator => ({ field, op: 'eq', value, negated: false, caseSensitive: false });
const okta = (event: string): EventRef => ({ provider: 'okta', event });

/** A small corpus: indicators and events shared in twos and threes, one unrelated rule. */
function corpus(change?: { indicators?: Indicator[]; events?: EventRef[] }) {
  const made = [
    makeRule({ nativeId: 'a', indicators: change?.indicators ?? [ind('f', 'x'), ind('f', 'y')], events: change?.events ?? [okta('e1')] }),
    makeRule({ nativeId: 'b', platform: 'elastic', indicators: [ind('f', 'x')], events: [okta('e1')] }),
    makeRule({ nativeId: 'c', indicators: [ind('f', 'y'), ind('g', 'z')], events: [okta('e2')] }),
    makeRule({ nativeId: 'd', indicators: [ind('g', 'z'), ind('f', 'new')], events: [okta('e3')] }),
    makeRule({ nativeId: 'unrelated', indicators: [ind('h', 'w')], events: [okta('e9')] }),
  ];
  const dict = new MemoryDictionary();
  const rules = made.map((r) => passRuleOf(coreOf(r), dict));
  runPass(rules, dict);
  return rules;
}

test('outcomeMayMove: every rule whose pass outcome moved when one rule changed is among the rules it names', () => {
  const before = corpus();
  const changes = {
    'an indicator dropped': { indicators: [ind('f', 'y')] },
    'an indicator another rule has gained': { indicators: [ind('f', 'x'), ind('f', 'y'), ind('f', 'new')] },
    'an event changed': { events: [okta('e2')] },
    'nothing of the pass changed': {},
  };
  for (const [label, change] of Object.entries(changes)) {
    const after = corpus(change);
    const moved = outcomeMayMove(after, new Map<PassRule, PassRule>([[after[0]!, before[0]!]]), new Set());
    assert.notEqual(moved, 'all', label);
    const changed = after.filter((rule, i) => passSignature(rule) !== passSignature(before[i]!)).map((r) => r.id);
    for (const id of changed) assert.ok((moved as Set<PassRule>).has(after.find((r) => r.id === id)!), `${label}: ${id} moved unnoticed`);
    assert.ok(!(moved as Set<PassRule>).has(after[4]!), `${label}: the unrelated rule is left alone`);
    if (label !== 'nothing of the pass changed') assert.ok(changed.length > 1, `${label}: the case moves other rules`);
  }
});

test('outcomeMayMove: a changed event name while rules match event patterns means every rule', () => {
  const before = corpus();
  const after = corpus({ events: [okta('e7')] });
  after[4]!.eventPatterns = [{ provider: 'okta', op: 'startswith', value: 'e', nativeOp: 'startswith' }];
  assert.equal(outcomeMayMove(after, new Map([[after[0]!, before[0]!]]), new Set()), 'all');
});

test('a correlation rule watches the events of the rules it correlates, an absent member not included', () => {
  const trail = (event: string): EventRef => ({ provider: 'aws-cloudtrail', event });
  const made = [
    makeRule({ nativeId: 'Keys.Created', platform: 'panther', events: [trail('CreateAccessKey')] }),
    makeRule({ nativeId: 'Keys.Used', platform: 'panther', events: [trail('GetCallerIdentity'), trail('CreateAccessKey')] }),
    // Same native id on another platform: not the member.
    makeRule({ nativeId: 'Keys.Used', platform: 'sigma', events: [trail('ListBuckets')] }),
    makeRule({ nativeId: 'Group', platform: 'panther', inheritsEventsFrom: ['Keys.Created', 'Keys.Used', 'Missing'] }),
  ];
  const dict = new MemoryDictionary();
  const rules = made.map((r) => passRuleOf(coreOf(r), dict));
  runPass(rules, dict);
  assert.deepEqual(rules[3]!.events, [
    { provider: 'aws-cloudtrail', event: 'CreateAccessKey', via: 'rule Keys.Created' },
    { provider: 'aws-cloudtrail', event: 'GetCallerIdentity', via: 'rule Keys.Used' },
  ]);
  // Watching the same events, it links to its members as they link to each other.
  assert.ok(rules[3]!.sameActionList?.some((r) => r.nativeId === 'Keys.Created'));
  // A member's events changed: the correlation rule's outcome may move with it.
  const moved = outcomeMayMove(rules, new Map([[rules[0]!, rules[0]!]]), new Set());
  assert.ok(moved === 'all' || moved.has(rules[3]!));
  // The stored pass input keeps what it correlates (a sync runs the pass from it).
  assert.deepEqual(passRuleFromStored(rules[3]!, passInputJson(rules[3]!)).inheritsEventsFrom, ['Keys.Created', 'Keys.Used', 'Missing']);
});
