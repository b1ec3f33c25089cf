import assert from 'node:assert/strict';
import { test } from 'node:test';
import { elementsAtLeast, predicate, someElement } from '../model/predicates.js';
import type { PredicateNode } from '../model/types.js';
import { type ElementScopes, evaluateTree, type TestPredicate } from './tree.js';

// Tests that read `a` and `b` off one element: `{a, b}` objects standing for a list's elements.
const on =
  (element: Record<string, boolean>): TestPredicate =>
  (node) => ({ matched: element[node.predicate.field] ?? 'unknown', seen: [] });
const both: PredicateNode = {
  kind: 'and',
  children: [
    predicate('a', 'exists', [], { nativeOp: 'truthy', text: 'a' }),
    predicate('b', 'exists', [], { nativeOp: 'truthy', text: 'b' }),
  ],
};
const scopes =
  (...elements: Record<string, boolean>[]): ElementScopes =>
  () =>
    elements.map((e) => ({ test: on(e) }));
const whole: TestPredicate = () => ({ matched: true, seen: [] });

test('a some node holds when one element passes its whole child; unknown when the language cannot split the list', () => {
  const node = someElement('items', both);
  assert.equal(evaluateTree(node, whole, undefined, scopes({ a: true, b: false }, { a: false, b: true })), false);
  assert.equal(evaluateTree(node, whole, undefined, scopes({ a: false, b: true }, { a: true, b: true })), true);
  assert.equal(evaluateTree(node, whole, undefined, scopes({ a: true }, { a: false, b: true })), 'unknown');
  assert.equal(evaluateTree(node, whole, undefined, scopes()), false);
  assert.equal(evaluateTree({ kind: 'not', child: node }, whole, undefined, scopes({ a: true, b: false })), true);
  assert.equal(evaluateTree(node, whole), 'unknown');
});

test('a some node with atLeast counts the elements passing its child; unknown while the undecided could reach it', () => {
  const node = elementsAtLeast('items', both, 2);
  const yes = { a: true, b: true };
  const no = { a: false, b: true };
  assert.equal(evaluateTree(node, whole, undefined, scopes(yes, no, yes)), true);
  assert.equal(evaluateTree(node, whole, undefined, scopes(yes, no, no)), false);
  assert.equal(evaluateTree(node, whole, undefined, scopes(yes, { a: true }, no)), 'unknown');
  assert.equal(evaluateTree(node, whole, undefined, scopes(no, { a: true }, no)), false);
  assert.equal(evaluateTree(node, whole, undefined, scopes()), false);
  // Traced: every element still tested, the answer the same.
  const trace: unknown[] = [];
  assert.equal(evaluateTree(node, whole, trace as never, scopes(yes, yes, no)), true);
  assert.equal(trace.length, 6);
});
