import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseContainer } from '../containers.js';
import { sentinelFormat } from './index.js';

const analytic = `id: 11111111-2222-3333-4444-555555555555
name: Test analytic
description: |
  'Quoted description.'
severity: High
status: Available
requiredDataConnectors:
  - connectorId: AWS
    dataTypes:
      - AWSCloudTrail
queryFrequency: 1h
queryPeriod: 2h
triggerOperator: gt
triggerThreshold: 3
tactics:
  - DefenseEvasion
  - Persistence
relevantTechniques:
  - T1562
subTechniques:
  - T1562.008
tags:
  - Solorigate
  - id: abc
    version: 1.0.0
query: |
  AWSCloudTrail
  | where EventName == "StopLogging"
entityMappings:
  - entityType: Account
    fieldMappings:
      - identifier: Name
        columnName: UserIdentityArn
customDetails:
  Event: EventName
version: 1.2.0
kind: NRT
`;

function read(text: string, path = 'Analytic Rules/test.yaml') {
  const doc = parseContainer('yaml', text);
  assert.ok(sentinelFormat.detect(doc, { path, text }));
  return sentinelFormat.read(doc, { path, text });
}

test('reads every metadata field of an analytic rule', () => {
  const [rule] = read(analytic);
  assert.ok(rule);
  assert.equal(rule.nativeId, '11111111-2222-3333-4444-555555555555');
  assert.equal(rule.platform, 'sentinel');
  assert.equal(rule.language, 'kql');
  assert.equal(rule.description, 'Quoted description.');
  assert.equal(rule.severity, 'high');
  assert.equal(rule.status, 'available');
  assert.equal(rule.type, 'nrt');
  assert.equal(rule.version, '1.2.0');
  assert.deepEqual(rule.dataSources, ['AWS', 'AWSCloudTrail']);
  assert.deepEqual(rule.schedule, { interval: '1h', lookback: '2h', trigger: 'gt 3' });
  assert.deepEqual(rule.attackRaw, { tactics: ['DefenseEvasion', 'Persistence'], techniques: ['T1562', 'T1562.008'] });
  assert.deepEqual(rule.tags, ['Solorigate', 'id: abc', 'version: 1.0.0']);
  assert.equal(rule.query, 'AWSCloudTrail\n| where EventName == "StopLogging"\n');
  assert.equal(rule.queryLine, 27); // the line after `query: |`
  assert.deepEqual(rule.declaredOutputs, [
    { field: 'UserIdentityArn', source: 'entityMappings' },
    { field: 'EventName', source: 'customDetails' },
  ]);
  assert.deepEqual(Object.keys(rule.extra).sort(), [
    'customDetails',
    'entityMappings',
    'kind',
    'queryFrequency',
    'queryPeriod',
    'requiredDataConnectors',
    'triggerOperator',
    'triggerThreshold',
    'version',
  ]);
});

test('a hunting query without schedule is typed hunting', () => {
  const [rule] = read(
    'id: h1\nname: Hunt\ndescription: d\nrequiredDataConnectors: []\ntactics: [Discovery]\nquery: |\n  SigninLogs | take 10\n',
    'Hunting Queries/h.yaml',
  );
  assert.equal(rule?.type, 'hunting');
});

test('a rule without a query keeps its metadata and says so', () => {
  const [rule] = read('id: stub\nname: Moved rule\ndescription: moved\ntactics: []\n');
  assert.equal(rule?.language, 'none');
  assert.equal(rule?.diagnostics[0]?.message, 'the rule has no query');
});

test('Sigma and Splunk YAML are not taken for Sentinel', () => {
  for (const text of [
    'title: x\nid: a\nname: n\nlogsource: {product: windows}\ndetection: {condition: sel}\ntactics: []\n',
    'name: x\nid: a\nsearch: "| tstats count"\ntactics: []\n',
    '- just\n- a list\n',
  ]) {
    assert.equal(sentinelFormat.detect(parseContainer('yaml', text), { path: 'x.yml', text }), false);
  }
});
