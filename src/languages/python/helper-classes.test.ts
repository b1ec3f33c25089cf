import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { EvaluatedRule } from '../../evaluate/types.js';
import { python } from './index.js';
import { loadPython, modelFires } from './model-harness.js';

// A helper module of our own: a base class that attaches one enrichment table of the event, and
// classes built on it, as Panther's enrichment helpers are written.
const tables = `
from collections.abc import Sequence

TABLES_KEY = "p_enrichment"

class TableMatches:
    def __init__(self):
        self.matches = None

    def _attach(self, event, table: str):
        self.matches = event.deep_get(TABLES_KEY, table)

class BlocklistHits(TableMatches):
    """Rows of the blocklist table that matched the event."""

    def __init__(self, event):
        super().__init__()
        super()._attach(event, "blocklist")

    def flagged(self):
        return bool(self.matches)

class RegionCheck:
    def __init__(self, event, region="eu-west-1"):
        self.event = event
        self.region = region

    def is_home(self):
        return self.event.get("region") == self.region

    def zone(self):
        return self.event.get("zone")

class PickedTable(TableMatches):
    def __init__(self, event, table=None):
        super().__init__()
        if table is None:
            table = pick_table(event)
        super()._attach(event, table)

    def flagged(self):
        return bool(self.matches)

class SizedHits(BlocklistHits):
    def __len__(self):
        return len(self.matches or [])
`;

const modules = { enrichment_tables: tables };

function rule(code: string): EvaluatedRule {
  const analysis = python.analyse(code, { pythonModules: modules });
  assert.ok(analysis.parsed);
  return { language: 'python', stages: analysis.stages, sources: ['logtype:Custom.Logins'], parsed: true, type: 'rule' };
}

const fires = (r: EvaluatedRule, event: Record<string, unknown>) => modelFires(r, event, 'Custom.Logins');

describe('small helper classes reading the event', () => {
  before(loadPython);

  test('Cls(event).method(): the attribute its constructor stored through super() calls, read for its truth', () => {
    const r = rule(`
from enrichment_tables import BlocklistHits

def rule(event):
    if event.get("outcome") != "success":
        return False
    return BlocklistHits(event).flagged()
`);
    assert.equal(fires(r, { outcome: 'success', p_enrichment: { blocklist: { ip: { reason: 'tor' } } } }), 'yes');
    assert.equal(fires(r, { outcome: 'success', p_enrichment: { geo: { ip: {} } } }), 'no');
    assert.equal(fires(r, { outcome: 'failure', p_enrichment: { blocklist: { ip: {} } } }), 'no');
  });

  test('an instance bound to a name, its stored event and a default argument read by a method', () => {
    const r = rule(`
from enrichment_tables import RegionCheck

def rule(event):
    check = RegionCheck(event)
    return not check.is_home()
`);
    assert.equal(fires(r, { region: 'eu-west-1' }), 'no');
    assert.equal(fires(r, { region: 'us-east-1' }), 'yes');
  });

  test('an instance read for its truth is true, unless its class defines __len__ or __bool__', () => {
    const code = (cls: string) => `
from enrichment_tables import ${cls}

def rule(event):
    hits = ${cls}(event)
    if not hits:
        return True
    return event.get("outcome") == "success"
`;
    const plain = rule(code('BlocklistHits'));
    assert.equal(fires(plain, { outcome: 'failure' }), 'no');
    assert.equal(fires(plain, { outcome: 'success' }), 'yes');
    assert.equal(fires(rule(code('SizedHits')), { outcome: 'failure' }), 'unknown');
  });

  test('a method returning a field of the stored event is that field', () => {
    const r = rule(`
from enrichment_tables import RegionCheck

def rule(event):
    return RegionCheck(event).zone() == "b"
`);
    assert.equal(fires(r, { zone: 'b' }), 'yes');
    assert.equal(fires(r, { zone: 'a' }), 'no');
  });

  test('a constructor that branches or calls another helper is not read: unknown, never a guess', () => {
    const r = rule(`
from enrichment_tables import PickedTable

def rule(event):
    return PickedTable(event).flagged()
`);
    assert.equal(fires(r, { p_enrichment: { blocklist: { ip: {} } } }), 'unknown');
  });
});
