// `(a, b) in PAIRS` of a constant collection of tuples (tuple-membership.ts): some row equal to the
// tuple element by element, each row's elements tested together.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (code: string): EvaluatedRule => modelRule(code, 'Custom.Log');
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'Custom.Log');

const pairs = ['PAIRS = {', '    ("word.exe", "cmd.exe"),', '    ("excel.exe", "powershell.exe"),', '}', ''];

describe('(a, b) in a constant collection of tuples', () => {
  it('a row matches only as a whole: one element from one row and one from another is no match', () => {
    const rule = ruleOf(
      [
        ...pairs,
        'def rule(event):',
        '    parent = event.get("parent", "").lower()',
        '    child = event.get("image", "").lower().split("\\\\")[-1]',
        '    return (parent, child) in PAIRS',
        '',
      ].join('\n'),
    );
    assert.equal(fires(rule, { parent: 'WORD.EXE', image: 'C:\\Windows\\cmd.exe' }), 'yes');
    assert.equal(fires(rule, { parent: 'excel.exe', image: 'powershell.exe' }), 'yes');
    assert.equal(fires(rule, { parent: 'word.exe', image: 'C:\\powershell.exe' }), 'no');
    assert.equal(fires(rule, { parent: 'explorer.exe', image: 'cmd.exe' }), 'no');
  });

  it('not in, a constant element, and rows of another length', () => {
    const rule = ruleOf(
      [
        'ROWS = [("a", 1), ("b", 2, 3)]',
        '',
        'def rule(event):',
        '    return ("a", event.get("n")) not in ROWS and ("b", event.get("n")) not in ROWS',
        '',
      ].join('\n'),
    );
    assert.equal(fires(rule, { n: 1 }), 'no');
    assert.equal(fires(rule, { n: 2 }), 'yes');
  });

  it('a collection with an element that is not a tuple of constants is not read row by row', () => {
    const rule = ruleOf(
      ['ROWS = [("a", 1), OTHER]', '', 'def rule(event):', '    return (event.get("s"), event.get("n")) in ROWS', ''].join('\n'),
    );
    assert.equal(fires(rule, { s: 'a', n: 1 }), 'unknown');
  });
});
