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
});
