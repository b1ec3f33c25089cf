// A list grown in a loop, read for its truth after it (accumulators.ts).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (lines: string[]): EvaluatedRule => modelRule([...lines, ''].join('\n'), 'Custom.Log');
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'Custom.Log');

describe('a list grown in a loop', () => {
  it('appended to under a condition: not empty where some element meets it', () => {
    const rule = ruleOf([
      'def bad(items):',
      '    found = []',
      '    for item in items:',
      '        if item.get("kind") == "bad":',
      '            found.append(item.get("name"))',
      '    return found',
      '',
      'def rule(event):',
      '    if bad(event.get("items", [])):',
      '        return True',
      '    return False',
    ]);
    assert.equal(fires(rule, { items: [{ kind: 'ok' }, { kind: 'bad', name: 'x' }] }), 'yes');
    assert.equal(fires(rule, { items: [{ kind: 'ok' }] }), 'no');
    assert.equal(fires(rule, {}), 'no');
  });

  it('extended: not empty where what it is extended with is not empty', () => {
    const rule = ruleOf([
      'def rule(event):',
      '    found = []',
      '    for c in event.get("containers", []):',
      '        found.extend(c.get("caps", []))',
      '    return bool(found)',
    ]);
    assert.equal(fires(rule, { containers: [{ caps: [] }, { caps: ['SYS_ADMIN'] }] }), 'yes');
    assert.equal(fires(rule, { containers: [{ caps: [] }] }), 'no');
  });

  it('a list the body also shrinks stays unread', () => {
    const rule = ruleOf([
      'def rule(event):',
      '    found = []',
      '    for item in event.get("items", []):',
      '        found.append(item)',
      '        found.pop()',
      '    return bool(found)',
    ]);
    assert.equal(fires(rule, { items: ['a'] }), 'unknown');
  });
});
