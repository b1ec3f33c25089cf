// A value with a constant fallback compared in order with a number (fallbacks.ts): the field's
// test where the value is the field, the constant's decided test elsewhere.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (code: string): EvaluatedRule => modelRule(code, 'Custom.Log');
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'Custom.Log');

describe('a value with a constant fallback compared with a number', () => {
  it('int(f if f else 0) > N: the field over N; missing, the fallback is not', () => {
    const rule = ruleOf(
      'MAX = 10\n\ndef rule(event):\n    attempts = event.deep_get("parameters", "N")\n    return int(attempts if attempts else 0) > MAX\n',
    );
    assert.equal(fires(rule, { parameters: { N: '12' } }), 'yes');
    assert.equal(fires(rule, { parameters: { N: 12 } }), 'yes');
    assert.equal(fires(rule, { parameters: { N: '3' } }), 'no');
    assert.equal(fires(rule, {}), 'no');
    assert.equal(rule.stages[0]?.condition?.kind, 'and');
  });

  it('(f or K) < N where the fallback passes: the field passes or is falsy; the number on the left flips', () => {
    const under = ruleOf('def rule(event):\n    return (event.get("count") or 0) < 5\n');
    assert.equal(fires(under, { count: 2 }), 'yes');
    assert.equal(fires(under, { count: 9 }), 'no');
    assert.equal(fires(under, {}), 'yes');
    assert.equal(fires(under, { count: 0 }), 'yes');
    const flipped = ruleOf('def rule(event):\n    return 5 <= float(event.get("score") if event.get("enabled") else 0)\n');
    assert.equal(fires(flipped, { enabled: true, score: 7.5 }), 'yes');
    assert.equal(fires(flipped, { enabled: false, score: 7.5 }), 'no');
  });

  it('a fallback that is not a number is not read so (`a or b` stays the field alone); a conversion the module defines stays text', () => {
    const text = ruleOf('def rule(event):\n    return (event.get("count") or "none") > 5\n');
    assert.equal(text.stages[0]?.condition?.kind, 'pred');
    const shadowed = ruleOf('def int(x):\n    return 0\n\ndef rule(event):\n    return int(event.get("count") or 0) > 5\n');
    assert.equal(shadowed.stages.find((s) => s.kind === 'rule')?.condition?.kind, 'other');
  });
});
