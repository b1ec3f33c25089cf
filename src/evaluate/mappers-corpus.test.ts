// One event, every schema, over the shared corpus (skipped when absent): a provider's raw event,
// mapped to each platform's schema, fires the rules of each platform that detect its action. The
// catalog holds only the corpus folders of the providers checked (a few hundred rules, seconds).
// A rule whose language has no evaluator yet (SPL, YARA-L, Panther SQL, Python) is never tried by
// `fire`: the test then checks that its answer is `unknown` with a reason, and says so.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AttackCatalog } from '../attack/catalog.js';
import { analyseTask } from '../catalog/analyse-files.js';
import { loadYaml } from '../formats/yaml.js';
import { evaluatorFor } from '../languages/evaluate.js';
import { prepareLanguages } from '../languages/registry.js';
import type { Rule } from '../model/types.js';
import { platformInfo } from '../platforms/registry.js';
import { writeCatalog, type WriteOptions } from '../pipeline/write.js';
import { CatalogStore } from '../store/read.js';
import type { SyncedSource } from '../sync/keys.js';
import { recogniseLog } from './event-log.js';
import { fireMapped, type FireOutcome } from './fire-mapped.js';
import { FireIndex } from './fire.js';
import { mapEvent, recogniseProvider } from './map-event.js';
import { evaluateRule, PreparedEvent } from './rule.js';
import { sameActionAnswers } from './same-action.js';
import type { Evaluation } from './types.js';

const corpus = fileURLToPath(new URL('../../../shared/corpus', import.meta.url));
const folders = [
  'sentinel/Solutions/Okta Single Sign-On',
  'elastic/rules/integrations/okta',
  'panther/rules/okta_rules',
  'panther/queries/okta_queries',
  'sigma/rules/identity/okta',
  'chronicle/rules/community/okta',
];
const prepare: WriteOptions['prepare'] = async (languages) => {
  await prepareLanguages(languages);
  return { attack: AttackCatalog.empty() };
};

type Obj = Record<string, unknown>;

/** A Panther rule's test log, by the rule file and the test's name. */
function pantherTestLog(path: string, name: string): Obj {
  const doc = loadYaml(readFileSync(join(corpus, path), 'utf8')) as { Tests: { Name: string; Log: Obj }[] };
  const found = doc.Tests.find((t) => t.Name === name);
  assert.ok(found, `${path}: no test ${name}`);
  return structuredClone(found.Log);
}

/** The rules of these corpus files, analysed one by one (no catalog: ids are `platform:nativeId`). */
function rulesOf(paths: readonly string[]): Rule[] {
  return paths.flatMap((path) => {
    const { outcome } = analyseTask({ root: corpus, path, sourceName: 'corpus' }, AttackCatalog.empty());
    assert.equal(outcome.kind, 'rules', path);
    return outcome.kind === 'rules' ? outcome.rules.map((r) => ({ ...r, id: `${r.platform}:${r.nativeId}` })) : [];
  });
}

/** The first event of a Sigma regression sample's event file. */
function sigmaSample(path: string): Obj {
  const parsed = JSON.parse(readFileSync(join(corpus, 'sigma-regression', path), 'utf8')) as Obj | Obj[];
  return Array.isArray(parsed) ? parsed[0]! : parsed;
}

/** One provider's event and the rules (corpus files) expected to fire on it, mapped or as given. */
interface ProviderCase {
  provider: string;
  event: () => Obj;
  rules: Record<string, 'yes' | 'open'>;
}

