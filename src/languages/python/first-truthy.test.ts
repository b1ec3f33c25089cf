// A helper returning the first truthy of a few constant paths (first-truthy.ts): its value is one
// of those fields, as `deep_get(a) or deep_get(b)` is.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (code: string): EvaluatedRule => modelRule(code, 'Custom.Log');
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'Custom.Log');

const rule = (helper: string[]): EvaluatedRule =>
  ruleOf(
    [
      ...helper,
      '',
      'def rule(event):',
      '    name = first_name(event)',
      '    if not name:',
      '        return False',
      '    return "admin" in name.lower()',
      '',
    ].join('\n'),
  );

describe('the first truthy of constant deep_get paths', () => {
  it('a local list of tuples spread into event.deep_get: each path is read', () => {
    const r = rule([
      'def first_name(event):',
      '    paths = [',
      '        ("params", "group"),',
      '        ("params", "target", "name"),',
      '    ]',
      '    for path in paths:',
      '        value = event.deep_get(*path)',
      '        if value:',
      '            return value',
      '    return None',
    ]);
    assert.equal(fires(r, { params: { group: 'Admins' } }), 'yes');
    assert.equal(fires(r, { params: { target: { name: 'db-admin' } } }), 'yes');
    assert.equal(fires(r, { params: { group: 'users' } }), 'no');
    assert.equal(fires(r, { other: 1 }), 'no');
  });

  it('a module tuple, deep_get(event, *p), a walrus test and a guarded return before the loop', () => {
    const r = rule([
      'PATHS = (("params", "group"),)',
      '',
      'def first_name(event):',
      '    kind = event.get("kind")',
      '    if kind == "role":',
      '        return event.get("role")',
      '    for p in PATHS:',
      '        if found := deep_get(event, *p):',
      '            return found',
      '',
    ]);
    assert.equal(fires(r, { kind: 'role', role: 'admin' }), 'yes');
    assert.equal(fires(r, { params: { group: 'ADMIN' } }), 'yes');
    assert.equal(fires(r, { params: { group: 'staff' } }), 'no');
  });

  it('a path not constant or a value other than the one tested is not read as a field', () => {
    const r = rule([
      'def first_name(event):',
      '    for path in event.get("paths"):',
      '        value = event.deep_get(*path)',
      '        if value:',
      '            return value',
      '    return None',
    ]);
    assert.equal(fires(r, { params: { group: 'admin' } }), 'unknown');
    const other = rule([
      'def first_name(event):',
      '    for path in [("a",), ("b",)]:',
      '        value = event.deep_get(*path)',
      '        if value:',
      '            return "x"',
      '    return None',
    ]);
    assert.equal(fires(other, { a: 'admin' }), 'unknown');
  });
});
