import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { analysisContextOf } from '../../analysis/analyse-rule.js';
import { python } from '../../languages/python/index.js';
import { predicatesOf } from '../../model/predicates.js';
import { parseContainer } from '../containers.js';
import type { SourceFile } from '../types.js';
import { pantherFormat } from './index.js';

before(async () => {
  await python.init!();
});

const ruleYaml = `AnalysisType: rule
Filename: okta_support_access.py
RuleID: "Okta.Support.Access"
DisplayName: "Okta Support Access Granted"
Enabled: true
LogTypes:
  - Okta.SystemLog
Tags:
  - Okta
  - Initial Access:Trusted Relationship
Reports:
  MITRE ATT&CK:
    - TA0001:T1199
    - TA0006:T1556.004
  CIS:
    - 1.5
Severity: Medium
Description: An admin user has granted access to Okta Support
Reference: https://help.okta.com/support-access
Runbook: Contact Admin
DedupPeriodMinutes: 15
Threshold: 2
SummaryAttributes:
  - eventType
  - p_any_ip_addresses
Tests:
  - Name: Support Access Granted
    ExpectedResult: true
    Log:
      eventType: user.session.impersonation.grant
  - Name: Login Event
    ExpectedResult: False
    Log: { "eventType": "user.session.start" }
`;

const rulePython = `SUPPORT = ["user.session.impersonation.grant", "user.session.impersonation.initiate"]


def rule(event):
    return event.get("eventType") in SUPPORT


def alert_context(event):
    return {"ip": event.udm("source_ip")}
`;

function file(path: string, text: string, related: Record<string, string> = {}): SourceFile {
  return { path, text, readRelated: (rel) => related[rel] };
}

function read(f: SourceFile) {
  const doc = parseContainer('yaml', f.text);
  assert.ok(pantherFormat.detect(doc, f));
  return pantherFormat.read(doc, f);
}

test('a Python rule: metadata, ATT&CK, sources, outputs, tests and the .py as query', () => {
  const [rule] = read(file('rules/okta_rules/okta_support_access.yml', ruleYaml, { 'okta_support_access.py': rulePython }));
  assert.ok(rule);
  assert.equal(rule.nativeId, 'Okta.Support.Access');
  assert.equal(rule.platform, 'panther');
  assert.equal(rule.format, 'panther');
  assert.equal(rule.language, 'python');
  assert.equal(rule.query, rulePython);
  assert.equal(rule.queryLine, undefined);
  assert.equal(rule.name, 'Okta Support Access Granted');
  assert.equal(rule.description, 'An admin user has granted access to Okta Support');
  assert.equal(rule.severity, 'medium');
  assert.equal(rule.type, 'rule');
  assert.equal(rule.status, 'enabled');
  assert.deepEqual(rule.tags, ['Okta', 'Initial Access:Trusted Relationship']);
  assert.deepEqual(rule.references, ['https://help.okta.com/support-access']);
  assert.deepEqual(rule.dataSources, ['Okta.SystemLog']);
  assert.deepEqual(rule.declaredSources, ['logtype:Okta.SystemLog']);
  assert.deepEqual(rule.attackRaw, {
    tactics: ['TA0001', 'TA0006'],
    techniques: ['T1199', 'T1556.004'],
    techniqueTactics: { T1199: ['TA0001'], 'T1556.004': ['TA0006'] },
  });
  assert.deepEqual(rule.schedule, { dedup: '15m', trigger: '>= 2' });
  assert.deepEqual(
    rule.declaredOutputs.map((o) => [o.field, o.source]),
    [
      ['eventType', 'summary'],
      ['p_any_ip_addresses', 'summary'],
    ],
  );
  assert.equal(rule.extra.runbook, 'Contact Admin');
  assert.deepEqual(rule.extra.tests, [
    { name: 'Support Access Granted', expectedResult: true, log: { eventType: 'user.session.impersonation.grant' } },
    { name: 'Login Event', expectedResult: false, log: { eventType: 'user.session.start' } },
  ]);
  assert.deepEqual(rule.diagnostics, []);
});

test('udm(): the format hands the analyser the data model of the rule log types', () => {
  const [rule] = read(file('rules/okta_rules/okta_support_access.yml', ruleYaml, { 'okta_support_access.py': rulePython }));
  const source = `def rule(event):\n    return event.udm("source_ip") == "1.1.1.1" and event.udm("event_type") == "x"\n`;
  const [withUdm] = read(file('rules/okta_rules/x.yml', ruleYaml, { 'okta_support_access.py': source }));
  assert.ok(rule && withUdm);
  const fields = predicatesOf(python.analyse(withUdm.query, analysisContextOf(withUdm)).stages[0]!.condition).map((p) => p.field);
  // source_ip is a Path in Okta's data model; event_type a Method, left unresolved.
  assert.deepEqual(fields, ['client.ipAddress', 'udm:event_type']);

  // A source with its own data_models/ folder wins over the built-in table.
  const own = `AnalysisType: datamodel
LogTypes:
  - Okta.SystemLog
Mappings:
  - Name: source_ip
    Path: $.request.ip
`;
  const [ownRule] = read(
    file('rules/okta_rules/x.yml', ruleYaml, { 'okta_support_access.py': source, '../../data_models/okta_data_model.yml': own }),
  );
  const ownFields = predicatesOf(python.analyse(ownRule!.query, analysisContextOf(ownRule!)).stages[0]!.condition).map((p) => p.field);
  assert.deepEqual(ownFields, ['request.ip', 'udm:event_type']);
});

