// Hand-made rules for the web tests: a small catalog with every page section filled in, an
// older duplicate copy, and a rule whose every text field tries to inject markup.
import { openTestCatalog } from '../explore/test-catalog.js';
import { makeRule } from '../model/rule-factory.js';
import type { Rule } from '../model/types.js';
import type { BuildReport } from '../report/report.js';
import type { CatalogStore } from '../store/read.js';

const xssScript = '<script>window.__xss=1;alert(1)</script>';
const xssAttr = '"><img src=x onerror=alert(1)>';
export const xss = `${xssScript}${xssAttr}`;

/** A complete Rule with overridable fields, with the platform's own format, language and file type. */
export function fixtureRule(overrides: Partial<Rule> & { nativeId: string }): Rule {
  const platform = overrides.platform ?? 'sentinel';
  const elastic = platform === 'elastic';
  return makeRule({
    format: platform,
    language: elastic ? 'kuery' : 'kql',
    path: `${overrides.nativeId}.${elastic ? 'toml' : 'yaml'}`,
    sourceName: platform,
    ...overrides,
  });
}

const sentinelQuery = `OktaSSO
| where eventType_s == "user.session.impersonation.initiate" and outcome_result_s == "SUCCESS"
| project TimeGenerated, actor_alternateId_s, eventType_s`;

export const sentinelId = 'sentinel:35846296-4052-4de2-8098-beb6bb5f2203';
export const olderId = 'sentinel:35846296-4052-4de2-8098-beb6bb5f2203@1a2b3c4d';
export const elasticId = 'elastic:cdbebdc1-dc97-43c6-a538-f26a20c0a911';
export const xssId = 'sentinel:xss-rule';

function sentinelRule(): Rule {
  return fixtureRule({
    nativeId: '35846296-4052-4de2-8098-beb6bb5f2203',
    name: 'User Session Impersonation(Okta)',
    description: 'A user has started a session impersonation, gaining access with the impersonated users permissions.',
    severity: 'medium',
    status: 'Available',
    authors: ['Microsoft'],
    created: '2022-03-22',
    updated: '2024-05-01',
    version: '1.1.0',
    references: ['https://help.okta.com/impersonation', 'ftp://example.com/not-a-link'],
    tags: ['Okta', 'Identity'],
    dataSources: ['OktaSSO'],
    schedule: { interval: '6h', lookback: '6h', trigger: 'gt 0' },
    query: sentinelQuery,
    body: `id: 35846296-4052-4de2-8098-beb6bb5f2203
name: User Session Impersonation(Okta)
severity: Medium # a comment
query: |
  ${sentinelQuery.split('\n').join('\n  ')}
version: 1.1.0
`,
    path: 'Solutions/Okta/UserSessionImpersonation.yaml',
    attack: {
      tactics: [{ id: 'TA0004', name: 'Privilege Escalation' }],
      techniques: [
        { id: 'T1134', name: 'Access Token Manipulation', tactics: ['TA0004'] },
        { id: 'T1134.003', name: 'Access Token Manipulation: Make and Impersonate Token', tactics: ['TA0004'] },
      ],
    },
    stages: [
      { kind: 'source', text: 'OktaSSO', sources: ['OktaSSO'] },
      {
        kind: 'where',
        text: '| where eventType_s == "user.session.impersonation.initiate" and outcome_result_s == "SUCCESS"',
        condition: {
          kind: 'and',
          children: [
            {
              kind: 'pred',
              predicate: {
                field: 'eventType_s',
                op: 'eq',
                values: ['user.session.impersonation.initiate'],
                negated: false,
                caseSensitive: true,
                nativeOp: '==',
                text: 'eventType_s == "user.session.impersonation.initiate"',
              },
            },
            {
              kind: 'or',
              children: [
                {
                  kind: 'pred',
                  predicate: {
                    field: 'outcome_result_s',
                    op: 'eq',
                    values: ['SUCCESS'],
                    negated: false,
                    caseSensitive: true,
                    nativeOp: '==',
                    text: 'outcome_result_s == "SUCCESS"',
                  },
                },
                {
                  kind: 'not',
                  child: {
                    kind: 'pred',
                    predicate: {
                      field: 'actor_type_s',
                      op: 'in',
                      values: ['SystemPrincipal', 'App'],
                      negated: false,
                      caseSensitive: false,
                      nativeOp: 'in~',
                      text: 'actor_type_s in~ ("SystemPrincipal", "App")',
                    },
                  },
                },
              ],
            },
          ],
        },
      },
      { kind: 'project', text: '| project TimeGenerated, actor_alternateId_s, eventType_s' },
    ],
    sources: ['OktaSSO'],
    indicators: [
      {
        field: 'eventType_s',
        op: 'eq',
        value: 'user.session.impersonation.initiate',
        negated: false,
        caseSensitive: true,
        corpusCount: 3,
        canonical: { field: 'event.action', op: 'eq', value: 'user.session.impersonation.initiate', negated: false, corpusCount: 7 },
      },
      { field: 'outcome_result_s', op: 'eq', value: 'SUCCESS', negated: false, caseSensitive: true, corpusCount: 12 },
      { field: 'actor_type_s', op: 'eq', value: 'SystemPrincipal', negated: true, caseSensitive: false, corpusCount: 0 },
      { field: 'note_s', op: 'eq', value: '', negated: false, caseSensitive: false, corpusCount: 0 },
    ],
    events: [{ provider: 'okta', event: 'user.session.impersonation.initiate' }],
    outputFields: [
      { field: 'TimeGenerated', source: 'project' },
      { field: 'actor_alternateId_s', source: 'project', mappedBy: ['entityMappings'] },
    ],
    sameAction: [{ id: elasticId, name: 'Okta User Session Impersonation', platform: 'elastic' }],
    similar: [
      {
        id: elasticId,
        name: 'Okta User Session Impersonation',
        platform: 'elastic',
        score: 0.42,
        shared: ['event.action eq user.session.impersonation.initiate', 'T1134'],
      },
    ],
    diagnostics: [{ message: 'the query uses a deprecated column', severity: 'warning', scope: 'query', line: 2, column: 9, fileLine: 5 }],
    duplicates: { others: [olderId], newest: true },
  });
}

