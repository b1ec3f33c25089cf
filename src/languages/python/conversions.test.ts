// `str(f)` / `int(f)` of a field tested (conversions.ts): the event's value converted before the
// test, so a number the event holds compares as the text the code made of it.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (code: string): EvaluatedRule => modelRule(code, 'Custom.Log');
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'Custom.Log');

describe('a converted value tested', () => {
  it('str(f).startswith(x): a number the event holds is tested as its text, the default too', () => {
    const rule = ruleOf(
      [
        'def rule(event):',
        '    status = str(event.deep_get("http", "status", default=000))',
        '    if status.startswith("2") or status.startswith("3"):',
        '        return False',
        '    return True',
        '',
      ].join('\n'),
    );
    assert.equal(fires(rule, { http: { status: 302 } }), 'no');
    assert.equal(fires(rule, { http: { status: 200 } }), 'no');
    assert.equal(fires(rule, { http: { status: 403 } }), 'yes');
    assert.equal(fires(rule, { http: { status: '301' } }), 'no');
    assert.equal(fires(rule, {}), 'yes');
  });

  it('"x" in str(f) and str(f).endswith(x) of a number; str(True) is "True"', () => {
    const rule = ruleOf('def rule(event):\n    return "04" in str(event.get("code")) or str(event.get("flag")).endswith("ue")\n');
    assert.equal(fires(rule, { code: 1404 }), 'yes');
    assert.equal(fires(rule, { code: 1500 }), 'no');
    assert.equal(fires(rule, { flag: true }), 'yes');
    assert.equal(fires(rule, { flag: false }), 'no');
  });

  it('str() of a list or a mapping is its repr: quotes, None, True, nested values; tested whole', () => {
    const rule = ruleOf(
      [
        'def rule(event):',
        '    text = str(event.get("audience"))',
        '    return "\'public\'" in text or \'"it\\\'s"\' in text or text == "[None, True, 1]"',
        '',
      ].join('\n'),
    );
    assert.equal(fires(rule, { audience: [{ type: 'public' }] }), 'yes');
    assert.equal(fires(rule, { audience: [{ type: 'org' }, { type: 'public' }] }), 'yes');
    assert.equal(fires(rule, { audience: [{ type: 'org' }] }), 'no');
    assert.equal(fires(rule, { audience: { who: "it's" } }), 'yes');
    assert.equal(fires(rule, { audience: [null, true, 1] }), 'yes');
    // A text is itself: str("public") has no quotes.
    assert.equal(fires(rule, { audience: 'public' }), 'no');
  });
});