const cases: ProviderCase[] = [
  {
    provider: 'aws-cloudtrail',
    event: () => pantherTestLog('panther/rules/aws_cloudtrail_rules/aws_cloudtrail_stopped.yml', 'CloudTrail Was Stopped'),
    rules: {
      'elastic/rules/integrations/aws/defense_evasion_cloudtrail_logging_suspended.toml': 'yes',
      'sigma/rules/cloud/aws/cloudtrail/aws_cloudtrail_disable_logging.yml': 'yes',
      // where ... and isempty(ErrorCode), then summarize: open.
      'sentinel/Solutions/Amazon Web Services/Analytic Rules/AWS_LogTampering.yaml': 'open',
      'panther/rules/aws_cloudtrail_rules/aws_cloudtrail_stopped.yml': 'yes',
      // Not listed: the Chronicle rule matches on principal.user.user_display_name, which the UDM mapper leaves out
      // (no documented source field found), and YARA-L drops an event whose match variable is empty: `no` is the
      // right answer on the mapped event as it is, and a gap of the mapper, not of the rule.
      // Not listed: the ESCU rule leaves out calls from the console (userAgent != console.amazonaws.com), and this
      // event is one; mapped, its other terms and by-fields hold (errorCode=success, src, region, user_arn ...).
    },
  },
  {
    provider: 'github-audit',
    event: () => ({
      ...pantherTestLog('panther/rules/github_rules/github_repo_created.yml', 'GitHub - Repo Created'),
      action: 'repo.destroy',
    }),
    rules: {
      'sentinel/Solutions/GitHub/Analytic Rules/GitHub - Repository was destroyed.yaml': 'yes',
      'sigma/rules/application/github/audit/github_delete_action_invoked.yml': 'yes',
      // `configuration where`: the integration sets event.category per action, which the mapper leaves out.
      'elastic/rules/integrations/github/impact_github_repository_deleted.toml': 'open',
    },
  },
  {
    provider: 'gcp-audit',
    event: () => pantherTestLog('panther/rules/gcp_audit_rules/gcp_firewall_rule_deleted.yml', 'compute.firewalls-delete-should-alert'),
    rules: {
      'elastic/rules/integrations/gcp/defense_evasion_gcp_firewall_rule_deleted.toml': 'yes',
      'sigma/rules/cloud/gcp/audit/gcp_firewall_rule_modified_or_deleted.yml': 'yes',
      'panther/rules/gcp_audit_rules/gcp_firewall_rule_deleted.yml': 'yes',
    },
  },
  {
    provider: 'microsoft-365',
    event: () =>
      pantherTestLog('panther/rules/microsoft_rules/microsoft_exchange_external_forwarding.yml', 'External Organization Forwarding'),
    rules: {
      'sentinel/Solutions/Microsoft 365/Analytic Rules/RareOfficeOperations.yaml': 'yes',
      // Compares the forwarding address with user.domain, which the record does not give.
      'elastic/rules/integrations/o365/collection_exchange_new_inbox_rule.toml': 'open',
      'panther/rules/microsoft_rules/microsoft_exchange_external_forwarding.yml': 'yes',
    },
  },
  {
    provider: 'sysmon',
    event: () => sigmaSample('rules/windows/process_creation/proc_creation_win_certutil_encode/e62a9f0c-ca1e-46b2-85d5-a6da77f86d1a.json'),
    rules: {
      'sigma/rules/windows/process_creation/proc_creation_win_certutil_encode.yml': 'yes',
      // process.name, process.args (the command line split as Windows does) and event.type start.
      'elastic/rules/windows/defense_evasion_suspicious_certutil_commands.toml': 'yes',
    },
  },
  {
    provider: 'windows-security',
    event: () =>
      sigmaSample(
        'rules/windows/builtin/security/win_security_susp_scheduled_task_delete_or_disable/7595ba94-cf3b-4471-aa03-4f6baa9e5fad.json',
      ),
    rules: { 'sigma/rules/windows/builtin/security/win_security_susp_scheduled_task_delete_or_disable.yml': 'yes' },
  },
];

/** The rule's answer on the event: as `fire` gave it, else (a rule `fire` does not try) its best over the mapped events of its schema. */
function answerOf(outcome: FireOutcome, rule: Rule, event: Obj): { evaluation: Evaluation; mapped: boolean } | undefined {
  const fired = outcome.fired.find((f) => f.rule.id === rule.id);
  if (fired) return { evaluation: fired.evaluation, mapped: fired.mapped !== undefined };
  if (evaluatorFor(rule.language)) return undefined;
  const found = recogniseProvider(event, recogniseLog(event));
  const schema = platformInfo(rule.platform)?.schema;
  const mapped = found ? mapEvent(found.mapper, event).find((m) => m.schema === schema) : undefined;
  const prepared = mapped
    ? new PreparedEvent(mapped.event, recogniseLog(mapped.event, mapped.log))
    : new PreparedEvent(event, recogniseLog(event));
  return { evaluation: evaluateRule(rule, prepared), mapped: mapped !== undefined };
}

