// Visibility by table, index, dataset, sourcetype and log type: rules of each platform reading named log
// sources, judged by the entries of "my log sources"; providers as before; the Navigator layer of it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Rule } from '../model/types.js';
import { fixtureRule } from '../web/fixture-catalog.js';
import { isCollected, parseLogEntries, ruleLogSources } from './log-sources.js';
import { visibility } from './visibility.js';
import { visibilityLayer } from './visibility-layer.js';

const technique = (id: string) => ({ tactics: [], techniques: [{ id, name: id, tactics: [] }] });
const rule = (nativeId: string, platform: string, language: string, sources: string[], t: string, provider?: string): Rule =>
  fixtureRule({
    nativeId,
    platform,
    language,
    name: nativeId,
    sources,
    events: provider ? [{ provider, event: 'e' }] : [],
    attack: technique(t),
  });

const rules = [
  rule('signin', 'sentinel', 'kql', ['SigninLogs'], 'T1078'),
  rule('audit-join', 'sentinel', 'kql', ['AuditLogs', 'SigninLogs'], 'T1098'),
  rule('device', 'defender-xdr', 'kql', ['DeviceProcessEvents'], 'T1059'),
  // An EQL category is no index; the index patterns are.
  rule('okta-elastic', 'elastic', 'eql', ['process', 'logs-okta*', 'filebeat-*'], 'T1556'),
  rule('endpoint-elastic', 'elastic', 'eql', ['process', 'logs-endpoint.events.process-*'], 'T1059.001'),
  rule('cloudtrail-splunk', 'splunk', 'spl', ['sourcetype:aws:cloudtrail', 'datamodel:Change'], 'T1562.008'),
  rule('k8s-splunk', 'splunk', 'spl', ['index:kubernetes_metrics'], 'T1609'),
  rule('okta-panther', 'panther', 'python', ['logtype:Okta.SystemLog'], 'T1110'),
  rule('gsuite-panther', 'panther', 'python', ['logtype:GSuite.Reports'], 'T1114'),
  // A provider only: judged by it whatever the tables.
  rule('security-sigma', 'sigma', 'sigma', ['product:windows'], 'T1070', 'windows-security'),
];

test('the log sources a rule reads, by platform', () => {
  assert.deepEqual(ruleLogSources(rules[3]!), [
    { kind: 'index', value: 'logs-okta*', dataset: true },
    { kind: 'index', value: 'filebeat-*', dataset: true },
  ]);
  assert.deepEqual(ruleLogSources(rules[5]!), [{ kind: 'sourcetype', value: 'aws:cloudtrail' }]);
  assert.deepEqual(ruleLogSources(rules[9]!), []);
  const logs = parseLogEntries(['okta', 'Table:SigninLogs', 'dataset:okta.system', 'bogus:x', 'index:']);
  assert.deepEqual([...logs.providers], ['okta', 'bogus:x', 'index:'], 'an unknown kind or an empty value is a provider id');
  assert.deepEqual(logs.sources, [
    { kind: 'table', value: 'SigninLogs' },
    { kind: 'dataset', value: 'okta.system' },
  ]);
});

const names = (v: ReturnType<typeof visibility>) => v.runnable.map((r) => r.name);

test('tables, datasets, sourcetypes, log types: what runs, what goes blind and what to collect', () => {
  const v = visibility(
    rules,
    ['table:signinlogs', 'dataset:okta.system', 'sourcetype:AWS:CloudTrail', 'logtype:Okta.SystemLog', 'windows-security'],
    new Map(),
  );
  assert.deepEqual(names(v), ['audit-join', 'cloudtrail-splunk', 'okta-elastic', 'okta-panther', 'security-sigma', 'signin']);
  assert.deepEqual(
    v.blind.map((t) => [t.id, t.missing]),
    [
      ['T1059', ['table:DeviceProcessEvents']],
      ['T1059.001', ['index:logs-endpoint.events.process-*']],
      ['T1114', ['logtype:GSuite.Reports']],
    ],
  );
  // A dataset speaks of Elastic indexes only: the Splunk index rule is not judged by it, and names no provider.
  assert.deepEqual(
    v.unsure.map((t) => t.id),
    ['T1609'],
  );
  assert.equal(v.logs.find((l) => l.id === 'windows-security')?.name, 'Windows Security');
  assert.equal(v.logs.find((l) => l.id === 'table:signinlogs')?.name, 'table:signinlogs');
});

test('index patterns on either side, Splunk indexes; providers alone judge as before', () => {
  const v = visibility(rules, ['index:kubernetes*', 'index:logs-endpoint.events.*'], new Map());
  assert.deepEqual(names(v), ['endpoint-elastic', 'k8s-splunk']);
  assert.deepEqual(
    v.blind.map((t) => [t.id, t.missing]),
    [
      ['T1070', ['windows-security']],
      ['T1556', ['index:filebeat-*', 'index:logs-okta*']],
    ],
  );
  const providers = visibility(rules, ['windows-security'], new Map());
  assert.deepEqual(names(providers), ['security-sigma']);
  assert.equal(providers.blocked, 0);
  assert.equal(providers.unknown, rules.length - 1);
});

test('the visibility layer: visible 2, cannot tell 1, blind 0, and what to collect', () => {
  const layer = visibilityLayer(visibility(rules, ['table:SigninLogs', 'logtype:Okta.SystemLog'], new Map()));
  assert.equal(layer.versions.layer, '4.5');
  const score = Object.fromEntries(layer.techniques.map((t) => [t.techniqueID, t.score]));
  assert.equal(score.T1078, 2);
  assert.equal(score.T1110, 2);
  assert.equal(score.T1059, 0);
  assert.equal(score.T1070, 0, 'its provider is not collected');
  assert.equal(score.T1609, 1, 'no entry speaks of Splunk indexes, and the rule names no provider');
  assert.match(layer.techniques.find((t) => t.techniqueID === 'T1059')!.comment, /collect table:DeviceProcessEvents/);
});

test("a rule's index pattern is matched in linear time, whatever its stars (rule text is hostile input)", () => {
  // As a backtracking regex, `*a` twelve times then `*b` took about 3 s on a 30-character name, and grows
  // exponentially with the stars; the wildcard match takes at most name x pattern steps.
  const hostile = { kind: 'index' as const, value: `${'*a'.repeat(40)}*b`, dataset: true };
  const started = process.hrtime.bigint();
  assert.equal(isCollected(hostile, parseLogEntries([`index:${'a'.repeat(200)}`])), false);
  assert.equal(isCollected(hostile, parseLogEntries([`index:${'a'.repeat(200)}b`])), true);
  assert.equal(isCollected(hostile, parseLogEntries([`dataset:${'a'.repeat(200)}`])), false);
  // A budget against a hang only (the old code would not end): the match itself takes microseconds.
  assert.ok(Number(process.hrtime.bigint() - started) / 1e6 < 2000);
  // Still a glob without case, either side: the rule's pattern or yours.
  const rule = { kind: 'index' as const, value: 'Logs-Okta*', dataset: true };
  assert.equal(isCollected(rule, parseLogEntries(['index:logs-okta.system-default'])), true);
  assert.equal(isCollected({ ...rule, value: 'logs-okta.system-default' }, parseLogEntries(['index:LOGS-*'])), true);
  assert.equal(isCollected(rule, parseLogEntries(['index:logs-oktb*'])), false);
});
