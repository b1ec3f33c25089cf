import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { predicatesOf } from '../../model/predicates.js';
import { indicatorsOf } from '../../analysis/indicators.js';
import type { Predicate, PredicateNode, QueryAnalysis, Stage } from '../../model/types.js';
import { testContext, parsedAnalysis, parseFailure, pred as p, predNode as node, singlePredicate } from '../test-support.js';
import { eql } from './index.js';

const ok = (query: string): QueryAnalysis => parsedAnalysis('eql', query);
const error = (query: string) => parseFailure('eql', query);

/** The condition of the first stage. */
function cond(query: string): PredicateNode {
  const c = ok(query).stages[0]!.condition;
  assert.ok(c, 'no condition');
  return c;
}

/** The single predicate of a one-comparison query `process where <expr>`. */
const pred = (expr: string): Predicate => singlePredicate(cond(`process where ${expr}`));

describe('eql: language', () => {
  it('has id and name', () => {
    assert.equal(eql.id, 'eql');
    assert.equal(eql.name, 'EQL');
  });
});

describe('eql: event queries', () => {
  it('gives one where stage with the exact text, condition and category', () => {
    const q = 'process where process.name == "cmd.exe"';
    assert.deepEqual(eql.analyse(q, testContext), {
      stages: [
        {
          kind: 'where',
          text: q,
          condition: node(p('process.name', 'eq', ['cmd.exe'], false, true, '==', 'process.name == "cmd.exe"')),
          sources: ['process'],
        },
      ],
      outputFields: [],
      sources: ['process'],
      diagnostics: [],
      parsed: true,
    });
  });

  it('accepts `any` and quoted categories', () => {
    assert.deepEqual(ok('any where true').sources, ['any']);
    const r = ok('"network" where destination.port == 22');
    assert.deepEqual(r.sources, ['network']);
    assert.deepEqual(r.stages[0]!.sources, ['network']);
  });

  it('keeps a bare boolean or field condition as other', () => {
    assert.deepEqual(cond('any where true'), { kind: 'other', text: 'true' });
    assert.deepEqual(cond('file where file.Ext.is_signed'), { kind: 'other', text: 'file.Ext.is_signed' });
  });

  it('leaves surrounding blanks and comments out of stage texts', () => {
    const r = ok('  // leading\n  process where a == 1  /* trailing */\n');
    assert.equal(r.stages[0]!.text, 'process where a == 1');
  });
});

describe('eql: comparison operators', () => {
  it('== is case-sensitive eq', () => {
    assert.deepEqual(pred('a == "X"'), p('a', 'eq', ['X'], false, true, '==', 'a == "X"'));
  });

  it('!= is negated eq', () => {
    assert.deepEqual(pred('a != "x"'), p('a', 'eq', ['x'], true, true, '!=', 'a != "x"'));
  });

  it('< <= > >= map to lt lte gt gte with numbers', () => {
    assert.deepEqual(pred('a < 5'), p('a', 'lt', [5], false, true, '<', 'a < 5'));
    assert.deepEqual(pred('a <= 5.5'), p('a', 'lte', [5.5], false, true, '<=', 'a <= 5.5'));
    assert.deepEqual(pred('a > -3'), p('a', 'gt', [-3], false, true, '>', 'a > -3'));
    assert.deepEqual(pred('a >= 1e3'), p('a', 'gte', [1000], false, true, '>=', 'a >= 1e3'));
  });

  it('swaps a literal on the left and flips the operator', () => {
    assert.deepEqual(pred('5 < a'), p('a', 'gt', [5], false, true, '<', '5 < a'));
    assert.deepEqual(pred('"x" == a'), p('a', 'eq', ['x'], false, true, '==', '"x" == a'));
  });

  it('compares booleans', () => {
    assert.deepEqual(pred('a == true'), p('a', 'eq', [true], false, true, '==', 'a == true'));
    assert.deepEqual(pred('a != false'), p('a', 'eq', [false], true, true, '!=', 'a != false'));
  });

  it('null comparisons are exists', () => {
    assert.deepEqual(pred('a != null'), p('a', 'exists', [], false, true, '!=', 'a != null'));
    assert.deepEqual(pred('a == null'), p('a', 'exists', [], true, true, '==', 'a == null'));
    assert.deepEqual(pred('?x.y != null'), p('x.y', 'exists', [], false, true, '!=', '?x.y != null'));
  });

  it('field against field, arithmetic and functions of fields are other', () => {
    assert.deepEqual(cond('process where a == b'), { kind: 'other', text: 'a == b' });
    assert.deepEqual(cond('process where length(a) > 3'), { kind: 'other', text: 'length(a) > 3' });
    assert.deepEqual(cond('process where a + 1 > 3'), { kind: 'other', text: 'a + 1 > 3' });
    assert.deepEqual(cond('process where a * 2 % 3 == -b'), { kind: 'other', text: 'a * 2 % 3 == -b' });
    assert.deepEqual(cond('process where a < null'), { kind: 'other', text: 'a < null' });
  });
});