function olderCopy(): Rule {
  return {
    ...sentinelRule(),
    id: olderId,
    version: '1.0.0',
    updated: '2023-01-01',
    path: 'Solutions/Okta/UserSessionImpersonation(Okta).yaml',
    duplicates: { others: [sentinelId], newest: false },
  };
}

function elasticRule(): Rule {
  const query = 'data_stream.dataset:okta.system and event.action:user.session.impersonation.initiate';
  return fixtureRule({
    nativeId: 'cdbebdc1-dc97-43c6-a538-f26a20c0a911',
    platform: 'elastic',
    name: 'Okta User Session Impersonation',
    description: 'A user has initiated a session impersonation granting them access to the environment.',
    severity: 'high',
    type: 'query',
    status: 'production',
    authors: ['Elastic'],
    created: '2022-03-22',
    updated: '2026-04-10',
    references: ['https://www.elastic.co/security-labs/starter-guide-to-understanding-okta'],
    tags: ['Data Source: Okta', 'Tactic: Credential Access'],
    dataSources: ['Okta', 'filebeat-*', 'logs-okta*'],
    schedule: { interval: '15m', lookback: 'now-30m' },
    query,
    body: `[metadata]\ncreation_date = "2022/03/22"\n\n[rule]\nname = "Okta User Session Impersonation"\nrisk_score = 73\nquery = '''\n${query}\n'''\n`,
    guide: '## Triage and analysis\nCheck `okta.actor.id`.',
    extra: { risk_score: 73 },
    path: 'rules/integrations/okta/credential_access_user_impersonation_access.toml',
    attack: {
      tactics: [
        { id: 'TA0006', name: 'Credential Access' },
        { id: 'TA0005', name: 'Defense Evasion' },
      ],
      techniques: [
        { id: 'T1078', name: 'Valid Accounts', tactics: ['TA0005'] },
        { id: 'T1078.004', name: 'Valid Accounts: Cloud Accounts', tactics: ['TA0005'] },
      ],
    },
    stages: [
      {
        kind: 'query',
        text: query,
        condition: {
          kind: 'and',
          children: [
            {
              kind: 'pred',
              predicate: {
                field: 'data_stream.dataset',
                op: 'eq',
                values: ['okta.system'],
                negated: false,
                caseSensitive: false,
                nativeOp: ':',
                text: 'data_stream.dataset:okta.system',
              },
            },
            {
              kind: 'pred',
              predicate: {
                field: 'event.action',
                op: 'eq',
                values: ['user.session.impersonation.initiate'],
                negated: false,
                caseSensitive: false,
                nativeOp: ':',
                text: 'event.action:user.session.impersonation.initiate',
              },
            },
          ],
        },
      },
    ],
    sources: ['filebeat-*', 'logs-okta*'],
    indicators: [
      { field: 'data_stream.dataset', op: 'eq', value: 'okta.system', negated: false, caseSensitive: false, corpusCount: 40 },
      {
        field: 'event.action',
        op: 'eq',
        value: 'user.session.impersonation.initiate',
        negated: false,
        caseSensitive: false,
        corpusCount: 1,
      },
    ],
    events: [{ provider: 'okta', event: 'user.session.impersonation.initiate' }],
    sameAction: [{ id: sentinelId, name: 'User Session Impersonation(Okta)', platform: 'sentinel' }],
  });
}

