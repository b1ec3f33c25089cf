// A test's Mocks read as the rule's input (test-mocks.ts): a call of a mocked name gives the
// returnValue, `isinstance(NAME, MagicMock)` holds for a mocked name, `json.loads` of the text it
// gives is read; without mocks the rule reads as it runs in production.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (lines: string[], mocks?: Record<string, unknown>): EvaluatedRule =>
  modelRule([...lines, ''].join('\n'), 'Custom.Log', mocks);
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'Custom.Log');

const cached = [
  'from panther_detection_helpers.caching import check_account_age',
  '',
  'def rule(event):',
  '    if event.get("eventName") != "ConsoleLogin":',
  '        return False',
  '    is_new = check_account_age(event.get("user"))',
  '    if isinstance(is_new, str):',
  '        is_new = is_new == "True"',
  '    if is_new:',
  '        return False',
  '    return True',
];

describe("a test's mocked function", () => {
  it('without mocks, what depends on the cache is not known', () => {
    assert.equal(fires(ruleOf(cached), { eventName: 'ConsoleLogin' }), 'unknown');
    assert.equal(fires(ruleOf(cached), { eventName: 'Other' }), 'no');
  });

  it('its call gives the returnValue: a string the rule reads as such', () => {
    assert.equal(fires(ruleOf(cached, { check_account_age: 'True' }), { eventName: 'ConsoleLogin' }), 'no');
    assert.equal(fires(ruleOf(cached, { check_account_age: 'False' }), { eventName: 'ConsoleLogin' }), 'yes');
  });

  it('a boolean returnValue is that boolean', () => {
    assert.equal(fires(ruleOf(cached, { check_account_age: false }), { eventName: 'ConsoleLogin' }), 'yes');
    assert.equal(fires(ruleOf(cached, { check_account_age: true }), { eventName: 'ConsoleLogin' }), 'no');
  });

  it("a mocked function of the rule's own module is not inlined", () => {
    const rule = ruleOf(['def seen(event):', '    return False', '', 'def rule(event):', '    return not seen(event)'], { seen: 'x' });
    assert.equal(fires(rule, {}), 'no');
  });
});

const allowed = [
  'import json',
  'from unittest.mock import MagicMock',
  '',
  'ALLOWED = []',
  '',
  'def rule(event):',
  '    global ALLOWED',
  '    if isinstance(ALLOWED, MagicMock):',
  '        ALLOWED = json.loads(ALLOWED())',
  '    return event.get("domain") not in ALLOWED',
];

describe("a test's mocked constant", () => {
  it('without mocks, the constant', () => {
    assert.equal(fires(ruleOf(allowed), { domain: 'company.com' }), 'yes');
  });

  it('is a MagicMock: its call gives the returnValue, which json.loads parses', () => {
    const rule = ruleOf(allowed, { ALLOWED: '[\n  "company.com"\n]' });
    assert.equal(fires(rule, { domain: 'company.com' }), 'no');
    assert.equal(fires(rule, { domain: 'other.com' }), 'yes');
  });

  it('a dict parsed from the returnValue has its entries', () => {
    const rule = ruleOf(
      [
        'import json',
        'from unittest.mock import MagicMock',
        '',
        'REQUIRED = {}',
        '',
        'def rule(event):',
        '    global REQUIRED',
        '    if isinstance(REQUIRED, MagicMock):',
        '        REQUIRED = json.loads(REQUIRED())',
        '    return event.get("kind") in REQUIRED.get("tags", [])',
      ],
      { REQUIRED: '{"tags": ["Owner", "Team"]}' },
    );
    assert.equal(fires(rule, { kind: 'Owner' }), 'yes');
    assert.equal(fires(rule, { kind: 'Cost' }), 'no');
  });

  it('read for its truth, the mock is a MagicMock object: true, whatever its returnValue', () => {
    const lines = ['ENABLED = False', '', 'def rule(event):', '    return ENABLED and event.get("x") == 1'];
    assert.equal(fires(ruleOf(lines), { x: 1 }), 'no');
    assert.equal(fires(ruleOf(lines, { ENABLED: false }), { x: 1 }), 'yes');
    assert.equal(fires(ruleOf(lines, { ENABLED: false }), { x: 2 }), 'no');
  });

  it('read any other way, the mock is not read, never the constant it replaced', () => {
    const lines = ['LIMIT = 5', '', 'def rule(event):', '    return event.get("n", 0) > LIMIT'];
    assert.equal(fires(ruleOf(lines), { n: 6 }), 'yes');
    assert.equal(fires(ruleOf(lines, { LIMIT: 10 }), { n: 6 }), 'unknown');
  });
});
