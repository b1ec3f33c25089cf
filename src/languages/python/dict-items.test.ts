// `for k, v in D.items()` over a constant dict (dict-items.ts): read once per entry, the key and
// the value constants, so a test pairing them is exact.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (code: string): EvaluatedRule => modelRule(code, 'Custom.Log');
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'Custom.Log');

const mapping = [
  'from fnmatch import fnmatch',
  '',
  'ALLOWED = {',
  '    "logs-*": ["role/reader-*", "role/admin"],',
  '    "backup": ["role/backup"],',
  '}',
  '',
];

describe('for key, value in CONSTANT_DICT.items()', () => {
  it('a key and its own values are tested together: a requester allowed for another bucket is not allowed here', () => {
    const rule = ruleOf(
      [
        ...mapping,
        'def rule(event):',
        '    for bucket, roles in ALLOWED.items():',
        '        if not fnmatch(event.get("bucket", ""), bucket):',
        '            continue',
        '        if not any(fnmatch(event.get("role", ""), r) for r in roles):',
        '            return True',
        '    return False',
        '',
      ].join('\n'),
    );
    assert.equal(fires(rule, { bucket: 'logs-1', role: 'role/reader-x' }), 'no');
    assert.equal(fires(rule, { bucket: 'logs-1', role: 'role/backup' }), 'yes');
    assert.equal(fires(rule, { bucket: 'backup', role: 'role/backup' }), 'no');
    assert.equal(fires(rule, { bucket: 'backup', role: 'role/admin' }), 'yes');
    assert.equal(fires(rule, { bucket: 'other', role: 'x' }), 'no');
  });

  it('startswith of the key and any() over its value list', () => {
    const rule = ruleOf(
      [
        'ACTIONS = {"iam": ["List", "Get"], "ec2": ["Describe"]}',
        '',
        'def rule(event):',
        '    for source, prefixes in ACTIONS.items():',
        '        if event.get("source", "").startswith(source) and any(',
        '            event.get("name", "").startswith(p) for p in prefixes',
        '        ):',
        '            return True',
        '    return False',
        '',
      ].join('\n'),
    );
    assert.equal(fires(rule, { source: 'iam.amazonaws.com', name: 'ListUsers' }), 'yes');
    assert.equal(fires(rule, { source: 'iam.amazonaws.com', name: 'DescribeX' }), 'no');
    assert.equal(fires(rule, { source: 'ec2.amazonaws.com', name: 'DescribeX' }), 'yes');
  });

  it('a dict with a value that is not a constant keeps the loop read once, its names unknown', () => {
    const rule = ruleOf(
      [
        'LIMITS = {"a": compute(), "b": 2}',
        '',
        'def rule(event):',
        '    for name, limit in LIMITS.items():',
        '        if event.get(name) == limit:',
        '            return True',
        '    return False',
        '',
      ].join('\n'),
    );
    assert.equal(fires(rule, { a: 2 }), 'unknown');
  });

  it('{**A, **B} holds the entries of both, a key given again keeping its first place with the later value', () => {
    const dicts = ['A = {"a": "x", "c": "w"}', 'B = {"b": "y", "a": "z"}', 'ALL = {**A, **B}', ''];
    const member = ruleOf([...dicts, 'def rule(event):', '    return event.get("k") in ALL', ''].join('\n'));
    assert.equal(fires(member, { k: 'b' }), 'yes');
    assert.equal(fires(member, { k: 'c' }), 'yes');
    assert.equal(fires(member, { k: 'd' }), 'no');
    const paired = ruleOf(
      [
        ...dicts,
        'def rule(event):',
        '    for key, name in ALL.items():',
        '        if key in event.get("k", ""):',
        '            return event.get("n") == name',
        '    return False',
        '',
      ].join('\n'),
    );
    assert.equal(fires(paired, { k: 'a', n: 'z' }), 'yes');
    assert.equal(fires(paired, { k: 'a', n: 'x' }), 'no');
    // "a" comes first: a text holding "a" and "b" is read for "a".
    assert.equal(fires(paired, { k: 'ab', n: 'y' }), 'no');
    // A spread of what is not a constant dict: its entries are not all known, so its items are not read one by one.
    const unread = ruleOf(
      [
        'A = {"a": "x"}',
        'ALL = {**A, **load()}',
        '',
        'def rule(event):',
        '    for key, name in ALL.items():',
        '        if event.get("k") == key:',
        '            return True',
        '    return False',
        '',
      ].join('\n'),
    );
    assert.equal(fires(unread, { k: 'q' }), 'unknown');
  });
});
