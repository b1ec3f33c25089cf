// `x = x if isinstance(x, list) else [x]`, then a loop over x: one value is walked as a list of
// itself, as after the statement form `if not isinstance(x, list): x = [x]`.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (lines: string[]): EvaluatedRule => modelRule([...lines, ''].join('\n'), 'Custom.Log');
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'Custom.Log');

describe('a value wrapped in a list by a conditional expression', () => {
  it('is walked element by element, one value as itself', () => {
    const rule = ruleOf([
      'def rule(event):',
      '    auths = event.deep_walk("p", "auth", default=[])',
      '    auths = auths if isinstance(auths, list) else [auths]',
      '    for auth in auths:',
      '        if auth.get("granted", False) and auth.get("permission", "") == "keys.create":',
      '            return True',
      '    return False',
    ]);
    assert.equal(
      fires(rule, {
        p: {
          auth: [
            { granted: false, permission: 'keys.create' },
            { granted: true, permission: 'keys.create' },
          ],
        },
      }),
      'yes',
    );
    assert.equal(fires(rule, { p: { auth: { granted: true, permission: 'keys.create' } } }), 'yes');
    assert.equal(fires(rule, { p: { auth: { granted: false, permission: 'keys.create' } } }), 'no');
    assert.equal(fires(rule, {}), 'no');
  });
});
