// A helper's value compared with a literal list of one element (`lookup(...) != ["private"]`): where
// the helper returns a field, the field is a list of that one element; a constant it returns (None)
// is no list, so `==` fails and `!=` holds there.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (lines: string[]): EvaluatedRule => modelRule([...lines, ''].join('\n'), 'Custom.Log');
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'Custom.Log');

// Two shapes of log, the value read from each: no one field the helper stands for.
const lookup = [
  'def lookup(event, key):',
  '    if event.get("kind") == "flat":',
  '        return event.get(key)',
  '    if not event.get("p"):',
  '        return None',
  '    return event.get("p").get(key)',
  '',
];

describe("a helper's value compared with a literal list of one element", () => {
  it('!= ["x"] holds where the returned field is another list, or where the helper returns None', () => {
    const rule = ruleOf([...lookup, 'def rule(event):', '    return lookup(event, "v") != ["private"]']);
    assert.equal(fires(rule, { p: { v: ['private'] } }), 'no');
    assert.equal(fires(rule, { p: { v: ['people_with_link'] } }), 'yes');
    assert.equal(fires(rule, { p: { v: ['private', 'other'] } }), 'yes');
    assert.equal(fires(rule, {}), 'yes');
    assert.equal(fires(rule, { kind: 'flat', v: ['private'] }), 'no');
  });

  it('== ["x"] holds only where the returned field is that list', () => {
    const rule = ruleOf([...lookup, 'def rule(event):', '    return lookup(event, "v") == ["none"]']);
    assert.equal(fires(rule, { p: { v: ['none'] } }), 'yes');
    assert.equal(fires(rule, { p: { v: ['can_edit'] } }), 'no');
    assert.equal(fires(rule, {}), 'no');
  });

  it('a field compared with a one-element list is still read so', () => {
    const rule = ruleOf(['def rule(event):', '    return event.get("ips") == ["127.0.0.1"]']);
    assert.equal(fires(rule, { ips: ['127.0.0.1'] }), 'yes');
    assert.equal(fires(rule, { ips: ['127.0.0.1', '10.0.0.1'] }), 'no');
  });
});
