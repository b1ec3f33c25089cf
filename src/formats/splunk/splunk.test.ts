import assert from 'node:assert/strict';
import { test } from 'node:test';
import { platformInfo } from '../../platforms/registry.js';
import { parseContainer } from '../containers.js';
import type { SourceFile } from '../types.js';
import { riskScore, severityOf, splunkFormat } from './index.js';

const detection = `name: Test Okta Session Start From Tor
id: 0a1b2c3d-0000-4000-8000-000000000001
version: 4
date: '2024-05-02'
author: Jane Doe, John Roe, Splunk
type: TTP
status: production
data_source:
- Okta
description: Finds sessions that
  start from a Tor exit node.
search: '\`okta\` eventType=user.session.start | stats count by user src
  | \`test_okta_session_start_from_tor_filter\`'
how_to_implement: Ingest Okta logs with the add-on.
known_false_positives: Privacy-minded users.
references:
- https://example.com/okta
drilldown_searches:
- name: View the detection results for "$user$"
  search: '%original_detection_search% | search user = "$user$"'
tags:
  analytic_story:
  - Suspicious Okta Activity
  asset_type: Infrastructure
  confidence: 80
  impact: 70
  message: A session for $user$ started from $src$.
  mitre_attack_id:
  - T1078.004
  - t1090
  observable:
  - name: user
    type: User
    role:
    - Victim
  - name: src
    type: IP Address
    role:
    - Attacker
  product:
  - Splunk Enterprise
  required_fields:
  - user
  risk_score: 56
  security_domain: identity
  cve:
  - CVE-2024-0001
tests:
- name: True Positive Test
  attack_data:
  - data: https://example.com/okta.log
    sourcetype: OktaIM2:log
`;

function file(path: string, text: string): SourceFile {
  return { path, text };
}

test('platform, container and language', () => {
  assert.equal(splunkFormat.platform, 'splunk');
  const { id, name, schema } = platformInfo(splunkFormat.platform)!;
  assert.deepEqual({ id, name, schema }, { id: 'splunk', name: 'Splunk', schema: 'splunk' });
  assert.equal(splunkFormat.id, 'splunk');
  assert.equal(splunkFormat.container, 'yaml');
});

test('detects ESCU detections by content, not analytic stories or other YAML rules', () => {
  const doc = parseContainer('yaml', detection);
  assert.equal(splunkFormat.detect(doc, file('anywhere/x.yml', detection)), true);
  const story = `name: Suspicious Okta Activity
id: 0a1b2c3d-0000-4000-8000-000000000002
version: 1
date: '2024-01-01'
author: Splunk
description: Okta things.
narrative: A story.
references: []
tags:
  category:
  - Account Compromise
  product:
  - Splunk Enterprise
  usecase: Advanced Threat Detection
`;
  assert.equal(splunkFormat.detect(parseContainer('yaml', story), file('stories/s.yml', story)), false);
  assert.equal(splunkFormat.detect({ id: 'x', name: 'y', query: 'SigninLogs', tactics: [] }, file('a.yml', '')), false);
  assert.equal(splunkFormat.detect({ title: 't', logsource: {}, detection: {} }, file('a.yml', '')), false);
  assert.equal(splunkFormat.detect({ name: 'y', search: 'index=a' }, file('a.yml', '')), false);
  assert.equal(splunkFormat.detect('text', file('a.yml', '')), false);
});

