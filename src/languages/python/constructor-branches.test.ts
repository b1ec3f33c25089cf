import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { EvaluatedRule } from '../../evaluate/types.js';
import { python } from './index.js';
import { loadPython, modelFires } from './model-harness.js';

// A helper module of our own: constructors that attach an enrichment table only under an `if` on
// their own argument, as Panther's enrichment helpers do.
const tables = `
class Rows:
    def __init__(self, event, table=None):
        self.rows = None
        if table is None:
            table = choose_table(event)
        if table:
            self.rows = event.deep_get("p_enrichment", table)

    def flagged(self):
        return bool(self.rows)

class NotEmpty:
    def __init__(self, event, table="watchlist"):
        self.rows = None
        if not table:
            pass
        else:
            self.rows = event.deep_get("p_enrichment", table)

    def flagged(self):
        return bool(self.rows)
`;

function rule(code: string): EvaluatedRule {
  const analysis = python.analyse(code, { pythonModules: { row_tables: tables } });
  assert.ok(analysis.parsed);
  return { language: 'python', stages: analysis.stages, sources: ['logtype:Custom.Logins'], parsed: true, type: 'rule' };
}

const fires = (r: EvaluatedRule, event: Record<string, unknown>) => modelFires(r, event, 'Custom.Logins');

const call = (args: string, cls = 'Rows') => `
from row_tables import ${cls}

def rule(event):
    return ${cls}(${args}).flagged()
`;

describe("a constructor's if on its constant arguments", () => {
  before(loadPython);

  test('a table named by the caller: `is None` not taken, `if table:` taken, the table read', () => {
    const r = rule(call('event, table="blocklist"'));
    assert.equal(fires(r, { p_enrichment: { blocklist: { '10.0.0.1': { reason: 'tor' } } } }), 'yes');
    assert.equal(fires(r, { p_enrichment: { geo: { '10.0.0.1': {} } } }), 'no');
  });

  test('an empty table name: `if table:` not taken, nothing attached, never flagged', () => {
    const r = rule(call('event, ""'));
    assert.equal(fires(r, { p_enrichment: { blocklist: { '10.0.0.1': {} } } }), 'no');
    assert.equal(fires(r, {}), 'no');
  });

  test('the branch taken assigns a local from another helper: the constructor is not read', () => {
    assert.equal(fires(rule(call('event')), { p_enrichment: { blocklist: { '10.0.0.1': {} } } }), 'unknown');
  });

  test('an if with an else is not decided: the constructor is not read', () => {
    assert.equal(fires(rule(call('event', 'NotEmpty')), { p_enrichment: { watchlist: { '10.0.0.1': {} } } }), 'unknown');
  });
});
