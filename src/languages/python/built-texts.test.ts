// A field tested against a text built from another field (built-texts.ts): read as a `fieldref`
// predicate and evaluated with Python's meaning, what Python would raise on not evaluated.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { recogniseLog } from '../../evaluate/event-log.js';
import { evaluateRule, PreparedEvent } from '../../evaluate/rule.js';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import type { PredicateNode } from '../../model/types.js';
import { python } from './index.js';

before(async () => {
  await python.init!();
});

function conditionOf(code: string): PredicateNode | undefined {
  const analysis = python.analyse(code, {});
  assert.ok(analysis.parsed);
  return analysis.stages.find((s) => s.kind === 'rule')?.condition;
}

function ruleOf(code: string): EvaluatedRule {
  const condition = conditionOf(code);
  return {
    language: 'python',
    stages: [{ kind: 'rule', text: code, condition }],
    sources: ['logtype:Custom.Log'],
    parsed: true,
    type: 'rule',
  };
}

const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires =>
  evaluateRule(rule, new PreparedEvent({ p_log_type: 'Custom.Log', ...event }, recogniseLog(event, 'Custom.Log'))).fires;

describe('a field against a text built from another field', () => {
  it('an f-string around a field with a default: the caller acting on itself', () => {
    const code =
      'def rule(event):\n' +
      '    return not event.deep_get("userIdentity", "arn", default="").endswith(\n' +
      "        f\"/{event.deep_get('requestParameters', 'userName', default='')}\"\n" +
      '    )\n';
    const cond = conditionOf(code);
    assert.equal(cond?.kind, 'pred');
    const p = cond.kind === 'pred' ? cond.predicate : undefined;
    assert.deepEqual(
      [p?.field, p?.op, p?.values, p?.nativeOp, p?.negated],
      ['userIdentity.arn', 'fieldref', ['requestParameters.userName'], '.endswith', true],
    );
    const rule = ruleOf(code);
    const self = { userIdentity: { arn: 'arn:aws:iam::1:user/alice' }, requestParameters: { userName: 'alice' } };
    assert.equal(fires(rule, self), 'no');
    assert.equal(fires(rule, { ...self, requestParameters: { userName: 'bob' } }), 'yes');
    // The default makes the text "/": an arn ending with "/" is the caller's own.
    assert.equal(fires(rule, { userIdentity: { arn: 'arn:aws:iam::1:user/' } }), 'no');
    assert.equal(fires(rule, { userIdentity: { arn: 'arn:aws:iam::1:user/alice' } }), 'yes');
  });

  it('an f-string without a default formats a missing field as None', () => {
    const rule = ruleOf('def rule(event):\n    return event.get("member", "").endswith(f"@{event.get(\'domain\')}")\n');
    assert.equal(fires(rule, { member: 'a@example.com', domain: 'example.com' }), 'yes');
    assert.equal(fires(rule, { member: 'a@other.com', domain: 'example.com' }), 'no');
    assert.equal(fires(rule, { member: 'a@None' }), 'yes');
    assert.equal(fires(rule, { member: 'a@example.com' }), 'no');
  });

  it("another field's last piece, through names: the same e-mail domain", () => {
    const code =
      'def rule(event):\n' +
      '    domain = event.get("username", "").split("@")[-1]\n' +
      '    invited = event.get("targetUsername", "")\n' +
      '    return event.get("eventTypeName") == "INVITED" and not invited.endswith(domain)\n';
    const rule = ruleOf(code);
    const base = { eventTypeName: 'INVITED', username: 'boss@corp.com' };
    assert.equal(fires(rule, { ...base, targetUsername: 'new@corp.com' }), 'no');
    assert.equal(fires(rule, { ...base, targetUsername: 'new@evil.com' }), 'yes');
    // No "@": the piece is the whole text.
    assert.equal(fires(rule, { ...base, username: 'corp.com', targetUsername: 'new@corp.com' }), 'no');
    // The inviter missing: its default is lost through the name, so the text is not built.
    assert.equal(fires(rule, { eventTypeName: 'INVITED', targetUsername: 'new@corp.com' }), 'unknown');
  });

  it('case as the code folds it; a value that is not a text is not evaluated', () => {
    const rule = ruleOf('def rule(event):\n    return event.get("path", "").lower().startswith(f"/home/{event.get(\'user\')}/")\n');
    assert.equal(fires(rule, { path: '/HOME/alice/x', user: 'alice' }), 'yes');
    assert.equal(fires(rule, { path: '/home/Alice/x', user: 'Alice' }), 'no');
    assert.equal(fires(rule, { path: ['/home/bob/x', '/home/alice/y'], user: 'alice' }), 'yes');
    assert.equal(fires(rule, { path: 7, user: 'alice' }), 'unknown');
  });

  it('an f-string around a constant or a loop variable over constants: its texts', () => {
    const rule = ruleOf(
      'ALLOWED = ["org/repo", "org/other"]\nPREFIX = "repo"\n\ndef rule(event):\n' +
        '    subject = event.get("sub", "")\n' +
        '    return subject.startswith(f"{PREFIX}:") and not any(subject.startswith(f"repo:{r}:") for r in ALLOWED)\n',
    );
    assert.equal(fires(rule, { sub: 'repo:org/repo:ref' }), 'no');
    assert.equal(fires(rule, { sub: 'repo:evil/repo:ref' }), 'yes');
    assert.equal(fires(rule, { sub: 'user:evil' }), 'no');
  });

  it('what it does not read stays text: two fields, a format, a value with no field', () => {
    for (const arg of [
      "f\"{event.get('a')}/{event.get('b')}\"",
      'f"/{event.get(\'a\'):>4}"',
      'f"/{suffix()}"',
      'f"/{event.get(\'a\')!r}"',
    ]) {
      const cond = conditionOf(`def rule(event):\n    return event.get("x", "").endswith(${arg})\n`);
      assert.equal(cond?.kind, 'other', arg);
    }
  });
});
