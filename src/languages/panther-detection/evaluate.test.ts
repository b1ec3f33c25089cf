import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { recogniseLog } from '../../evaluate/event-log.js';
import { PreparedEvent, evaluateRule } from '../../evaluate/rule.js';
import type { EvaluatedRule, Evaluation } from '../../evaluate/types.js';
import { parseContainer } from '../../formats/containers.js';
import { pantherFormat } from '../../formats/panther/index.js';
import { pantherDetection } from './index.js';

function ruleOf(detection: string, logTypes = ['GitHub.Audit'], trigger?: string): EvaluatedRule {
  const analysis = pantherDetection.analyse(`Detection:\n${detection.replace(/^/gm, '  ')}\n`, {});
  assert.ok(analysis.parsed, JSON.stringify(analysis.diagnostics));
  return {
    language: 'panther-detection',
    stages: analysis.stages,
    sources: logTypes.map((t) => `logtype:${t}`),
    parsed: true,
    ...(trigger ? { schedule: { trigger } } : {}),
  };
}

function run(rule: EvaluatedRule, event: Record<string, unknown>, logType?: string): Evaluation {
  return evaluateRule(rule, new PreparedEvent(event, recogniseLog(event, logType)), { trace: true });
}

const fires = (detection: string, event: Record<string, unknown>) => run(ruleOf(detection), { p_log_type: 'GitHub.Audit', ...event }).fires;

