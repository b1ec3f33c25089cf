// Two values built from one event compared with each other (compared-texts.ts): read as one
// `fieldref` predicate and evaluated with Python's meaning, what Python would raise on not evaluated.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const log = 'Custom.Log';

describe('two values built from the event compared', () => {
  it("the last pieces of two addresses, each with a default: another domain's mailbox", () => {
    const rule = modelRule(
      'def rule(event):\n' +
        '    actor_domain = event.deep_get("actor", "email", default="@").split("@")[-1]\n' +
        '    target_domain = event.deep_get("parameters", "to", default="@").split("@")[-1]\n' +
        '    if actor_domain != target_domain:\n' +
        '        return True\n' +
        '    return False\n',
      log,
    );
    const fires = (actor: unknown, to: unknown) =>
      modelFires(rule, { actor: actor === undefined ? {} : { email: actor }, parameters: { to } }, log);
    assert.equal(fires('a@corp.com', 'b@corp.com'), 'no');
    assert.equal(fires('a@corp.com', 'b@evil.com'), 'yes');
    // No "@": the last piece is the whole text.
    assert.equal(fires('corp.com', 'b@corp.com'), 'no');
    // Missing (or None, for deep_get) gives "@", whose last piece is "".
    assert.equal(fires(undefined, 'b@'), 'no');
    assert.equal(fires(null, 'b@corp.com'), 'yes');
    assert.equal(modelFires(rule, {}, log), 'no');
    // `.split` of a number raises.
    assert.equal(fires(7, 'b@corp.com'), 'unknown');
  });

  it('a piece at an index against a field with a default, under the guards that make the index safe', () => {
    const rule = modelRule(
      'def rule(event):\n' +
        '    arn = event.deep_get("request", "key", default="<NONE>")\n' +
        '    if arn.startswith("arn:aws:kms:"):\n' +
        '        parts = arn.split(":")\n' +
        '        if len(parts) >= 5:\n' +
        '            key_account = parts[4]\n' +
        '            own_account = event.get("account", "")\n' +
        '            if key_account != own_account:\n' +
        '                return True\n' +
        '    return False\n',
      log,
    );
    const fires = (key: unknown, account?: unknown) =>
      modelFires(rule, { request: { key }, ...(account === undefined ? {} : { account }) }, log);
    assert.equal(fires('arn:aws:kms:us-east-1:111:key/abc', '111'), 'no');
    assert.equal(fires('arn:aws:kms:us-east-1:222:key/abc', '111'), 'yes');
    // The account missing is "": another account.
    assert.equal(fires('arn:aws:kms:us-east-1:111:key/abc'), 'yes');
    // A number never equals a text.
    assert.equal(fires('arn:aws:kms:us-east-1:111:key/abc', 111), 'yes');
    // Not a KMS key: the guards decide, the index is never read.
    assert.equal(fires('alias/mine', '111'), 'no');
    assert.equal(fires(undefined, '111'), 'no');
  });

  it('an index past the last piece raises: not evaluated', () => {
    const rule = modelRule(
      'def rule(event):\n' + '    return event.get("user", "").split("@")[1] != event.get("owner", "").split("@")[1]\n',
      log,
    );
    assert.equal(modelFires(rule, { user: 'a@x.com', owner: 'b@x.com' }, log), 'no');
    assert.equal(modelFires(rule, { user: 'a@x.com', owner: 'b@y.com' }, log), 'yes');
    assert.equal(modelFires(rule, { user: 'a@x.com', owner: 'nobody' }, log), 'unknown');
    // `.get(k, d)` gives None for a key holding None: its `.split` raises.
    assert.equal(modelFires(rule, { user: null, owner: 'b@x.com' }, log), 'unknown');
  });

  it('fields with defaults and no piece: the defaults compared', () => {
    const rule = modelRule('def rule(event):\n    return event.get("a", "") == event.get("b", "")\n', log);
    assert.equal(modelFires(rule, {}, log), 'yes');
    assert.equal(modelFires(rule, { a: '' }, log), 'yes');
    assert.equal(modelFires(rule, { a: 'x' }, log), 'no');
    assert.equal(modelFires(rule, { a: 'x', b: 'x' }, log), 'yes');
    // A list equals no text; two lists are not compared.
    assert.equal(modelFires(rule, { a: ['x'], b: 'x' }, log), 'no');
    assert.equal(modelFires(rule, { a: ['x'], b: ['x'] }, log), 'unknown');
  });
});
