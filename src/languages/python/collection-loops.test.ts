// A loop over a collection built from the event (collection-loops.ts): its variable is one element.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (lines: string[]): EvaluatedRule => modelRule([...lines, ''].join('\n'), 'Custom.Log');
const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, 'Custom.Log');

const listify = ['def listify(x):', '    return x if isinstance(x, list) else [x]', ''];

describe('a loop over a collection built from the event', () => {
  it('a listified list field: each element tested on its own, a lone mapping as one element', () => {
    const rule = ruleOf([
      ...listify,
      'def rule(event):',
      '    for statement in listify(event.deep_get("document", "Statement")):',
      '        actions = listify(statement.get("Action", []))',
      '        if statement["Effect"] == "Allow" and "*" in actions:',
      '            return True',
      '    return False',
    ]);
    assert.equal(fires(rule, { document: { Statement: [{ Effect: 'Allow', Action: '*' }] } }), 'yes');
    assert.equal(fires(rule, { document: { Statement: { Effect: 'Allow', Action: ['s3:Get', '*'] } } }), 'yes');
    assert.equal(fires(rule, { document: { Statement: { Effect: 'Deny', Action: '*' } } }), 'no');
    // The Allow and the `*` are two statements' own: no one element holds both.
    const split = {
      document: {
        Statement: [
          { Effect: 'Allow', Action: 's3:Get' },
          { Effect: 'Deny', Action: '*' },
        ],
      },
    };
    assert.equal(fires(rule, split), 'no');
  });

  it('a listified list in a JSON text the code parsed', () => {
    const rule = ruleOf([
      'import json',
      '',
      ...listify,
      'def rule(event):',
      '    document = json.loads(event["PolicyDocument"])',
      '    for statement in listify(document["Statement"]):',
      '        if statement["Effect"] == "Allow":',
      '            return True',
      '    return False',
    ]);
    assert.equal(fires(rule, { PolicyDocument: '{"Statement": [{"Effect": "Deny"}, {"Effect": "Allow"}]}' }), 'yes');
    assert.equal(fires(rule, { PolicyDocument: '{"Statement": {"Effect": "Deny"}}' }), 'no');
  });

  it('tests of one element of a list inside a JSON text stay on that element', () => {
    const rule = ruleOf([
      'import json',
      '',
      ...listify,
      'def rule(event):',
      '    document = json.loads(event["PolicyDocument"])',
      '    for statement in listify(document["Statement"]):',
      '        if statement["Effect"] == "Allow" and statement["Resource"] == "*":',
      '            return True',
      '    return False',
    ]);
    const policy = (statements: unknown) => ({ PolicyDocument: JSON.stringify({ Statement: statements }) });
    assert.equal(
      fires(
        rule,
        policy([
          { Effect: 'Deny', Resource: 'a' },
          { Effect: 'Allow', Resource: '*' },
        ]),
      ),
      'yes',
    );
    assert.equal(
      fires(
        rule,
        policy([
          { Effect: 'Allow', Resource: 'a' },
          { Effect: 'Deny', Resource: '*' },
        ]),
      ),
      'no',
    );
    assert.equal(fires(rule, policy({ Effect: 'Allow', Resource: '*' })), 'yes');
    assert.equal(fires(rule, { PolicyDocument: '{}' }), 'no');
  });

  it('a set of a projection: the loop variable is one projected value', () => {
    const rule = ruleOf([
      'def rule(event):',
      '    for name in {member["name"] for member in event.get("members", [])}:',
      '        if name.startswith("admin-"):',
      '            return True',
      '    return False',
    ]);
    assert.equal(fires(rule, { members: [{ name: 'dev' }, { name: 'admin-1' }] }), 'yes');
    assert.equal(fires(rule, { members: [{ name: 'dev' }] }), 'no');
  });

  it('a listify written inline: each element of the list, or the lone value, tested on its own', () => {
    const rule = ruleOf([
      'def rule(event):',
      '    grants = event.deep_walk("payload", "grants", default=[])',
      '    grants = grants if isinstance(grants, list) else [grants]',
      '    for grant in grants:',
      '        if grant.get("granted", False) and grant.get("permission") == "keys.create":',
      '            return True',
      '    return False',
    ]);
    assert.equal(fires(rule, { payload: { grants: [{ granted: true, permission: 'keys.create' }] } }), 'yes');
    assert.equal(fires(rule, { payload: { grants: { granted: true, permission: 'keys.create' } } }), 'yes');
    const split = [
      { granted: false, permission: 'keys.create' },
      { granted: true, permission: 'keys.list' },
    ];
    assert.equal(fires(rule, { payload: { grants: split } }), 'no');
    assert.equal(fires(rule, { payload: {} }), 'no');
  });

  it('any() of a test over a list in a parsed JSON text: one element passes every part', () => {
    const rule = ruleOf([
      'import json',
      '',
      'def rule(event):',
      '    document = json.loads(event.get("Policy", "{}"))',
      '    return any(',
      '        s.get("Principal") == "*" and s.get("Condition", {}) == {}',
      '        for s in document.get("Statement", [])',
      '    )',
    ]);
    const policy = (statements: unknown) => ({ Policy: JSON.stringify({ Statement: statements }) });
    assert.equal(fires(rule, policy([{ Principal: '*' }])), 'yes');
    assert.equal(fires(rule, policy([{ Principal: '*', Condition: {} }])), 'yes');
    assert.equal(fires(rule, policy([{ Principal: '*', Condition: { Bool: { x: 'true' } } }])), 'no');
    assert.equal(fires(rule, policy([{ Principal: '*', Condition: { Bool: {} } }, { Principal: 'a' }])), 'no');
    assert.equal(fires(rule, policy([])), 'no');
  });

  it('all() of a test over a list field: no element fails it, an empty list passes', () => {
    const rule = ruleOf([
      'def rule(event):',
      '    return all(c.get("kind") == "safe" and c.get("level", 0) > 2 for c in event.get("checks", []))',
    ]);
    assert.equal(
      fires(rule, {
        checks: [
          { kind: 'safe', level: 3 },
          { kind: 'safe', level: 5 },
        ],
      }),
      'yes',
    );
    assert.equal(
      fires(rule, {
        checks: [
          { kind: 'safe', level: 3 },
          { kind: 'other', level: 5 },
        ],
      }),
      'no',
    );
    assert.equal(
      fires(rule, {
        checks: [
          { kind: 'safe', level: 1 },
          { kind: 'other', level: 5 },
        ],
      }),
      'no',
    );
    assert.equal(fires(rule, { checks: [] }), 'yes');
  });
});
