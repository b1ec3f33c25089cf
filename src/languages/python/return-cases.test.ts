// A helper returning a dict on some paths and another value on others (return-cases.ts): a name
// bound to its value is read once per return, under the condition that the helper returns it. A
// name the branches of an `if` bind to different constants is read once per branch the same way.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (code: string): EvaluatedRule => modelRule(code, 'Custom.Log');
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'Custom.Log');

const parse = [
  'import json',
  '',
  'def parse_description(event):',
  '    text = event.get("description", "")',
  '    if text.startswith("{"):',
  '        return json.loads(text)',
  '    if text.startswith("["):',
  '        return {"items": json.loads(text)}',
  '    return {"value": text}',
  '',
];

describe('a name bound to a helper that returns a parsed text or a dict literal', () => {
  it('"k" in it and .get("k") read the parsed text where the helper parses it, the literal elsewhere', () => {
    const rule = ruleOf(
      [
        ...parse,
        'def rule(event):',
        '    description = parse_description(event)',
        '    if "status" in description:',
        '        return description.get("status") == "Bypass"',
        '    return False',
        '',
      ].join('\n'),
    );
    assert.equal(fires(rule, { description: '{"status": "Bypass"}' }), 'yes');
    assert.equal(fires(rule, { description: '{"status": "Active"}' }), 'no');
    assert.equal(fires(rule, { description: '{"phones": 1}' }), 'no');
    // Not a JSON object: the literal holds no "status".
    assert.equal(fires(rule, { description: 'status Bypass' }), 'no');
    assert.equal(fires(rule, { description: '["status"]' }), 'no');
  });

  it('a value read from it and bound to another name, compared or tested for a substring', () => {
    const rule = ruleOf(
      [
        ...parse,
        'def rule(event):',
        '    details = parse_description(event)',
        '    kind = details.get("type")',
        '    return kind == "Admin API" or "fraud" in details.get("error", "").lower()',
        '',
      ].join('\n'),
    );
    assert.equal(fires(rule, { description: '{"type": "Admin API"}' }), 'yes');
    assert.equal(fires(rule, { description: '{"type": "Web SDK"}' }), 'no');
    assert.equal(fires(rule, { description: '{"error": "Marked FRAUDulent"}' }), 'yes');
    assert.equal(fires(rule, { description: 'Admin API' }), 'no');
  });
});

describe('a record (a dict literal) holds every key it writes', () => {
  it('.get of a key it does not hold is the default, and "k" in it a constant', () => {
    const rule = ruleOf(
      [
        'def rule(event):',
        '    record = {"user": event.get("user")}',
        '    if "role" in record or record.get("role", "none") != "none":',
        '        return False',
        '    return "user" in record and record.get("user") == "root"',
        '',
      ].join('\n'),
    );
    assert.equal(fires(rule, { user: 'root' }), 'yes');
    assert.equal(fires(rule, { user: 'alice' }), 'no');
  });
});

describe('a name the branches of an if bind to different constants', () => {
  it('an elif chain of thresholds: each compared under its own branch', () => {
    const rule = ruleOf(
      [
        'def rule(event):',
        '    model = event.get("model", "")',
        '    if "haiku" in model:',
        '        limit = 3000',
        '    elif "opus" in model:',
        '        limit = 5000',
        '    else:',
        '        limit = 4000',
        '    return event.get("tokens", 0) > limit',
        '',
      ].join('\n'),
    );
    assert.equal(fires(rule, { model: 'claude-haiku', tokens: 3500 }), 'yes');
    assert.equal(fires(rule, { model: 'claude-opus', tokens: 4500 }), 'no');
    assert.equal(fires(rule, { model: 'claude-opus', tokens: 5500 }), 'yes');
    assert.equal(fires(rule, { model: 'other', tokens: 4500 }), 'yes');
    assert.equal(fires(rule, { model: 'other', tokens: 3500 }), 'no');
  });

  it('an if without else keeps the constant bound before where its condition does not hold', () => {
    const rule = ruleOf(
      [
        'def rule(event):',
        '    severity = "LOW"',
        '    if event.get("admin"):',
        '        severity = "HIGH"',
        '    return severity == "HIGH" and event.get("action") == "delete"',
        '',
      ].join('\n'),
    );
    assert.equal(fires(rule, { admin: true, action: 'delete' }), 'yes');
    assert.equal(fires(rule, { admin: false, action: 'delete' }), 'no');
  });
});