describe('eql: `:` (case-insensitive match)', () => {
  it('a plain value is case-insensitive eq', () => {
    assert.deepEqual(pred('process.name : "CMD.exe"'), p('process.name', 'eq', ['CMD.exe'], false, false, ':', 'process.name : "CMD.exe"'));
  });

  it('`*` or `?` make it a wildcard (backslashes do not escape them)', () => {
    assert.deepEqual(
      pred('f : "C:\\\\Windows\\\\*.exe"'),
      p('f', 'wildcard', ['C:\\Windows\\*.exe'], false, false, ':', 'f : "C:\\\\Windows\\\\*.exe"'),
    );
    assert.deepEqual(pred('f : "a?c"'), p('f', 'wildcard', ['a?c'], false, false, ':', 'f : "a?c"'));
  });

  it('a list of plain values is in', () => {
    assert.deepEqual(pred('f : ("a", "b")'), p('f', 'in', ['a', 'b'], false, false, ':', 'f : ("a", "b")'));
  });

  it('a list of patterns is one wildcard predicate', () => {
    assert.deepEqual(pred('f : ("a*", "?b")'), p('f', 'wildcard', ['a*', '?b'], false, false, ':', 'f : ("a*", "?b")'));
  });

  it('a mixed list is split into an or of in and wildcard', () => {
    const text = 'f : ("a", "b*", "c")';
    assert.deepEqual(cond(`process where ${text}`), {
      kind: 'or',
      children: [node(p('f', 'in', ['a', 'c'], false, false, ':', text)), node(p('f', 'wildcard', ['b*'], false, false, ':', text))],
    });
  });

  it('numbers and null', () => {
    assert.deepEqual(pred('f : 5'), p('f', 'eq', [5], false, false, ':', 'f : 5'));
    assert.deepEqual(pred('f : -5'), p('f', 'eq', [-5], false, false, ':', 'f : -5'));
    assert.deepEqual(pred('f : null'), p('f', 'exists', [], true, false, ':', 'f : null'));
  });
});

