// `a, b = x, y` and `a, b = helper(event)` (tuple-unpacking.ts): each name is its own element.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (code: string): EvaluatedRule => modelRule(code, 'Custom.Log');
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'Custom.Log');

const helper = [
  'def key_and_value(event):',
  '    key = event.deep_get("request", "key")',
  '    value = event.deep_get("request", "value")',
  '    return key, value',
  '',
];

describe('a, b = helper(event) with the helper ending in return x, y', () => {
  it('each name is the field the helper returns in its place', () => {
    const rule = ruleOf(
      [
        ...helper,
        'def rule(event):',
        '    key, value = key_and_value(event)',
        '    if key == "auditLogs" and value == "false":',
        '        return False',
        '    return key in ["auditLogs", "mfa"]',
        '',
      ].join('\n'),
    );
    assert.equal(fires(rule, { request: { key: 'mfa', value: 'false' } }), 'yes');
    assert.equal(fires(rule, { request: { key: 'auditLogs', value: 'true' } }), 'yes');
    assert.equal(fires(rule, { request: { key: 'auditLogs', value: 'false' } }), 'no');
    assert.equal(fires(rule, { request: { key: 'other', value: 'false' } }), 'no');
  });

  it('a name unpacked inside another helper the rule calls', () => {
    const rule = ruleOf(
      [
        ...helper,
        'def is_critical(event):',
        '    key, _ = key_and_value(event)',
        '    return key in ["auditLogs", "mfa"]',
        '',
        'def rule(event):',
        '    return is_critical(event)',
        '',
      ].join('\n'),
    );
    assert.equal(fires(rule, { request: { key: 'mfa' } }), 'yes');
    assert.equal(fires(rule, { request: { key: 'x' } }), 'no');
  });

  it('a helper that may return early is not unpacked', () => {
    const rule = ruleOf(
      [
        'def key_and_value(event):',
        '    if not event.get("request"):',
        '        return None',
        '    return event.deep_get("request", "key"), event.deep_get("request", "value")',
        '',
        'def rule(event):',
        '    key, value = key_and_value(event)',
        '    return key == "mfa"',
        '',
      ].join('\n'),
    );
    assert.equal(fires(rule, { request: { key: 'mfa' } }), 'unknown');
  });
});

describe('a, b = x, y', () => {
  it('each name is its own element, a field or a constant', () => {
    const rule = ruleOf(
      [
        'def rule(event):',
        '    user, limit = event.get("user", ""), 3',
        '    return user == "root" and event.get("count", 0) > limit',
        '',
      ].join('\n'),
    );
    assert.equal(fires(rule, { user: 'root', count: 4 }), 'yes');
    assert.equal(fires(rule, { user: 'root', count: 2 }), 'no');
    assert.equal(fires(rule, { user: 'alice', count: 4 }), 'no');
  });

  it('a count that does not match leaves the names unknown', () => {
    const rule = ruleOf(['def rule(event):', '    a, b = event.get("a"), event.get("b"), 1', '    return a == "x"', ''].join('\n'));
    assert.equal(fires(rule, { a: 'x' }), 'unknown');
  });
});