function xssRule(): Rule {
  return fixtureRule({
    nativeId: 'xss-rule',
    name: `Evil ${xss} rule`,
    description: `Description ${xss}`,
    severity: `high${xssAttr}`,
    type: `scheduled${xssAttr}`,
    status: xss,
    authors: [xss],
    version: xssAttr,
    query: `SecurityEvent | where CommandLine has "${xss}" // ${xss}`,
    body: `name: ${xss}\nquery: |\n  SecurityEvent | where x == "${xss}"\n`,
    tags: [xss],
    dataSources: [xss],
    references: [
      'javascript:alert(1)',
      `https://example.com/${xssAttr}`,
      ' JavaScript:alert(2)',
      'data:text/html,<script>alert(1)</script>',
    ],
    attack: {
      tactics: [{ id: 'TA0002', name: `Execution ${xss}` }],
      techniques: [{ id: 'T1059', name: `Command ${xss}`, tactics: ['TA0002'] }],
    },
    stages: [
      {
        kind: 'where',
        text: `| where CommandLine has "${xss}"`,
        condition: {
          kind: 'or',
          children: [
            {
              kind: 'pred',
              predicate: {
                field: `CommandLine${xssAttr}`,
                op: 'has',
                values: [xss],
                negated: false,
                caseSensitive: false,
                nativeOp: 'has',
                text: xss,
              },
            },
            { kind: 'other', text: xss },
          ],
        },
      },
    ],
    indicators: [
      {
        field: `CommandLine${xssAttr}`,
        op: 'has',
        value: xss,
        negated: false,
        caseSensitive: false,
        corpusCount: 0,
        canonical: { field: `process.command_line${xssAttr}`, op: 'contains', value: xss, negated: true, corpusCount: 0 },
      },
    ],
    similar: [{ id: `sentinel:${xssAttr}`, name: xss, platform: xss, score: 0.5, shared: [xss] }],
    events: [{ provider: 'windows-security', event: xss }],
    outputFields: [{ field: xss, source: 'project', mappedBy: [xss] }],
    sameAction: [{ id: `sentinel:${xssAttr}`, name: xss, platform: xss }],
    diagnostics: [{ message: xss, severity: 'error', scope: 'query' }],
    guide: xss,
    extra: { risk_score: xss },
    path: `evil/${xss}.yaml`,
  });
}

function plainRules(): Rule[] {
  return [
    fixtureRule({
      nativeId: 'cloudtrail-stop',
      name: 'CloudTrail logging stopped',
      description: 'Detects StopLogging calls.',
      severity: 'high',
      query: 'AWSCloudTrail | where EventName == "StopLogging"',
      events: [{ provider: 'aws-cloudtrail', event: 'StopLogging' }],
      attack: {
        tactics: [{ id: 'TA0005', name: 'Defense Evasion' }],
        techniques: [{ id: 'T1562.008', name: 'Impair Defenses: Disable or Modify Cloud Logs', tactics: ['TA0005'] }],
      },
    }),
    fixtureRule({
      nativeId: 'log-cleared',
      platform: 'elastic',
      language: 'eql',
      name: 'Security log cleared',
      description: 'Detects event 1102.',
      severity: 'low',
      query: 'any where event.code == "1102" and not process.name : ("a.exe", "b.exe")',
    }),
  ];
}

export function fixtureRules(): Rule[] {
  return [sentinelRule(), olderCopy(), elasticRule(), xssRule(), ...plainRules()];
}

export function fixtureReport(rules: Rule[]): BuildReport {
  return {
    builtAt: '2026-01-01T00:00:00.000Z',
    millis: 1234,
    files: rules.length + 2,
    rules: rules.length,
    languages: {
      kql: { rules: 4, parsed: 3, failed: 1, notAnalysed: 0 },
      kuery: { rules: 1, parsed: 1, failed: 0, notAnalysed: 0 },
      eql: { rules: 1, parsed: 1, failed: 0, notAnalysed: 0 },
    },
    platforms: { sentinel: { rules: 4, languages: { kql: 4 } }, elastic: { rules: 2, languages: { kuery: 1, eql: 1 } } },
    errors: [{ path: `broken/${xss}.yaml`, reason: `bad YAML ${xss}` }],
    failures: [{ id: xssId, path: `evil/${xss}.yaml`, language: 'kql', reason: `unexpected ${xss}`, line: 1, column: 2 }],
    skipped: [{ path: 'README.md', reason: 'not a rule file' }],
    duplicates: 1,
  };
}

/** Write the fixture catalog to a temp folder and open it; `cleanup` closes and deletes it. */
export function openFixtureStore(): { store: CatalogStore; cleanup: () => void } {
  const rules = fixtureRules();
  return openTestCatalog(rules, fixtureReport(rules));
}
