// Rows of constants unpacked by a loop (constant-rows.ts): `for key, value in {tuple(kv) for kv in json.loads(T)}`.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (code: string, mocks?: Record<string, unknown>): EvaluatedRule => modelRule(code, 'Custom.Log', mocks);
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'Custom.Log');
const lines = (...l: string[]) => [...l, ''].join('\n');

describe('rows of constants unpacked by a loop', () => {
  it('a JSON text of pairs made tuples: each pair a key and the value it must hold', () => {
    const rule = ruleOf(
      lines(
        'import json',
        '',
        'def rule(event):',
        '    pairs = {tuple(kv) for kv in json.loads(\'[["env", "dmz"], ["zone", "edge"], ["env", "dmz"]]\')}',
        '    for key, value in pairs:',
        '        if event["labels"].get(key) == value:',
        '            return True',
        '    return False',
      ),
    );
    assert.equal(fires(rule, { labels: { env: 'dmz' } }), 'yes');
    assert.equal(fires(rule, { labels: { zone: 'edge', env: 'prod' } }), 'yes');
    // A key of one pair holding the value of the other is no match.
    assert.equal(fires(rule, { labels: { env: 'edge', zone: 'dmz' } }), 'no');
    assert.equal(fires(rule, { labels: {} }), 'no');
  });

  it("a test's mocked text, through a helper taking the rows as a parameter", () => {
    const rule = ruleOf(
      lines(
        'import json',
        'from unittest.mock import MagicMock',
        '',
        'PAIRS = []',
        '',
        'def tagged(event, pairs):',
        '    for name, wanted in pairs:',
        '        if event.get(name) == wanted:',
        '            return True',
        '    return False',
        '',
        'def rule(event):',
        '    global PAIRS',
        '    if isinstance(PAIRS, MagicMock):',
        '        PAIRS = [tuple(p) for p in json.loads(PAIRS())]',
        '    return not tagged(event, PAIRS)',
      ),
      { PAIRS: '[["team", "sec"], ["level", 3]]' },
    );
    assert.equal(fires(rule, { team: 'sec' }), 'no');
    assert.equal(fires(rule, { level: 3 }), 'no');
    assert.equal(fires(rule, { level: '3', team: 'ops' }), 'yes');
  });

  it('rows of other lengths than the names, or not all constants, are not unpacked here', () => {
    const rule = ruleOf(
      lines(
        'import json',
        '',
        'def rule(event):',
        '    for key, value in [tuple(r) for r in json.loads(\'[["a", "b", "c"]]\')]:',
        '        if event.get(key) == value:',
        '            return True',
        '    return False',
      ),
    );
    assert.equal(fires(rule, { a: 'b' }), 'unknown');
  });
});