describe('eql: like, regex, in', () => {
  it('like is case-sensitive wildcard, like~ insensitive, lists keep all values', () => {
    assert.deepEqual(pred('f like "a*"'), p('f', 'wildcard', ['a*'], false, true, 'like', 'f like "a*"'));
    assert.deepEqual(pred('f like~ ("a*", "b*")'), p('f', 'wildcard', ['a*', 'b*'], false, false, 'like~', 'f like~ ("a*", "b*")'));
  });

  it('like values without wildcards are equalities, and like "*" is exists: the indicators of == / in / != null', () => {
    assert.deepEqual(pred('f like "a"'), p('f', 'eq', ['a'], false, true, 'like', 'f like "a"'));
    assert.deepEqual(pred('f like~ ("a", "b")'), p('f', 'in', ['a', 'b'], false, false, 'like~', 'f like~ ("a", "b")'));
    assert.deepEqual(pred('f like "*"'), p('f', 'exists', [], false, true, 'like', 'f like "*"'));
    const text = 'f like~ ("a*", "b")';
    assert.deepEqual(cond(`process where ${text}`), {
      kind: 'or',
      children: [node(p('f', 'eq', ['b'], false, false, 'like~', text)), node(p('f', 'wildcard', ['a*'], false, false, 'like~', text))],
    });
    const indicators = indicatorsOf(ok('process where f like "x" and not g like~ ("y", "z*")').stages);
    assert.deepEqual(
      indicators.map((i) => `${i.negated ? 'not ' : ''}${i.field} ${i.op} ${i.value}`),
      ['f eq x', 'not g eq y', 'not g wildcard z*'],
    );
  });

  it('regex and regex~', () => {
    assert.deepEqual(pred('f regex "a.*"'), p('f', 'regex', ['a.*'], false, true, 'regex', 'f regex "a.*"'));
    assert.deepEqual(pred('f regex~ ("x+", "y")'), p('f', 'regex', ['x+', 'y'], false, false, 'regex~', 'f regex~ ("x+", "y")'));
  });

  it('in is case-sensitive, in~ insensitive', () => {
    assert.deepEqual(pred('f in ("a", "b", 3, null)'), p('f', 'in', ['a', 'b', 3, null], false, true, 'in', 'f in ("a", "b", 3, null)'));
    assert.deepEqual(pred('f in~ ("A")'), p('f', 'in', ['A'], false, false, 'in~', 'f in~ ("A")'));
  });

  it('not in is negated in', () => {
    assert.deepEqual(pred('f not in ("a", "b")'), p('f', 'in', ['a', 'b'], true, true, 'not in', 'f not in ("a", "b")'));
    assert.deepEqual(pred('f not in~ ("a")'), p('f', 'in', ['a'], true, false, 'not in~', 'f not in~ ("a")'));
  });

  it('in with a non-literal member is other', () => {
    assert.deepEqual(cond('process where f in ("a", g)'), { kind: 'other', text: 'f in ("a", g)' });
  });

  it('reads long lists with comments inside', () => {
    const values = Array.from({ length: 300 }, (_, i) => `"v${i}.exe"`).join(',\n  ');
    const q = `process where process.name in (/* many */\n  ${values} // end\n)`;
    const pr = predicatesOf(cond(q));
    assert.equal(pr.length, 1);
    assert.equal(pr[0]!.values.length, 300);
    assert.equal(pr[0]!.values[299], 'v299.exe');
  });
});

describe('eql: functions', () => {
  it('startsWith / startsWith~', () => {
    assert.deepEqual(
      pred('startsWith(f, "a", "b")'),
      p('f', 'startswith', ['a', 'b'], false, true, 'startsWith', 'startsWith(f, "a", "b")'),
    );
    assert.deepEqual(pred('startsWith~(f, "a")'), p('f', 'startswith', ['a'], false, false, 'startsWith~', 'startsWith~(f, "a")'));
  });

  it('endsWith, stringContains, cidrMatch (names are case-insensitive)', () => {
    assert.deepEqual(pred('endswith~(f, ".exe")'), p('f', 'endswith', ['.exe'], false, false, 'endswith~', 'endswith~(f, ".exe")'));
    assert.deepEqual(pred('stringContains(f, "x")'), p('f', 'contains', ['x'], false, true, 'stringContains', 'stringContains(f, "x")'));
    assert.deepEqual(
      pred('cidrMatch(destination.ip, "10.0.0.0/8", "192.168.0.0/16")'),
      p(
        'destination.ip',
        'cidr',
        ['10.0.0.0/8', '192.168.0.0/16'],
        false,
        true,
        'cidrMatch',
        'cidrMatch(destination.ip, "10.0.0.0/8", "192.168.0.0/16")',
      ),
    );
  });

  it('functions over computed values or fields are other', () => {
    assert.deepEqual(cond('process where startswith~(a, substring(b, 0, -1))'), {
      kind: 'other',
      text: 'startswith~(a, substring(b, 0, -1))',
    });
    assert.deepEqual(cond('process where endsWith(a, b)'), { kind: 'other', text: 'endsWith(a, b)' });
    assert.deepEqual(cond('process where unknownFn(a, "x")'), { kind: 'other', text: 'unknownFn(a, "x")' });
    assert.deepEqual(cond('process where constructor(a, "x")'), { kind: 'other', text: 'constructor(a, "x")' });
  });

  it('negated function call', () => {
    assert.deepEqual(cond('process where not stringContains(a, "x")'), {
      kind: 'not',
      child: node(p('a', 'contains', ['x'], false, true, 'stringContains', 'stringContains(a, "x")')),
    });
  });
});

