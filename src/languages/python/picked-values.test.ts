// Values picked from a list field's elements under a test, and a field sought among them
// (picked-values.ts): one element passing the test whose value is the field's, on one element at a time.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const log = 'Custom.Log';

const users = (...targets: Record<string, unknown>[]) => ({ target: targets });

describe('a field sought among values picked from a list', () => {
  it('a helper growing a set from the elements passing a test, then `not in` it', () => {
    const rule = modelRule(
      'def values_where(items, wanted, key, expected):\n' +
        '    """The wanted key of each item whose key holds expected."""\n' +
        '    found = set()\n' +
        '    for item in items:\n' +
        '        if item.get(key) == expected:\n' +
        '            found.add(item.get(wanted))\n' +
        '    return found\n' +
        '\n' +
        'def rule(event):\n' +
        '    if event.get("kind") != "show":\n' +
        '        return False\n' +
        '    people = values_where(event.get("target", []), "id", "type", "User")\n' +
        '    if event.deep_get("actor", "id") not in people:\n' +
        '        return True\n' +
        '    return False\n',
      log,
    );
    const fires = (actor: unknown, event: Record<string, unknown>) =>
      modelFires(rule, { kind: 'show', actor: { id: actor }, ...event }, log);
    // The actor is the one user among the targets: not fired.
    assert.equal(fires('a', users({ type: 'App', id: 'x' }, { type: 'User', id: 'a' })), 'no');
    // Another user's: fired.
    assert.equal(fires('a', users({ type: 'User', id: 'b' }, { type: 'App', id: 'a' })), 'yes');
    // The actor's id held by an element that is no user does not count (one element passes both tests).
    assert.equal(fires('a', users({ type: 'App', id: 'a' })), 'yes');
    // No targets: an empty set, nothing in it.
    assert.equal(fires('a', {}), 'yes');
    // A user without the key picks None, which a missing actor id equals.
    assert.equal(modelFires(rule, { kind: 'show', ...users({ type: 'User' }) }, log), 'no');
    assert.equal(fires('a', users({ type: 'User' })), 'yes');
    assert.equal(modelFires(rule, { kind: 'other' }, log), 'no');
  });

  it('a set comprehension with a test, sought with `in`', () => {
    const rule = modelRule(
      'def rule(event):\n' +
        '    owners = {r.get("name") for r in event.get("roles") or [] if r.get("role") == "owner"}\n' +
        '    return event.get("user") in owners\n',
      log,
    );
    const fires = (user: unknown, ...roles: Record<string, unknown>[]) => modelFires(rule, { user, roles }, log);
    assert.equal(fires('a', { role: 'owner', name: 'a' }), 'yes');
    assert.equal(fires('a', { role: 'reader', name: 'a' }, { role: 'owner', name: 'b' }), 'no');
    assert.equal(fires('a'), 'no');
  });

  it('a pick the reader cannot place stays unread', () => {
    // A subscript raises KeyError where an element lacks the key: not a value of None.
    const subscript = modelRule(
      'def rule(event):\n' +
        '    owners = {r["name"] for r in event.get("roles") if r.get("role") == "owner"}\n' +
        '    return event.get("user") not in owners\n',
      log,
    );
    assert.equal(modelFires(subscript, { roles: [{ role: 'owner' }] }, log), 'unknown');
    const rule = modelRule(
      'def rule(event):\n' +
        '    owners = {r["name"].lower() for r in event.get("roles") if r.get("role") == "owner"}\n' +
        '    return event.get("user") in owners\n',
      log,
    );
    assert.equal(modelFires(rule, { user: 'a', roles: [{ role: 'owner', name: 'A' }] }, log), 'unknown');
  });

  it('the first value picked by `next(..., None)` compared with another field, and read for its truth', () => {
    const rule = modelRule(
      'def rule(event):\n' +
        '    granted = next((g.get("resource") for g in event.get("grants", []) if g.get("permission") == "create"), None)\n' +
        '    made = event.get("resource")\n' +
        '    if not granted or not made or granted != made:\n' +
        '        return False\n' +
        '    return True\n',
      log,
    );
    const fires = (made: unknown, ...grants: Record<string, unknown>[]) => modelFires(rule, { resource: made, grants }, log);
    assert.equal(fires('r1', { permission: 'read', resource: 'r2' }, { permission: 'create', resource: 'r1' }), 'yes');
    assert.equal(fires('r1', { permission: 'create', resource: 'r2' }, { permission: 'read', resource: 'r1' }), 'no');
    // No element passes: None, falsy.
    assert.equal(fires('r1', { permission: 'read', resource: 'r1' }), 'no');
    assert.equal(fires('r1'), 'no');
    // The one passing has no value: None, falsy.
    assert.equal(fires('r1', { permission: 'create' }), 'no');
    // Several pass: which is first is not read here.
    assert.equal(fires('r1', { permission: 'create', resource: 'r1' }, { permission: 'create', resource: 'r2' }), 'unknown');
  });
});
