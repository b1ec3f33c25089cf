// Integration over the shared corpus (../shared beside the checkout, as in CI).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { main } from '../cli/main.js';
import { captureOutput } from '../cli/capture-output.js';
import type { Rule } from '../model/types.js';
import type { BuildReport } from '../report/report.js';

const corpus = fileURLToPath(new URL('../../../shared/corpus', import.meta.url));
const sentinel = join(corpus, 'sentinel');
const elastic = join(corpus, 'elastic');
const skip = !existsSync(sentinel) && !process.env.CI ? 'no ../shared corpus here' : false;
const oktaRule = join(sentinel, 'Solutions/Okta Single Sign-On/Analytic Rules/User Session Impersonation(Okta).yaml');
const oktaRuleNewest = join(sentinel, 'Solutions/Okta Single Sign-On/Analytic Rules/UserSessionImpersonation.yaml');
const elasticOkta = join(elastic, 'rules/integrations/okta/credential_access_user_impersonation_access.toml');
const sentinelId = 'sentinel:35846296-4052-4de2-8098-beb6bb5f2203';

async function run<T>(...argv: string[]): Promise<T> {
  const io = captureOutput();
  const code = await main(argv, io);
  assert.equal(code, 0, io.stderr);
  return JSON.parse(io.stdout) as T;
}

describe('Sentinel and Elastic corpus', { skip }, () => {
  const work = mkdtempSync(join(tmpdir(), 'ruleatlas-corpus-'));
  const db = join(work, 'catalog.db');
  let report: BuildReport;
  before(async () => {
    report = await run<BuildReport>('build', '--source', sentinel, '--source', elastic, '--db', db, '--json');
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  test('analyze: the Sentinel Okta impersonation rule', async () => {
    const [rule] = await run<[Rule]>('analyze', oktaRule, '--json');
    assert.equal(rule.nativeId, '35846296-4052-4de2-8098-beb6bb5f2203');
    assert.deepEqual(
      rule.stages.filter((s) => !s.depth).map((s) => s.kind),
      ['source', 'where', 'mv-expand', 'extend', 'project'],
    );
    const inds = rule.indicators.map((i) => `${i.field} ${i.op} ${i.value}`);
    assert.deepEqual(inds, ['eventType_s eq user.session.impersonation.initiate', 'outcome_result_s eq SUCCESS']);
    const projected = rule.outputFields
      .filter((o) => o.source === 'project')
      .map((o) => o.field)
      .sort();
    assert.deepEqual(projected, [
      'TargetUser_alternateId',
      'TargetUser_displayName',
      'TargetUser_id',
      'TargetUser_type',
      'TimeGenerated',
      'actor_alternateId_s',
      'actor_displayName_s',
      'eventType_s',
      'outcome_result_s',
    ]);
    assert.deepEqual(rule.events, [{ provider: 'okta', event: 'user.session.impersonation.initiate' }]);
    // This copy of the file files the rule under T1656 (Defense Evasion); the newest copy, below,
    // is the one the seed page shows.
    assert.deepEqual(
      rule.attack.techniques.map((t) => t.id),
      ['T1656'],
    );
  });

  test('analyze: the newest copy has T1134.003 with its full name under Privilege Escalation', async () => {
    const [rule] = await run<[Rule]>('analyze', oktaRuleNewest, '--json');
    const technique = rule.attack.techniques.find((t) => t.id === 'T1134.003');
    assert.equal(technique?.name, 'Access Token Manipulation: Make and Impersonate Token');
    assert.deepEqual(technique.tactics, ['TA0004']);
    assert.deepEqual(rule.attack.tactics, [{ id: 'TA0004', name: 'Privilege Escalation' }]);
  });

  test('analyze: the Elastic Okta impersonation rule', async () => {
    const [rule] = await run<[Rule]>('analyze', elasticOkta, '--json');
    assert.equal(rule.language, 'kuery');
    assert.deepEqual(
      rule.indicators.map((i) => `${i.field} ${i.op} ${i.value}`),
      ['data_stream.dataset eq okta.system', 'event.action eq user.session.impersonation.initiate'],
    );
    assert.deepEqual(rule.events, [{ provider: 'okta', event: 'user.session.impersonation.initiate' }]);
    assert.ok(rule.attack.tactics.some((t) => t.id === 'TA0006' && t.name === 'Credential Access'));
    assert.ok(rule.attack.techniques.some((t) => t.id === 'T1078.004' && t.name === 'Valid Accounts: Cloud Accounts'));
    assert.ok(rule.dataSources.includes('filebeat-*') && rule.dataSources.includes('logs-okta*'));
  });

  test('every file is accounted for: rules, errors or skipped', () => {
    assert.ok(report.rules > 2500, `rules: ${report.rules}`);
    const ruleFiles = report.rules; // one rule per file for these two formats
    // A file read in part (see recoverYaml) has its rule and an error entry.
    const unread = report.errors.filter((e) => !e.partial).length;
    assert.equal(ruleFiles + unread + report.skipped.length, report.files);
    assert.ok(
      report.errors.some((e) => e.partial),
      'the corpus has YAML files read in part',
    );
  });

  test('at least 99% of KQL, kuery and EQL queries parse, each failure listed', () => {
    for (const language of ['kql', 'kuery', 'eql']) {
      const l = report.languages[language];
      assert.ok(l, language);
      assert.ok(l.parsed / l.rules >= 0.99, `${language}: ${l.parsed}/${l.rules}`);
      assert.equal(report.failures.filter((f) => f.language === language).length, l.failed);
    }
    for (const f of report.failures) assert.ok(f.reason && f.path);
  });

  test('the Sentinel rule lists the Elastic rule under sameAction', async () => {
    const rules = await run<Rule[]>('show', '35846296-4052-4de2-8098-beb6bb5f2203', '--db', db, '--json');
    assert.equal(rules.length, 4, 'all four files that carry the native id');
    const newest = rules.find((r) => r.id === sentinelId);
    assert.equal(newest?.path, 'Solutions/Okta Single Sign-On/Analytic Rules/UserSessionImpersonation.yaml');
    assert.ok(newest.sameAction.some((s) => s.platform === 'elastic' && s.name === 'Okta User Session Impersonation'));
    assert.equal(newest.sameAction[0]?.platform, 'elastic', 'other platforms first');
    const eventInd = newest.indicators.find((i) => i.field === 'eventType_s');
    assert.ok((eventInd?.corpusCount ?? 0) >= 1);
  });
});
