// Helper and library calls of Panther Python rules read through (languages/python: guards.ts,
// pieces.ts, isinstance.ts, conditions.ts), on fixture rules of our own in python-model-source/: our model's answer on each
// of a rule's tests against its ExpectedResult (which the real run of the code gives).
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { before, test } from 'node:test';
import { indicatorsOf } from '../../analysis/indicators.js';
import { python } from '../../languages/python/index.js';
import { predicatesOf } from '../../model/predicates.js';
import { analysedFixture, modelAnswers } from './python-model-answers.js';

const root = fileURLToPath(new URL('./python-model-source/', import.meta.url));

before(async () => {
  await python.init!();
});

test("a data model's method reading a record its helper parses only under a condition on other fields", () => {
  assert.deepEqual(modelAnswers(root, 'rules/demo_rules/demo_webhook_created.yml'), [
    ['Webhook created', 'yes', 'yes'],
    ['Webhook read', 'no', 'no'],
    ['Pod created', 'no', 'no'],
    ['Same record outside the audit category', 'no', 'no'],
    ['No record', 'no', 'no'],
  ]);
  // The verb is the parsed record's, under the helper's category test.
  const { analysis } = analysedFixture(root, 'rules/demo_rules/demo_webhook_created.yml');
  const fields = new Set(predicatesOf(analysis.stages[0]!.condition).map((p) => `${p.field}${p.transform ? ` (${p.transform})` : ''}`));
  assert.ok(fields.has('category'), [...fields].join(', '));
  assert.ok(fields.has('properties.log.verb (json)'), [...fields].join(', '));
});

test('a helper returning a parsed field only for some events: `is None` is its condition, the field read where the rule tested it', () => {
  for (const [name, expected, got] of modelAnswers(root, 'rules/demo_rules/demo_completed_delete.yml')) assert.equal(got, expected, name);
});

test('a field split on a separator, read by length and by position, is a pattern on the field', () => {
  assert.deepEqual(modelAnswers(root, 'rules/demo_rules/demo_secret_path.yml'), [
    ['Secret in a namespace', 'yes', 'yes'],
    ['Secret list in a namespace', 'yes', 'yes'],
    ['Secret in kube-system', 'no', 'no'],
    ['Pod in a namespace', 'no', 'no'],
    ['Name too short', 'no', 'no'],
    ['No resource name', 'no', 'no'],
    ['Status of a secret', 'no', 'no'],
  ]);
  // A piece's value names no event: the predicates are marked as tests on pieces (pieces.ts); a
  // second split of the same field (`name.split("/")[5]`) is read as the same pieces.
  const { analysis } = analysedFixture(root, 'rules/demo_rules/demo_secret_path.yml');
  const preds = predicatesOf(analysis.stages[0]!.condition);
  assert.ok(preds.length > 0 && preds.every((p) => p.op === 'regex' && p.piece === '/'));
  assert.deepEqual(
    indicatorsOf(analysis.stages).map((i) => `${i.negated ? 'not ' : ''}${i.value}`),
    [
      '^[^/]*/[^/]*/[^/]*/[^/]*/[^/]*(?:/|$)',
      'not ^[^/]*/[^/]*/[^/]*/[^/]*/[^/]*/status(?:/|$)',
      '^[^/]*/[^/]*/[^/]*/[^/]*/secrets(?:/|$)',
      'not ^[^/]*/[^/]*/[^/]*/kube-system(?:/|$)',
    ],
  );
});

test('isinstance of a field with built-in scalar types is a test of the type of its value', () => {
  assert.deepEqual(modelAnswers(root, 'rules/demo_rules/demo_request_failed.yml'), [
    ['Forbidden', 'yes', 'yes'],
    ['Success', 'no', 'no'],
    ['Code as text', 'no', 'no'],
    ['Code with a fraction', 'no', 'no'],
    ['Code as a list', 'no', 'no'],
    ['No status', 'no', 'no'],
  ]);
  // The type names are no indicator: the code's bound is.
  const { analysis } = analysedFixture(root, 'rules/demo_rules/demo_request_failed.yml');
  assert.deepEqual(
    indicatorsOf(analysis.stages).map((i) => `${i.field} ${i.op} ${i.value}`),
    ['responseStatus exists *', 'responseStatus.code gte 400'],
  );
});

test('a comparison with a value the analysis could not read states no indicator (nor a `null` one)', () => {
  // The keys of a dict merged from names (`{**A, **B}`) are not read: `role_id in role` keeps the
  // field's test without values (unknown when evaluated), and no indicator of it.
  const code = [
    'ROLES = {**A, **B}',
    '',
    'def rule(event):',
    '    role = str(event.get("role", "")).lower()',
    '    if event.get("op") != "write":',
    '        return False',
    '    for role_id in ROLES:',
    '        if role_id.lower() in role:',
    '            return True',
    '    return False',
    '',
  ].join('\n');
  const analysis = python.analyse(code, {});
  const unread = predicatesOf(analysis.stages[0]!.condition).filter((p) => p.field === 'role');
  assert.deepEqual(
    unread.map((p) => `${p.op} ${p.values.length}`),
    ['contains 0'],
  );
  assert.deepEqual(
    indicatorsOf(analysis.stages).map((i) => `${i.field} ${i.op} ${i.value}`),
    ['op eq write'],
  );
});
