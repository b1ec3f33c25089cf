// deep_get / deep_walk of a constant dict (constant-deep-get.ts): an allow list's entries read as the
// constants panther_base_helpers gives for them; a bound name in an empty list or tuple (conditions.ts).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { constantDeepGet } from './constant-deep-get.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (code: string[]): EvaluatedRule => modelRule(code.join('\n'), 'Custom.Log');
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'Custom.Log');

describe('deep_get / deep_walk of a constant dict', () => {
  it('an allow list walked entry by entry: each entry read through deep_walk, a missing key its default', () => {
    const rule = ruleOf([
      'from panther_base_helpers import deep_walk',
      '',
      'ALLOW = [{"principals": ["a@x.com", "b@x.com"]}, {"projects": ["p1"]}]',
      '',
      'def rule(event):',
      '    for allowed in ALLOW:',
      '        if event.get("user") in deep_walk(allowed, "principals", default=[]):',
      '            return False',
      '    return True',
      '',
    ]);
    assert.equal(fires(rule, { user: 'a@x.com' }), 'no');
    assert.equal(fires(rule, { user: 'c@x.com' }), 'yes');
  });

  it('what each getter gives: None and missing keys as the default, deep_walk an empty list as the default', () => {
    const dict = (entries: [string, unknown][]) => ({
      kind: 'collection' as const,
      values: entries.map(([k]) => k),
      entries: entries.map(([k, v]) => [k, v] as never),
    });
    const fallback = { kind: 'scalar' as const, value: 'd' };
    const empty = { kind: 'collection' as const, values: [] };
    const d = dict([
      ['none', { kind: 'scalar', value: null }],
      ['empty', empty],
      ['inner', dict([['x', { kind: 'scalar', value: 1 }]])],
      ['text', { kind: 'scalar', value: 't' }],
    ]);
    assert.deepEqual(constantDeepGet('deep_get', d, ['none'], fallback), fallback);
    assert.deepEqual(constantDeepGet('deep_get', d, ['missing'], fallback), fallback);
    assert.deepEqual(constantDeepGet('deep_get', d, ['empty'], fallback), empty);
    assert.deepEqual(constantDeepGet('deep_walk', d, ['empty'], fallback), fallback);
    assert.deepEqual(constantDeepGet('deep_get', d, ['inner', 'x'], fallback), { kind: 'scalar', value: 1 });
    assert.deepEqual(constantDeepGet('deep_get', d, ['text', 'x'], fallback), fallback);
    assert.deepEqual(constantDeepGet('deep_walk', d, ['text', 'x'], fallback), fallback);
  });
});

describe('a name in an empty list or tuple', () => {
  const code = (empty: string): string[] => [
    'from elsewhere import principal_of',
    '',
    `ALLOWED = ${empty}`,
    '',
    'def rule(event):',
    '    principal = principal_of(event)',
    '    if principal in ALLOWED:',
    '        return False',
    '    return event.get("verb") == "exec"',
    '',
  ];

  it('is never there, whatever the name holds (a value no analysis reads)', () => {
    for (const empty of ['[]', '()']) {
      const rule = ruleOf(code(empty));
      assert.equal(fires(rule, { verb: 'exec' }), 'yes');
      assert.equal(fires(rule, { verb: 'get' }), 'no');
    }
  });

  it('an empty set is not decided: an unhashable value raises there', () => {
    assert.equal(fires(ruleOf(code('set()')), { verb: 'exec' }), 'unknown');
  });
});