test('reads the metadata of a detection', () => {
  const rules = splunkFormat.read(parseContainer('yaml', detection), file('detections/application/okta_tor.yml', detection));
  assert.deepEqual(rules, [
    {
      nativeId: '0a1b2c3d-0000-4000-8000-000000000001',
      platform: 'splunk',
      format: 'splunk',
      language: 'spl',
      name: 'Test Okta Session Start From Tor',
      description: 'Finds sessions that start from a Tor exit node.',
      severity: 'medium',
      type: 'ttp',
      status: 'production',
      authors: ['Jane Doe', 'John Roe', 'Splunk'],
      created: '2024-05-02',
      updated: undefined,
      version: '4',
      references: ['https://example.com/okta'],
      tags: ['Analytic Story: Suspicious Okta Activity', 'Asset Type: Infrastructure', 'Security Domain: identity', 'CVE-2024-0001'],
      dataSources: ['Okta'],
      attackRaw: { tactics: [], techniques: ['T1078.004', 'T1090'] },
      query: '`okta` eventType=user.session.start | stats count by user src | `test_okta_session_start_from_tor_filter`',
      queryLine: 12,
      // What the quotes hold.
      queryRange: { start: detection.indexOf("'`okta`") + 1, end: detection.indexOf("_filter`'") + '_filter`'.length },
      declaredOutputs: [
        { field: 'user', source: 'observable' },
        { field: 'src', source: 'observable' },
      ],
      declaredSources: [],
      setup: 'Ingest Okta logs with the add-on.',
      extra: {
        known_false_positives: 'Privacy-minded users.',
        drilldown_searches: [
          { name: 'View the detection results for "$user$"', search: '%original_detection_search% | search user = "$user$"' },
        ],
        tests: [{ name: 'True Positive Test', attack_data: [{ data: 'https://example.com/okta.log', sourcetype: 'OktaIM2:log' }] }],
        analytic_story: ['Suspicious Okta Activity'],
        asset_type: 'Infrastructure',
        confidence: 80,
        impact: 70,
        message: 'A session for $user$ started from $src$.',
        observable: [
          { name: 'user', type: 'User', role: ['Victim'] },
          { name: 'src', type: 'IP Address', role: ['Attacker'] },
        ],
        product: ['Splunk Enterprise'],
        required_fields: ['user'],
        security_domain: 'identity',
        risk_score: 56,
      },
      diagnostics: [],
    },
  ]);
});

test('a file under deprecated/ is deprecated; modified dates and RBA objects are read', () => {
  const text = `name: Old One
id: 11111111-2222-4333-8444-555555555555
version: 1
date: '2020/01/02'
modified: '2021-03-04'
author: Someone
type: Anomaly
status: production
description: old
search: |
  \`sysmon\` EventCode=1
how_to_implement: x
known_false_positives: none
references: []
rba:
  message: $dest$ did a thing
  risk_objects:
  - field: dest
    type: system
    score: 25
  - field: user
    type: user
    score: 64
  threat_objects:
  - field: process_name
    type: process_name
tags:
  analytic_story:
  - Old Story
  asset_type: Endpoint
  mitre_attack_id:
  - T1059
  product:
  - Splunk Enterprise
  security_domain: endpoint
`;
  const [rule] = splunkFormat.read(parseContainer('yaml', text), file('detections/deprecated/old_one.yml', text));
  assert.ok(rule);
  assert.equal(rule.status, 'deprecated');
  assert.equal(rule.created, '2020-01-02');
  assert.equal(rule.updated, '2021-03-04');
  assert.equal(rule.type, 'anomaly');
  assert.equal(rule.severity, 'high');
  assert.equal(rule.extra.risk_score, 64);
  assert.equal(rule.query, '`sysmon` EventCode=1\n');
  assert.equal(rule.queryLine, 11);
  assert.deepEqual(rule.declaredOutputs, [
    { field: 'dest', source: 'rba' },
    { field: 'user', source: 'rba' },
    { field: 'process_name', source: 'rba' },
  ]);
  assert.deepEqual(rule.extra.rba, {
    message: '$dest$ did a thing',
    risk_objects: [
      { field: 'dest', type: 'system', score: 25 },
      { field: 'user', type: 'user', score: 64 },
    ],
    threat_objects: [{ field: 'process_name', type: 'process_name' }],
  });
});

test('an empty search is a rule without a query', () => {
  const doc = { name: 'n', id: 'i', search: ' ', how_to_implement: '' };
  const [rule] = splunkFormat.read(doc, file('d.yml', ''));
  assert.equal(rule?.language, 'none');
  assert.deepEqual(rule?.diagnostics, [{ message: 'the detection has no search', severity: 'warning', scope: 'metadata' }]);
  assert.equal(rule?.severity, 'unknown');
  assert.equal(rule?.status, '');
});

test('risk score: declared, from confidence and impact, or the top RBA score; Splunk banding', () => {
  assert.equal(riskScore({ tags: { risk_score: '42' } }), 42);
  assert.equal(riskScore({ tags: { confidence: 50, impact: 45 } }), 23);
  assert.equal(riskScore({ rba: { risk_objects: [{ score: 10 }, { score: '90' }] } }), 90);
  assert.equal(riskScore({}), undefined);
  assert.deepEqual([0, 20, 21, 40, 41, 60, 61, 80, 81, 100, undefined].map(severityOf), [
    'informational',
    'informational',
    'low',
    'low',
    'medium',
    'medium',
    'high',
    'high',
    'critical',
    'critical',
    'unknown',
  ]);
});
