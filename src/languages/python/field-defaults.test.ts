// A field read through `.get(k, d)` / `deep_get(..., default=d)` with a constant d is d where the
// field is missing: a test on it holds there exactly when it holds on d (field-defaults.ts).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (body: string[]): EvaluatedRule =>
  modelRule(['import json', '', 'def rule(event):', ...body.map((l) => `    ${l}`), ''].join('\n'), 'Custom.Log');
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'Custom.Log');

describe('a field read with a constant default', () => {
  it('!= the default: false where the field is missing', () => {
    const rule = ruleOf(['status = event.get("status", "required")', 'return status != "required"']);
    assert.equal(fires(rule, {}), 'no');
    assert.equal(fires(rule, { status: 'required' }), 'no');
    assert.equal(fires(rule, { status: 'optional' }), 'yes');
  });

  it('== the default: true where the field is missing', () => {
    const rule = ruleOf(['return event.get("status", "required") == "required"']);
    assert.equal(fires(rule, {}), 'yes');
    assert.equal(fires(rule, { status: 'optional' }), 'no');
  });

  it('== another value: unchanged (false where missing)', () => {
    const rule = ruleOf(['return event.get("status", "required") == "optional"']);
    assert.equal(fires(rule, {}), 'no');
    assert.equal(fires(rule, { status: 'optional' }), 'yes');
  });

  it('in, startswith and a lowered value, evaluated on the default', () => {
    const inRule = ruleOf(['return event.get("kind", "none") in ("none", "empty")']);
    assert.equal(fires(inRule, {}), 'yes');
    assert.equal(fires(inRule, { kind: 'full' }), 'no');
    const prefix = ruleOf(['return not event.get("path", "/tmp/x").lower().startswith("/tmp")']);
    assert.equal(fires(prefix, {}), 'no');
    assert.equal(fires(prefix, { path: '/etc/passwd' }), 'yes');
  });

  it('a truth test of a true default holds where the field is missing', () => {
    const rule = ruleOf(['enabled = event.deep_get("settings", "enabled", default=True)', 'return not enabled']);
    assert.equal(fires(rule, {}), 'no');
    assert.equal(fires(rule, { settings: { enabled: false } }), 'yes');
    assert.equal(fires(rule, { settings: { enabled: true } }), 'no');
  });

  it('deep_get(event, ..., default=d) and a number compared', () => {
    const rule = ruleOf(['return deep_get(event, "a", "count", default=10) > 5']);
    assert.equal(fires(rule, {}), 'yes');
    assert.equal(fires(rule, { a: { count: 2 } }), 'no');
  });

  it('a key of a parsed text, read with a default', () => {
    const rule = ruleOf(['details = json.loads(event.get("description", "{}"))', 'return details.get("status", "required") != "required"']);
    assert.equal(fires(rule, { description: '{"user": "a"}' }), 'no');
    assert.equal(fires(rule, { description: '{"status": "optional"}' }), 'yes');
    assert.equal(fires(rule, { description: '{"status": "required"}' }), 'no');
  });

  it('a key holding None: .get gives None there, deep_get its default', () => {
    const got = ruleOf(['return event.get("status", "required") != "required"']);
    assert.equal(fires(got, { status: null }), 'yes');
    const deep = ruleOf(['return event.deep_get("a", "status", default="required") != "required"']);
    assert.equal(fires(deep, { a: { status: null } }), 'no');
    assert.equal(fires(deep, { a: { status: 'optional' } }), 'yes');
  });

  it('is None is false where the default stands in', () => {
    const rule = ruleOf(['return event.get("owner", "nobody") is None']);
    assert.equal(fires(rule, {}), 'no');
  });
});
