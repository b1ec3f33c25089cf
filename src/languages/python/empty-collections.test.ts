// A helper's value tested against a collection left empty (an allow list a test fills by mocking
// it): nothing is in an empty collection, as for a field (conditions.ts `valueTest`).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (lines: string[], mocks?: Record<string, unknown>): EvaluatedRule =>
  modelRule([...lines, ''].join('\n'), 'Custom.Log', mocks);
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'Custom.Log');

const code = [
  'import json',
  'from unittest.mock import MagicMock',
  '',
  'KNOWN = []',
  '',
  'def who(event):',
  '    if event.get("kind") == "app":',
  '        return event.get("app")',
  '    return event.get("user")',
  '',
  'def rule(event):',
  '    global KNOWN',
  '    if isinstance(KNOWN, MagicMock):',
  '        KNOWN = json.loads(KNOWN())',
  '    if who(event) in KNOWN:',
  '        return False',
  '    return event.get("a") == 1',
];

describe('a helper value in an empty collection', () => {
  it('is in none of it: only the rest of the rule decides', () => {
    const rule = ruleOf(code);
    assert.equal(fires(rule, { kind: 'app', app: 'bob', a: 1 }), 'yes');
    assert.equal(fires(rule, { user: 'bob', a: 1 }), 'yes');
    assert.equal(fires(rule, { user: 'bob', a: 2 }), 'no');
  });

  it('filled by a mock, holds its values', () => {
    const rule = ruleOf(code, { KNOWN: '["bob"]' });
    assert.equal(fires(rule, { user: 'bob', a: 1 }), 'no');
    assert.equal(fires(rule, { user: 'eve', a: 1 }), 'yes');
  });

  it('not in an empty collection holds; a collection with an unknown element stays open', () => {
    const rule = ruleOf([
      'from elsewhere import OTHER',
      '',
      'def who(event):',
      '    if event.get("kind") == "app":',
      '        return event.get("app")',
      '    return event.get("user")',
      '',
      'def rule(event):',
      '    return who(event) not in set() and who(event) not in [OTHER]',
    ]);
    assert.equal(fires(rule, { user: 'bob' }), 'unknown');
  });
});

const loopCode = [
  'import json',
  'from unittest.mock import MagicMock',
  '',
  'ALLOWED = set()',
  '',
  'def external(user):',
  '    global ALLOWED',
  '    if isinstance(ALLOWED, MagicMock):',
  '        ALLOWED = set(json.loads(ALLOWED()))',
  '    for domain in ALLOWED:',
  '        if domain in user:',
  '            return False',
  '    return True',
  '',
  'def rule(event):',
  '    return event.get("a") == 1 and external(event.get("user"))',
];

describe('a loop over a collection left empty', () => {
  it('never runs its body', () => {
    const rule = ruleOf(loopCode);
    assert.equal(fires(rule, { a: 1, user: 'bob@x.com' }), 'yes');
    assert.equal(fires(rule, { a: 2, user: 'bob@x.com' }), 'no');
  });

  it('filled by a mock through set(json.loads(...)), runs over its values', () => {
    const rule = ruleOf(loopCode, { ALLOWED: '["x.com"]' });
    assert.equal(fires(rule, { a: 1, user: 'bob@x.com' }), 'no');
    assert.equal(fires(rule, { a: 1, user: 'bob@y.com' }), 'yes');
  });
});