describe('eql: boolean structure', () => {
  it('not binds tighter than and, and tighter than or', () => {
    assert.deepEqual(cond('process where not a == 1 and b == 2 or c == 3'), {
      kind: 'or',
      children: [
        {
          kind: 'and',
          children: [
            { kind: 'not', child: node(p('a', 'eq', [1], false, true, '==', 'a == 1')) },
            node(p('b', 'eq', [2], false, true, '==', 'b == 2')),
          ],
        },
        node(p('c', 'eq', [3], false, true, '==', 'c == 3')),
      ],
    });
  });

  it('parentheses group and nested same-kind nodes are flattened', () => {
    assert.deepEqual(cond('process where (a == 1 or (b == 2 or c == 3)) and not not d == 4'), {
      kind: 'and',
      children: [
        {
          kind: 'or',
          children: [
            node(p('a', 'eq', [1], false, true, '==', 'a == 1')),
            node(p('b', 'eq', [2], false, true, '==', 'b == 2')),
            node(p('c', 'eq', [3], false, true, '==', 'c == 3')),
          ],
        },
        { kind: 'not', child: { kind: 'not', child: node(p('d', 'eq', [4], false, true, '==', 'd == 4')) } },
      ],
    });
  });

  it('not before a parenthesised group', () => {
    assert.deepEqual(cond('process where not (a : "x" or b : "y")'), {
      kind: 'not',
      child: {
        kind: 'or',
        children: [node(p('a', 'eq', ['x'], false, false, ':', 'a : "x"')), node(p('b', 'eq', ['y'], false, false, ':', 'b : "y"'))],
      },
    });
  });
});

describe('eql: fields and strings', () => {
  it('optional fields lose their `?`', () => {
    assert.deepEqual(
      pred('?process.parent.name : "x"'),
      p('process.parent.name', 'eq', ['x'], false, false, ':', '?process.parent.name : "x"'),
    );
  });

  it('backquoted names, quoted segments and array indexes', () => {
    assert.equal(pred('`foo bar` == 1').field, 'foo bar');
    assert.equal(pred('`a``b` == 1').field, 'a`b');
    assert.equal(pred('k8s.`io/pod-name` == 1').field, 'k8s.io/pod-name');
    assert.equal(pred('a.b.`0`.c == 1').field, 'a.b.0.c');
    assert.equal(pred('a.0.c == 1').field, 'a.0.c');
    assert.equal(pred('process.args[0] == "x"').field, 'process.args[0]');
    assert.equal(pred('@timestamp > 0').field, '@timestamp');
  });

  it('keywords are fine after a dot', () => {
    assert.equal(pred('a.in == 1').field, 'a.in');
  });

  it('decodes escapes', () => {
    assert.deepEqual(pred('f == "a\\"b\\\\c\\td\\ne"').values, ['a"b\\c\td\ne']);
    assert.deepEqual(pred('f == "\\u{41}\\u{1F600}"').values, ['A\u{1F600}']);
  });

  it('triple-quoted strings are raw and may span lines', () => {
    assert.deepEqual(pred('f regex """\\d+\\.exe"""').values, ['\\d+\\.exe']);
    assert.deepEqual(pred('f : """a\n"b"*"""').values, ['a\n"b"*']);
    // Up to two quotes after the closing `"""` belong to the string.
    assert.deepEqual(pred('f == """x"""""').values, ['x""']);
  });

  it('single-quoted strings parse with a warning', () => {
    const r = eql.analyse("process where f == 'x'", testContext);
    assert.equal(r.parsed, true);
    assert.deepEqual(predicatesOf(r.stages[0]!.condition)[0]!.values, ['x']);
    assert.deepEqual(r.diagnostics, [
      {
        message: 'single-quoted strings are not valid in Elasticsearch EQL; use double quotes',
        line: 1,
        column: 20,
        severity: 'warning',
        scope: 'query',
      },
    ]);
    // Read twice by the parser (list fast path, then as an expression), reported once.
    assert.equal(eql.analyse("process where f in ('x' + 1)", testContext).diagnostics.length, 1);
  });
});

