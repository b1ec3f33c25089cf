// Collections built from the event (event-collections.ts): `set(f)`, comprehensions over a list
// field, a helper returning its argument or `[argument]`, their intersection with constants, and
// constants sought in them.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (lines: string[]): EvaluatedRule => modelRule([...lines, ''].join('\n'), 'Custom.Log');
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'Custom.Log');

describe('constants sought in a collection built from the event', () => {
  it('a projection of a list field holds a constant as a whole element, never as a substring', () => {
    const rule = ruleOf([
      'def rule(event):',
      '    names = [member["name"] for member in event.get("members", [])]',
      '    return "admin" in names',
    ]);
    assert.equal(fires(rule, { members: [{ name: 'dev' }, { name: 'admin' }] }), 'yes');
    assert.equal(fires(rule, { members: [{ name: 'sysadmin' }] }), 'no');
    assert.equal(fires(rule, { members: [] }), 'no');
  });

  it('each of a few required constants must be there: a loop over them is read once per constant', () => {
    const rule = ruleOf([
      'REQUIRED = {"us-west-2", "eu-west-1"}',
      '',
      'def rule(event):',
      '    regions = [arn.split(":")[1] for arn in event.get("detectors")]',
      '    for region in REQUIRED:',
      '        if region not in regions:',
      '            return False',
      '    return True',
    ]);
    assert.equal(fires(rule, { detectors: ['1:us-west-2:x', '1:eu-west-1:x'] }), 'yes');
    assert.equal(fires(rule, { detectors: ['1:us-west-2:x', '1:ap-south-1:x'] }), 'no');
    assert.equal(fires(rule, { detectors: ['1:eu-west-1:x'] }), 'no');
  });

  it('a loop over the collection a constant dict holds at a field: per key, each element on its own', () => {
    const rule = ruleOf([
      'NEEDED = {"PolicyA": ("Role1", "Role2"), "PolicyB": ("Role3",)}',
      '',
      'def rule(event):',
      '    if event.get("policy") not in NEEDED:',
      '        return False',
      '    attached = {role["name"] for role in event.get("roles") or []}',
      '    for role in NEEDED[event.get("policy")]:',
      '        if role not in attached:',
      '            return True',
      '    return False',
    ]);
    assert.equal(fires(rule, { policy: 'PolicyA', roles: [{ name: 'Role1' }] }), 'yes');
    assert.equal(fires(rule, { policy: 'PolicyA', roles: [{ name: 'Role2' }, { name: 'Role1' }] }), 'no');
    assert.equal(fires(rule, { policy: 'PolicyB', roles: [{ name: 'Role1' }] }), 'yes');
    assert.equal(fires(rule, { policy: 'PolicyB', roles: [{ name: 'Role3' }] }), 'no');
    assert.equal(fires(rule, { policy: 'Other', roles: [] }), 'no');
  });

  it('a helper that returns its argument, or a list of it, gives the field as elements', () => {
    const rule = ruleOf([
      'def as_list(value):',
      '    if isinstance(value, (str, dict)):',
      '        return [value]',
      '    return value',
      '',
      'def rule(event):',
      '    return "all" in as_list(event.get("values"))',
    ]);
    assert.equal(fires(rule, { values: ['one', 'all'] }), 'yes');
    assert.equal(fires(rule, { values: 'all' }), 'yes');
    assert.equal(fires(rule, { values: 'install' }), 'no');
    assert.equal(fires(rule, { values: ['ball'] }), 'no');
  });
});

describe('the intersection of a collection built from the event with constants', () => {
  it('read for its truth: some element is one of the constants', () => {
    const rule = ruleOf(['ADMIN = {"owner", "admin"}', '', 'def rule(event):', '    return bool(ADMIN & set(event.get("roles")))']);
    assert.equal(fires(rule, { roles: ['reader', 'admin'] }), 'yes');
    assert.equal(fires(rule, { roles: ['reader'] }), 'no');
  });

  it('counted: more than one of a constant set, per set of a constant list of sets', () => {
    const rule = ruleOf([
      'CONFLICTS = [{"PROD", "DEV"}, {"AUDIT", "OPS", "ROOT"}]',
      '',
      'def rule(event):',
      '    groups = {group["name"] for group in event.get("groups") or []}',
      '    for conflict in CONFLICTS:',
      '        if len(groups.intersection(conflict)) > 1:',
      '            return True',
      '    return False',
    ]);
    assert.equal(fires(rule, { groups: [{ name: 'PROD' }, { name: 'DEV' }] }), 'yes');
    assert.equal(fires(rule, { groups: [{ name: 'PROD' }, { name: 'OPS' }] }), 'no');
    assert.equal(fires(rule, { groups: [{ name: 'ROOT' }, { name: 'OPS' }, { name: 'X' }] }), 'yes');
    assert.equal(fires(rule, { groups: [{ name: 'ROOT' }] }), 'no');
  });

  it('counted exactly, and with the constants on the left', () => {
    const rule = ruleOf([
      'KNOWN = ["a", "b", "c"]',
      '',
      'def rule(event):',
      '    return 2 == len(set(KNOWN).intersection(event.get("tags")))',
    ]);
    assert.equal(fires(rule, { tags: ['a', 'c', 'z'] }), 'yes');
    assert.equal(fires(rule, { tags: ['a', 'b', 'c'] }), 'no');
    assert.equal(fires(rule, { tags: ['a'] }), 'no');
  });
});