describe('Panther YAML detection evaluation', () => {
  it('Equals with case, IEquals without; DoesNotEqual; numbers as strings', () => {
    assert.equal(fires('- Key: action\n  Condition: Equals\n  Value: repo.archived', { action: 'repo.archived' }), 'yes');
    assert.equal(fires('- Key: action\n  Condition: Equals\n  Value: repo.archived', { action: 'Repo.Archived' }), 'no');
    assert.equal(fires('- Key: action\n  Condition: IEquals\n  Value: repo.archived', { action: 'Repo.Archived' }), 'yes');
    assert.equal(fires('- Key: action\n  Condition: DoesNotEqual\n  Value: x', { action: 'y' }), 'yes');
    assert.equal(fires('- Key: code\n  Condition: Equals\n  Value: 200', { code: '200' }), 'yes');
  });

  it('IsIn, Contains, StartsWith, EndsWith and their negations; comparisons; CIDR', () => {
    const e = { action: 'repo.create', ip: '10.1.2.3', n: 7 };
    assert.equal(fires('- Key: action\n  Condition: IsIn\n  Values: [repo.create, repo.destroy]', e), 'yes');
    assert.equal(fires('- Key: action\n  Condition: IsNotIn\n  Values: [repo.create]', e), 'no');
    assert.equal(fires('- Key: action\n  Condition: Contains\n  Value: create', e), 'yes');
    assert.equal(fires('- Key: action\n  Condition: IContains\n  Value: CREATE', e), 'yes');
    assert.equal(fires('- Key: action\n  Condition: StartsWith\n  Value: repo.', e), 'yes');
    assert.equal(fires('- Key: action\n  Condition: DoesNotEndWith\n  Value: create', e), 'no');
    assert.equal(fires('- Key: n\n  Condition: IsGreaterThan\n  Value: 5', e), 'yes');
    assert.equal(fires('- Key: n\n  Condition: IsLessThanOrEqual\n  Value: 5', e), 'no');
    assert.equal(fires('- Key: ip\n  Condition: IsIPAddressInCIDR\n  Value: 10.0.0.0/8', e), 'yes');
  });

  it('DeepKey paths, lists, All / Any / None, several items all holding', () => {
    const e = { actor: { login: 'bob', teams: ['ops', 'sec'] }, action: 'team.add_member' };
    assert.equal(fires('- DeepKey: [actor, login]\n  Condition: Equals\n  Value: bob', e), 'yes');
    assert.equal(fires('- KeyPath: actor.teams\n  Condition: Equals\n  Value: sec', e), 'yes');
    const anyOf =
      '- Any:\n    - Key: action\n      Condition: Equals\n      Value: x\n    - DeepKey: [actor, login]\n      Condition: Equals\n      Value: bob';
    assert.equal(fires(anyOf, e), 'yes');
    const none = '- None:\n    - Key: action\n      Condition: Equals\n      Value: team.add_member';
    assert.equal(fires(none, e), 'no');
    const two =
      '- Key: action\n  Condition: Equals\n  Value: team.add_member\n- DeepKey: [actor, login]\n  Condition: Equals\n  Value: eve';
    assert.equal(fires(two, e), 'no');
  });

  it('Exists, IsNull, IsNullOrEmpty; a missing key; multi-key Equals', () => {
    assert.equal(fires('- Key: org\n  Condition: Exists', { org: null }), 'yes');
    assert.equal(fires('- Key: org\n  Condition: IsNotNull', { org: null }), 'no');
    assert.equal(fires('- Key: org\n  Condition: IsNullOrEmpty', { org: '' }), 'yes');
    assert.equal(fires('- Key: org\n  Condition: IsNotNullOrEmpty', { org: [] }), 'no');
    assert.equal(fires('- Key: org\n  Condition: DoesNotExist', {}), 'yes');
    assert.equal(fires('- Key: org\n  Condition: Equals\n  Value: x', {}), 'no');
    assert.equal(fires('- Key: org\n  Condition: DoesNotEqual\n  Value: x', {}), 'yes');
    const same = '- Condition: Equals\n  Values:\n    - Key: actor\n    - Key: user';
    assert.equal(fires(same, { actor: 'a', user: 'a' }), 'yes');
    assert.equal(fires(same, { actor: 'a', user: 'b' }), 'no');
  });

  // Each construct is unknown where it stands, and only there: the rule's LogTypes were read (the source
  // matched), and beside a condition known to be false the rule is known not to fire. An unregistered
  // evaluator answers unknown for everything, and fails both.
  const unknownOnlyThere = (detection: string, event: Record<string, unknown>) => {
    const evaluation = run(ruleOf(detection), { p_log_type: 'GitHub.Audit', ...event });
    assert.equal(evaluation.fires, 'unknown');
    assert.equal(evaluation.source.matched, true);
    assert.equal(fires(`${detection}\n- Key: zz\n  Condition: Equals\n  Value: never`, { ...event, zz: 'other' }), 'no');
  };

  it('unknown: OnlyOne, list comprehensions, other conditions, a Threshold above 1', () => {
    unknownOnlyThere(
      '- OnlyOne:\n    - Key: a\n      Condition: Equals\n      Value: 1\n    - Key: b\n      Condition: Equals\n      Value: 2',
      { a: 1, b: 2 },
    );
    unknownOnlyThere(
      '- KeyPath: items\n  Condition: AllElements\n  Expressions:\n    - Key: name\n      Condition: Equals\n      Value: x',
      { items: [{ name: 'x' }, { name: 'y' }] },
    );
    unknownOnlyThere('- Key: ip\n  Condition: IsIPAddressPublic', { ip: '8.8.8.8' });
    // A Threshold above 1: the conditions hold on this one event, the count over events is not evaluated.
    const threshold = run(ruleOf('- Key: a\n  Condition: Equals\n  Value: 1', ['GitHub.Audit'], '>= 5'), {
      p_log_type: 'GitHub.Audit',
      a: 1,
    });
    assert.equal(threshold.fires, 'unknown');
    assert.equal(threshold.conditions, true);
    assert.deepEqual(
      threshold.unevaluated.map((g) => g.what),
      ['threshold'],
    );
  });

  it('LogTypes against p_log_type or --log-type', () => {
    const rule = ruleOf('- Key: a\n  Condition: Equals\n  Value: 1');
    assert.equal(run(rule, { p_log_type: 'GitHub.Audit', a: 1 }).fires, 'yes');
    assert.equal(run(rule, { p_log_type: 'Okta.SystemLog', a: 1 }).fires, 'no');
    assert.equal(run(rule, { a: 1 }, 'GitHub.Audit').fires, 'yes');
    assert.equal(run(rule, { a: 1 }).fires, 'unknown');
  });
});

describe('Panther YAML detection: a real rule', () => {
  const path = join(
    fileURLToPath(new URL('../../../../shared/corpus/panther', import.meta.url)),
    'rules/github_rules/github_repo_archived.yml',
  );
  it('GitHub repository archived', { skip: !existsSync(path) }, () => {
    const text = readFileSync(path, 'utf8');
    const raw = pantherFormat.read(parseContainer('yaml', text), { path, text })[0]!;
    const analysis = pantherDetection.analyse(raw.query, {});
    const rule: EvaluatedRule = {
      language: raw.language,
      stages: analysis.stages,
      sources: [...raw.declaredSources],
      parsed: analysis.parsed,
    };
    const event = { p_log_type: 'GitHub.Audit', action: 'repo.archived', actor: 'octocat', org: 'acme', repo: 'acme/tools' };
    assert.equal(run(rule, event).fires, 'yes');
    assert.equal(run(rule, { ...event, action: 'repo.unarchived' }).fires, 'no');
  });
});
