// How a call of a Panther Python rule finds its callee and what it means: library calls whose meaning
// the predicate language states (`ipaddress`, languages/python/ip-address.ts), on fixture rules of
// our own in python-model-source/: our model's answer on each of a rule's tests against its
// ExpectedResult (which running the code gives).
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { before, test } from 'node:test';
import { python } from '../../languages/python/index.js';
import { predicatesOf } from '../../model/predicates.js';
import { analysedFixture, modelAnswers } from './python-model-answers.js';

const root = fileURLToPath(new URL('./python-model-source/', import.meta.url));

before(async () => {
  await python.init!();
});

const agreed = (rel: string) => {
  for (const [name, expected, got] of modelAnswers(root, rel)) assert.equal(got, expected, `${rel}: ${name}`);
};

test('ipaddress: an address bound to a name, its is_global and hasattr, and membership of a network in a helper, are CIDR tests', () => {
  agreed('rules/demo_rules/demo_public_ssh.yml');
  const preds = predicatesOf(analysedFixture(root, 'rules/demo_rules/demo_public_ssh.yml').analysis.stages[0]!.condition);
  const blocks = preds.filter((p) => p.op === 'cidr');
  assert.ok(blocks.length > 0 && blocks.every((p) => p.field === 'srcaddr'));
  // The office networks are the helper's argument, bound to its parameter.
  assert.ok(blocks.some((p) => p.negated && p.values.includes('52.10.0.0/16')));
});

test('ipaddress: ip_network of a field through `import ipaddress` reads a block or a plain address', () => {
  agreed('rules/demo_rules/demo_open_ingress.yml');
});

test('str() / int() of a field compared with a constant: the event may hold the number or its text', () => {
  agreed('rules/demo_rules/demo_risky_login.yml');
  // The code's constants, once each (one indicator per value); the conversion is in the native operator.
  const preds = predicatesOf(analysedFixture(root, 'rules/demo_rules/demo_risky_login.yml').analysis.stages[0]!.condition);
  assert.deepEqual(
    preds.map((p) => `${p.field} ${p.nativeOp} ${JSON.stringify(p.values)}`),
    ['event_type_id str() not in ["5","6"]', 'risk_score number() == [80]'],
  );
});

test('isinstance(X, MagicMock) is False outside a test run: the rule keeps its own constant', () => {
  agreed('rules/demo_rules/demo_unexpected_action.yml');
  // The allow list's values are read, not left as a name the analysis could not resolve.
  const preds = predicatesOf(analysedFixture(root, 'rules/demo_rules/demo_unexpected_action.yml').analysis.stages[0]!.condition);
  assert.deepEqual(
    preds.map((p) => `${p.negated ? 'not ' : ''}${p.field} ${p.op} ${p.values.join(',')}`),
    ['not action in read,list'],
  );
});

test("a helper's value tested with `is True`: its returns, a returned comparison being True or False", () => {
  agreed('rules/demo_rules/demo_forked_run.yml');
});

test('a field parsed and compared with the time now is read against the clock, and a diagnostic names the read', () => {
  agreed('rules/demo_rules/demo_old_key_used.yml');
  const { analysis } = analysedFixture(root, 'rules/demo_rules/demo_old_key_used.yml');
  const messages = analysis.diagnostics.map((d) => d.message);
  assert.ok(messages.includes('call datetime.datetime.now() reads the time now: what depends on it is read as text'), messages.join('\n'));
});
