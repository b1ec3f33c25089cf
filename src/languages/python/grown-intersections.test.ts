// A collection grown in a loop, then intersected with constants (grown-intersections.ts): not empty
// where some pass adds one of the constants; a copy of an intersection (`list(L & C)`); and an
// intersection of a guarded field (guards.ts), empty where its guard fails.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (code: string): EvaluatedRule => modelRule(code, 'Custom.Log');
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'Custom.Log');

describe('a set grown over constant paths, intersected with constants', () => {
  const rule = (): EvaluatedRule =>
    ruleOf(
      [
        'WATCHED = {"ssh-keys", "sshKeys"}',
        '',
        'def rule(event):',
        '    changed = set()',
        '    for scope in ["project", "instance"]:',
        '        for kind in ["added", "modified"]:',
        '            changed.update(set(event.deep_get("delta", scope, kind, default=[])))',
        '    return bool(changed & WATCHED)',
        '',
      ].join('\n'),
    );

  it('is true where any of the paths holds one of the constants', () => {
    assert.equal(fires(rule(), { delta: { project: { added: ['motd', 'ssh-keys'] } } }), 'yes');
    assert.equal(fires(rule(), { delta: { instance: { modified: ['sshKeys'] } } }), 'yes');
  });

  it('is false where no path holds one, or none is there', () => {
    assert.equal(fires(rule(), { delta: { instance: { modified: ['motd'] }, project: { added: ['ssh'] } } }), 'no');
    assert.equal(fires(rule(), {}), 'no');
  });
});

describe('a list grown one value at a time over a list field, intersected with constants', () => {
  const rule = (): EvaluatedRule =>
    ruleOf(
      [
        'def rule(event):',
        '    names = []',
        '    for item in event.get("items", []):',
        '        names.append(item.get("name"))',
        '    if {"root", "admin"}.intersection(names):',
        '        return True',
        '    return False',
        '',
      ].join('\n'),
    );

  it('is true where some element adds one of the constants, false otherwise', () => {
    assert.equal(fires(rule(), { items: [{ name: 'bob' }, { name: 'admin' }] }), 'yes');
    assert.equal(fires(rule(), { items: [{ name: 'bob' }, { name: 'administrator' }] }), 'no');
    assert.equal(fires(rule(), { items: [] }), 'no');
  });

  it('stays unknown where a pass adds what the model cannot read', () => {
    const unread = ruleOf(
      [
        'def rule(event):',
        '    names = []',
        '    for item in event.get("items", []):',
        '        names.append(lookup(item))',
        '    return bool(names & {"root"})',
        '',
      ].join('\n'),
    );
    assert.equal(fires(unread, { items: [{ name: 'root' }] }), 'unknown');
  });
});

describe('a copy of an intersection (list(L & C), sorted(L & C)) read for its truth', () => {
  it('holds where the intersection does', () => {
    const rule = ruleOf(
      [
        'DANGER = {"SYS_ADMIN", "BPF"}',
        '',
        'def found(containers):',
        '    out = []',
        '    for c in containers:',
        '        caps = c.get("add") or []',
        '        shared = set(caps) & DANGER',
        '        if shared:',
        '            out.extend(list(shared))',
        '    return out',
        '',
        'def rule(event):',
        '    return bool(found(event.get("containers") or []))',
        '',
      ].join('\n'),
    );
    assert.equal(fires(rule, { containers: [{ add: ['CHOWN'] }, { add: ['BPF'] }] }), 'yes');
    assert.equal(fires(rule, { containers: [{ add: ['CHOWN'] }] }), 'no');
    assert.equal(fires(rule, {}), 'no');
  });
});

describe('an intersection of a field a helper returns only under a test', () => {
  it('holds where the test holds and an element shares a constant; the list is empty elsewhere', () => {
    const rule = ruleOf(
      [
        'def get_items(event):',
        '    return event.get("items") if event.get("on") else None',
        '',
        'def rule(event):',
        '    for item in get_items(event) or []:',
        '        if set(item.get("add", [])) & {"BPF", "SYS_ADMIN"}:',
        '            return True',
        '    return False',
        '',
      ].join('\n'),
    );
    assert.equal(fires(rule, { on: true, items: [{ add: ['CHOWN'] }, { add: ['BPF'] }] }), 'yes');
    assert.equal(fires(rule, { on: true, items: [{ add: ['CHOWN'] }] }), 'no');
    assert.equal(fires(rule, { items: [{ add: ['BPF'] }] }), 'no');
  });
});
