// `all(k in C for k in f.keys())` of a mapping field (mapping-keys.ts): every key among C.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (code: string): EvaluatedRule => modelRule(code, 'Custom.Log');
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'Custom.Log');

describe('all() over the keys of a mapping field', () => {
  it('every key among the constants: one key outside fails it, no keys at all hold', () => {
    const rule = ruleOf(
      ['SAFE = {"p-1", "p-2"}', '', 'def rule(event):', '    return all(k in SAFE for k in event.get("policies", {}).keys())', ''].join(
        '\n',
      ),
    );
    assert.equal(fires(rule, { policies: { 'p-1': { a: 1 }, 'p-2': {} } }), 'yes');
    assert.equal(fires(rule, { policies: { 'p-1': {}, 'p-3': {} } }), 'no');
    assert.equal(fires(rule, { policies: {} }), 'yes');
    // A key is compared with its case, and a list has no keys() (AttributeError): not evaluated.
    assert.equal(fires(rule, { policies: { 'P-1': {} } }), 'no');
    assert.equal(fires(rule, { policies: ['p-1'] }), 'unknown');
  });

  it('not in, under a not, beside another test', () => {
    const rule = ruleOf(
      [
        'def rule(event):',
        '    if event.get("kind") != "lb":',
        '        return False',
        '    return not all(k not in ["bad"] for k in event.deep_get("a", "tags").keys())',
        '',
      ].join('\n'),
    );
    assert.equal(fires(rule, { kind: 'lb', a: { tags: { bad: 1, ok: 2 } } }), 'yes');
    assert.equal(fires(rule, { kind: 'lb', a: { tags: { ok: 2 } } }), 'no');
    assert.equal(fires(rule, { kind: 'other', a: { tags: { bad: 1 } } }), 'no');
  });

  it('a test other than membership in constants is not read as one', () => {
    const rule = ruleOf(['def rule(event):', '    return all(k.startswith("x") for k in event.get("m").keys())', ''].join('\n'));
    assert.equal(fires(rule, { m: { xa: 1 } }), 'unknown');
  });
});
