// `hasattr(f, "get")` of a field (mapping-methods.ts): the value is a mapping.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (lines: string[]): EvaluatedRule => modelRule([...lines, ''].join('\n'), 'Custom.Log');
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'Custom.Log');

describe('hasattr of a mapping method', () => {
  it('holds on a mapping, not on a list, a text or a missing field', () => {
    const rule = ruleOf(['def rule(event):', '    return hasattr(event.get("p"), "get")']);
    assert.equal(fires(rule, { p: { a: 1 } }), 'yes');
    assert.equal(fires(rule, { p: [{ a: 1 }] }), 'no');
    assert.equal(fires(rule, { p: 'text' }), 'no');
    assert.equal(fires(rule, {}), 'no');
  });

  it('tells a dict of parameters from a list of them, as a lookup helper does', () => {
    const rule = ruleOf([
      'def lookup(params, key):',
      '    if hasattr(params, "items") and not isinstance(params, list):',
      '        return params.get(key)',
      '    for param in params:',
      '        if param.get("name") == key:',
      '            return param.get("value")',
      '    return None',
      '',
      'def rule(event):',
      '    return lookup(event.get("p"), "v") == "x"',
    ]);
    assert.equal(fires(rule, { p: { v: 'x' } }), 'yes');
    assert.equal(fires(rule, { p: { v: 'y' } }), 'no');
    assert.equal(fires(rule, { p: [{ name: 'v', value: 'x' }] }), 'yes');
  });

  it('another attribute stays unread', () => {
    const rule = ruleOf(['def rule(event):', '    return hasattr(event.get("p"), "startswith")']);
    assert.equal(fires(rule, { p: 'a' }), 'unknown');
  });
});