describe('two sets built from the event compared', () => {
  it('equal as sets, whatever the order and repeats; a missing side is not evaluated (set(None) raises)', () => {
    const rule = ruleOf([
      'def rule(event):',
      '    if event.get("old") is None:',
      '        return False',
      '    return set(event.deep_get("new", "methods")) != set(event.deep_get("old", "methods"))',
    ]);
    assert.equal(fires(rule, { new: { methods: ['SMS', 'APP'] }, old: { methods: ['APP', 'SMS', 'APP'] } }), 'no');
    assert.equal(fires(rule, { new: { methods: [] }, old: { methods: ['SMS'] } }), 'yes');
    assert.equal(fires(rule, { new: { methods: ['SMS', 'KEY'] }, old: { methods: ['SMS'] } }), 'yes');
    assert.equal(fires(rule, { new: { methods: ['SMS'] }, old: { other: 1 } }), 'unknown');
    assert.equal(fires(rule, { new: { methods: ['SMS'] } }), 'no');
  });

  it("a text's set is its characters", () => {
    const rule = ruleOf(['def rule(event):', '    return set(event.get("a")) == set(event.get("b"))']);
    assert.equal(fires(rule, { a: 'abba', b: 'ab' }), 'yes');
    assert.equal(fires(rule, { a: 'ab', b: ['ab'] }), 'no');
  });
});

describe('any() and all() of a list field', () => {
  it('all(): no element falsy, after `if f is None: f = []` and a value wrapped in a list', () => {
    const rule = ruleOf([
      'def rule(event):',
      '    flags = event.deep_walk("selectors", "include")',
      '    if flags is None:',
      '        flags = []',
      '    if not isinstance(flags, list):',
      '        flags = [flags]',
      '    return not all(flags)',
    ]);
    assert.equal(fires(rule, { selectors: [{ include: true }, { include: false }] }), 'yes');
    assert.equal(fires(rule, { selectors: [{ include: true }, { include: true }] }), 'no');
    assert.equal(fires(rule, { selectors: [{ include: false }] }), 'yes');
    assert.equal(fires(rule, { selectors: [] }), 'no');
  });

  it('any(): one element truthy', () => {
    const rule = ruleOf(['def rule(event):', '    return any(event.get("granted", []))']);
    assert.equal(fires(rule, { granted: [false, true] }), 'yes');
    assert.equal(fires(rule, { granted: [false, 0, ''] }), 'no');
    assert.equal(fires(rule, {}), 'no');
  });
});

describe('a field compared with an empty collection', () => {
  it('f == []: a list of no element; missing is None, unless the default written is []', () => {
    const rule = ruleOf(['def rule(event):', '    return event.deep_get("request", "body", default=[-1]) == []']);
    assert.equal(fires(rule, { request: { body: [] } }), 'yes');
    assert.equal(fires(rule, { request: { body: ['x'] } }), 'no');
    assert.equal(fires(rule, { request: { body: {} } }), 'no');
    assert.equal(fires(rule, { request: { body: '' } }), 'no');
    assert.equal(fires(rule, { request: {} }), 'no');
  });

  it('f.get(k, {}) == {}: an empty mapping, or missing', () => {
    const rule = ruleOf(['def rule(event):', '    return event.get("condition", {}) != {}']);
    assert.equal(fires(rule, { condition: { a: 1 } }), 'yes');
    assert.equal(fires(rule, { condition: {} }), 'no');
    assert.equal(fires(rule, {}), 'no');
    assert.equal(fires(rule, { condition: [] }), 'yes');
  });
});

describe('len of a field or an empty collection', () => {
  it('len(f if f else []) >= 2: the length where the field is there, 0 elsewhere', () => {
    const rule = ruleOf(['def rule(event):', '    return len(event.get("items") if event.get("items") else []) >= 2']);
    assert.equal(fires(rule, { items: [1, 2] }), 'yes');
    assert.equal(fires(rule, { items: [1] }), 'no');
    assert.equal(fires(rule, { items: null }), 'no');
  });

  it('len(f if c else "") < 1 holds where c does not', () => {
    const rule = ruleOf(['def rule(event):', '    return len(event.get("name") if event.get("kind") == "user" else "") < 1']);
    assert.equal(fires(rule, { kind: 'group', name: 'x' }), 'yes');
    assert.equal(fires(rule, { kind: 'user', name: 'x' }), 'no');
    assert.equal(fires(rule, { kind: 'user', name: '' }), 'yes');
  });
});

describe('any() of the values of a mapping field', () => {
  it('one value truthy; a missing field has none; a value that is no mapping is not evaluated', () => {
    const rule = ruleOf(['def rule(event):', '    return any((event.get("config") or {}).values())']);
    assert.equal(fires(rule, { config: { a: false, b: true } }), 'yes');
    assert.equal(fires(rule, { config: { a: false, b: 0 } }), 'no');
    assert.equal(fires(rule, { config: null }), 'no');
    assert.equal(fires(rule, { config: ['x'] }), 'unknown');
  });
});
