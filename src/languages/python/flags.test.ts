// A flag set in a loop (flags.ts): after the loop it holds where the body reaches the assignment
// for some element; a second loop setting the same flag keeps what the first left.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (code: string): EvaluatedRule => modelRule(code, 'Custom.Log');
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'Custom.Log');

describe('a flag set in loops', () => {
  it('one loop: the flag is its condition for some element', () => {
    const rule = ruleOf(
      [
        'def rule(event):',
        '    found = False',
        '    for r in event.get("ranges") or []:',
        '        if r.get("cidr") == "0.0.0.0/0":',
        '            found = True',
        '            break',
        '    return found',
        '',
      ].join('\n'),
    );
    assert.equal(fires(rule, { ranges: [{ cidr: '10.0.0.0/8' }, { cidr: '0.0.0.0/0' }] }), 'yes');
    assert.equal(fires(rule, { ranges: [{ cidr: '10.0.0.0/8' }] }), 'no');
  });

  it('two loops setting the flag: the second ors its condition with what the first left', () => {
    const rule = ruleOf(
      [
        'def rule(event):',
        '    src_open = False',
        '    for r in event.get("v4") or []:',
        '        if r.get("cidr") == "0.0.0.0/0":',
        '            src_open = True',
        '            break',
        '    for r in event.get("v6") or []:',
        '        if src_open or r.get("cidr") == "::/0":',
        '            src_open = True',
        '            break',
        '    return src_open and event.get("port") == 22',
        '',
      ].join('\n'),
    );
    assert.equal(fires(rule, { v4: [{ cidr: '0.0.0.0/0' }], port: 22 }), 'yes');
    assert.equal(fires(rule, { v6: [{ cidr: '::/0' }], port: 22 }), 'yes');
    assert.equal(fires(rule, { v4: [{ cidr: '0.0.0.0/0' }], v6: [{ cidr: 'fe80::/10' }], port: 22 }), 'yes');
    assert.equal(fires(rule, { v4: [{ cidr: '10.0.0.0/8' }], v6: [{ cidr: 'fe80::/10' }], port: 22 }), 'no');
    assert.equal(fires(rule, { v6: [{ cidr: '::/0' }], port: 3389 }), 'no');
  });

  it('a second loop clearing a flag the first set: the first condition and no element clearing it', () => {
    const rule = ruleOf(
      [
        'def rule(event):',
        '    ok = False',
        '    for u in event.get("users") or []:',
        '        if u == "admin":',
        '            ok = True',
        '    for g in event.get("groups") or []:',
        '        if g == "banned":',
        '            ok = False',
        '    return ok',
        '',
      ].join('\n'),
    );
    assert.equal(fires(rule, { users: ['admin'], groups: ['staff'] }), 'yes');
    assert.equal(fires(rule, { users: ['admin'], groups: ['staff', 'banned'] }), 'no');
    assert.equal(fires(rule, { users: ['bob'], groups: ['staff'] }), 'no');
  });
});
