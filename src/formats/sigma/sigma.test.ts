import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analysisContextOf } from '../../analysis/analyse-rule.js';
import { eventsOf } from '../../analysis/events.js';
import { sigma } from '../../languages/sigma/index.js';
import { platformInfo } from '../../platforms/registry.js';
import { providers } from '../../providers/registry.js';
import { parseContainer } from '../containers.js';
import { sigmaFormat, splitAuthors } from './index.js';

const detection = `title: Suspicious Use Of Test Tool
id: 0a1b2c3d-0000-4000-8000-000000000001
status: test
description: |
    Detects a test tool.
references:
    - https://example.com/a
author: Alice Example (Org, Inc), Bob and Carol; Dan
date: 2022/03/07
modified: 2024-1-5
tags:
    - attack.execution
    - attack.credential_access
    - attack.t1059.001
    - attack.s0002
    - cve.2021-44228
    - detection.threat-hunting
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\\tool.exe'
    filter_main:
        User: 'SYSTEM'
    condition: selection and not filter_main
fields:
    - CommandLine
    - User
falsepositives:
    - Admins
level: high
`;

function read(text: string, path = 'rules/windows/test.yml') {
  const doc = parseContainer('yaml', text);
  assert.ok(sigmaFormat.detect(doc, { path, text }), 'not detected');
  const rules = sigmaFormat.read(doc, { path, text });
  assert.equal(rules.length, 1);
  return rules[0]!;
}

describe('sigma format', () => {
  it('reads the metadata of a detection rule', () => {
    const rule = read(detection);
    assert.deepEqual(
      {
        nativeId: rule.nativeId,
        platform: rule.platform,
        format: rule.format,
        language: rule.language,
        name: rule.name,
        description: rule.description,
        severity: rule.severity,
        type: rule.type,
        status: rule.status,
        authors: rule.authors,
        created: rule.created,
        updated: rule.updated,
        references: rule.references,
        tags: rule.tags,
        dataSources: rule.dataSources,
        declaredSources: rule.declaredSources,
        declaredOutputs: rule.declaredOutputs,
        attackRaw: rule.attackRaw,
        extra: Object.keys(rule.extra),
        diagnostics: rule.diagnostics,
      },
      {
        nativeId: '0a1b2c3d-0000-4000-8000-000000000001',
        platform: 'sigma',
        format: 'sigma',
        language: 'sigma',
        name: 'Suspicious Use Of Test Tool',
        description: 'Detects a test tool.',
        severity: 'high',
        type: 'detection',
        status: 'test',
        authors: ['Alice Example (Org, Inc)', 'Bob', 'Carol', 'Dan'],
        created: '2022-03-07',
        updated: '2024-01-05',
        references: ['https://example.com/a'],
        tags: ['attack.s0002', 'cve.2021-44228', 'detection.threat-hunting'],
        dataSources: ['windows/process_creation'],
        declaredSources: ['windows/process_creation', 'product:windows', 'category:process_creation'],
        declaredOutputs: [
          { field: 'CommandLine', source: 'fields' },
          { field: 'User', source: 'fields' },
        ],
        attackRaw: { tactics: ['execution', 'credential_access'], techniques: ['T1059.001'] },
        extra: ['logsource', 'falsepositives', 'fields'],
        diagnostics: [],
      },
    );
  });

  it('takes the detection section of the file as the query', () => {
    const rule = read(detection);
    assert.equal(
      rule.query,
      "detection:\n    selection:\n        Image|endswith: '\\tool.exe'\n    filter_main:\n        User: 'SYSTEM'\n    condition: selection and not filter_main",
    );
    assert.equal(rule.queryLine, 21);
    const analysis = sigma.analyse(rule.query, analysisContextOf(rule));
    assert.equal(analysis.parsed, true);
    assert.deepEqual(
      analysis.stages.map((s) => s.kind),
      ['selection', 'filter', 'condition'],
    );
  });

  it('falls back to dumping a detection written in flow style', () => {
    const rule = read(detection.replace(/detection:\n(?: {4}.*\n)+/, 'detection: {sel: {A: 1}, condition: sel}\n'));
    assert.equal(rule.query, 'detection: {sel: {A: 1}, condition: sel}');
  });

  it('does not detect other YAML', () => {
    for (const text of ['id: x\nname: y\nquery: z\nrequiredDataConnectors: []\n', 'detection: just text\n', '- a\n- b\n']) {
      assert.equal(sigmaFormat.detect(parseContainer('yaml', text), { path: 'x.yml', text }), false, text);
    }
  });

  it('reads a correlation rule', () => {
    const text = `title: Many Failed Logons
id: corr-1
correlation:
    type: event_count
    rules:
        - failed_logon
    group-by:
        - User
    timespan: 10m
    condition:
        gte: 10
level: medium
`;
    const rule = read(text);
    assert.equal(rule.type, 'correlation');
    assert.equal(rule.language, 'sigma');
    assert.deepEqual(rule.dataSources, []);
    assert.deepEqual(rule.diagnostics, []);
    assert.deepEqual(rule.extra.correlation, {
      type: 'event_count',
      rules: ['failed_logon'],
      'group-by': ['User'],
      timespan: '10m',
      condition: { gte: 10 },
    });
    const analysis = sigma.analyse(rule.query, analysisContextOf(rule));
    assert.deepEqual(
      analysis.stages.map((s) => [s.kind, s.sources]),
      [['correlation', ['failed_logon']]],
    );
  });

  it('reads a filter rule', () => {
    const text = `title: Skip DCs
id: filter-1
logsource:
    product: windows
filter:
    rules:
        - 0a1b2c3d-0000-4000-8000-000000000001
    selection:
        ComputerName|startswith: 'DC-'
    condition: not selection
`;
    const rule = read(text);
    assert.equal(rule.type, 'filter');
    assert.deepEqual(rule.dataSources, ['windows']);
    const analysis = sigma.analyse(rule.query, analysisContextOf(rule));
    assert.equal(analysis.parsed, true);
    assert.deepEqual(
      analysis.stages.map((s) => [s.kind, s.sources]),
      [
        ['rules', ['0a1b2c3d-0000-4000-8000-000000000001']],
        ['selection', undefined],
        ['condition', undefined],
      ],
    );
  });

  it('splits authors outside parentheses', () => {
    assert.deepEqual(splitAuthors('Florian Roth (Nextron Systems), oscd.community'), ['Florian Roth (Nextron Systems)', 'oscd.community']);
    assert.deepEqual(splitAuthors('Huntress DE&TH Team (idea)'), ['Huntress DE&TH Team (idea)']);
  });
});

