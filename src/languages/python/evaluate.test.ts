// The Python model's evaluation, construct by construct: predicate trees the analysis extracts from
// fixture rules, evaluated with Python's meaning (evaluate.ts), `unknown` cases included.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { recogniseLog } from '../../evaluate/event-log.js';
import { evaluateRule, PreparedEvent } from '../../evaluate/rule.js';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { python } from './index.js';

before(async () => {
  await python.init!();
});

function ruleOf(code: string, logTypes = ['Okta.SystemLog'], type = 'rule'): EvaluatedRule {
  const analysis = python.analyse(code, { dataModel: { actor_user: ['actor.alternateId', 'udm:actor_user'] } });
  assert.ok(analysis.parsed);
  return { language: 'python', stages: analysis.stages, sources: logTypes.map((t) => `logtype:${t}`), parsed: true, type };
}

const fires = (rule: EvaluatedRule, event: Record<string, unknown>, logType = 'Okta.SystemLog'): Fires =>
  evaluateRule(rule, new PreparedEvent(event, recogniseLog(event, logType))).fires;

describe('Panther Python model evaluation', () => {
  it('== with case, .lower() without; a missing field is None; keys in any case', () => {
    const exact = ruleOf('def rule(event):\n    return event.get("eventType") == "user.session.start"\n');
    assert.equal(fires(exact, { eventType: 'user.session.start' }), 'yes');
    assert.equal(fires(exact, { eventType: 'User.Session.Start' }), 'no');
    assert.equal(fires(exact, { EventType: 'user.session.start' }), 'yes');
    assert.equal(fires(exact, {}), 'no');
    const lowered = ruleOf('def rule(event):\n    return event.get("eventType", "").lower() == "user.session.start"\n');
    assert.equal(fires(lowered, { eventType: 'User.Session.Start' }), 'yes');
    const not = ruleOf('def rule(event):\n    return event.get("eventType") != "x"\n');
    assert.equal(fires(not, {}), 'yes');
  });

  it('"k" in a field holding a mapping tests its keys (in any case); a text, a substring; a list, an element', () => {
    const rule = ruleOf(
      [
        'def rule(event):',
        '    identity = event.get("userIdentity", {})',
        '    return "principalId" in identity and "arn" not in identity',
        '',
      ].join('\n'),
    );
    assert.equal(fires(rule, { userIdentity: { principalId: 'AROA', accountId: '1' } }), 'yes');
    assert.equal(fires(rule, { userIdentity: { PrincipalId: 'AROA' } }), 'yes');
    assert.equal(fires(rule, { userIdentity: { principalId: 'AROA', arn: 'arn:aws:iam::1:user/x' } }), 'no');
    assert.equal(fires(rule, { userIdentity: { accountId: '1' } }), 'no');
    assert.equal(fires(rule, { userIdentity: 'principalId=AROA' }), 'yes');
    assert.equal(fires(rule, { userIdentity: ['principalId'] }), 'yes');
    // A list of mappings holds no text equal to the key: Python's `in` compares elements.
    assert.equal(fires(rule, { userIdentity: [{ principalId: 'AROA' }] }), 'no');
    // A parsed JSON text is a plain dict: its keys as written.
    const parsed = ruleOf(
      ['import json', '', 'def rule(event):', '    return "status" in json.loads(event.get("description", "{}"))', ''].join('\n'),
    );
    assert.equal(fires(parsed, { description: '{"status": "Bypass"}' }), 'yes');
    assert.equal(fires(parsed, { description: '{"Status": "Bypass"}' }), 'no');
  });

  it('a missing or null field is None, equal to a None among the values (a dict keyed by None)', () => {
    const keyed = ruleOf(
      [
        'ALLOWED = {"OKTA": {"PASSWORD"}, None: {"PASSWORD"}}',
        '',
        'def rule(event):',
        '    idp = event.get("idp")',
        '    if idp in ALLOWED and event.get("login") in ALLOWED[idp]:',
        '        return False',
        '    return True',
        '',
      ].join('\n'),
    );
    assert.equal(fires(keyed, { idp: null, login: 'PASSWORD' }), 'no');
    assert.equal(fires(keyed, { login: 'PASSWORD' }), 'no');
    assert.equal(fires(keyed, { idp: 'GOOGLE', login: 'PASSWORD' }), 'yes');
    assert.equal(fires(keyed, { idp: null, login: 'SAML' }), 'yes');
    const none = ruleOf('def rule(event):\n    return event.get("a") == None\n');
    assert.equal(fires(none, {}), 'yes');
    assert.equal(fires(none, { a: 'x' }), 'no');
    // `None[0]` raises: a missing list is not read as None there.
    const indexed = ruleOf('def rule(event):\n    return event.get("a")[0] in [None, "x"]\n');
    assert.notEqual(fires(indexed, {}), 'yes');
  });

  it('numbers equal only numbers; in a list; startswith; deep_get through objects', () => {
    const code = ruleOf('def rule(event):\n    return event.deep_get("outcome", "code") == 200\n');
    assert.equal(fires(code, { outcome: { code: 200 } }), 'yes');
    assert.equal(fires(code, { outcome: { code: '200' } }), 'no');
    const listed = ruleOf(
      'WATCHED = ["a", "b"]\n\ndef rule(event):\n    return event.get("x") in WATCHED and event.get("y", "").startswith("pre")\n',
    );
    assert.equal(fires(listed, { x: 'b', y: 'prefix' }), 'yes');
    assert.equal(fires(listed, { x: 'c', y: 'prefix' }), 'no');
    assert.equal(fires(listed, { x: 'a', y: 'suffix' }), 'no');
  });

  it('guards: early returns, truthiness, is None', () => {
    const rule = ruleOf(
      'def rule(event):\n    if not event.get("actor"):\n        return False\n    if event.get("outcome") is None:\n        return False\n    return "admin" in event.get("target", "")\n',
    );
    assert.equal(fires(rule, { actor: 'a', outcome: 'SUCCESS', target: 'the admin role' }), 'yes');
    assert.equal(fires(rule, { actor: '', outcome: 'SUCCESS', target: 'the admin role' }), 'no');
    assert.equal(fires(rule, { actor: 'a', target: 'the admin role' }), 'no');
  });

  it('re.match anchors at the start, re.search anywhere', () => {
    const match = ruleOf('import re\n\ndef rule(event):\n    return bool(re.match(r"adm", event.get("name", "")))\n');
    const search = ruleOf('import re\n\ndef rule(event):\n    return bool(re.search(r"adm", event.get("name", "")))\n');
    assert.equal(fires(match, { name: 'sysadmin' }), 'no');
    assert.equal(fires(search, { name: 'sysadmin' }), 'yes');
    assert.equal(fires(match, { name: 'admin' }), 'yes');
  });

  it('unknown: a call kept as text, a data-model method, a log type not given; known false beside them', () => {
    const call = ruleOf('import somewhere\n\ndef rule(event):\n    return somewhere.check(event) and event.get("a") == 1\n');
    assert.equal(fires(call, { a: 1 }), 'unknown');
    assert.equal(fires(call, { a: 2 }), 'no');
    const udm = ruleOf('def rule(event):\n    return event.udm("actor_user") == "root"\n');
    assert.equal(fires(udm, { actor: { alternateId: 'root' } }), 'yes');
    assert.equal(fires(udm, { actor: { displayName: 'root' } }), 'unknown');
    const plain = ruleOf('def rule(event):\n    return event.get("a") == 1\n');
    assert.equal(evaluateRule(plain, new PreparedEvent({ a: 1 }, recogniseLog({ a: 1 }))).fires, 'unknown');
    assert.equal(fires(plain, { a: 1 }, 'GitHub.Audit'), 'no');
  });

  it('a scheduled rule without LogTypes reads any row of its queries', () => {
    const scheduled = ruleOf('def rule(event):\n    return event.get("count", 0) > 10\n', [], 'scheduled_rule');
    const row = { count: 12 };
    assert.equal(evaluateRule(scheduled, new PreparedEvent(row, recogniseLog(row))).fires, 'yes');
  });

  it('a key holding dots is found; a field the code parsed from JSON text is walked into', () => {
    const dotted = ruleOf('def rule(event):\n    return event.deep_get("Condition", "token.example.com:sub") == "repo:x"\n');
    assert.equal(fires(dotted, { Condition: { 'token.example.com:sub': 'repo:x' } }), 'yes');
    assert.equal(fires(dotted, { Condition: { token: { example: 'repo:x' } } }), 'no');
    const parsed = ruleOf(
      'import json\n\ndef rule(event):\n    doc = json.loads(event.get("doc"))\n    return doc.get("Effect") == "Allow" and not doc.get("Who")\n',
    );
    assert.equal(fires(parsed, { doc: '{"Effect": "Allow", "Who": []}' }), 'yes');
    assert.equal(fires(parsed, { doc: '{"Effect": "Allow", "Who": ["ana"]}' }), 'no');
    assert.equal(fires(parsed, { doc: { Effect: 'Deny' } }), 'no');
  });
  it('isinstance of a field of a parsed JSON text: the type the parse gives, a text in it staying a text', () => {
    const typed = ruleOf(
      'import json\n\ndef rule(event):\n    doc = json.loads(event.get("log"))\n    return isinstance(doc.get("code"), int) and doc.get("code") >= 400\n',
    );
    assert.equal(fires(typed, { log: '{"code": 403}' }), 'yes');
    assert.equal(fires(typed, { log: '{"code": 200}' }), 'no');
    assert.equal(fires(typed, { log: '{"code": "403"}' }), 'no');
    const text = ruleOf(
      'import json\n\ndef rule(event):\n    doc = json.loads(event.get("log"))\n    return isinstance(doc.get("inner"), str)\n',
    );
    assert.equal(fires(text, { log: JSON.stringify({ inner: '{"a": 1}' }) }), 'yes');
    assert.equal(fires(text, { log: '{"inner": {"a": 1}}' }), 'no');
  });
  it('the number of pieces of a split field compared with ==: exactly that many', () => {
    const six = ruleOf(
      'def rule(event):\n    arn = event.get("arn", "")\n    return arn.startswith("arn:aws:s3:::") and len(arn.split(":")) == 6\n',
    );
    assert.equal(fires(six, { arn: 'arn:aws:s3:::bucket' }), 'yes');
    assert.equal(fires(six, { arn: 'arn:aws:s3:::bucket:extra' }), 'no');
    assert.equal(fires(six, { arn: 'arn:aws:s3::bucket' }), 'no');
    const notThree = ruleOf(
      'def rule(event):\n    parts = event.get("path", "").split("/")\n    return len(parts) != 3 and parts[1] == "x"\n',
    );
    assert.equal(fires(notThree, { path: 'a/x/b' }), 'no');
    assert.equal(fires(notThree, { path: 'a/x/b/c' }), 'yes');
    assert.equal(fires(notThree, { path: 'a/x' }), 'yes');
    const twoAt = ruleOf(
      'def rule(event):\n    parts = event.get("path", "").split("/")\n    return len(parts) == 2 and parts[1] == "x"\n',
    );
    assert.equal(fires(twoAt, { path: 'a/x' }), 'yes');
    assert.equal(fires(twoAt, { path: 'a/x/b' }), 'no');
  });
});