/**
 * `yes`: the rule must fire; `open`: it must not be ruled out (yes, or unknown with the stage or
 * reason that leaves it open). A rule of a language without an evaluator must be `unknown`, with its reason.
 */
function expectFires(t: TestContext, outcome: FireOutcome, rule: Rule | undefined, event: Obj, want: 'yes' | 'open'): void {
  assert.ok(rule, 'the rule is in the catalog');
  const answer = answerOf(outcome, rule, event);
  const label = `${rule.id} (${rule.language}) ${rule.name}`;
  assert.ok(answer, `${label}: does not fire`);
  const { evaluation } = answer;
  const reason = evaluation.unevaluated.map((g) => `${g.stage}: ${g.reason}`).join('; ') || evaluation.source.reason;
  if (!evaluatorFor(rule.language)) {
    assert.equal(evaluation.fires, 'unknown', label);
    assert.ok(reason, `${label}: unknown without a reason`);
    t.diagnostic(`${label}: unknown (${reason})`);
    return;
  }
  if (want === 'yes') assert.equal(evaluation.fires, 'yes', `${label}: ${evaluation.fires} (${reason})`);
  else {
    assert.notEqual(evaluation.fires, 'no', label);
    assert.notEqual(evaluation.conditions, false, label);
    if (evaluation.fires === 'unknown') {
      assert.ok(reason, `${label}: unknown without a reason`);
      t.diagnostic(`${label}: unknown (${reason})`);
    }
  }
  t.diagnostic(`${label}: ${evaluation.fires}${answer.mapped ? ' (mapped)' : ''}`);
}

