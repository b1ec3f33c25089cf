import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { casesCondition, ComputedColumns, conditionColumn, valueTest, type ColumnDefinition } from './computed.js';
import { predicate } from './predicates.js';
import type { PredicateNode } from './types.js';

const p = (field: string): PredicateNode => predicate(field, 'eq', ['x'], { nativeOp: '==', text: `${field} == "x"` });

function shape(node: PredicateNode | undefined): string {
  if (!node) return 'none';
  switch (node.kind) {
    case 'and':
    case 'or':
      return `${node.kind}(${node.children.map(shape).join(', ')})`;
    case 'not':
      return `not(${shape(node.child)})`;
    case 'some':
      return `some ${node.field}(${shape(node.child)})`;
    case 'other':
      return node.text;
    case 'pred':
      return node.predicate.field;
  }
}

type Cases = Extract<ColumnDefinition, { kind: 'cases' }>;
const flag: Cases = { kind: 'cases', branches: [{ when: p('a'), value: 1 }], otherwise: 0 };
const vendor: Cases = {
  kind: 'cases',
  branches: [
    { when: p('aws'), value: 'aws' },
    { when: p('azure'), value: 'azure' },
    { when: p('gcp'), value: 'gcp' },
  ],
  otherwise: null,
};

describe('computed columns', () => {
  test('a flag: its value 1 is the condition, 0 (or not 1) its negation', () => {
    assert.equal(shape(casesCondition(flag, valueTest('eq', [1], false, true)!)), 'a');
    assert.equal(shape(casesCondition(flag, valueTest('eq', [0], false, true)!)), 'not(a)');
    assert.equal(shape(casesCondition(flag, valueTest('eq', [1], true, true)!)), 'not(a)');
    assert.equal(shape(casesCondition(flag, valueTest('gte', [1], false, true)!)), 'a');
    // Numbers written as text (SPL, SQL) compare as numbers.
    assert.equal(shape(casesCondition(flag, valueTest('eq', ['1'], false, false)!)), 'a');
  });

  test('a boolean column is true where its condition holds', () => {
    const column = conditionColumn(p('a')) as Cases;
    assert.equal(shape(casesCondition(column, valueTest('eq', [true], false, true)!)), 'a');
    assert.equal(shape(casesCondition(column, valueTest('eq', [false], false, true)!)), 'not(a)');
  });

  test('several branches: the first that holds gives the value', () => {
    assert.equal(shape(casesCondition(vendor, valueTest('eq', ['azure'], false, true)!)), 'and(azure, not(aws))');
    assert.equal(shape(casesCondition(vendor, valueTest('in', ['aws', 'gcp'], false, true)!)), 'or(aws, and(gcp, not(azure)))');
    // Null (no branch held) passes no comparison, negated ones neither; IS NULL passes it.
    assert.equal(shape(casesCondition(vendor, valueTest('eq', ['azure'], true, true)!)), 'or(aws, and(gcp, not(azure)))');
    assert.equal(shape(casesCondition(vendor, valueTest('exists', [], true, true)!)), 'not(or(aws, azure, gcp))');
    assert.equal(shape(casesCondition(vendor, valueTest('eq', ['AWS'], false, false)!)), 'aws');
  });

  test('a filter every value or none passes, or an untraced operator, gives nothing', () => {
    assert.equal(casesCondition(flag, valueTest('eq', [7], false, true)!), undefined);
    assert.equal(casesCondition(flag, valueTest('lt', [5], false, true)!), undefined);
    assert.equal(valueTest('contains', ['x'], false, true), undefined);
  });

  test('definitions follow renames, drops and what a command keeps', () => {
    const columns = new ComputedColumns();
    columns.define('f', flag);
    columns.define('g', flag);
    columns.rename('f', 'h');
    assert.deepEqual(columns.names().sort(), ['g', 'h']);
    const copy = columns.clone();
    columns.keepOnly(['h']);
    assert.deepEqual(columns.names(), ['h']);
    assert.deepEqual(copy.names().sort(), ['g', 'h']);
    columns.forget('h');
    assert.equal(columns.get('h'), undefined);
  });
});
