import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alternatives, describeExpectation, foundText } from './peggy-errors.js';

test('expectations as people read them, per grammar', () => {
  assert.equal(describeExpectation({ type: 'literal', text: 'where' }), '"where"');
  assert.equal(describeExpectation({ type: 'literal', text: 'select', ignoreCase: true }, { keywordsInCapitals: true }), 'SELECT');
  assert.equal(describeExpectation({ type: 'end' }), 'end of query');
  assert.equal(describeExpectation({ type: 'end' }, { end: 'end of text' }), 'end of text');
  assert.equal(describeExpectation({ type: 'other', description: 'whitespace' }), null);
  assert.equal(describeExpectation({ type: 'other', description: 'comment' }, { quiet: new Set(['comment']) }), null);
  assert.equal(describeExpectation({ type: 'other', description: 'field name' }), 'field name');
  assert.equal(describeExpectation({ type: 'any' }), null);
  assert.equal(describeExpectation({ type: 'any' }, { any: 'any character' }), 'any character');
  assert.equal(describeExpectation({ type: 'class', parts: [['a', 'z'], '_'] }), null);
  assert.equal(describeExpectation({ type: 'class', parts: [['a', 'z'], '_'] }, { classes: 'list' }), '"a"-"z", "_"');
  assert.equal(describeExpectation({ type: 'class', inverted: true, parts: ['"'] }, { classes: 'list' }), 'a character');
  assert.equal(alternatives(['a', 'b', 'c']), 'a, b or c');
  assert.equal(foundText('x == 1', 2), '"="');
  assert.equal(foundText('x', 1), 'end of query');
});
