// A helper of the rule's module that returns several fields at once (`return key, value`), unpacked
// by the caller (`key, value = helper(event)`): each name is its own field (tuple-unpacking.ts
// `returnedTuple`, read by conditions.ts `bindTarget`).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (code: string): EvaluatedRule => modelRule(code, 'Custom.Log');
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'Custom.Log');

const helper = [
  'def key_value(event):',
  '    """The setting changed and its new value."""',
  '    key = event.deep_get("params", "key")',
  '    value = event.deep_get("params", "value")',
  '    return key, value',
  '',
];

describe('a helper returning a tuple of fields, unpacked', () => {
  it('binds each name to its own field', () => {
    const rule = ruleOf(
      [
        ...helper,
        'def rule(event):',
        '    key, value = key_value(event)',
        '    return key in ["mfa", "audit"] and value == "false"',
        '',
      ].join('\n'),
    );
    assert.equal(fires(rule, { params: { key: 'mfa', value: 'false' } }), 'yes');
    assert.equal(fires(rule, { params: { key: 'mfa', value: 'true' } }), 'no');
    assert.equal(fires(rule, { params: { key: 'theme', value: 'false' } }), 'no');
  });

  it('a name left out with `_` still binds the others, inside another helper', () => {
    const rule = ruleOf(
      [
        ...helper,
        'def is_critical(event):',
        '    key, _ = key_value(event)',
        '    return key in ["mfa", "audit"]',
        '',
        'def rule(event):',
        '    return is_critical(event)',
        '',
      ].join('\n'),
    );
    assert.equal(fires(rule, { params: { key: 'audit' } }), 'yes');
    assert.equal(fires(rule, { params: { key: 'theme' } }), 'no');
  });

  it('unpacked into another count of names: not read', () => {
    const rule = ruleOf(
      [...helper, 'def rule(event):', '    key, value, extra = key_value(event)', '    return key == "mfa"', ''].join('\n'),
    );
    assert.equal(fires(rule, { params: { key: 'mfa', value: 'x' } }), 'unknown');
  });
});
