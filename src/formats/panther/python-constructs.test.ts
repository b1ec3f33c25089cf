// Rules of our own for Python constructs the model reads (pieces of a split field at an index,
// flags set in a loop ...): each fixture rule (python-model-source/rules/demo_rules, written for
// these tests) read as the Panther format reads a checkout, the model's answer on each of the
// rule's own tests compared with its ExpectedResult.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { before, test } from 'node:test';
import { python } from '../../languages/python/index.js';
import { predicatesOf } from '../../model/predicates.js';
import type { Predicate } from '../../model/types.js';
import { analysedFixture, modelAnswers } from './python-model-answers.js';

const root = fileURLToPath(new URL('./python-model-source/', import.meta.url));

before(async () => {
  await python.init!();
});

/** The rule's predicates, and each of its tests: name, expected answer, the model's answer. */
function modelOf(rel: string): { predicates: Predicate[]; answers: [string, string, string][] } {
  const { analysis } = analysedFixture(root, rel);
  return { predicates: analysis.stages.flatMap((s) => predicatesOf(s.condition)), answers: modelAnswers(root, rel) };
}

test('a piece of a split field at an index (`parts[3] in X`, `parts[2] == "namespaces"`, `len(parts) >= 4`) is one exact test of the field', () => {
  const { predicates, answers } = modelOf('rules/demo_rules/demo_namespace_pieces.yml');
  for (const [name, expected, got] of answers) assert.equal(got, expected, name);
  // The guard, the position and the values read together: one expression per namespace.
  const pieces = predicates.filter((p) => p.field === 'protoPayload.resourceName' && p.op === 'regex');
  assert.deepEqual(
    pieces.map((p) => `${p.negated ? 'not ' : ''}${p.values.join(' ')}`),
    ['not ^[^/]*/[^/]*/namespaces/kube-system(?:/|$) ^[^/]*/[^/]*/namespaces/kube-public(?:/|$)'],
  );
  // A piece's value names no event.
  assert.ok(pieces.every((p) => p.piece === '/'));
});

test('a piece at an index stripped (`f.split("-")[0].strip()`) is compared with the spaces at its ends let through', () => {
  const { answers } = modelOf('rules/demo_rules/demo_setting_piece.yml');
  for (const [name, expected, got] of answers) assert.equal(got, expected, name);
});

test('a flag a loop sets (`found = True; break`) holds after the loop where the body sets it for some element', () => {
  const { answers } = modelOf('rules/demo_rules/demo_flag_in_loop.yml');
  for (const [name, expected, got] of answers) assert.equal(got, expected, name);
});

test('`a <= x <= b` with x a loop variable over constants compares one element on both sides', () => {
  const { answers } = modelOf('rules/demo_rules/demo_port_range.yml');
  for (const [name, expected, got] of answers) assert.equal(got, expected, name);
});

test('`"k" in event` is the event having the key', () => {
  const { answers } = modelOf('rules/demo_rules/demo_key_present.yml');
  for (const [name, expected, got] of answers) assert.equal(got, expected, name);
});

test('a field compared with a one-element list (`f == ["x"]`) is a list of that one element', () => {
  const { answers } = modelOf('rules/demo_rules/demo_one_element_list.yml');
  for (const [name, expected, got] of answers) assert.equal(got, expected, name);
});

test('a helper that returns a parsed field only under a test of another field (else None) is that field where the test holds', () => {
  const { answers } = modelOf('rules/demo_rules/demo_guarded_log.yml');
  for (const [name, expected, got] of answers) assert.equal(got, expected, name);
});

test('texts built from the event: two domains compared, a piece tested as a text and sliced, a constant among pieces, a decoded URI', () => {
  const { predicates, answers } = modelOf('rules/demo_rules/demo_built_texts.yml');
  assert.equal(answers.length, 10);
  for (const [name, expected, got] of answers) assert.equal(got, expected, name);
  // The domains are one test between the two fields; the decoded URI is tested through transform `unquote`.
  assert.ok(predicates.some((p) => p.op === 'fieldref' && p.field === 'actor.email' && p.values[0] === 'target.email'));
  assert.ok(predicates.some((p) => p.field === 'requestURI' && p.transform === 'unquote'));
});
