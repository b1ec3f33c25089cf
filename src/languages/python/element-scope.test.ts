// A loop over a list field testing several keys of its element: one element must pass every test
// (a `some` node), read from fixture rules and evaluated on events where two elements each pass one.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import type { PredicateNode } from '../../model/types.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (code: string): EvaluatedRule => modelRule(code, 'AWS.CloudTrail');
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'AWS.CloudTrail');

const someNodes = (node: PredicateNode | undefined): string[] => {
  if (!node || node.kind === 'pred' || node.kind === 'other') return [];
  if (node.kind === 'some') return [node.field, ...someNodes(node.child)];
  if (node.kind === 'not') return someNodes(node.child);
  return node.children.flatMap(someNodes);
};

const conditionOf = (rule: EvaluatedRule) => rule.stages.find((s) => s.kind === 'rule' || s.kind === 'policy')?.condition;

describe('tests of one element of a list field', () => {
  it('a return inside the loop: one element passing both tests, not one each', () => {
    const rule = ruleOf(
      'def rule(event):\n    for item in event.get("items", []):\n        if item.get("a") == "x" and item.get("b") == "y":\n            return True\n    return False\n',
    );
    assert.deepEqual(someNodes(conditionOf(rule)), ['items']);
    assert.equal(fires(rule, { items: [{ a: 'x', b: 'y' }] }), 'yes');
    assert.equal(
      fires(rule, {
        items: [
          { a: 'x', b: 'n' },
          { a: 'n', b: 'y' },
        ],
      }),
      'no',
    );
    assert.equal(fires(rule, { items: [] }), 'no');
    assert.equal(fires(rule, {}), 'no');
  });

  it('a list too large to split beside many other keys is not evaluated (unknown), never a long stall', () => {
    const rule = ruleOf(
      'def rule(event):\n    for item in event.get("items", []):\n        if item.get("a") == "x" and item.get("b") == "y":\n            return True\n    return False\n',
    );
    // 1,500 elements beside 1,500 keys: 2.25 M keys to copy, past the budget; the same list alone is evaluated.
    const items = Array.from({ length: 1500 }, (_, i) => ({ a: 'x', b: i === 1499 ? 'y' : 'n' }));
    const wide: Record<string, unknown> = Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`k${i}`, i]));
    assert.equal(fires(rule, { items }), 'yes');
    assert.equal(fires(rule, { ...wide, items }), 'unknown');
  });

  it('running past the loop: no element stops it (a policy whose guard returns False)', () => {
    const policy = ruleOf(
      'def rule(event):\n    for entry in event["Entries"]:\n        if entry["RuleAction"] == "allow" and not entry["Egress"]:\n            return False\n    return True\n',
    );
    assert.equal(
      fires(policy, {
        Entries: [
          { RuleAction: 'allow', Egress: true },
          { RuleAction: 'deny', Egress: false },
        ],
      }),
      'yes',
    );
    assert.equal(
      fires(policy, {
        Entries: [
          { RuleAction: 'deny', Egress: false },
          { RuleAction: 'allow', Egress: false },
        ],
      }),
      'no',
    );
    assert.equal(fires(policy, { Entries: [] }), 'yes');
  });

  it('nested loops: the inner list is read in the outer element only; a list on the path is walked', () => {
    const nested = ruleOf(
      'def rule(event):\n    for p in event.get("perms", []):\n        for r in p.get("ranges", []):\n            if r.get("cidr") == "0.0.0.0/0" and r.get("open"):\n                return True\n    return False\n',
    );
    assert.equal(
      fires(nested, { perms: [{ ranges: [{ cidr: '10.0.0.0/8', open: true }] }, { ranges: [{ cidr: '0.0.0.0/0', open: false }] }] }),
      'no',
    );
    assert.equal(fires(nested, { perms: [{ ranges: [{ cidr: '10.0.0.0/8' }, { cidr: '0.0.0.0/0', open: true }] }] }), 'yes');
  });

  it('one test of the element needs no scope; a literal list of fields is still read once per element', () => {
    const single = ruleOf(
      'def rule(event):\n    for t in event.get("tags", []):\n        if t == "prod":\n            return True\n    return False\n',
    );
    assert.deepEqual(someNodes(conditionOf(single)), []);
    assert.equal(fires(single, { tags: ['dev', 'prod'] }), 'yes');
    const unrolled = ruleOf(
      'def rule(event):\n    for v in [event.get("a"), event.get("b")]:\n        if v and v.startswith("x"):\n            return True\n    return False\n',
    );
    assert.deepEqual(someNodes(conditionOf(unrolled)), []);
  });

  it('"k" in a loop element: the keys of the element where it is a mapping, read or parsed, not the elements of the list', () => {
    const plain = ruleOf(
      'def rule(event):\n    for v in event.get("volumes") or []:\n        if "hostPath" in v:\n            return True\n    return False\n',
    );
    assert.equal(fires(plain, { volumes: [{ name: 'a' }, { name: 'b', hostPath: { path: '/' } }] }), 'yes');
    assert.equal(fires(plain, { volumes: [{ name: 'a' }] }), 'no');
    assert.equal(fires(plain, { volumes: ['hostPath'] }), 'yes');
    assert.equal(fires(plain, {}), 'no');
    const parsed = ruleOf(
      [
        'import json',
        '',
        'def rule(event):',
        '    spec = json.loads(event.get("log") or "{}")',
        '    for v in spec.get("volumes") or []:',
        '        if "hostPath" not in v:',
        '            continue',
        '        return True',
        '    return False',
        '',
      ].join('\n'),
    );
    assert.equal(fires(parsed, { log: '{"volumes": [{"name": "a"}, {"hostPath": {}}]}' }), 'yes');
    assert.equal(fires(parsed, { log: '{"volumes": [{"name": "a"}]}' }), 'no');
    // The list itself tested: a list of mappings holds no text.
    const list = ruleOf('def rule(event):\n    return "hostPath" in event.get("volumes")\n');
    assert.equal(fires(list, { volumes: [{ hostPath: {} }] }), 'no');
  });
});
