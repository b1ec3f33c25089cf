// A helper's parameter with a type and a default (`def f(v: str, n: int = 28)`), bound when a call
// leaves it out as the untyped one is (conditions.ts helperScope): the default, else the keyword given.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const log = 'Custom.Log';

describe('a typed parameter with a default', () => {
  const code = (call: string) =>
    'def long_enough(v: str, n: int = 8) -> bool:\n' +
    '    if len(v) < n:\n' +
    '        return False\n' +
    '    return True\n' +
    `def rule(event):\n    return long_enough(${call})\n`;

  it('takes the default where the call leaves it out', () => {
    const rule = modelRule(code('event.get("x")'), log);
    assert.equal(modelFires(rule, { x: 'abcdefgh' }, log), 'yes');
    assert.equal(modelFires(rule, { x: 'abc' }, log), 'no');
  });

  it('takes the keyword the call gives', () => {
    const rule = modelRule(code('event.get("x"), n=3'), log);
    assert.equal(modelFires(rule, { x: 'abc' }, log), 'yes');
    assert.equal(modelFires(rule, { x: 'ab' }, log), 'no');
  });
});
