// A helper that returns a collection it builds from a field (`[v.lower() for v in f]`, directly or
// through a name): `C in helper(...)` is C equal to one of the field's elements, as the comprehension
// written in the rule is (conditions.ts listedReturn).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (lines: string[]): EvaluatedRule => modelRule([...lines, ''].join('\n'), 'Custom.Log');
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'Custom.Log');

describe('a helper returning a collection built from a field', () => {
  it('reads `C in helper(f)` as an element of the field, lowered as the comprehension lowers it', () => {
    const rule = ruleOf([
      'def controls(policy):',
      '    found = policy.get("controls", [])',
      '    lowered = [c.lower() for c in found]',
      '    return lowered',
      '',
      'def rule(event):',
      '    return "mfa" in controls(event.get("old", {})) and "mfa" not in controls(event.get("new", {}))',
    ]);
    assert.equal(fires(rule, { old: { controls: ['Block', 'MFA'] }, new: { controls: ['block'] } }), 'yes');
    assert.equal(fires(rule, { old: { controls: ['MFA'] }, new: { controls: ['mfa'] } }), 'no');
    assert.equal(fires(rule, { old: { controls: ['mfa-extra'] }, new: {} }), 'no');
  });

  it('reads a comprehension returned directly, through a parsed JSON text', () => {
    const rule = ruleOf([
      'import json',
      '',
      'def kinds(text):',
      '    parsed = json.loads(text)',
      '    return [k.lower() for k in parsed.get("kinds", [])]',
      '',
      'def rule(event):',
      '    return "admin" in kinds(event.get("doc", "{}"))',
    ]);
    assert.equal(fires(rule, { doc: '{"kinds": ["User", "Admin"]}' }), 'yes');
    assert.equal(fires(rule, { doc: '{"kinds": ["User"]}' }), 'no');
  });

  it('leaves a helper whose returns are not all that collection as text', () => {
    const rule = ruleOf([
      'def names(event):',
      '    if event.get("flag"):',
      '        return [n.lower() for n in event.get("a", [])]',
      '    return [n.lower() for n in event.get("b", [])]',
      '',
      'def rule(event):',
      '    return "x" in names(event)',
    ]);
    assert.equal(fires(rule, { flag: true, a: ['X'] }), 'unknown');
  });
});