describe('sigma events', () => {
  const cases: [string, string, string[]][] = [
    [
      'product: windows\n    service: security',
      'EventID:\n            - 4624\n            - 4625',
      ['windows-security:4624', 'windows-security:4625'],
    ],
    ['product: okta\n    service: okta', "eventType: 'user.session.start'", ['okta:user.session.start']],
    ['product: aws\n    service: cloudtrail', "eventName: 'StopLogging'", ['aws-cloudtrail:StopLogging']],
    ['product: gcp\n    service: gcp.audit', "gcp.audit.method_name: 'storage.buckets.delete'", ['gcp-audit:storage.buckets.delete']],
    ['product: github\n    service: audit', "action: 'repo.destroy'", ['github-audit:repo.destroy']],
    ['product: m365\n    service: audit', "Operation: 'New-InboxRule'", ['microsoft-365:New-InboxRule']],
    [
      'product: azure\n    service: activitylogs',
      "operationName: 'MICROSOFT.KEYVAULT/VAULTS/DELETE'",
      ['azure-activity:MICROSOFT.KEYVAULT/VAULTS/DELETE'],
    ],
    ['product: azure\n    service: auditlogs', "properties.message: 'Add user'", ['entra-id-audit:Add user']],
    ['product: azure\n    service: auditlogs', `properties.message: '"displayName":"UserType"'`, []],
    ['product: windows\n    category: process_creation', 'EventID: 4688', []],
  ];
  for (const [logsource, selection, events] of cases) {
    it(`${logsource.replace(/\s+/g, ' ')} → ${events.join(', ') || 'no event'}`, () => {
      const text = `title: T\nid: e\nlogsource:\n    ${logsource}\ndetection:\n    selection:\n        ${selection}\n    filter:\n        EventID: 4634\n        eventName: 'Other'\n    condition: selection and not filter\n`;
      const rule = read(text);
      const analysis = sigma.analyse(rule.query, analysisContextOf(rule));
      const found = eventsOf(analysis.stages, rule.declaredSources, platformInfo(sigmaFormat.platform)!.schema, providers);
      assert.deepEqual(
        found.map((e) => `${e.provider}:${e.event}`),
        events,
      );
    });
  }
});
