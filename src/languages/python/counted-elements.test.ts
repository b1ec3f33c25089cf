// How many elements of a list field pass a filter (counted-elements.ts): `len([t for t in f if c]) op n`.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (lines: string[]): EvaluatedRule => modelRule([...lines, ''].join('\n'), 'Custom.Log');
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'Custom.Log');
const threats = (...statuses: unknown[]) => ({ threats: statuses.map((s) => (s === undefined ? {} : { status: s })) });

describe('a count of the elements of a list field passing a filter', () => {
  it('a helper returning the count, compared by the rule: at least n elements pass', () => {
    const rule = ruleOf([
      'def active_count(event):',
      '    return len([t for t in event.get("threats", []) if t.get("status") == "active"])',
      '',
      'def rule(event):',
      '    return active_count(event) >= 3',
    ]);
    assert.equal(fires(rule, threats('active', 'cleared', 'active', 'active')), 'yes');
    assert.equal(fires(rule, threats('active', 'active', 'cleared', 'cleared')), 'no');
    assert.equal(fires(rule, {}), 'no');
  });

  it('each comparison, the number on either side', () => {
    const count = 'len([t for t in event.get("threats", []) if t.get("status") == "active"])';
    const of = (test: string) => ruleOf(['def rule(event):', `    return ${test}`]);
    const two = threats('active', 'x', 'active');
    const one = threats('active', 'x');
    const cases: [string, Record<string, unknown>, Fires][] = [
      [`${count} > 1`, two, 'yes'],
      [`${count} > 1`, one, 'no'],
      [`${count} < 2`, one, 'yes'],
      [`${count} < 2`, two, 'no'],
      [`${count} <= 1`, two, 'no'],
      [`${count} == 2`, two, 'yes'],
      [`${count} == 2`, threats('active', 'active', 'active'), 'no'],
      [`${count} != 2`, one, 'yes'],
      [`2 <= ${count}`, two, 'yes'],
      [`2 <= ${count}`, one, 'no'],
      [`${count} >= 0`, {}, 'yes'],
    ];
    for (const [test, event, expected] of cases) assert.equal(fires(of(test), event), expected, test);
  });

  it('an element whose test cannot be decided leaves the count unknown only where it could change the answer', () => {
    const rule = ruleOf(['def rule(event):', '    return len([t for t in event.get("threats", []) if t["status"] == "active"]) >= 2']);
    assert.equal(fires(rule, threats('active', 'active')), 'yes');
    // `t["status"]` of an element without it raises KeyError: the model does not say.
    assert.notEqual(fires(rule, threats('active', undefined)), 'yes');
    assert.equal(fires(rule, threats('x', 'x', 'x')), 'no');
  });

  it('a set comprehension (repeats dropped) and a helper with another return are not read as counts', () => {
    const set = ruleOf(['def rule(event):', '    return len({t.get("id") for t in event.get("threats", []) if t.get("status")}) >= 2']);
    assert.equal(
      fires(set, {
        threats: [
          { id: 1, status: 'a' },
          { id: 1, status: 'a' },
        ],
      }),
      'unknown',
    );
    const mixed = ruleOf([
      'def count(event):',
      '    if event.get("all"):',
      '        return event.get("total")',
      '    return len([t for t in event.get("threats", []) if t.get("status") == "active"])',
      '',
      'def rule(event):',
      '    return count(event) >= 2',
    ]);
    assert.notEqual(fires(mixed, { all: true, total: 1, ...threats('active', 'active') }), 'yes');
  });
});

describe('the length of a parsed JSON text', () => {
  it('is the length of the list or mapping the text holds, unknown where it holds none', () => {
    const rule = ruleOf([
      'import json',
      '',
      'def rule(event):',
      '    emails = json.loads(event.get("targets", ""))',
      '    return len(emails) > 1',
    ]);
    assert.equal(fires(rule, { targets: '["a@x.com", "b@x.com"]' }), 'yes');
    assert.equal(fires(rule, { targets: '["a@x.com"]' }), 'no');
    // A text of 8 characters, but a list of none: the emptiness is the parsed list's.
    assert.equal(
      fires(
        modelRule(['import json', 'def rule(event):', '    return len(json.loads(event.get("t", ""))) > 0', ''].join('\n'), 'Custom.Log'),
        { t: '[      ]' },
      ),
      'no',
    );
    // json.loads raises on a text that is no JSON, and on a missing field's "".
    assert.equal(fires(rule, { targets: 'a@x.com' }), 'unknown');
    assert.equal(fires(rule, {}), 'unknown');
  });
});

describe('the number of findings of a regex compared with 0', () => {
  it('is whether the regex finds something in the field', () => {
    const of = (test: string) => ruleOf(['import re', '', 'def rule(event):', `    return ${test}`]);
    const found = { arn: 'arn:aws:iam::1:role/Admin' };
    const none = { arn: 'arn:aws:iam::1:role/Dev' };
    for (const test of ['len(re.findall(r"role/Admin", event.get("arn"))) > 0', '0 < len(re.findall("role/Admin", event.get("arn")))']) {
      assert.equal(fires(of(test), found), 'yes', test);
      assert.equal(fires(of(test), none), 'no', test);
    }
    assert.equal(fires(of('len(re.findall("role/Admin", event.get("arn"))) == 0'), none), 'yes');
    // More than one finding is a count the model does not make.
    assert.equal(fires(of('len(re.findall("a", event.get("arn"))) > 1'), found), 'unknown');
  });
});
