import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseContainer } from '../containers.js';
import { elasticFormat } from './index.js';

const toml = `[metadata]
creation_date = "2022/03/22"
maturity = "production"
updated_date = "2026/04/10"

[rule]
author = ["Elastic"]
description = """
Two lines
of description.
"""
from = "now-30m"
index = ["filebeat-*", "logs-okta*"]
interval = "15m"
language = "kuery"
name = "Test rule"
references = ["https://example.com/a"]
risk_score = 73
rule_id = "aaaa-bbbb"
severity = "high"
tags = ["Data Source: Okta", "Tactic: Credential Access"]
timestamp_override = "event.ingested"
type = "threshold"
query = '''
event.action:x
'''

[rule.threshold]
field = ["user.name"]
value = 5

[[rule.threat]]
framework = "MITRE ATT&CK"
[[rule.threat.technique]]
id = "T1078"
name = "Valid Accounts"
[[rule.threat.technique.subtechnique]]
id = "T1078.004"
name = "Cloud Accounts"
[rule.threat.tactic]
id = "TA0006"
name = "Credential Access"

[[rule.threat]]
framework = "MITRE ATT&CK"
[rule.threat.tactic]
id = "TA0005"
name = "Defense Evasion"
`;

function read(text: string) {
  const doc = parseContainer('toml', text);
  assert.ok(elasticFormat.detect(doc, { path: 'r.toml', text }));
  return elasticFormat.read(doc, { path: 'r.toml', text });
}

test('reads metadata, schedule, threat pairs and type-specific fields', () => {
  const [rule] = read(toml);
  assert.ok(rule);
  assert.equal(rule.nativeId, 'aaaa-bbbb');
  assert.equal(rule.language, 'kuery');
  assert.equal(rule.type, 'threshold');
  assert.equal(rule.status, 'production');
  assert.equal(rule.created, '2022-03-22');
  assert.equal(rule.updated, '2026-04-10');
  assert.equal(rule.description, 'Two lines\nof description.');
  assert.deepEqual(rule.authors, ['Elastic']);
  assert.deepEqual(rule.references, ['https://example.com/a']);
  assert.deepEqual(rule.dataSources, ['Okta', 'filebeat-*', 'logs-okta*']);
  assert.deepEqual(rule.declaredSources, ['filebeat-*', 'logs-okta*']);
  assert.deepEqual(rule.schedule, { interval: '15m', lookback: 'now-30m' });
  assert.deepEqual(rule.attackRaw, {
    tactics: ['TA0006', 'TA0005'],
    techniques: ['T1078', 'T1078.004'],
    techniqueTactics: { T1078: ['TA0006'], 'T1078.004': ['TA0006'] },
  });
  assert.deepEqual({ ...(rule.extra.threshold as object) }, { field: ['user.name'], value: 5 });
  assert.equal(rule.extra.risk_score, 73);
  assert.equal(rule.extra.timestamp_override, 'event.ingested');
  assert.equal(rule.guide, undefined);
  assert.equal(rule.query.trim(), 'event.action:x');
  assert.equal(rule.queryLine, 25); // the line after `query = '''`
});

test('note and setup become the rule guide and setup', () => {
  const [rule] = read(
    '[rule]\nrule_id = "g1"\nname = "G"\ntype = "query"\nquery = "a:b"\nnote = "## Triage"\nsetup = "Install the integration."\n',
  );
  assert.equal(rule?.guide, '## Triage');
  assert.equal(rule?.setup, 'Install the integration.');
});

test('machine learning rules have no query and no complaint', () => {
  const [rule] = read(
    '[metadata]\nmaturity = "production"\n[rule]\nrule_id = "ml1"\nname = "ML"\ntype = "machine_learning"\nmachine_learning_job_id = ["job_a"]\nanomaly_threshold = 50\n',
  );
  assert.equal(rule?.language, 'none');
  assert.deepEqual(rule?.diagnostics, []);
  assert.deepEqual(rule?.extra.machine_learning_job_id, ['job_a']);
});

test('a query rule without a language is kuery', () => {
  const [rule] = read('[rule]\nrule_id = "q1"\nname = "Q"\ntype = "query"\nquery = "a:b"\n');
  assert.equal(rule?.language, 'kuery');
});

test('a TOML file without [rule] is not an Elastic rule', () => {
  const text = '[tool]\nname = "x"\n';
  assert.equal(elasticFormat.detect(parseContainer('toml', text), { path: 'x.toml', text }), false);
});

test('threshold settings: normalised extra keys and output fields', () => {
  const [rule] = read(`[rule]
rule_id = "t1"
name = "T"
type = "threshold"
language = "kuery"
query = "event.action:x"

[rule.threshold]
field = ["host.id", "host.name"]
value = 2
[[rule.threshold.cardinality]]
field = "kibana.alert.rule.threat.tactic.id"
value = 3
`);
  assert.ok(rule);
  assert.deepEqual(rule.extra.thresholdFields, ['host.id', 'host.name']);
  assert.equal(rule.extra.thresholdValue, 2);
  assert.deepEqual(rule.extra.thresholdCardinality, [{ field: 'kibana.alert.rule.threat.tactic.id', value: 3 }]);
  // Kept verbatim as well.
  assert.deepEqual((rule.extra.threshold as { field: string[] }).field, ['host.id', 'host.name']);
  assert.deepEqual(rule.declaredOutputs, [
    { field: 'host.id', source: 'threshold' },
    { field: 'host.name', source: 'threshold' },
  ]);
});

test('new_terms settings: normalised extra keys and output fields', () => {
  const [rule] = read(`[rule]
rule_id = "n1"
name = "N"
type = "new_terms"
language = "kuery"
query = "event.action:x"

[rule.new_terms]
field = "new_terms_fields"
value = ["host.id", "process.command_line"]
[[rule.new_terms.history_window_start]]
field = "history_window_start"
value = "now-14d"
`);
  assert.ok(rule);
  assert.deepEqual(rule.extra.newTermsFields, ['host.id', 'process.command_line']);
  assert.equal(rule.extra.historyWindowStart, 'now-14d');
  assert.ok('new_terms' in rule.extra);
  assert.deepEqual(rule.declaredOutputs, [
    { field: 'host.id', source: 'new_terms' },
    { field: 'process.command_line', source: 'new_terms' },
  ]);
});

test('machine learning job ids: extra keys and ml: data sources', () => {
  const [rule] = read(
    '[rule]\nrule_id = "ml2"\nname = "ML"\ntype = "machine_learning"\ntags = ["Data Source: Okta"]\n' +
      'machine_learning_job_id = ["job_a", "job_b"]\nanomaly_threshold = 75\n',
  );
  assert.ok(rule);
  assert.deepEqual(rule.extra.mlJobIds, ['job_a', 'job_b']);
  assert.equal(rule.extra.anomalyThreshold, 75);
  assert.deepEqual(rule.dataSources, ['Okta', 'ml:job_a', 'ml:job_b']);
  assert.deepEqual(rule.declaredOutputs, []);
  // A single job id may be written as a string.
  const [single] = read('[rule]\nrule_id = "ml3"\nname = "ML"\ntype = "machine_learning"\nmachine_learning_job_id = "job_c"\n');
  assert.deepEqual(single?.dataSources, ['ml:job_c']);
});
