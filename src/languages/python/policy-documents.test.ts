// policyuniverse's Policy and Statement read as the JSON they wrap, through the plain accessors
// policy-documents.ts lists; the library's own logic stays unknown.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const policyOf = (lines: string[]): EvaluatedRule => modelRule([...lines, ''].join('\n'), 'AWS.S3.Bucket');
const compliant = (rule: EvaluatedRule, statements: unknown): Fires =>
  modelFires(rule, { Policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }) }, 'AWS.S3.Bucket');

const header = ['import json', '', 'from policyuniverse.policy import Policy', ''];

describe('policyuniverse statements read as their JSON', () => {
  it('effect and uses_not_principal() are the statement\'s "Effect" and its "NotPrincipal" key, on one statement', () => {
    const rule = policyOf([
      ...header,
      'def policy(resource):',
      '    for statement in Policy(json.loads(resource["Policy"])).statements:',
      '        if statement.effect == "Allow" and statement.uses_not_principal():',
      '            return False',
      '    return True',
    ]);
    assert.equal(compliant(rule, [{ Effect: 'Allow', NotPrincipal: { AWS: 'x' } }]), 'no');
    assert.equal(compliant(rule, { Effect: 'Allow', NotPrincipal: { AWS: 'x' } }), 'no');
    assert.equal(
      compliant(rule, [
        { Effect: 'Deny', NotPrincipal: { AWS: 'x' } },
        { Effect: 'Allow', Principal: '*' },
      ]),
      'yes',
    );
    assert.equal(compliant(rule, [{ Effect: 'Allow', Principal: '*' }]), 'yes');
    assert.equal(compliant(rule, []), 'yes');
  });

  it('statement.statement is the statement itself, read as a dict', () => {
    const rule = policyOf([
      ...header,
      'def policy(resource):',
      '    iam_policy = Policy(json.loads(resource["Policy"]))',
      '    for statement in iam_policy.statements:',
      '        if statement.effect == "Deny" and statement.statement.get("Sid") == "ForceTLS":',
      '            return True',
      '    return False',
    ]);
    assert.equal(
      compliant(rule, [
        { Effect: 'Allow', Sid: 'ForceTLS' },
        { Effect: 'Deny', Sid: 'ForceTLS' },
      ]),
      'yes',
    );
    assert.equal(
      compliant(rule, [
        { Effect: 'Allow', Sid: 'ForceTLS' },
        { Effect: 'Deny', Sid: 'Other' },
      ]),
      'no',
    );
  });

  it("an attribute holding the library's logic stays unknown", () => {
    const rule = policyOf([
      ...header,
      'def policy(resource):',
      '    for statement in Policy(json.loads(resource["Policy"])).statements:',
      '        if statement.effect == "Allow" and statement.condition_entries:',
      '            return False',
      '    return True',
    ]);
    assert.equal(compliant(rule, [{ Effect: 'Allow', Condition: { StringEquals: { 'aws:SourceAccount': '1' } } }]), 'unknown');
    // No statement allows: the unknown part is never reached.
    assert.equal(compliant(rule, [{ Effect: 'Deny' }]), 'yes');
  });

  it('a Policy class of another module is not read as policyuniverse', () => {
    const rule = policyOf([
      'import json',
      '',
      'from policy import Policy',
      '',
      'def policy(resource):',
      '    for statement in Policy(json.loads(resource["Policy"])).statements:',
      '        if statement.effect == "Allow":',
      '            return False',
      '    return True',
    ]);
    assert.equal(compliant(rule, [{ Effect: 'Allow' }]), 'unknown');
  });
});