test('a missing .py: metadata kept, language none, a warning that names the file', () => {
  const [rule] = read(file('rules/okta_rules/okta_support_access.yml', ruleYaml));
  assert.ok(rule);
  assert.equal(rule.language, 'none');
  assert.equal(rule.query, '');
  assert.equal(rule.name, 'Okta Support Access Granted');
  assert.deepEqual(rule.diagnostics, [
    { message: 'Python file okta_support_access.py not found beside the YAML', severity: 'warning', scope: 'metadata' },
  ]);
});

test('a simple detection: the Detection block as query, AlertContext as outputs', () => {
  const text = `AnalysisType: rule
RuleID: "Github.Repo.Archived"
DisplayName: "GitHub Repository Archived"
Enabled: false
LogTypes:
  - GitHub.Audit
Severity: Info
Detection:
  - Key: action
    Condition: Equals
    Value: repo.archived
AlertTitle: "Repository [{repo}] archived."
AlertContext:
  - KeyName: actor
    KeyValue:
      Key: actor
`;
  const [rule] = read(file('rules/github_rules/github_repo_archived.yml', text));
  assert.ok(rule);
  assert.equal(rule.language, 'panther-detection');
  assert.equal(rule.query, 'Detection:\n  - Key: action\n    Condition: Equals\n    Value: repo.archived');
  assert.equal(rule.queryLine, 8);
  assert.equal(rule.status, 'disabled');
  assert.equal(rule.severity, 'informational');
  assert.deepEqual(rule.declaredOutputs, [{ field: 'actor', source: 'alert_context' }]);
  assert.equal(rule.extra.alertTitle, 'Repository [{repo}] archived.');
});

test('scheduled queries are SQL; correlation rules are panther-detection with their schedule', () => {
  const query = `AnalysisType: scheduled_query
QueryName: Okta Many Logins
Enabled: false
Description: Many logins
Tags:
  - Okta
Query: |
  SELECT *
  FROM panther_logs.public.okta_systemlog
Schedule:
  CronExpression: '0 * * * *'
  TimeoutMinutes: 1
`;
  const [q] = read(file('queries/okta_many_logins.yml', query));
  assert.ok(q);
  assert.equal(q.nativeId, 'Okta Many Logins');
  assert.equal(q.name, 'Okta Many Logins');
  assert.equal(q.language, 'sql');
  assert.equal(q.query, 'SELECT *\nFROM panther_logs.public.okta_systemlog\n');
  assert.equal(q.queryLine, 8);
  assert.equal(q.type, 'scheduled_query');
  assert.deepEqual(q.schedule, { interval: 'cron 0 * * * *', lookback: undefined });
  assert.equal(q.severity, 'unknown');

  const correlation = `AnalysisType: correlation_rule
RuleID: "A.FOLLOWED.BY.B"
DisplayName: A followed by B
Enabled: true
Severity: High
Detection:
  - Sequence:
      - ID: A
        RuleID: Rule.A
      - ID: B
        RuleID: Rule.B
    LookbackWindowMinutes: 90
    Schedule:
      RateMinutes: 60
      TimeoutMinutes: 1
Tests:
  - Name: A then B
    ExpectedResult: true
    RuleOutputs:
      - ID: A
        Matches: {}
`;
  const [c] = read(file('correlation_rules/a_b.yml', correlation));
  assert.ok(c);
  assert.equal(c.language, 'panther-detection');
  assert.equal(c.type, 'correlation_rule');
  assert.ok(c.query.startsWith('Detection:\n  - Sequence:'));
  assert.ok(!c.query.includes('Tests'));
  assert.deepEqual(c.schedule, { interval: '60m', lookback: '90m' });
  assert.deepEqual(c.extra.tests, [{ name: 'A then B', expectedResult: true, ruleOutputs: [{ ID: 'A', Matches: {} }] }]);
});

test('policies read ResourceTypes; data models and other YAML are not detected', () => {
  const policy = `AnalysisType: policy
Filename: pw.py
PolicyID: "AWS.PasswordPolicy.Complexity"
DisplayName: "AWS Password Policy Complexity"
Enabled: true
ResourceTypes:
  - AWS.PasswordPolicy
Severity: High
Status: Experimental
`;
  const [p] = read(file('policies/pw.yml', policy, { 'pw.py': 'def policy(resource):\n    return True\n' }));
  assert.ok(p);
  assert.equal(p.nativeId, 'AWS.PasswordPolicy.Complexity');
  assert.equal(p.type, 'policy');
  assert.equal(p.status, 'experimental');
  assert.deepEqual(p.declaredSources, ['resourcetype:AWS.PasswordPolicy']);
  assert.equal(p.language, 'python');

  for (const text of [
    'AnalysisType: datamodel\nLogTypes: [Okta.SystemLog]\nMappings: []\n',
    'AnalysisType: global\nGlobalID: panther_base_helpers\nFilename: x.py\n',
    'id: 1\nname: x\nquery: y\n',
  ]) {
    assert.equal(pantherFormat.detect(parseContainer('yaml', text), { path: 'x.yml', text }), false);
  }
});
