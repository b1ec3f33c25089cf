// Constant collections of `ipaddress` networks walked by a loop or generator, versions compared and
// `subnet_of` (ip-networks.ts); values appended in a loop then read by `any` / `all` (accumulators.ts).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { ipInBlock } from './ip-address.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (code: string[]): EvaluatedRule => modelRule(code.join('\n'), 'Custom.Log');
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'Custom.Log');

describe('a loop over constant ipaddress networks', () => {
  it('a for loop over a module list: one block test per network', () => {
    const rule = ruleOf([
      'import ipaddress',
      '',
      'OFFICES = [ipaddress.ip_network("192.168.1.0/24"), ipaddress.ip_network("10.0.0.0/8")]',
      '',
      'def rule(event):',
      '    addr = ipaddress.ip_address(event.get("host"))',
      '    for office in OFFICES:',
      '        if addr in office:',
      '            return False',
      '    return True',
      '',
    ]);
    assert.equal(fires(rule, { host: '192.168.1.7' }), 'no');
    assert.equal(fires(rule, { host: '10.3.2.1' }), 'no');
    assert.equal(fires(rule, { host: '8.8.8.8' }), 'yes');
  });

  it('all(... not in net) over a set is each network excluded, not one "any of" test', () => {
    const rule = ruleOf([
      'from ipaddress import ip_address, ip_network',
      '',
      'NETS = {ip_network("10.0.0.0/8"), ip_network("172.16.0.0/12")}',
      '',
      'def rule(event):',
      '    return all(ip_address(event.get("src")) not in net for net in NETS)',
      '',
    ]);
    assert.equal(fires(rule, { src: '10.1.1.1' }), 'no');
    assert.equal(fires(rule, { src: '172.16.5.5' }), 'no');
    assert.equal(fires(rule, { src: '1.1.1.1' }), 'yes');
  });

  it('a collection holding anything but constructor calls on texts is not walked so', () => {
    const rule = ruleOf([
      'from ipaddress import ip_address, ip_network',
      '',
      'NETS = [ip_network("10.0.0.0/8"), "172.16.0.0/12"]',
      '',
      'def rule(event):',
      '    return any(ip_address(event.get("src")) in net for net in NETS)',
      '',
    ]);
    assert.equal(fires(rule, { src: '10.1.1.1' }), 'unknown');
  });
});

describe('versions and subnet_of', () => {
  const subnetRule = (): EvaluatedRule =>
    ruleOf([
      'from ipaddress import ip_network',
      '',
      'ALLOWED = {ip_network("10.0.0.0/8")}',
      '',
      'def inside(supernet, subnet):',
      '    if supernet.network_address.version != subnet.network_address.version:',
      '        return False',
      '    return subnet.subnet_of(supernet)',
      '',
      'def rule(event):',
      '    net = ip_network(event.get("remote"))',
      '    return not any(inside(allowed, net) for allowed in ALLOWED)',
      '',
    ]);

  it('a network of the event inside a constant one, after its version is checked', () => {
    const rule = subnetRule();
    assert.equal(fires(rule, { remote: '10.0.0.1' }), 'no');
    assert.equal(fires(rule, { remote: '10.2.0.0/16' }), 'no');
    assert.equal(fires(rule, { remote: '11.0.0.1' }), 'yes');
    assert.equal(fires(rule, { remote: '2600:1ffe:8140::a47:a85a' }), 'yes');
  });

  it('a version compared with a number', () => {
    const rule = ruleOf(['import ipaddress', '', 'def rule(event):', '    return ipaddress.ip_address(event.get("ip")).version == 6', '']);
    assert.equal(fires(rule, { ip: '::1' }), 'yes');
    assert.equal(fires(rule, { ip: '127.0.0.1' }), 'no');
  });

  it('IPv4Address / IPv6Network take one version: a value of the other raises, not evaluated', () => {
    const rule = ruleOf([
      'import ipaddress',
      '',
      'def rule(event):',
      '    return ipaddress.IPv4Address(event.get("host")) in ipaddress.ip_network("10.0.0.0/8")',
      '',
    ]);
    assert.equal(fires(rule, { host: '10.1.2.3' }), 'yes');
    assert.equal(fires(rule, { host: '11.1.2.3' }), 'no');
    assert.equal(fires(rule, { host: '::1' }), 'unknown');
    assert.equal(typeof ipInBlock('10.0.0.0/8', '::/0', 'ipaddress.IPv6Network'), 'string');
    assert.equal(ipInBlock('fd00::/16', 'fc00::/7', 'ipaddress.IPv6Network'), true);
  });

  it('subnet_of across versions raises in Python: not evaluated, where membership is false', () => {
    assert.equal(typeof ipInBlock('2600::1', '10.0.0.0/8', 'ipaddress.ip_network.subnet_of'), 'string');
    assert.equal(ipInBlock('2600::1', '10.0.0.0/8', 'ipaddress.ip_network'), false);
    assert.equal(ipInBlock('10.1.0.0/16', '10.0.0.0/8', 'ipaddress.ip_network.subnet_of'), true);
    assert.equal(ipInBlock('10.0.0.0/7', '10.0.0.0/8', 'ipaddress.ip_network.subnet_of'), false);
  });
});

describe('any / all of values appended in a loop', () => {
  it('any(L) of truths appended in a loop over networks, its negation', () => {
    const rule = ruleOf([
      'import ipaddress',
      '',
      'OFFICES = [ipaddress.ip_network("192.168.1.100/32"), ipaddress.ip_network("192.168.1.200/32")]',
      '',
      'def outside(host):',
      '    addr = ipaddress.IPv4Address(host)',
      '    seen = []',
      '    for office in OFFICES:',
      '        seen.append(addr in office)',
      '    return not any(seen)',
      '',
      'def rule(event):',
      '    return outside(event.get("host"))',
      '',
    ]);
    assert.equal(fires(rule, { host: '192.168.1.200' }), 'no');
    assert.equal(fires(rule, { host: '10.0.3.1' }), 'yes');
  });

  it('all(L) and any(L) over a list field, each appended truth on one element', () => {
    const code = (fn: string): string[] => [
      'def rule(event):',
      '    flags = []',
      '    for user in event.get("users", []):',
      '        flags.append(user.get("admin") is True)',
      `    return ${fn}(flags)`,
      '',
    ];
    const some = ruleOf(code('any'));
    const every = ruleOf(code('all'));
    const mixed = { users: [{ admin: true }, { admin: false }] };
    const admins = { users: [{ admin: true }, { admin: true }] };
    assert.equal(fires(some, mixed), 'yes');
    assert.equal(fires(some, { users: [{ admin: false }] }), 'no');
    assert.equal(fires(every, mixed), 'no');
    assert.equal(fires(every, admins), 'yes');
    assert.equal(fires(every, { users: [] }), 'yes');
  });
});