describe('eql: comments', () => {
  it('line and (nested) block comments anywhere', () => {
    const q = ['/* header /* nested */ still comment */', 'process where // first', '  a == 1 and /* inline */ b : "x" // last'].join('\n');
    const r = ok(q);
    assert.equal(r.stages[0]!.text, 'process where // first\n  a == 1 and /* inline */ b : "x"');
    assert.deepEqual(
      predicatesOf(r.stages[0]!.condition).map((x) => x.text),
      ['a == 1', 'b : "x"'],
    );
  });

  it('comment markers inside strings are text', () => {
    assert.deepEqual(pred('f : "http://x/*"').values, ['http://x/*']);
  });
});

describe('eql: sequences', () => {
  const q = [
    'sequence by host.id, user.name with maxspan=5m',
    '  [process where process.name : "a.exe"] by process.entity_id',
    '  [network where destination.port == 443] by process.entity_id with runs=3',
    '  ![file where file.name : "x"]',
    'until [process where event.type == "end"]',
  ].join('\n');

  it('gives a header stage and one stage per step with exact texts', () => {
    const r = ok(q);
    assert.deepEqual(
      r.stages.map((s: Stage) => [s.kind, s.text, s.sources]),
      [
        ['sequence', 'sequence by host.id, user.name with maxspan=5m', undefined],
        ['step', '[process where process.name : "a.exe"] by process.entity_id', ['process']],
        ['step', '[network where destination.port == 443] by process.entity_id with runs=3', ['network']],
        ['missing-step', '![file where file.name : "x"]', ['file']],
        ['until', 'until [process where event.type == "end"]', ['process']],
      ],
    );
    assert.deepEqual(r.sources, ['process', 'network', 'file']);
    assert.deepEqual(r.outputFields, []);
  });

  it('steps carry their conditions', () => {
    const r = ok(q);
    assert.deepEqual(r.stages[0]!.condition, undefined);
    assert.deepEqual(r.stages[2]!.condition, node(p('destination.port', 'eq', [443], false, true, '==', 'destination.port == 443')));
    assert.deepEqual(r.stages[3]!.condition, {
      kind: 'not',
      child: node(p('file.name', 'eq', ['x'], false, false, ':', 'file.name : "x"')),
    });
  });

  it('reads the conditions of `until` and missing steps as exclusions', () => {
    const r = ok(q);
    assert.deepEqual(
      indicatorsOf(r.stages).map((i) => [i.field, i.value, i.negated]),
      [
        ['process.name', 'a.exe', false],
        ['destination.port', '443', false],
        ['file.name', 'x', true],
        ['event.type', 'end', true],
      ],
    );
  });

  it('header variants', () => {
    assert.equal(ok('sequence [a where x == 1] [b where y == 2]').stages[0]!.text, 'sequence');
    assert.equal(ok('sequence with maxspan = 30s [a where true] [b where true]').stages[0]!.text, 'sequence with maxspan = 30s');
    assert.equal(ok('sequence by a [a where true] [b where true]').stages[0]!.text, 'sequence by a');
  });

  it('one step with runs=N counts as N queries', () => {
    const r = ok('sequence by host.id with maxspan=1m [authentication where event.outcome == "failure"] with runs=10');
    assert.deepEqual(
      r.stages.map((s) => s.kind),
      ['sequence', 'step'],
    );
  });

  it('needs at least two queries', () => {
    const d = error('sequence by a\n  [process where true]');
    assert.equal(d.message, 'a sequence needs at least 2 queries, found 1');
    assert.equal(d.line, 1);
    assert.equal(d.column, 1);
  });

  it('rejects `by` after `with maxspan`', () => {
    const d = error('sequence with maxspan=1m by a [x where true] [y where true]');
    assert.equal(d.message, 'put the sequence `by` keys before `with maxspan`, not after');
    assert.equal(d.column, 26);
  });
});

