// A `try` whose body raises only where `ip_address(v)` rejects its value (raises.ts): the handler
// runs exactly there, so the rule is decided on every value, valid or not.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';
import { isAddressValue } from './raises.js';

before(loadPython);

const ruleOf = (code: string): EvaluatedRule => modelRule(code, 'Custom.Log');
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'Custom.Log');

const texts = (rule: EvaluatedRule): string => JSON.stringify(rule.stages.find((s) => s.kind === 'rule')?.condition);

describe('try: ip_address(v) ... except ValueError', () => {
  it('an `if` on the address, the handler passing: an invalid address runs on past the try', () => {
    const rule = ruleOf(
      [
        'from ipaddress import ip_address',
        '',
        'def rule(event):',
        '    try:',
        '        if ip_address(event.get("ip")).is_private:',
        '            return False',
        '    except ValueError:',
        '        pass',
        '    return event.get("user") == "root"',
        '',
      ].join('\n'),
    );
    assert.ok(!texts(rule).includes('except'));
    assert.equal(fires(rule, { ip: '10.1.2.3', user: 'root' }), 'no');
    assert.equal(fires(rule, { ip: '8.8.8.8', user: 'root' }), 'yes');
    assert.equal(fires(rule, { ip: 'not an address', user: 'root' }), 'yes');
    assert.equal(fires(rule, { user: 'root' }), 'yes');
    assert.equal(fires(rule, { ip: '8.8.8.8', user: 'bob' }), 'no');
  });

  it('the handler returning: an assignment of the address, then tests on it; a tuple of exceptions with a name', () => {
    const rule = ruleOf(
      [
        'import ipaddress',
        '',
        'def rule(event):',
        '    try:',
        '        addr = ipaddress.ip_address(event.get("ip"))',
        '        if hasattr(addr, "is_global") and addr.is_global:',
        '            return True',
        '    except (TypeError, ValueError) as err:',
        '        return event.get("strict") is True',
        '    return False',
        '',
      ].join('\n'),
    );
    assert.equal(fires(rule, { ip: '8.8.8.8' }), 'yes');
    assert.equal(fires(rule, { ip: '192.168.0.1' }), 'no');
    assert.equal(fires(rule, { ip: '01.2.3.4', strict: true }), 'yes');
    assert.equal(fires(rule, { ip: ['8.8.8.8'], strict: false }), 'no');
  });

  it('a loop over a list of addresses, `continue` in the handler', () => {
    const rule = ruleOf(
      [
        'from ipaddress import ip_address',
        '',
        'def rule(event):',
        '    for ip in event.get("ips", []):',
        '        try:',
        '            if not ip_address(ip).is_global:',
        '                return False',
        '        except ValueError:',
        '            continue',
        '    return True',
        '',
      ].join('\n'),
    );
    assert.equal(fires(rule, { ips: ['8.8.8.8', 'bogus'] }), 'yes');
    assert.equal(fires(rule, { ips: ['bogus', '10.0.0.1'] }), 'no');
  });

  it('a body with another call, or a handler of other exceptions only, keeps the handler as text', () => {
    const other = ruleOf(
      [
        'import json',
        'from ipaddress import ip_address',
        '',
        'def rule(event):',
        '    try:',
        '        if ip_address(event.get("ip")).is_private:',
        '            return json.loads(event.get("x"))',
        '    except ValueError:',
        '        return True',
        '    return False',
        '',
      ].join('\n'),
    );
    assert.ok(texts(other).includes('except ValueError:'));
    const index = ruleOf(
      [
        'from ipaddress import ip_address',
        '',
        'def rule(event):',
        '    try:',
        '        if ip_address(event.get("ip")).is_private:',
        '            return False',
        '    except IndexError:',
        '        return True',
        '    return True',
        '',
      ].join('\n'),
    );
    assert.ok(texts(index).includes('except IndexError:'));
  });
});

describe('try: x = f[0]; ip_address(x) ... except (ValueError, IndexError)', () => {
  const code = (caught: string) =>
    [
      'from ipaddress import ip_address',
      '',
      'def rule(event):',
      '    source_ips = event.get("sourceIPs") or []',
      '    try:',
      '        source_ip = source_ips[0]',
      '        ip_obj = ip_address(source_ip)',
      '        if hasattr(ip_obj, "is_global") and ip_obj.is_global:',
      '            return True',
      `    except ${caught}:`,
      '        return event.get("fallback") == "yes"',
      '    return False',
      '',
    ].join('\n');

  it('the first element read in the try: no element, or no address, runs the handler', () => {
    const rule = ruleOf(code('(ValueError, IndexError)'));
    assert.ok(!texts(rule).includes('except'));
    assert.equal(fires(rule, { sourceIPs: ['8.8.8.8', '10.0.0.1'] }), 'yes');
    assert.equal(fires(rule, { sourceIPs: ['10.0.0.1', '8.8.8.8'] }), 'no');
    assert.equal(fires(rule, { sourceIPs: ['not an ip'], fallback: 'yes' }), 'yes');
    assert.equal(fires(rule, { sourceIPs: [], fallback: 'yes' }), 'yes');
    assert.equal(fires(rule, { fallback: 'yes' }), 'yes');
    assert.equal(fires(rule, { sourceIPs: [] }), 'no');
  });

  it('a handler that does not catch IndexError: the try stays text', () => {
    assert.ok(texts(ruleOf(code('ValueError'))).includes('except ValueError:'));
  });
});

describe('isAddressValue: what ip_address() accepts', () => {
  it('IPv4 without leading zeros, IPv6 with a zone, ints and bools; not spaces, networks or lists', () => {
    for (const ok of ['1.2.3.4', '255.255.255.255', '::1', 'fe80::1%eth0', '::ffff:1.2.3.4', 0, 3232235777, true])
      assert.equal(isAddressValue(ok), true, String(ok));
    for (const bad of ['01.2.3.4', '256.1.1.1', ' 1.2.3.4', '10.0.0.0/8', 'fe80::1%', 'host', '', -1, 1.5, null, ['1.2.3.4'], {}])
      assert.equal(isAddressValue(bad), false, JSON.stringify(bad));
  });
});
