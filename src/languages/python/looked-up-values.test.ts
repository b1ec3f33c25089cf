// `f == MAP[g]` / `f != MAP.get(g)`: a field against the value a constant dict gives for another field.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (lines: string[]): EvaluatedRule => modelRule([...lines, ''].join('\n'), 'Custom.Log');
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'Custom.Log');

const mapping = ['EXPECTED = {', '    "lb-a": "acl-1",', '    "lb-b": "acl-2",', '    "lb-c": "acl-1",', '}', ''];

describe('a field compared with a constant dict subscripted by another field', () => {
  it('holds where the field equals the value the other field picks', () => {
    const rule = ruleOf([
      ...mapping,
      'def rule(event):',
      '    if event.get("lb") not in EXPECTED:',
      '        return False',
      '    return event.deep_get("waf", "id") == EXPECTED[event.get("lb")]',
    ]);
    assert.equal(fires(rule, { lb: 'lb-a', waf: { id: 'acl-1' } }), 'yes');
    assert.equal(fires(rule, { lb: 'lb-c', waf: { id: 'acl-1' } }), 'yes');
    assert.equal(fires(rule, { lb: 'lb-b', waf: { id: 'acl-1' } }), 'no');
    assert.equal(fires(rule, { lb: 'lb-b' }), 'no');
    assert.equal(fires(rule, { lb: 'lb-z', waf: { id: 'acl-1' } }), 'no');
  });

  it('is unknown where the key is missing and the subscript raises KeyError', () => {
    const rule = ruleOf([...mapping, 'def rule(event):', '    return event.get("acl") != EXPECTED[event.get("lb")]']);
    assert.equal(fires(rule, { lb: 'lb-a', acl: 'acl-2' }), 'yes');
    assert.equal(fires(rule, { lb: 'lb-a', acl: 'acl-1' }), 'no');
    assert.equal(fires(rule, { lb: 'lb-z', acl: 'acl-1' }), 'unknown');
  });

  it('compares with the default of `.get` where the key is missing', () => {
    const rule = ruleOf([...mapping, 'def rule(event):', '    return EXPECTED.get(event.get("lb"), "none") == event.get("acl")']);
    assert.equal(fires(rule, { lb: 'lb-b', acl: 'acl-2' }), 'yes');
    assert.equal(fires(rule, { lb: 'lb-z', acl: 'none' }), 'yes');
    assert.equal(fires(rule, { lb: 'lb-z', acl: 'acl-1' }), 'no');
  });

  it('reads a dict local to the function shadowing nothing, not a name bound in the rule', () => {
    const rule = ruleOf([
      ...mapping,
      'def rule(event):',
      '    EXPECTED = event.get("table")',
      '    return event.get("acl") == EXPECTED[event.get("lb")]',
    ]);
    assert.equal(fires(rule, { lb: 'lb-a', acl: 'acl-1', table: { 'lb-a': 'acl-9' } }), 'unknown');
  });
});