describe('eql: sample and join', () => {
  it('sample gives a header and steps', () => {
    const r = ok('sample by host.id, process.pid\n  [process where a == 1]\n  [network where b == 2] by x');
    assert.deepEqual(
      r.stages.map((s) => [s.kind, s.text]),
      [
        ['sample', 'sample by host.id, process.pid'],
        ['step', '[process where a == 1]'],
        ['step', '[network where b == 2] by x'],
      ],
    );
    assert.deepEqual(r.sources, ['process', 'network']);
  });

  it('join parses like a sequence without maxspan', () => {
    const r = ok('join by user.name [process where true] [network where true] until [file where true]');
    assert.deepEqual(
      r.stages.map((s) => s.kind),
      ['join', 'step', 'step', 'until'],
    );
  });
});

describe('eql: pipes', () => {
  it('head and tail', () => {
    const r = ok('process where true | head 10 | tail 5');
    assert.deepEqual(
      r.stages.map((s) => [s.kind, s.text]),
      [
        ['where', 'process where true'],
        ['head', '| head 10'],
        ['tail', '| tail 5'],
      ],
    );
    assert.deepEqual(r.diagnostics, []);
  });

  it('filter carries its condition', () => {
    const r = ok('process where true | filter process.name : "x"');
    assert.deepEqual(r.stages[1], {
      kind: 'filter',
      text: '| filter process.name : "x"',
      condition: node(p('process.name', 'eq', ['x'], false, false, ':', 'process.name : "x"')),
    });
  });

  it('unique, unique_count, sort, count; count defines output fields', () => {
    const r = ok('sequence [a where true] [b where true] | unique a.b, c | unique_count d | sort e | count user.name, host.name');
    assert.deepEqual(
      r.stages.slice(3).map((s) => [s.kind, s.text]),
      [
        ['unique', '| unique a.b, c'],
        ['unique_count', '| unique_count d'],
        ['sort', '| sort e'],
        ['count', '| count user.name, host.name'],
      ],
    );
    assert.deepEqual(r.outputFields, [
      { field: 'user.name', source: 'count' },
      { field: 'host.name', source: 'count' },
    ]);
    assert.deepEqual(ok('process where true | count').outputFields, []);
  });

  it('unknown pipes parse with a warning', () => {
    const r = ok('process where true\n| frobnicate 3');
    assert.equal(r.stages[1]!.kind, 'frobnicate');
    assert.deepEqual(r.diagnostics, [{ message: 'unknown pipe `frobnicate`', line: 2, column: 1, severity: 'warning', scope: 'query' }]);
  });

  it('a `|` inside a string is not a pipe', () => {
    assert.equal(ok('process where a : "x | head 3"').stages.length, 1);
  });
});

