// A name bound to a field or a constant by a condition (`x = f.split(s)[-1] if s in f else "<NONE>"`):
// each test on it is read once per branch (chosen-values.ts), the constant's outcome decided now,
// a compiled pattern on it included (constant-regex.ts).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { constantMatches } from './constant-regex.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (lines: string[]): EvaluatedRule => modelRule([...lines, ''].join('\n'), 'Custom.Log');
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'Custom.Log');

describe('a value chosen by a condition', () => {
  it('tries compiled patterns on the field where the condition holds, on the constant where not', () => {
    const rule = ruleOf([
      'import re',
      'PATTERNS = [r"(?i)ransom.*\\.txt$", r"(?i)unknown"]',
      'COMPILED = [re.compile(p) for p in PATTERNS]',
      '',
      'def rule(event):',
      '    resource = event.get("resource", "")',
      '    name = resource.split("/objects/")[-1] if "/objects/" in resource else "<UNKNOWN_FILE>"',
      '    return any(p.match(name) for p in COMPILED)',
    ]);
    assert.equal(fires(rule, { resource: 'b/objects/RANSOM_NOTE.txt' }), 'yes');
    assert.equal(fires(rule, { resource: 'b/objects/report.pdf' }), 'no');
    // No separator: the constant, which the second pattern does not match at its start ("<").
    assert.equal(fires(rule, { resource: 'ransom.txt' }), 'no');
  });

  it('compares the constant branch as Python does', () => {
    const rule = ruleOf([
      'def rule(event):',
      '    user = event.get("user") if event.get("kind") == "person" else "service"',
      '    return user == "service" or user == "root"',
    ]);
    assert.equal(fires(rule, { kind: 'machine', user: 'alice' }), 'yes');
    assert.equal(fires(rule, { kind: 'person', user: 'root' }), 'yes');
    assert.equal(fires(rule, { kind: 'person', user: 'service' }), 'yes');
    assert.equal(fires(rule, { kind: 'person', user: 'alice' }), 'no');
  });
});

describe('a piece of a split or None', () => {
  it('keeps None apart, so that two such pieces compare as texts where both are there', () => {
    const rule = ruleOf([
      'def rule(event):',
      '    old = event.get("old", "<NONE>")',
      '    new = event.get("new", "<NONE>")',
      '    old_domain = old.split("@")[1] if "@" in old else None',
      '    new_domain = new.split("@")[1] if "@" in new else None',
      '    if old_domain is None or new_domain is None:',
      '        return False',
      '    return old_domain != new_domain',
    ]);
    assert.equal(fires(rule, { old: 'a@corp.com', new: 'b@evil.com' }), 'yes');
    assert.equal(fires(rule, { old: 'a@corp.com', new: 'b@corp.com' }), 'no');
    assert.equal(fires(rule, { old: 'a@corp.com', new: 'nobody' }), 'no');
    assert.equal(fires(rule, {}), 'no');
  });
});

describe('a compiled pattern on a constant text', () => {
  it('is decided as the evaluator decides a field', () => {
    assert.equal(constantMatches(['(?i)ab'], true, 'match', 'ABc'), true);
    assert.equal(constantMatches(['b'], false, 'match', 'abc'), false);
    assert.equal(constantMatches(['b'], false, 'search', 'abc'), true);
    assert.equal(constantMatches(['b'], false, 'findall', 'abc'), undefined);
  });
});
