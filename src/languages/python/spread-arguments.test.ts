import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { EvaluatedRule } from '../../evaluate/types.js';
import { python } from './index.js';
import { loadPython, modelFires } from './model-harness.js';

// A helper module of our own: a table reader whose method gathers its keys as `*keys` and spreads
// them into deep_get, as Panther's lookup-table helpers do.
const tables = `
def deep_get(dictionary, *keys, default=None):
    return default

class Table:
    def __init__(self, event):
        self.rows = event.deep_get("p_enrichment", "watchlist")

    def value(self, row, *keys):
        return deep_get(self.rows, row, *keys)

    def marked(self, row, *keys, default=None):
        return deep_get(self.rows, row, *keys, default=default)
`;

function rule(code: string): EvaluatedRule {
  const analysis = python.analyse(code, { pythonModules: { row_tables: tables } });
  assert.ok(analysis.parsed);
  return { language: 'python', stages: analysis.stages, sources: ['logtype:Custom.Logins'], parsed: true, type: 'rule' };
}

const fires = (r: EvaluatedRule, event: Record<string, unknown>) => modelFires(r, event, 'Custom.Logins');

const hit = { p_enrichment: { watchlist: { alice: { risk: { level: 'high' } } } } };
const calm = { p_enrichment: { watchlist: { alice: { risk: { level: 'low' } } } } };

describe('*args gathered by a method and spread into deep_get', () => {
  before(loadPython);

  test('the keys the caller gave, in order, after the named one', () => {
    const r = rule(`
from row_tables import Table

def rule(event):
    return Table(event).value("alice", "risk", "level") == "high"
`);
    assert.equal(fires(r, hit), 'yes');
    assert.equal(fires(r, calm), 'no');
    assert.equal(fires(r, {}), 'no');
  });

  test('no key gathered: the spread adds none', () => {
    const r = rule(`
from row_tables import Table

def rule(event):
    return bool(Table(event).value("alice"))
`);
    assert.equal(fires(r, hit), 'yes');
    assert.equal(fires(r, { p_enrichment: { watchlist: { bob: {} } } }), 'no');
  });

  test('a parameter after *keys takes its keyword, not a positional argument', () => {
    const r = rule(`
from row_tables import Table

def rule(event):
    return Table(event).marked("alice", "risk", "level", default="none") == "none"
`);
    assert.equal(fires(r, calm), 'no');
    assert.equal(fires(r, {}), 'yes');
  });

  test('a gathered key that is not a constant: the spread is not read', () => {
    const r = rule(`
from row_tables import Table

def rule(event):
    return Table(event).value("alice", event.get("kind")) == "high"
`);
    assert.equal(fires(r, hit), 'unknown');
  });
});
