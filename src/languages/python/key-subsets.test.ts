// Constant keys all present in a mapping field (key-subsets.ts): `C.issubset(f.keys())`, `"k" in f.keys()`.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (code: string): EvaluatedRule => modelRule(code, 'Custom.Log');
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'Custom.Log');
const lines = (...l: string[]) => [...l, ''].join('\n');

describe('constant keys all present in a mapping field', () => {
  it('a constant set, a subset of the keys of the field', () => {
    const rule = ruleOf(
      lines('NEEDED = {"owner", "team"}', '', 'def rule(event):', '    return NEEDED.issubset(event.get("labels").keys())'),
    );
    assert.equal(fires(rule, { labels: { owner: 'a', team: 'b', x: 1 } }), 'yes');
    assert.equal(fires(rule, { labels: { owner: 'a' } }), 'no');
    // Keys compare with their case; a list has no keys() and None none either (AttributeError): not evaluated.
    assert.equal(fires(rule, { labels: { Owner: 'a', team: 'b' } }), 'no');
    assert.equal(fires(rule, { labels: ['owner', 'team'] }), 'unknown');
    assert.equal(fires(rule, {}), 'unknown');
  });

  it('the collection a field picks from a constant dict, the field emptied where falsy', () => {
    const rule = ruleOf(
      lines(
        'NEEDED = {"vm": ["owner", "team"], "disk": ["owner"]}',
        '',
        'def rule(event):',
        '    if event.get("kind") not in NEEDED:',
        '        return False',
        '    needed = set(NEEDED[event.get("kind")])',
        '    labels = event.get("labels")',
        '    if not labels:',
        '        labels = {}',
        '    present = labels.keys()',
        '    return not needed.issubset(present)',
      ),
    );
    assert.equal(fires(rule, { kind: 'vm', labels: { owner: 'a', team: 'b' } }), 'no');
    assert.equal(fires(rule, { kind: 'vm', labels: { owner: 'a' } }), 'yes');
    assert.equal(fires(rule, { kind: 'disk', labels: { owner: 'a' } }), 'no');
    // None, or any falsy value, became {}: no keys at all.
    assert.equal(fires(rule, { kind: 'disk', labels: null }), 'yes');
    assert.equal(fires(rule, { kind: 'disk', labels: '' }), 'yes');
    assert.equal(fires(rule, { kind: 'disk' }), 'yes');
    assert.equal(fires(rule, { kind: 'other', labels: {} }), 'no');
  });

  it('one key sought in the keys, the field emptied only where None', () => {
    const rule = ruleOf(
      lines(
        'def rule(event):',
        '    labels = event.get("labels")',
        '    if labels is None:',
        '        labels = {}',
        '    keys = labels.keys()',
        '    return "owner" not in keys',
      ),
    );
    assert.equal(fires(rule, { labels: { owner: 1 } }), 'no');
    assert.equal(fires(rule, { labels: { team: 1 } }), 'yes');
    assert.equal(fires(rule, {}), 'yes');
    // '' is not None: it stays, and ''.keys() raises.
    assert.equal(fires(rule, { labels: '' }), 'unknown');
  });
});
