// Arithmetic on two fields compared with a number (differences.ts): `e["To"] - e["From"] > N`.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (code: string): EvaluatedRule => modelRule(code, 'Custom.Log');
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'Custom.Log');

describe('arithmetic on two fields compared with a number', () => {
  it('a range of one element wider than a constant, inside a loop over a list field', () => {
    const rule = ruleOf(
      [
        'WIDEST = 10',
        '',
        'def rule(event):',
        '    for rng in event.get("ranges") or []:',
        '        if rng["high"] - rng["low"] > WIDEST:',
        '            return True',
        '    return False',
        '',
      ].join('\n'),
    );
    assert.equal(fires(rule, { ranges: [{ low: 20, high: 30 }] }), 'no');
    assert.equal(fires(rule, { ranges: [{ low: 20, high: 31 }] }), 'yes');
    // One element's own two fields: a wide pair is not made of two elements' fields.
    assert.equal(
      fires(rule, {
        ranges: [
          { low: 0, high: 5 },
          { low: 50, high: 55 },
        ],
      }),
      'no',
    );
    assert.equal(
      fires(rule, {
        ranges: [
          { low: 0, high: 5 },
          { low: 50, high: 99 },
        ],
      }),
      'yes',
    );
    assert.equal(fires(rule, { ranges: [] }), 'no');
  });

  it('where Python raises (None, a text, a missing key) the test is not evaluated', () => {
    const rule = ruleOf(['def rule(event):', '    return event["end"] - event["start"] >= 3', ''].join('\n'));
    assert.equal(fires(rule, { start: 1, end: 4 }), 'yes');
    assert.equal(fires(rule, { start: 1, end: 3.5 }), 'no');
    assert.equal(fires(rule, { start: null, end: 4 }), 'unknown');
    assert.equal(fires(rule, { start: '1', end: 4 }), 'unknown');
    assert.equal(fires(rule, { end: 4 }), 'unknown');
  });

  it('the number on the left, a sum, and a negation', () => {
    const sum = ruleOf(['def rule(event):', '    return 100 <= event.get("a") + event.get("b")', ''].join('\n'));
    assert.equal(fires(sum, { a: 60, b: 40 }), 'yes');
    assert.equal(fires(sum, { a: 60, b: 39 }), 'no');
    // A bool is an int in Python.
    assert.equal(fires(sum, { a: 99, b: true }), 'yes');
    const negated = ruleOf(['def rule(event):', '    return not event.get("a") - event.get("b") == 0', ''].join('\n'));
    assert.equal(fires(negated, { a: 5, b: 5 }), 'no');
    assert.equal(fires(negated, { a: 5, b: 4 }), 'yes');
  });

  it('other arithmetic, or a value that is not a number, is not read as one', () => {
    const product = ruleOf(['def rule(event):', '    return event.get("a") * event.get("b") > 10', ''].join('\n'));
    assert.equal(fires(product, { a: 5, b: 5 }), 'unknown');
    const texts = ruleOf(['def rule(event):', '    return event.get("a") + event.get("b") == "xy"', ''].join('\n'));
    assert.equal(fires(texts, { a: 'x', b: 'y' }), 'unknown');
  });
});
