// The event itself read for its truth: a helper returning `event` (found) or `{}` (not found), read
// with `bool(...)` or `if ...:`. Panther calls a rule on an event that always holds its own `p_`
// fields, so the event is a non-empty mapping: true.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (lines: string[]): EvaluatedRule => modelRule([...lines, ''].join('\n'), 'Custom.Log');
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'Custom.Log');

describe('the event read for its truth', () => {
  it('a helper returning the event where it matches, {} elsewhere, is true exactly where it matches', () => {
    const rule = ruleOf([
      'def found(kind, event):',
      '    if event.get("type") == kind:',
      '        return event',
      '    return {}',
      '',
      'def rule(event):',
      '    return bool(found("access", event))',
    ]);
    assert.equal(fires(rule, { type: 'access' }), 'yes');
    assert.equal(fires(rule, { type: 'other' }), 'no');
  });

  it('the bare event in a condition is true', () => {
    const rule = ruleOf(['def rule(event):', '    if event and event.get("a") == 1:', '        return True', '    return False']);
    assert.equal(fires(rule, { a: 1 }), 'yes');
    assert.equal(fires(rule, { a: 2 }), 'no');
  });
});
