// A name a loop assigns on its way to `break` leaves the loop with a value the model does not read:
// tests of it after the loop are unknown, not answered for the value it had before the loop
// (break-assignments.ts). Flags set before a break keep their reading (flags.ts).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (lines: string[]): EvaluatedRule => modelRule([...lines, ''].join('\n'), 'Custom.Log');
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'Custom.Log');

describe('a name assigned before a break', () => {
  it('is not read after the loop as the value it had before', () => {
    const rule = ruleOf([
      'def rule(event):',
      '    key = event.get("key", "")',
      '    if not key:',
      '        for r in event.get("resources", []):',
      '            if r.get("type") == "X":',
      '                key = r.get("arn", "")',
      '                break',
      '    return key == "abc"',
    ]);
    // Python: key is "abc" from the resource, and the rule fires.
    assert.equal(fires(rule, { resources: [{ type: 'X', arn: 'abc' }] }), 'unknown');
  });

  it('leaves a flag set before a break read as the flag', () => {
    const rule = ruleOf([
      'def rule(event):',
      '    found = False',
      '    for r in event.get("resources", []):',
      '        if r.get("type") == "X":',
      '            found = True',
      '            break',
      '    return found',
    ]);
    assert.equal(fires(rule, { resources: [{ type: 'Y' }, { type: 'X' }] }), 'yes');
    assert.equal(fires(rule, { resources: [{ type: 'Y' }] }), 'no');
  });

  it('keeps a name assigned only after the statements that break', () => {
    const rule = ruleOf([
      'def rule(event):',
      '    name = event.get("name")',
      '    for r in event.get("resources", []):',
      '        if r.get("stop"):',
      '            break',
      '        name = event.get("name")',
      '    return name == "a"',
    ]);
    assert.equal(fires(rule, { name: 'a', resources: [{ stop: true }] }), 'yes');
    assert.equal(fires(rule, { name: 'b' }), 'no');
  });
});
