// `f[0]` of a field: that one element, not any element; evaluated on lists, texts and too short values.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { predicatesOf } from '../../model/predicates.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (code: string): EvaluatedRule => modelRule(code, 'AWS.CloudTrail');
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'AWS.CloudTrail');

describe('the element at an index of a field', () => {
  it('f[0] == C: the first element only', () => {
    const rule = ruleOf(
      'def rule(event):\n    codes = event.get("codes")\n    if codes and codes[0] == 403:\n        return True\n    return False\n',
    );
    const [, first] = predicatesOf(rule.stages.find((s) => s.kind === 'rule')?.condition);
    assert.equal(first?.transform, 'item:0');
    assert.equal(fires(rule, { codes: [403, 200] }), 'yes');
    assert.equal(fires(rule, { codes: [200, 403] }), 'no');
    assert.equal(fires(rule, {}), 'no');
  });

  it("a text's character; too short a value is unknown (the code raises IndexError)", () => {
    const rule = ruleOf('def rule(event):\n    return event.get("name")[1] == "b"\n');
    assert.equal(fires(rule, { name: 'abc' }), 'yes');
    assert.equal(fires(rule, { name: 'xyz' }), 'no');
    assert.equal(fires(rule, { name: 'a' }), 'unknown');
    assert.equal(fires(rule, { name: [] }), 'unknown');
  });

  it('an ipaddress property of the first element', () => {
    const rule = ruleOf('from ipaddress import ip_address\n\ndef rule(event):\n    return ip_address(event.get("ips")[0]).is_private\n');
    assert.equal(fires(rule, { ips: ['10.1.2.3', '8.8.8.8'] }), 'yes');
    assert.equal(fires(rule, { ips: ['8.8.8.8', '10.1.2.3'] }), 'no');
  });

  it("an element's keys are not read as the field's (f[0].get(k) stays text)", () => {
    const rule = ruleOf('def rule(event):\n    return event.get("items")[0].get("a") == "x"\n');
    assert.equal(fires(rule, { items: [{ a: 'y' }, { a: 'x' }] }), 'unknown');
  });

  it('f[0] of a field of a parsed JSON text: the element of the parsed list', () => {
    const rule = ruleOf(
      'import json\n\ndef rule(event):\n    log = json.loads(event.get("log") or "{}")\n    ips = log.get("ips") or []\n    return bool(ips) and ips[0] == "1.2.3.4"\n',
    );
    const [, first] = predicatesOf(rule.stages.find((s) => s.kind === 'rule')?.condition);
    assert.equal(first?.transform, 'json|item:0');
    assert.equal(fires(rule, { log: '{"ips": ["1.2.3.4", "5.6.7.8"]}' }), 'yes');
    assert.equal(fires(rule, { log: '{"ips": ["5.6.7.8", "1.2.3.4"]}' }), 'no');
  });
});
