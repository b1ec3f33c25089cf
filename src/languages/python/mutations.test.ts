// A collection changed in place (mutations.ts) is no longer the constant it was bound to; a rule
// that never returns a truthy value is read as never firing (index.ts), not as text.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (lines: string[]): EvaluatedRule => modelRule([...lines, ''].join('\n'), 'Custom.Log');
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'Custom.Log');

describe('a rule that never returns a truthy value', () => {
  it('never fires, on any event', () => {
    const rule = ruleOf(['ALLOWED = []', '', 'def rule(event):', '    return event.get("kind") == "x" and "admin" in ALLOWED']);
    assert.equal(fires(rule, { kind: 'x' }), 'no');
    assert.equal(fires(rule, {}), 'no');
  });
});

describe('a collection changed in place', () => {
  it('a subscript assignment: the dict is no longer the empty constant', () => {
    const rule = ruleOf([
      'def rule(event):',
      '    hits = {}',
      '    if event.get("kind") == "x":',
      '        hits[event.get("name")] = 1',
      '    return bool(hits)',
    ]);
    assert.equal(fires(rule, { kind: 'x', name: 'n' }), 'unknown');
  });

  it('a mutating method in a helper: the list it returns is not read as empty', () => {
    const rule = ruleOf([
      'def found_in(items):',
      '    found = []',
      '    for item in items:',
      '        if item.get("bad"):',
      '            found.extend([item])',
      '    return found',
      '',
      'def rule(event):',
      '    if event.get("kind") != "x":',
      '        return False',
      '    if found_in(event.get("items") or []):',
      '        return True',
      '    return False',
    ]);
    assert.equal(fires(rule, { kind: 'x', items: [{ bad: true }] }), 'unknown');
    assert.equal(fires(rule, { kind: 'y' }), 'no');
  });

  it('a module constant changed by the rule, through `global`', () => {
    const rule = ruleOf([
      'MATCHED = {}',
      '',
      'def rule(event):',
      '    global MATCHED',
      '    MATCHED = {}',
      '    for ip in event.get("ips", []):',
      '        MATCHED.setdefault(ip, []).append(1)',
      '    return bool(MATCHED)',
    ]);
    assert.equal(fires(rule, { ips: ['1.2.3.4'] }), 'unknown');
  });

  it('`del` of an entry', () => {
    const rule = ruleOf([
      'def rule(event):',
      '    seen = {"a": 1}',
      '    if event.get("drop"):',
      '        del seen["a"]',
      '    return not seen',
    ]);
    assert.equal(fires(rule, { drop: true }), 'unknown');
  });

  it('a constant only read, never changed, is still the constant', () => {
    const rule = ruleOf(['KINDS = ["x"]', '', 'def rule(event):', '    kinds = list(KINDS)', '    return event.get("kind") in KINDS']);
    assert.equal(fires(rule, { kind: 'x' }), 'yes');
    assert.equal(fires(rule, { kind: 'y' }), 'no');
  });
});
