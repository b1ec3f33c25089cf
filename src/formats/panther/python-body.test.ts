// Rules of our own for how a statement or an expression of a Panther rule body is read (a data
// model's computed value tested by a string method, ...): each fixture rule
// (python-model-source/rules/demo_rules/demo_body_*, written for these tests) evaluated by our
// model on its own tests, compared with each test's ExpectedResult.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { before, test } from 'node:test';
import { python } from '../../languages/python/index.js';
import { modelAnswers } from './python-model-answers.js';

const root = fileURLToPath(new URL('./python-model-source/', import.meta.url));

before(async () => {
  await python.init!();
});

function agrees(rel: string): void {
  for (const [name, expected, got] of modelAnswers(root, rel)) assert.equal(got, expected, name);
}

test('a data model value computed by a method, tested with startswith / endswith / `in` inside a helper, is tested on each of its returns', () => {
  agrees('rules/demo_rules/demo_body_service_actor.yml');
});

test('a piece of a split field read for its truth (`f.split("/")[3]`, IndexError caught) is a non-empty piece there', () => {
  agrees('rules/demo_rules/demo_body_subresource.yml');
});

test('a data model value computed by a method, compared `is True`, is compared on each of its returns', () => {
  agrees('rules/demo_rules/demo_body_flag_true.yml');
});

test('a loop over a few constants naming a key (`for k in ["a", "b"]: event.deep_get("p", k)`) reads each key', () => {
  agrees('rules/demo_rules/demo_body_risk_keys.yml');
});

test('`f not in D[k]` with D a constant dict of collections and k a field is, for each key, k holding it and f not in its collection', () => {
  agrees('rules/demo_rules/demo_body_approved_types.yml');
});

test('`p.lower()` of a loop variable over constants is those constants lowered (`any(p.lower() in f.lower() for p in P)`)', () => {
  agrees('rules/demo_rules/demo_body_cased_patterns.yml');
});

test('a stripped field (`f.rstrip(".").endswith(d)`, `f.rstrip(".") == x`, `not f.strip()`) is tested with what is stripped let through', () => {
  agrees('rules/demo_rules/demo_body_trailing_period.yml');
});

test('a filtered list comprehension read for its truth (`[s for s in C if f.endswith(s)]`) is some element passing the filter', () => {
  agrees('rules/demo_rules/demo_body_filtered_lists.yml');
});
