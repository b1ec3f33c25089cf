// The class of a disagreement between our model of a rule and its test's expected result: a rule
// whose unread condition sits beside a read of the outside world is classed apart from calls the
// analysis did not read through.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { python } from '../languages/python/index.js';
import type { Rule } from '../model/types.js';
import { disagreement } from './model-disagreement.js';
import { evaluateRule, PreparedEvent } from './rule.js';
import { recogniseLog } from './event-log.js';
import type { StoredTest } from './stored-tests.js';

before(async () => {
  await python.init!();
});

/** The parts of a catalog rule the classing reads, from the analysis of `code`. */
function ruleOf(code: string): Rule {
  const analysis = python.analyse(code, {});
  const partial: Pick<Rule, 'language' | 'parsed' | 'diagnostics' | 'stages' | 'sources' | 'type'> = {
    language: 'python',
    parsed: analysis.parsed,
    diagnostics: analysis.diagnostics,
    stages: analysis.stages,
    sources: ['logtype:Custom.Log'],
    type: 'rule',
  };
  return partial as Rule;
}

const test: StoredTest = { platform: 'panther', ruleId: 'X', name: 'a test', kind: 'panther', expected: true, events: [{}] };

function classOf(code: string, of: StoredTest = test): string {
  const rule = ruleOf(code);
  const event = { p_log_type: 'Custom.Log', created: '2020-01-01' };
  const evaluation = evaluateRule(rule, new PreparedEvent(event, recogniseLog(event, 'Custom.Log')));
  assert.equal(evaluation.fires, 'unknown');
  return disagreement(of, rule, evaluation.fires, evaluation).class;
}

describe('disagreement classes', () => {
  it('a rule reading the time now is classed by that read, a call not read through as such', () => {
    const now = classOf(
      'from datetime import datetime\n\ndef rule(event):\n    return age(event.get("created")) > 90\n\n' +
        'def age(text):\n    return (datetime.now() - datetime.strptime(text, "%Y-%m-%d")).days\n',
    );
    assert.equal(now, 'reads the outside world: the time now');
    const unread = classOf('from dateutil import parser\n\ndef rule(event):\n    return parser.parse(event.get("created"))\n');
    assert.equal(unread, 'helper or library call not inlined');
  });

  it("a read of the outside world a test mocks is that test's input, not the class of what is left unread", () => {
    const code =
      'from panther_detection_helpers.caching import get_counter\n\n' +
      'def rule(event):\n    return get_counter(event.get("k")) > 1 and frobnicate(event)\n';
    const mocked: StoredTest = { ...test, mocks: [{ objectName: 'get_counter', returnValue: 5 }], mockedStages: [] };
    assert.equal(classOf(code), 'reads the outside world: the cache Panther keeps between events');
    assert.equal(classOf(code, mocked), 'helper or library call not inlined');
  });
});