describe('one event, every schema (shared corpus)', { skip: !existsSync(join(corpus, folders[0]!)) && 'no shared corpus' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'ruleatlas-mappers-'));
  const db = join(dir, 'catalog.db');
  let store: CatalogStore;
  let index: FireIndex;
  const byId = (id: string) => store.byId.get(id);
  before(async () => {
    const date = '2026-01-01T00:00:00.000Z';
    const sources: SyncedSource[] = folders.map((f) => ({ name: f.replace(/\W+/g, '-'), root: join(corpus, f), commit: '', date }));
    await writeCatalog(db, sources, { prepare, mine: [] });
    store = CatalogStore.open(db);
    index = new FireIndex(store.rules);
  });
  after(() => {
    store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('Okta: Support.Access test log as user.session.impersonation.initiate fires the seed rules of every platform', (t) => {
    const event = pantherTestLog('panther/rules/okta_rules/okta_account_support_access.yml', 'Support Access Granted');
    event.eventType = 'user.session.impersonation.initiate';
    const seedSentinel = byId('sentinel:35846296-4052-4de2-8098-beb6bb5f2203');
    // The test log has no outcome: the Sentinel rules want outcome_result_s == "SUCCESS", so they are ruled out, and say why.
    const without = fireMapped(index, event, recogniseLog(event));
    assert.equal(without.provider?.id, 'okta');
    assert.ok(!without.fired.some((f) => f.rule.id === seedSentinel?.id));
    const [why] = sameActionAnswers(seedSentinel!, byId, event, recogniseLog(event));
    assert.equal(why?.fires, 'no');
    assert.match(why.reason, /outcome_result_s/);

    event.outcome = { result: 'SUCCESS' };
    // The test log names no target. The seed page's version of the rule expands target_s (missing:
    // one row of null) and keeps the row; the catalog's newest version then wants a target's alternateId.
    const seedPageVersion = rulesOf(['sentinel/Solutions/Okta Single Sign-On/Analytic Rules/User Session Impersonation(Okta).yaml']);
    const noTarget = fireMapped(new FireIndex(seedPageVersion), event, recogniseLog(event));
    expectFires(t, noTarget, seedPageVersion[0], event, 'yes');
    const [untargeted] = sameActionAnswers(seedSentinel!, byId, event, recogniseLog(event));
    assert.equal(untargeted?.fires, 'no');
    assert.match(untargeted.reason, /parsed_json\.alternateId/);
    // An impersonation names the impersonated user as its target (the System Log's `target` list).
    event.target = [{ id: '00u1a2b3c4', type: 'User', alternateId: 'jane.doe@example.com', displayName: 'Jane Doe' }];
    const outcome = fireMapped(index, event, recogniseLog(event));
    expectFires(t, outcome, byId('elastic:cdbebdc1-dc97-43c6-a538-f26a20c0a911'), event, 'yes');
    expectFires(t, outcome, byId('sentinel:96fb9b37-e2b7-45f6-9b2a-cb9cdfd2b0fc'), event, 'yes');
    // The seed rule: its where holds, and its mv-expand of target_s (the mapped event's JSON text) makes a row per target.
    expectFires(t, outcome, seedSentinel, event, 'yes');
    expectFires(t, fireMapped(new FireIndex(seedPageVersion), event, recogniseLog(event)), seedPageVersion[0], event, 'yes');
    expectFires(t, outcome, byId('panther:Okta.Support.Access'), event, 'yes');
    expectFires(t, outcome, byId('panther:Okta Support Access'), event, 'open');
    // As given, the event is a Panther log only: no Elastic or Sentinel rule fires without mapping.
    const asGiven = fireMapped(index, event, recogniseLog(event), { map: false });
    assert.ok(!asGiven.fired.some((f) => f.evaluation.fires === 'yes' && f.rule.platform !== 'panther'));
  });

  test('one event of each provider, mapped, fires the rules of each platform that detect its action', (t) => {
    const byFile = new Map(
      Object.keys(cases.flatMap((c) => Object.keys(c.rules)).reduce((o, k) => ({ ...o, [k]: 1 }), {})).map((f) => [f, rulesOf([f])]),
    );
    // One index over every case's rules: each event must also leave the other providers' rules alone.
    const all = [...byFile.values()].flat();
    const caseIndex = new FireIndex(all);
    for (const c of cases) {
      const event = c.event();
      const outcome = fireMapped(caseIndex, event, recogniseLog(event));
      assert.equal(outcome.provider?.id, c.provider, `${c.provider}: recognised`);
      for (const [file, want] of Object.entries(c.rules)) for (const rule of byFile.get(file)!) expectFires(t, outcome, rule, event, want);
      const others = new Set(
        cases.filter((o) => o !== c).flatMap((o) => Object.keys(o.rules).flatMap((f) => byFile.get(f)!.map((r) => r.id))),
      );
      const strays = outcome.fired.filter((f) => others.has(f.rule.id) && f.evaluation.fires === 'yes');
      assert.deepEqual(
        strays.map((f) => f.rule.id),
        [],
        `${c.provider}: rules of other providers fire`,
      );
    }
  });

  test('rules detecting the same action: the seed Sentinel rule and its linked rules on one mapped event', (t) => {
    const event = pantherTestLog('panther/rules/okta_rules/okta_account_support_access.yml', 'Support Access Granted');
    event.eventType = 'user.session.impersonation.initiate';
    event.outcome = { result: 'SUCCESS' };
    event.target = [{ id: '00u1a2b3c4', type: 'User', alternateId: 'jane.doe@example.com', displayName: 'Jane Doe' }];
    const seed = byId('sentinel:35846296-4052-4de2-8098-beb6bb5f2203')!;
    const answers = sameActionAnswers(seed, byId, event, recogniseLog(event));
    for (const a of answers)
      t.diagnostic(`${a.platform} ${a.name}: ${a.fires}${a.mapped ? ` (mapped to ${a.mapped.schema} ${a.mapped.log})` : ''}: ${a.reason}`);
    const of = (id: string) => answers.find((a) => a.id === id);
    assert.equal(of('elastic:cdbebdc1-dc97-43c6-a538-f26a20c0a911')?.fires, 'yes');
    assert.equal(of('elastic:cdbebdc1-dc97-43c6-a538-f26a20c0a911')?.mapped?.schema, 'ecs');
    assert.equal(of('sentinel:96fb9b37-e2b7-45f6-9b2a-cb9cdfd2b0fc')?.fires, 'yes');
    assert.equal(of(seed.id)?.fires, 'yes');
    assert.ok(
      answers.every((a) => a.fires !== 'no'),
      'every rule linked by the action fires or may',
    );
    // Without mapping, the Panther log is not the Elastic rule's: the claim rests on the mapping.
    const unmapped = sameActionAnswers(seed, byId, event, recogniseLog(event), { map: false });
    assert.notEqual(unmapped.find((a) => a.platform === 'elastic')?.fires, 'yes');
  });
});
