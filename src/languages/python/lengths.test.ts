// `f == ["x"]` of a field the code parsed from JSON: the parsed value is a list of that one element.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (lines: string[]): EvaluatedRule => modelRule([...lines, ''].join('\n'), 'Custom.Log');
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'Custom.Log');

describe('a field parsed from JSON compared with a list of one element', () => {
  const parsed = (): EvaluatedRule =>
    ruleOf([
      'import json',
      '',
      'def rule(event):',
      '    log = json.loads(event.get("log", "{}"))',
      '    return log.get("ips") == ["127.0.0.1"]',
    ]);

  it('holds where the parsed value is that one-element list', () => {
    const rule = parsed();
    assert.equal(fires(rule, { log: JSON.stringify({ ips: ['127.0.0.1'] }) }), 'yes');
  });

  it('fails for a longer list, another element, or the text alone', () => {
    const rule = parsed();
    assert.equal(fires(rule, { log: JSON.stringify({ ips: ['127.0.0.1', '10.0.0.1'] }) }), 'no');
    assert.equal(fires(rule, { log: JSON.stringify({ ips: ['10.0.0.1'] }) }), 'no');
    assert.equal(fires(rule, { log: JSON.stringify({ ips: '127.0.0.1' }) }), 'no');
  });

  it('negated with !=', () => {
    const differs = ruleOf([
      'import json',
      '',
      'def rule(event):',
      '    log = json.loads(event.get("log", "{}"))',
      '    return log.get("ips") != ["127.0.0.1"]',
    ]);
    assert.equal(fires(differs, { log: JSON.stringify({ ips: ['127.0.0.1'] }) }), 'no');
    assert.equal(fires(differs, { log: JSON.stringify({ ips: ['127.0.0.1', '10.0.0.2'] }) }), 'yes');
  });
});
