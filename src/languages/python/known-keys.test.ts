// A loop over a mapping field's keys acting only on a constant dict's keys (known-keys.ts).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (code: string): EvaluatedRule => modelRule(code, 'Custom.Log');
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'Custom.Log');
const lines = (...l: string[]) => [...l, ''].join('\n');

describe("a loop over a mapping field's keys filtered by a constant dict", () => {
  it('read once per key of the dict: that key present and its value the one wanted', () => {
    const rule = ruleOf(
      lines(
        'EXEMPT = {"owner": "sec", "tier": ["dev", "test"]}',
        '',
        'def rule(event):',
        '    labels = event.get("labels")',
        '    for name in labels:',
        '        if name in EXEMPT.keys():',
        '            if isinstance(EXEMPT[name], str):',
        '                if labels[name] == EXEMPT[name]:',
        '                    return False',
        '            elif labels[name] in EXEMPT[name]:',
        '                return False',
        '    return event.get("public") is True',
      ),
    );
    assert.equal(fires(rule, { public: true, labels: { owner: 'sec' } }), 'no');
    assert.equal(fires(rule, { public: true, labels: { tier: 'test', other: 1 } }), 'no');
    assert.equal(fires(rule, { public: true, labels: { owner: 'ops', tier: 'prod' } }), 'yes');
    // A value that is no mapping: its keys are not read (a list's elements are no keys to index it by).
    assert.equal(fires(rule, { public: true, labels: ['owner'] }), 'unknown');
    assert.equal(fires(rule, { public: false, labels: { x: 1 } }), 'no');
  });
});