describe('eql: lookups', () => {
  it('descendant of [...] is other, and its category is a source', () => {
    const r = ok('process where a == 1 and not descendant of [process where process.name : "cmd.exe"] and child of [file where true]');
    assert.deepEqual(r.stages[0]!.condition, {
      kind: 'and',
      children: [
        node(p('a', 'eq', [1], false, true, '==', 'a == 1')),
        { kind: 'not', child: { kind: 'other', text: 'descendant of [process where process.name : "cmd.exe"]' } },
        { kind: 'other', text: 'child of [file where true]' },
      ],
    });
    assert.deepEqual(r.stages[0]!.sources, ['process', 'file']);
    assert.deepEqual(r.sources, ['process', 'file']);
  });
});

describe('eql: errors', () => {
  it('reports line and column of a syntax error', () => {
    const d = error('process where a == 1 and\n  b == ');
    assert.equal(d.message, 'expected expression but found end of query');
    assert.equal(d.line, 2);
    assert.equal(d.column, 8);
  });

  it('names what was found and what was expected', () => {
    const d = error('process where a == 1\n  b == 2');
    assert.equal(d.message, 'expected operator, "and", "or", "|" or end of query but found "b"');
    assert.deepEqual([d.line, d.column], [2, 3]);
    const d2 = error('process where a in ("x" "y")');
    assert.equal(d2.message, 'expected operator, "and", "or", "," or ")" but found "\\""');
    assert.deepEqual([d2.line, d2.column], [1, 25]);
  });

  it('missing category or where', () => {
    assert.equal(error('[process where true]').message, 'expected "sequence", "sample", "join" or event category but found "["');
    assert.equal(error('process a == 1').message, 'expected "where" but found "a"');
  });

  it('keywords are not field names', () => {
    const d = error('process where and == 1');
    assert.equal(d.message, 'expected expression but found "and"');
    assert.equal(d.column, 15);
  });

  it('bad strings', () => {
    const d = error('process where f == "a\\d"');
    assert.equal(d.message, 'invalid escape sequence \\d in string (write \\\\ for a backslash)');
    assert.equal(d.column, 22);
    const d2 = error('process where f == "ab\ncd"');
    assert.match(d2.message, /cannot span lines/);
    assert.deepEqual([d2.line, d2.column], [1, 23]);
    assert.equal(error('process where f == "abc').line, 1);
  });

  it('unterminated block comment and bracket', () => {
    const c = error('process where true\n  /* open /* nested */ still open');
    assert.equal(c.message, 'unterminated /* comment');
    assert.deepEqual([c.line, c.column], [2, 3]);
    const d = error('sequence [process where true]\n [file where x == 1');
    assert.deepEqual([d.line, d.column], [2, 20]);
    assert.equal(d.message, 'expected operator, "and", "or" or "]" but found end of query');
  });

  it('chained comparisons and misplaced not', () => {
    assert.equal(error('process where a == b == c').message, 'comparisons cannot be chained; use parentheses');
    assert.equal(error('process where a == not b').message, '`not` cannot follow an arithmetic or comparison operator; use parentheses');
  });

  it('empty and comment-only queries', () => {
    assert.deepEqual(error('').message, 'empty query');
    assert.deepEqual(error('  \n ').message, 'empty query');
    assert.deepEqual(error('// nothing here\n/* at all */').message, 'empty query');
  });

  it('too deep nesting is reported, not thrown', () => {
    assert.equal(
      error('process where ' + '('.repeat(50000) + 'a == 1' + ')'.repeat(50000)).message,
      'query is nested too deeply to analyse',
    );
  });

  it('never throws', () => {
    const inputs = [
      '(',
      ')',
      '|',
      '[',
      '"',
      '"""',
      '`',
      '?',
      '!',
      'process where (((((',
      'sequence',
      'process where a ==== 1',
      '\u0000',
      'process where ' + '('.repeat(20000),
    ];
    for (const input of inputs) {
      const r = eql.analyse(input, testContext);
      assert.equal(r.parsed, false, input);
      assert.equal(r.diagnostics[0]!.severity, 'error');
    }
  });
});
