// A dict built from a list of key/value records, read at a constant key (kv-dicts.ts): the last
// element with the key decides; elements that disagree, or one without the key or value field,
// leave the answer unknown; no element with the key gives `.get`'s default.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (code: string): EvaluatedRule => modelRule(code, 'Custom.Log');
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'Custom.Log');

const helpers = [
  'def pairs_to_dict(records, key, value):',
  '    return {item[key]: item[value] for item in records}',
  '',
  'def settings(event):',
  '    return pairs_to_dict(event.deep_get("event", "Pairs", default=[]), "Key", "Value")',
  '',
];
const pairs = (...kv: [string, string][]) => ({ event: { Pairs: kv.map(([Key, Value]) => ({ Key, Value })) } });

describe('d.get("k") == C of a dict built from key/value records', () => {
  const rule = (): EvaluatedRule =>
    ruleOf(
      [
        ...helpers,
        'def rule(event):',
        '    found = settings(event)',
        '    return found.get("active") == "false" and found.get("old_active") == "true"',
        '',
      ].join('\n'),
    );

  it('is the value of the element with that key', () => {
    assert.equal(fires(rule(), pairs(['active', 'false'], ['old_active', 'true'])), 'yes');
    assert.equal(fires(rule(), pairs(['active', 'true'], ['old_active', 'true'])), 'no');
  });

  it('gives None where no element has the key', () => {
    assert.equal(fires(rule(), pairs(['active', 'false'])), 'no');
    assert.equal(fires(rule(), {}), 'no');
  });

  it('agreeing elements with the same key decide; disagreeing ones leave it unknown (the last wins)', () => {
    assert.equal(fires(rule(), pairs(['active', 'false'], ['active', 'false'], ['old_active', 'true'])), 'yes');
    assert.equal(fires(rule(), pairs(['active', 'false'], ['active', 'true'], ['old_active', 'true'])), 'unknown');
  });

  it('an element without the key or the value field raises: unknown', () => {
    const event = pairs(['active', 'false'], ['old_active', 'true']);
    event.event.Pairs.push({ Value: 'x' } as { Key: string; Value: string });
    assert.equal(fires(rule(), event), 'unknown');
  });
});

describe('d.get("k", default) != C', () => {
  it('compares the default where no element has the key', () => {
    const rule = ruleOf([...helpers, 'def rule(event):', '    return settings(event).get("mode", "off") != "off"', ''].join('\n'));
    assert.equal(fires(rule, pairs(['mode', 'on'])), 'yes');
    assert.equal(fires(rule, pairs(['mode', 'off'])), 'no');
    assert.equal(fires(rule, pairs(['other', 'on'])), 'no');
  });
});

describe('a name bound to d.get("k"), sought in constants', () => {
  it('is the entry, in or not in the collection', () => {
    const rule = ruleOf(
      [
        ...helpers,
        'ADMINS = ["root", "admin"]',
        '',
        'def rule(event):',
        '    user = settings(event).get("user")',
        '    return user in ADMINS',
        '',
      ].join('\n'),
    );
    assert.equal(fires(rule, pairs(['user', 'admin'])), 'yes');
    assert.equal(fires(rule, pairs(['user', 'bob'])), 'no');
    assert.equal(fires(rule, pairs(['group', 'admin'])), 'no');
  });
});
