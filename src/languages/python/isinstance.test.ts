// `isinstance(f, T)` of a list or a mapping of the event (isinstance.ts): which type it is depends on how
// the code read it (Panther's immutable types, `json.loads`'s list and dict, `deep_walk`'s list).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (lines: string[]): EvaluatedRule => modelRule([...lines, ''].join('\n'), 'Custom.Log');
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'Custom.Log');

describe('isinstance of a list or a mapping', () => {
  it('deep_walk gives a list found, or several values found, as a list; one value as itself', () => {
    const rule = ruleOf(['def rule(event):', '    return isinstance(event.deep_walk("a", "b"), list)']);
    assert.equal(fires(rule, { a: [{ b: 1 }, { b: 2 }] }), 'yes');
    assert.equal(fires(rule, { a: { b: ['x'] } }), 'yes');
    assert.equal(fires(rule, { a: [{ b: 1 }] }), 'no');
    assert.equal(fires(rule, { a: { b: [] } }), 'no');
  });

  it("event.get gives Panther's own immutable list, which is no list", () => {
    const rule = ruleOf([
      'from panther_core.immutable import ImmutableList',
      '',
      'def rule(event):',
      '    value = event.get("x")',
      '    return isinstance(value, ImmutableList) and not isinstance(value, list)',
    ]);
    assert.equal(fires(rule, { x: ['a'] }), 'yes');
    assert.equal(fires(rule, { x: 'a' }), 'no');
  });

  it('a mapping is a Mapping however it was read; a dict only when parsed from JSON', () => {
    const rule = ruleOf([
      'import json',
      'from collections.abc import Mapping',
      '',
      'def rule(event):',
      '    return isinstance(event.get("x"), (Mapping, dict)) and isinstance(json.loads(event.get("y"))["k"], dict)',
    ]);
    assert.equal(fires(rule, { x: { k: 1 }, y: '{"k": {"a": 1}}' }), 'yes');
    assert.equal(fires(rule, { x: 'text', y: '{"k": {"a": 1}}' }), 'no');
    assert.equal(fires(rule, { x: { k: 1 }, y: '{"k": [1]}' }), 'no');
  });

  it('a name the module defines itself is not the type', () => {
    const rule = ruleOf(['class Mapping:', '    pass', '', 'def rule(event):', '    return isinstance(event.get("x"), Mapping)']);
    assert.equal(fires(rule, { x: { k: 1 } }), 'unknown');
  });
});
