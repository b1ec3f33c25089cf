import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { predicatesOf } from '../../model/predicates.js';
import type { PredicateNode } from '../../model/types.js';
import { analyse, lucene } from './index.js';

function condition(query: string): PredicateNode | undefined {
  const result = analyse(query);
  assert.equal(result.parsed, true, JSON.stringify(result.diagnostics));
  return result.stages[0]?.condition;
}

/** Compact view of a tree: `and(a eq x, not(b wildcard y*))`. */
function shape(node: PredicateNode | undefined): string {
  if (!node) return '';
  switch (node.kind) {
    case 'and':
    case 'or':
      return `${node.kind}(${node.children.map(shape).join(', ')})`;
    case 'not':
      return `not(${shape(node.child)})`;
    case 'some':
      return `some ${node.field}(${shape(node.child)})`;
    case 'other':
      return `other[${node.text}]`;
    case 'pred': {
      const p = node.predicate;
      return `${p.field} ${p.negated ? '!' : ''}${p.op}${p.values.length ? ' ' + p.values.join('|') : ''}`;
    }
  }
}

describe('lucene', () => {
  test('is registered under its id and name', () => {
    assert.equal(lucene.id, 'lucene');
    assert.equal(lucene.name, 'Lucene');
  });

  test('the Elastic corpus rule: AND chain, field groups, regex, NOT', () => {
    const query =
      'event.category:process AND event.type:(start OR process_started) AND process.name:chmod AND process.args:(g+s OR /2[0-9]{3}/) AND NOT user.name:root\n';
    const result = analyse(query);
    assert.equal(result.parsed, true);
    assert.deepEqual(result.stages.length, 1);
    assert.equal(result.stages[0]!.kind, 'query');
    assert.equal(result.stages[0]!.text, query.trim());
    assert.equal(
      shape(result.stages[0]!.condition),
      'and(event.category eq process, or(event.type eq start, event.type eq process_started), process.name eq chmod, ' +
        'or(process.args eq g+s, process.args regex 2[0-9]{3}), not(user.name eq root))',
    );
    const [first, group] = predicatesOf(result.stages[0]!.condition);
    assert.deepEqual(first, {
      field: 'event.category',
      op: 'eq',
      values: ['process'],
      negated: false,
      caseSensitive: true,
      nativeOp: ':',
      text: 'event.category:process',
    });
    // Values of a field group share the group's text, as in kuery.
    assert.equal(group!.text, 'event.type:(start OR process_started)');
    assert.deepEqual(result.sources, []);
    assert.deepEqual(result.outputFields, []);
  });

  test('a lower-case operator is a word, with a warning', () => {
    const result = analyse('event.type:(start or process_started)');
    assert.equal(shape(result.stages[0]!.condition), 'or(event.type eq start, event.type eq or, event.type eq process_started)');
    assert.equal(result.diagnostics.length, 1);
    assert.equal(result.diagnostics[0]!.severity, 'warning');
    assert.match(result.diagnostics[0]!.message, /`or` is searched for as a word/);
  });

  test('wildcards, escapes and phrases', () => {
    assert.equal(shape(condition('file.path:C\\:\\\\Windows\\\\*')), 'file.path wildcard C:\\Windows\\*');
    assert.equal(shape(condition('a:x\\*y?')), 'a wildcard x\\*y?');
    assert.equal(shape(condition('a:x\\*y')), 'a eq x*y');
    assert.equal(shape(condition('a:"b *c"')), 'a eq b *c');
    assert.equal(shape(condition('a:"say \\"hi\\""')), 'a eq say "hi"');
  });

  test('exists, match all and free text', () => {
    assert.equal(shape(condition('_exists_:user.name')), 'user.name exists');
    assert.equal(shape(condition('user.name:*')), 'user.name exists');
    assert.equal(shape(condition('*')), 'other[*]');
    assert.equal(shape(condition('*:*')), 'other[*:*]');
    const free = predicatesOf(condition('mimikatz'))[0]!;
    assert.equal(free.field, '*');
    assert.equal(free.caseSensitive, false);
  });

  test('ranges and comparisons', () => {
    assert.equal(shape(condition('n:[1 TO 5]')), 'n range 1|5');
    assert.equal(predicatesOf(condition('n:{1 TO 5]'))[0]!.nativeOp, '{]');
    assert.equal(shape(condition('d:[2020-01-01 TO *]')), 'd gte 2020-01-01');
    assert.equal(shape(condition('d:{* TO 5}')), 'd lt 5');
    assert.equal(shape(condition('n:>=5')), 'n gte 5');
    assert.equal(shape(condition('n:<"5"')), 'n lt 5');
  });

  test('boolean logic follows Lucene occurs (default operator OR)', () => {
    assert.equal(shape(condition('a:1 b:2')), 'or(a eq 1, b eq 2)');
    assert.equal(shape(condition('a:1 OR b:2')), 'or(a eq 1, b eq 2)');
    assert.equal(shape(condition('a:1 && !b:2')), 'and(a eq 1, not(b eq 2))');
    assert.equal(shape(condition('-a:1')), 'not(a eq 1)');
    assert.equal(shape(condition('(a:1 OR b:2) AND NOT (c:3)')), 'and(or(a eq 1, b eq 2), not(c eq 3))');
    assert.equal(shape(condition('a:1 -b:2 c:3')), 'and(or(a eq 1, c eq 3), not(b eq 2))');
    const mixed = analyse('a:1 AND b:2 OR c:3');
    assert.equal(shape(mixed.stages[0]!.condition), 'and(a eq 1, b eq 2)');
    assert.equal(mixed.diagnostics[0]!.severity, 'info');
    assert.equal(shape(condition('+a:1 b:2')), 'a eq 1');
  });

  test('fuzzy and proximity queries are kept as text; boosts are dropped', () => {
    assert.equal(shape(condition('a:foo~2')), 'other[a:foo~2]');
    assert.equal(shape(condition('a:"x y"~3')), 'other[a:"x y"~3]');
    assert.equal(shape(condition('a:foo^2')), 'a eq foo');
  });

  test('an empty query matches all', () => {
    const result = analyse('  ');
    assert.equal(result.parsed, true);
    assert.deepEqual(result.stages, [{ kind: 'query', text: '' }]);
  });

  test('a syntax error comes back as a positioned diagnostic', () => {
    const result = analyse('a:b AND\n(c:d');
    assert.equal(result.parsed, false);
    assert.equal(result.stages.length, 0);
    assert.equal(result.diagnostics[0]!.severity, 'error');
    assert.equal(result.diagnostics[0]!.line, 2);
    assert.equal(result.diagnostics[0]!.column, 5);
  });
  test('field types: words on text fields, CIDR blocks on ip fields, no case on caseless fields', () => {
    const query =
      'powershell.file.script_block_text:("Invoke-Mimikatz" OR sekurlsa) AND source.ip:"10.0.0.0/8" AND NOT destination.ip:10.1.2.3 AND process.name.caseless:/power.*/';
    const cond = condition(query);
    assert.equal(
      shape(cond),
      'and(or(powershell.file.script_block_text has Invoke-Mimikatz, powershell.file.script_block_text has sekurlsa), source.ip cidr 10.0.0.0/8, process.name.caseless regex power.*, not(destination.ip eq 10.1.2.3))',
    );
    const cases = Object.fromEntries(predicatesOf(cond).map((p) => [`${p.field} ${p.op}`, p.caseSensitive]));
    assert.deepEqual(cases, {
      'powershell.file.script_block_text has': false,
      'source.ip cidr': true,
      'process.name.caseless regex': false,
      'destination.ip eq': true,
    });
    // Free text and unknown fields keep their reading.
    assert.equal(shape(condition('mimikatz OR winlog.event_data.Note:"a b"')), 'or(* eq mimikatz, winlog.event_data.Note eq a b)');
  });
});
