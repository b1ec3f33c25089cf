import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventsOf } from '../../analysis/events.js';
import { indicatorsOf } from '../../analysis/indicators.js';
import { predicatesOf } from '../../model/predicates.js';
import type { Predicate, PredicateNode, QueryAnalysis } from '../../model/types.js';
import { providers } from '../../providers/registry.js';
import { conditionText, testContext, stageOfKind } from '../test-support.js';
import { kql } from './index.js';

const analyse = (query: string): QueryAnalysis => kql.analyse(query, testContext);

/** kind@depth of every stage, for compact assertions on pipeline shape. */
function shape(result: QueryAnalysis): string[] {
  return result.stages.map((s) => `${s.kind}@${s.depth}`);
}

const stage = stageOfKind;

/** The condition of the only where stage of `T | where <condition>`. */
function condition(expr: string, lets = ''): PredicateNode {
  const result = analyse(`${lets}T | where ${expr}`);
  assert.equal(result.parsed, true, JSON.stringify(result.diagnostics));
  const where = stage(result, 'where');
  assert.ok(where.condition, 'where stage has no condition');
  return where.condition;
}

/** The single predicate of `T | where <expr>`, without its text. */
function pred(expr: string, lets = ''): Omit<Predicate, 'text'> {
  const node = condition(expr, lets);
  assert.equal(node.kind, 'pred', `expected a predicate, got ${JSON.stringify(node)}`);
  const { text: _text, ...rest } = node.predicate;
  return rest;
}

function p(
  field: string,
  op: Predicate['op'],
  values: Predicate['values'],
  nativeOp: string,
  negated = false,
  caseSensitive = false,
): Omit<Predicate, 'text'> {
  return { field, op, values, negated, caseSensitive, nativeOp };
}

const OKTA = `OktaSSO
| where eventType_s == "user.session.impersonation.initiate" and outcome_result_s == "SUCCESS"
// Expand the JSON array
| mv-expand parsed_json = todynamic(target_s) // Unpack
| extend TargetUser_id = tostring(parsed_json.id),
TargetUser_type = tostring(parsed_json.type),
TargetUser_alternateId = tostring(parsed_json.alternateId),
TargetUser_displayName = tostring(parsed_json.displayName),
Target_detailEntry = tostring(parsed_json.detailEntry)
| project TimeGenerated, actor_alternateId_s, actor_displayName_s, TargetUser_alternateId,
TargetUser_displayName, TargetUser_type, TargetUser_id,
eventType_s, outcome_result_s`;

describe('kql language', () => {
  it('is registered as kql / Kusto (KQL)', () => {
    assert.equal(kql.id, 'kql');
    assert.equal(kql.name, 'Kusto (KQL)');
  });

  describe('Okta impersonation query', () => {
    const result = analyse(OKTA);

    it('parses without diagnostics', () => {
      assert.equal(result.parsed, true);
      assert.deepEqual(result.diagnostics, []);
    });

    it('lists the stages with their exact text, trailing comments excluded', () => {
      assert.deepEqual(shape(result), ['source@0', 'where@0', 'mv-expand@0', 'extend@0', 'project@0']);
      assert.equal(result.stages[0]!.text, 'OktaSSO');
      assert.deepEqual(result.stages[0]!.sources, ['OktaSSO']);
      assert.equal(
        result.stages[1]!.text,
        '| where eventType_s == "user.session.impersonation.initiate" and outcome_result_s == "SUCCESS"',
      );
      assert.equal(result.stages[2]!.text, '| mv-expand parsed_json = todynamic(target_s)');
      assert.ok(result.stages[3]!.text.startsWith('| extend TargetUser_id = tostring(parsed_json.id),\nTargetUser_type'));
      assert.ok(result.stages[3]!.text.endsWith('Target_detailEntry = tostring(parsed_json.detailEntry)'));
      assert.ok(result.stages[4]!.text.endsWith('eventType_s, outcome_result_s'));
    });

    it('reads the where condition as two equality predicates', () => {
      assert.deepEqual(stage(result, 'where').condition, {
        kind: 'and',
        children: [
          {
            kind: 'pred',
            predicate: {
              field: 'eventType_s',
              op: 'eq',
              values: ['user.session.impersonation.initiate'],
              negated: false,
              caseSensitive: true,
              nativeOp: '==',
              text: 'eventType_s == "user.session.impersonation.initiate"',
            },
          },
          {
            kind: 'pred',
            predicate: {
              field: 'outcome_result_s',
              op: 'eq',
              values: ['SUCCESS'],
              negated: false,
              caseSensitive: true,
              nativeOp: '==',
              text: 'outcome_result_s == "SUCCESS"',
            },
          },
        ],
      });
    });

    it('outputs the nine projected fields', () => {
      assert.deepEqual(
        result.outputFields,
        [
          'TimeGenerated',
          'actor_alternateId_s',
          'actor_displayName_s',
          'TargetUser_alternateId',
          'TargetUser_displayName',
          'TargetUser_type',
          'TargetUser_id',
          'eventType_s',
          'outcome_result_s',
        ].map((field) => ({ field, source: 'project' })),
      );
      assert.deepEqual(result.sources, ['OktaSSO']);
    });
  });

  describe('comparison operators', () => {
    const cases: [string, Omit<Predicate, 'text'>][] = [
      ['a == "x"', p('a', 'eq', ['x'], '==', false, true)],
      ['a != "x"', p('a', 'eq', ['x'], '!=', true, true)],
      ['a <> "x"', p('a', 'eq', ['x'], '<>', true, true)],
      ['a =~ "x"', p('a', 'eq', ['x'], '=~', false, false)],
      ['a !~ "x"', p('a', 'eq', ['x'], '!~', true, false)],
      ['a in ("x", "y")', p('a', 'in', ['x', 'y'], 'in', false, true)],
      ['a in~ ("x", "y")', p('a', 'in', ['x', 'y'], 'in~', false, false)],
      ['a !in ("x")', p('a', 'in', ['x'], '!in', true, true)],
      ['a !in~ ("x")', p('a', 'in', ['x'], '!in~', true, false)],
      ['a has "x"', p('a', 'has', ['x'], 'has', false, false)],
      ['a !has "x"', p('a', 'has', ['x'], '!has', true, false)],
      ['a has_cs "x"', p('a', 'has', ['x'], 'has_cs', false, true)],
      ['a !has_cs "x"', p('a', 'has', ['x'], '!has_cs', true, true)],
      ['a has_any ("x", "y")', p('a', 'has_any', ['x', 'y'], 'has_any')],
      ['a has_all ("x", "y")', p('a', 'has_all', ['x', 'y'], 'has_all')],
      ['a hasprefix "x"', p('a', 'hasprefix', ['x'], 'hasprefix')],
      ['a !hasprefix_cs "x"', p('a', 'hasprefix', ['x'], '!hasprefix_cs', true, true)],
      ['a hassuffix "x"', p('a', 'hassuffix', ['x'], 'hassuffix')],
      ['a hassuffix_cs "x"', p('a', 'hassuffix', ['x'], 'hassuffix_cs', false, true)],
      ['a contains "x"', p('a', 'contains', ['x'], 'contains')],
      ['a !contains "x"', p('a', 'contains', ['x'], '!contains', true)],
      ['a contains_cs "x"', p('a', 'contains', ['x'], 'contains_cs', false, true)],
      ['a !contains_cs "x"', p('a', 'contains', ['x'], '!contains_cs', true, true)],
      ['a startswith "x"', p('a', 'startswith', ['x'], 'startswith')],
      ['a !startswith_cs "x"', p('a', 'startswith', ['x'], '!startswith_cs', true, true)],
      ['a endswith "x"', p('a', 'endswith', ['x'], 'endswith')],
      ['a !endswith "x"', p('a', 'endswith', ['x'], '!endswith', true)],
      ['a endswith_cs "x"', p('a', 'endswith', ['x'], 'endswith_cs', false, true)],
      ['a matches regex "^x.*"', p('a', 'regex', ['^x.*'], 'matches regex', false, true)],
      ['a like "x%"', p('a', 'wildcard', ['x%'], 'like')],
      ['a between (1 .. 5)', p('a', 'range', [1, 5], 'between')],
      ['a !between (1 .. 5)', p('a', 'range', [1, 5], '!between', true)],
      ['a < 5', p('a', 'lt', [5], '<')],
      ['a <= 5', p('a', 'lte', [5], '<=')],
      ['a > 5', p('a', 'gt', [5], '>')],
      ['a >= 5', p('a', 'gte', [5], '>=')],
      ['isnotempty(a)', p('a', 'exists', [], 'isnotempty')],
      ['isnotnull(a)', p('a', 'exists', [], 'isnotnull')],
      ['isempty(a)', p('a', 'exists', [], 'isempty', true)],
      ['isnull(a)', p('a', 'exists', [], 'isnull', true)],
      ['ipv4_is_in_range(ip, "10.0.0.0/8")', p('ip', 'cidr', ['10.0.0.0/8'], 'ipv4_is_in_range')],
      [
        'ipv4_is_in_any_range(ip, dynamic(["10.0.0.0/8", "192.168.0.0/16"]))',
        p('ip', 'cidr', ['10.0.0.0/8', '192.168.0.0/16'], 'ipv4_is_in_any_range'),
      ],
    ];
    for (const [expr, expected] of cases) {
      it(expr, () => assert.deepEqual(pred(expr), expected));
    }

    it('keeps the exact text of the comparison', () => {
      const node = condition('Account  =~   "admin"');
      assert.equal(node.kind === 'pred' && node.predicate.text, 'Account  =~   "admin"');
    });

    it('reads a literal on the left as the same comparison from the column side', () => {
      assert.deepEqual(pred('5 < a'), p('a', 'gt', [5], '<'));
      assert.deepEqual(pred('"x" == a'), p('a', 'eq', ['x'], '==', false, true));
    });

    it('makes a column on the right a fieldref', () => {
      assert.deepEqual(pred('a == b'), p('a', 'fieldref', ['b'], '==', false, true));
      assert.deepEqual(pred('a has b.c'), p('a', 'fieldref', ['b.c'], 'has'));
    });

    it('keeps unresolvable conditions as text', () => {
      assert.deepEqual(condition('TimeGenerated > ago(1d)'), { kind: 'other', text: 'TimeGenerated > ago(1d)' });
      assert.deepEqual(condition('a in (strcat("x", "y"))'), { kind: 'other', text: 'a in (strcat("x", "y"))' });
      assert.deepEqual(condition('ipv4_is_private(ip)'), { kind: 'other', text: 'ipv4_is_private(ip)' });
      assert.deepEqual(condition('constructor(a)'), { kind: 'other', text: 'constructor(a)' });
    });
  });

  describe('fields', () => {
    it('unwraps conversion functions and normalises paths', () => {
      assert.equal(pred('tostring(x.y) == "a"').field, 'x.y');
      assert.equal(pred('toint(Count) > 1').field, 'Count');
      assert.equal(pred('x["y"] == "a"').field, 'x.y');
      assert.equal(pred("x.['y z'] == 'a'").field, 'x.y z');
      assert.equal(pred("['a b'] == 1").field, 'a b');
      assert.equal(pred('arr[0] == 1').field, 'arr[0]');
      assert.equal(pred('column_ifexists("FileName", "") == "a.exe"').field, 'FileName');
    });

    it('treats tolower()/toupper() as a case-insensitive comparison of the column', () => {
      assert.deepEqual(pred('tolower(Cmd) == "x"'), p('Cmd', 'eq', ['x'], '==', false, false));
    });

    it('keeps a computed left side as written', () => {
      assert.deepEqual(pred('strlen(Cmd) > 100'), p('strlen(Cmd)', 'gt', [100], '>'));
    });

    it('searches every column with *', () => {
      assert.deepEqual(pred('* has "x"'), p('*', 'has', ['x'], 'has'));
    });
  });

  describe('literal values', () => {
    it('reads every string literal form', () => {
      assert.deepEqual(pred("a == 'single'").values, ['single']);
      assert.deepEqual(pred('a == @"C:\\Windows"').values, ['C:\\Windows']);
      assert.deepEqual(pred("a == @'C:\\x'").values, ['C:\\x']);
      assert.deepEqual(pred('a == h"hidden"').values, ['hidden']);
      assert.deepEqual(pred('a == "esc\\"aped"').values, ['esc"aped']);
      assert.deepEqual(pred('a == ```multi\nline```').values, ['multi\nline']);
      assert.deepEqual(pred('a == "con" "cat"').values, ['concat']);
    });

    it('reads numbers, booleans, null, datetimes and timespans', () => {
      assert.deepEqual(pred('a == 0x10').values, [16]);
      assert.deepEqual(pred('a == 1.5').values, [1.5]);
      assert.deepEqual(pred('a == -5').values, [-5]);
      assert.deepEqual(pred('a == long(7)').values, [7]);
      assert.deepEqual(pred('a == true').values, [true]);
      assert.deepEqual(pred('a == false').values, [false]);
      assert.deepEqual(pred('a == int(null)').values, [null]);
      assert.deepEqual(pred('a > datetime(2024-01-01)').values, ['datetime(2024-01-01)']);
      assert.deepEqual(pred('a > 1h').values, ['1h']);
      assert.deepEqual(pred('a between (datetime(2024-01-01) .. 2d)').values, ['datetime(2024-01-01)', '2d']);
    });

    it('spreads dynamic arrays and pack_array in lists', () => {
      assert.deepEqual(pred('a in (dynamic(["x", "y"]))').values, ['x', 'y']);
      assert.deepEqual(pred('a has_any (dynamic(["x"]), "z")').values, ['x', 'z']);
      assert.deepEqual(pred('a in (pack_array(1, 2))').values, [1, 2]);
    });
  });

  describe('let bindings', () => {
    it('resolves scalar, list and datatable lets on the right-hand side', () => {
      assert.deepEqual(pred('Op in (ops)', 'let ops = dynamic(["a","b"]);\n'), p('Op', 'in', ['a', 'b'], 'in', false, true));
      assert.deepEqual(pred('Op has_any (ops)', 'let ops = dynamic(["a","b"]);\n').values, ['a', 'b']);
      assert.deepEqual(pred('Op =~ s', "let s = 'x';\n"), p('Op', 'eq', ['x'], '=~'));
      assert.deepEqual(pred('n > limit_', 'let limit_ = 10;\n'), p('n', 'gt', [10], '>'));
      assert.deepEqual(pred('Op in~ (t)', 'let t = datatable(x:string)["p", "q"];\n').values, ['p', 'q']);
      assert.deepEqual(pred('Op == b', 'let a = "v";\nlet b = a;\n').values, ['v']);
      assert.deepEqual(pred('tolower(Op) == tolower(s)', 'let s = "MiXed";\n').values, ['mixed']);
    });

    it('keeps lets it cannot evaluate as text, and never reads them as columns', () => {
      const lets = 'let start = ago(1d);\nlet bad = SecurityEvent | distinct Account;\n';
      assert.deepEqual(condition('TimeGenerated > start', lets), { kind: 'other', text: 'TimeGenerated > start' });
      assert.deepEqual(condition('Account in (bad)', lets), { kind: 'other', text: 'Account in (bad)' });
      assert.deepEqual(condition('isempty(start)', lets), { kind: 'other', text: 'isempty(start)' });
    });

    it('lists let statements with their bodies one level deeper', () => {
      const result = analyse('let base = SecurityEvent | where EventID == 4624;\nlet n = 5;\nbase | project Account');
      assert.deepEqual(shape(result), ['let@0', 'source@1', 'where@1', 'let@0', 'source@0', 'project@0']);
      assert.equal(result.stages[0]!.text, 'let base = SecurityEvent | where EventID == 4624');
      assert.equal(result.stages[3]!.text, 'let n = 5');
      assert.equal(result.stages[4]!.text, 'base');
      assert.deepEqual(result.stages[4]!.sources, ['SecurityEvent']);
      assert.deepEqual(result.sources, ['SecurityEvent']);
    });

    it('passes output columns through a let-bound table', () => {
      const result = analyse('let base = SecurityEvent | project Account, Computer;\nbase | where Account has "x"');
      assert.deepEqual(result.outputFields, [
        { field: 'Account', source: 'project' },
        { field: 'Computer', source: 'project' },
      ]);
    });

    it('resolves tables passed to let functions', () => {
      const result = analyse(
        'let f = (tableName:string) { table(tableName) | where ResultType == 0 };\n' +
          'let g = (T:(*)) { T | take 1 };\n' +
          'union f("SigninLogs"), f("AADNonInteractiveUserSignInLogs"), g(AuditLogs)',
      );
      assert.equal(result.parsed, true);
      assert.deepEqual(result.sources, ['SigninLogs', 'AADNonInteractiveUserSignInLogs', 'AuditLogs']);
      assert.deepEqual(shape(result), [
        'let@0',
        'source@1',
        'where@1',
        'let@0',
        'source@1',
        'take@1',
        'union@0',
        'source@1',
        'source@1',
        'source@1',
      ]);
    });

    it('resolves materialize() and let-of-let names to their tables', () => {
      const result = analyse('let m = materialize(Syslog | where Facility == "auth");\nlet m2 = m;\nm2 | count');
      assert.deepEqual(shape(result), ['let@0', 'source@1', 'where@1', 'let@0', 'source@1', 'source@0', 'count@0']);
      assert.deepEqual(result.sources, ['Syslog']);
      assert.deepEqual(result.outputFields, [{ field: 'Count', source: 'count' }]);
    });
  });

  describe('boolean structure', () => {
    it('keeps and/or nesting and not()', () => {
      const node = condition('not(a == 1 or b has "x") and (c == 2 or d == 3)');
      const leaf = (
        field: string,
        op: Predicate['op'],
        value: string | number,
        nativeOp: string,
        text: string,
        caseSensitive: boolean,
      ): PredicateNode => ({
        kind: 'pred',
        predicate: { field, op, values: [value], negated: false, caseSensitive, nativeOp, text },
      });
      assert.deepEqual(node, {
        kind: 'and',
        children: [
          {
            kind: 'not',
            child: { kind: 'or', children: [leaf('a', 'eq', 1, '==', 'a == 1', true), leaf('b', 'has', 'x', 'has', 'b has "x"', false)] },
          },
          { kind: 'or', children: [leaf('c', 'eq', 2, '==', 'c == 2', true), leaf('d', 'eq', 3, '==', 'd == 3', true)] },
        ],
      });
    });

    it('flattens chains of the same connective', () => {
      const node = condition('a == 1 and b == 2 and (c == 3 and d == 4)');
      assert.equal(node.kind, 'and');
      assert.deepEqual(
        predicatesOf(node).map((x) => x.field),
        ['a', 'b', 'c', 'd'],
      );
      assert.equal(node.kind === 'and' && node.children.length, 4);
    });

    it('reads not(isempty(x)) as a negated negative existence test', () => {
      assert.deepEqual(condition('not(isempty(x))'), {
        kind: 'not',
        child: {
          kind: 'pred',
          predicate: { field: 'x', op: 'exists', values: [], negated: true, caseSensitive: false, nativeOp: 'isempty', text: 'isempty(x)' },
        },
      });
    });
  });

  describe('stages', () => {
    it('names every operator by its keyword, aliases normalised', () => {
      const result = analyse(`T
| where a == 1
| filter b == 2
| extend c = 1
| project a, b, c
| project-away c
| project-rename d = a
| project-reorder b
| project-keep b, d
| summarize n = count() by b
| mv-expand m = pack_array(1, 2)
| mvexpand m
| parse b with * "x=" y:string
| top 3 by n desc
| sort by n asc
| order by n desc
| distinct b, n
| make-series s = count() on Ts step 1h by b
| evaluate bag_unpack(b)
| invoke F()
| as R
| take 5
| limit 5
| serialize
| render timechart
| count`);
      assert.equal(result.parsed, true, JSON.stringify(result.diagnostics));
      assert.deepEqual(
        result.stages.map((s) => s.kind),
        [
          'source',
          'where',
          'where',
          'extend',
          'project',
          'project-away',
          'project-rename',
          'project-reorder',
          'project-keep',
          'summarize',
          'mv-expand',
          'mv-expand',
          'parse',
          'top',
          'sort',
          'sort',
          'distinct',
          'make-series',
          'evaluate',
          'invoke',
          'as',
          'take',
          'take',
          'serialize',
          'render',
          'count',
        ],
      );
      assert.equal(stage(result, 'where', 1).text, '| filter b == 2');
      assert.equal(stage(result, 'sort', 1).text, '| order by n desc');
      assert.ok(result.stages.every((s) => s.depth === 0));
    });

    it('keeps comments inside a stage and drops those around it', () => {
      const result = analyse('T // first\n| where a == 1 // why\n  and b == 2 // trailing\n// between\n| take 1');
      assert.deepEqual(
        result.stages.map((s) => s.text),
        ['T', '| where a == 1 // why\n  and b == 2', '| take 1'],
      );
    });

    it('lists join and lookup right sides one level deeper, in source order', () => {
      const result = analyse(
        'SigninLogs\n| join kind=inner (AuditLogs | where OperationName == "x") on $left.UserId == $right.Actor, CorrelationId\n| lookup Watch on Ip\n| where ResultType == 0',
      );
      assert.deepEqual(shape(result), ['source@0', 'join@0', 'source@1', 'where@1', 'lookup@0', 'source@1', 'where@0']);
      assert.deepEqual(stage(result, 'join').condition, {
        kind: 'and',
        children: [
          {
            kind: 'pred',
            predicate: {
              field: 'UserId',
              op: 'fieldref',
              values: ['Actor'],
              negated: false,
              caseSensitive: true,
              nativeOp: '==',
              text: '$left.UserId == $right.Actor',
            },
          },
          {
            kind: 'pred',
            predicate: {
              field: 'CorrelationId',
              op: 'fieldref',
              values: ['CorrelationId'],
              negated: false,
              caseSensitive: true,
              nativeOp: 'on',
              text: 'CorrelationId',
            },
          },
        ],
      });
      assert.deepEqual(result.sources, ['SigninLogs', 'AuditLogs', 'Watch']);
    });

    it('lists union legs, leading or piped, one level deeper', () => {
      const result = analyse('union isfuzzy=true SecurityEvent, (Syslog | where Facility == "auth")\n| union WindowsEvent\n| take 1');
      assert.deepEqual(shape(result), ['union@0', 'source@1', 'source@1', 'where@1', 'union@0', 'source@1', 'take@0']);
      assert.equal(result.stages[0]!.text, 'union isfuzzy=true SecurityEvent, (Syslog | where Facility == "auth")');
      assert.equal(result.stages[4]!.text, '| union WindowsEvent');
      assert.deepEqual(result.sources, ['SecurityEvent', 'Syslog', 'WindowsEvent']);
    });

    it('finds subqueries inside conditions (toscalar, in) and nests them deeper', () => {
      const result = analyse('T\n| where a > toscalar(U | summarize max(b))\n| join (V | where x in ((W | project y))) on k');
      assert.deepEqual(shape(result), [
        'source@0',
        'where@0',
        'source@1',
        'summarize@1',
        'join@0',
        'source@1',
        'where@1',
        'source@2',
        'project@2',
      ]);
      assert.deepEqual(result.sources, ['T', 'U', 'V', 'W']);
    });

    it('lists mv-apply and partition subqueries', () => {
      const result = analyse('T\n| mv-apply e = arr to typeof(string) on (where e has "x" | take 1)\n| partition by k (top 3 by y)');
      assert.deepEqual(shape(result), ['source@0', 'mv-apply@0', 'where@1', 'take@1', 'partition@0', 'top@1']);
      assert.equal(result.stages[2]!.text, 'where e has "x"');
    });

    it('reads search terms and tables', () => {
      const result = analyse('search in (SecurityEvent, Syslog) "mimikatz" and Account:"admin"');
      assert.deepEqual(shape(result), ['search@0']);
      assert.deepEqual(result.sources, ['SecurityEvent', 'Syslog']);
      assert.deepEqual(
        predicatesOf(result.stages[0]!.condition).map((x) => [x.field, x.op, x.values, x.nativeOp]),
        [
          ['*', 'has', ['mimikatz'], 'search'],
          ['Account', 'has', ['admin'], ':'],
        ],
      );
    });

    it('resolves function, table() and database() sources', () => {
      const result = analyse('_Im_Authentication(starttime=ago(1d))\n| union imDns, table("Heartbeat"), database("db").Perf');
      assert.deepEqual(result.sources, ['_Im_Authentication', 'imDns', 'Heartbeat', 'Perf']);
    });

    it('lists datatable and externaldata sources without table names', () => {
      const result = analyse('datatable(a:string)["x"] | union (externaldata(u:string)[@"https://example.com/x.csv"] with (format="csv"))');
      assert.deepEqual(shape(result), ['datatable@0', 'union@0', 'externaldata@1']);
      assert.deepEqual(result.sources, []);
    });
  });

  describe('exclusions outside expressions', () => {
    /** `field=value` of every indicator, `!` before the excluded ones. */
    function polarity(query: string): string[] {
      const result = analyse(query);
      assert.equal(result.parsed, true, JSON.stringify(result.diagnostics));
      return indicatorsOf(result.stages).map((i) => `${i.negated ? '!' : ''}${i.field}=${i.value}`);
    }

    it('reads the right side of an anti join as an exclusion, and that of semi and inner joins as a detection', () => {
      for (const kind of ['leftanti', 'anti', 'leftantisemi']) {
        assert.deepEqual(polarity(`T | where A == "a" | join kind=${kind} (U | where B == "b") on K`), ['A=a', '!B=b'], kind);
      }
      for (const kind of ['leftsemi', 'inner', 'leftouter']) {
        assert.deepEqual(polarity(`T | where A == "a" | join kind=${kind} (U | where B == "b") on K`), ['A=a', 'B=b'], kind);
      }
    });

    it('reads the left side of a rightanti join as the exclusion, and what follows the join as a detection', () => {
      assert.deepEqual(polarity('T | where A == "a" | join kind=rightanti (U | where B == "b") on K | where C == "c"'), [
        '!A=a',
        'B=b',
        'C=c',
      ]);
      // Only the pipeline the join belongs to: the outer query around a subquery keeps its polarity.
      assert.deepEqual(polarity('T | where A == "a" | join (V | where D == "d" | join kind=rightanti (U) on K) on K'), ['A=a', '!D=d']);
    });

    it('reads the subquery of !in, !in~ and not(in) as an exclusion, and that of in as a detection', () => {
      assert.deepEqual(polarity('T | where X !in ((U | where B == "b" | project X))'), ['!B=b']);
      assert.deepEqual(polarity('T | where X !in~ (U | where B == "b" | project X)'), ['!B=b']);
      assert.deepEqual(polarity('T | where not(X in ((U | where B == "b" | project X)))'), ['!B=b']);
      assert.deepEqual(polarity('T | where X in ((U | where B == "b" | project X))'), ['B=b']);
      // An exclusion inside an exclusion keeps rows again.
      assert.deepEqual(polarity('T | where X !in ((U | where Y !in ((V | where C == "c" | project Y)) | project X))'), ['C=c']);
    });

    it('reads a let table used only to exclude as an exclusion, and one used positively anywhere as a detection', () => {
      const lets = 'let Ex = U | where B == "b" | project X;\n';
      assert.deepEqual(polarity(`${lets}T | where X !in (Ex)`), ['!B=b']);
      assert.deepEqual(polarity(`${lets}T | join kind=leftanti Ex on X`), ['!B=b']);
      assert.deepEqual(polarity(`${lets}T | where X in (Ex)`), ['B=b']);
      assert.deepEqual(polarity(`${lets}T | where X !in (Ex) | join kind=inner (Ex) on X`), ['B=b']);
      // Through another let: Ex feeds Mid, which is only excluded.
      assert.deepEqual(polarity(`${lets}let Mid = V | where X in (Ex);\nT | join kind=leftanti (Mid) on X`), ['!B=b']);
      // The left side of rightanti, named by a let.
      assert.deepEqual(polarity(`${lets}Ex | join kind=rightanti (V | where C == "c") on X`), ['!B=b', 'C=c']);
    });

    it('keeps the stage texts and counts no event of the excluded side as watched', () => {
      const query =
        'AWSCloudTrail | where EventName == "ConsoleLogin"\n| join kind=leftanti (AWSCloudTrail | where EventName == "CreateUser") on UserIdentityArn';
      const result = analyse(query);
      assert.deepEqual(
        result.stages.map((s) => s.text),
        [
          'AWSCloudTrail',
          '| where EventName == "ConsoleLogin"',
          query.slice(query.indexOf('| join')),
          'AWSCloudTrail',
          '| where EventName == "CreateUser"',
        ],
      );
      assert.deepEqual(eventsOf(result.stages, result.sources, 'azure-monitor', providers), [
        { provider: 'aws-cloudtrail', event: 'ConsoleLogin' },
      ]);
    });
  });

  describe('output fields', () => {
    const outputs = (query: string): string[] => analyse(query).outputFields.map((f) => `${f.field}:${f.source}`);

    it('names summarize columns as Kusto does, group-by columns first', () => {
      assert.deepEqual(
        outputs(
          'T | summarize count(), c = dcount(x), make_set(y), make_list(z), arg_max(TimeGenerated, Account), percentiles(Duration, 50, 99.5), take_any(w), countif(q > 1) by bin(Start, 1h), Computer',
        ),
        [
          'Start:summarize',
          'Computer:summarize',
          'count_:summarize',
          'c:summarize',
          'set_y:summarize',
          'list_z:summarize',
          'TimeGenerated:summarize',
          'Account:summarize',
          'percentile_Duration_50:summarize',
          'percentile_Duration_99_5:summarize',
          'w:summarize',
          'countif_:summarize',
        ],
      );
    });

    it('tracks extend, project-away, project-rename and project', () => {
      assert.deepEqual(outputs('T | extend a = 1, tostring(p.q), Column1 = 2, x * 2'), [
        'a:extend',
        'p_q:extend',
        'Column1:extend',
        'Column2:extend',
      ]);
      assert.deepEqual(outputs('T | extend a = 1, b = 2, tmp = 3 | project-away tmp | project-rename c = a'), [
        'c:project-rename',
        'b:extend',
      ]);
      assert.deepEqual(outputs('T | extend a = 1 | project a, b, renamed = c'), ['a:project', 'b:project', 'renamed:project']);
      assert.deepEqual(outputs('T | project a, b, cc | project-away c*'), ['a:project', 'b:project']);
      assert.deepEqual(outputs('T | project a, b | where a == 1 | sort by b | take 3'), ['a:project', 'b:project']);
      assert.deepEqual(outputs('T | extend (a, b) = f(x)'), ['a:extend', 'b:extend']);
      assert.deepEqual(outputs('T | project a, b, c | project-keep a, c*, d'), ['a:project', 'c:project', 'd:project-keep']);
      assert.deepEqual(outputs('T | project a, b, c | project-reorder c, z'), ['c:project', 'z:project-reorder', 'a:project', 'b:project']);
    });

    it('adds mv-expand, parse and parse-kv columns', () => {
      assert.deepEqual(outputs('T | mv-expand with_itemindex=i e = arr, other'), ['e:mv-expand', 'i:mv-expand']);
      assert.deepEqual(outputs('T | parse msg with * "user=" User:string " ip=" Ip'), ['User:parse', 'Ip:parse']);
      assert.deepEqual(outputs('T | parse-kv msg as (k1:string, k2:long) with (pair_delimiter=",")'), ['k1:parse-kv', 'k2:parse-kv']);
    });

    it('replaces columns on distinct, count and make-series', () => {
      assert.deepEqual(outputs('T | extend a = 1 | distinct a, b'), ['a:distinct', 'b:distinct']);
      assert.deepEqual(outputs('T | project a | count'), ['Count:count']);
      assert.deepEqual(outputs('T | make-series n = count() default = 0 on Ts step 1h by Host'), [
        'Host:make-series',
        'n:make-series',
        'Ts:make-series',
      ]);
    });

    it('combines join, lookup and union sides', () => {
      assert.deepEqual(outputs('T | project a, k | join (U | project k, b) on k'), ['a:project', 'k:project', 'k1:project', 'b:project']);
      assert.deepEqual(outputs('T | project a, k | join kind=leftsemi (U | project k, b) on k'), ['a:project', 'k:project']);
      assert.deepEqual(outputs('T | project a, k | lookup (U | project kk, b) on $left.k == $right.kk'), [
        'a:project',
        'k:project',
        'b:project',
      ]);
      assert.deepEqual(outputs('union (T | project a), (U | project b, a)'), ['a:project', 'b:project']);
    });

    it('describes the last statement of the query', () => {
      assert.deepEqual(outputs('let x = T | project a;\nU | project b'), ['b:project']);
    });
  });

  describe('diagnostics', () => {
    it('reports syntax errors with line and column, and still lists stages', () => {
      const result = analyse('SecurityEvent\n| where EventID == \n| project Account');
      assert.equal(result.parsed, false);
      assert.deepEqual(result.diagnostics, [{ message: 'Missing expression', severity: 'error', scope: 'query', line: 2, column: 19 }]);
      assert.deepEqual(shape(result), ['source@0', 'where@0', 'project@0']);
      assert.deepEqual(stage(result, 'where').condition, { kind: 'other', text: 'EventID ==' });
      assert.deepEqual(result.outputFields, [{ field: 'Account', source: 'project' }]);
    });

    it('places an unknown operator on its line', () => {
      const result = analyse('T\n| where a == 1\n| wher b == 2');
      assert.equal(result.parsed, false);
      assert.deepEqual(result.diagnostics[0], {
        message: 'Query operator expected.',
        severity: 'error',
        scope: 'query',
        line: 3,
        column: 3,
      });
    });

    it('ignores semantic problems: unknown tables, columns and functions are fine', () => {
      const result = analyse('NoSuchTable | where no_such_function(col) == 1 | extend x = other_fn(y)');
      assert.equal(result.parsed, true);
      assert.deepEqual(result.diagnostics, []);
    });

    it('reports an empty query', () => {
      for (const query of ['', '  \n\t']) {
        const result = analyse(query);
        assert.equal(result.parsed, false);
        assert.deepEqual(result.stages, []);
        assert.deepEqual(result.diagnostics, [{ message: 'empty query', severity: 'error', scope: 'query' }]);
      }
      const commentOnly = analyse('// nothing here');
      assert.equal(commentOnly.parsed, false);
      assert.deepEqual(commentOnly.stages, []);
    });

    it('never throws on garbage', () => {
      for (const query of [')(*&^', '| | |', 'let = ;', 'T | where (((', '"unterminated']) {
        const result = analyse(query);
        assert.equal(result.parsed, false, query);
        assert.ok(result.diagnostics.length > 0, query);
      }
    });
  });

  describe('computed columns: a filter on an extend column stands for the conditions that define it', () => {
    /** The condition of the last stage holding one. */
    const last = (query: string): string => {
      const result = analyse(query);
      assert.equal(result.parsed, true, JSON.stringify(result.diagnostics));
      return conditionText(result.stages.filter((s) => s.condition).pop()?.condition);
    };

    it('iff with 1 and 0: == 1 is the condition, == 0 and != 1 its negation', () => {
      const flag = 'T | extend IsAdmin = iff(Role == "admin" or Role has "owner", 1, 0)';
      assert.equal(last(`${flag} | where IsAdmin == 1`), '(Role eq ["admin"] or Role has~ ["owner"])');
      assert.equal(last(`${flag} | where IsAdmin == 0`), 'not (Role eq ["admin"] or Role has~ ["owner"])');
      assert.equal(
        last(`${flag} | where IsAdmin != 1 and User == "x"`),
        '(not (Role eq ["admin"] or Role has~ ["owner"]) and User eq ["x"])',
      );
    });

    it('a boolean column, bare or under not(); a case with several branches', () => {
      assert.equal(last('T | extend f = Role == "x" | where not(f)'), 'not Role eq ["x"]');
      assert.equal(last('T | extend f = isnotempty(Account) | where f'), 'Account exists []');
      const kind = 'T | extend k = case(Port == 22, "ssh", Port == 3389, "rdp", "other")';
      assert.equal(last(`${kind} | where k in ("ssh", "rdp")`), '(Port eq [22] or Port eq [3389])');
      assert.equal(last(`${kind} | where k == "rdp"`), '(Port eq [3389] and not Port eq [22])');
      assert.equal(last(`${kind} | where k != "other"`), '(Port eq [22] or Port eq [3389])');
    });

    it('a lowercased copy of a column is a case-insensitive predicate on the column', () => {
      assert.equal(last('T | extend cmd = tolower(ProcessCommandLine) | where cmd has "-enc"'), 'ProcessCommandLine has~ ["-enc"]');
      assert.equal(last('T | extend Acct = tostring(AdditionalFields.Account) | where Acct == "a"'), 'AdditionalFields.Account eq ["a"]');
      assert.equal(
        last('T | extend Effect = tostring(parse_json(Statement).Effect) | where Effect == "Allow"'),
        'Statement.Effect eq ["Allow"]',
      );
    });

    it('definitions follow the pipeline: project, summarize by, project-rename, and start over in a subquery', () => {
      const flag = 'T | extend f = iff(a == 1, true, false)';
      assert.equal(last(`${flag} | project f, b | where f`), 'a eq [1]');
      assert.equal(last(`${flag} | project g = f | where g`), 'a eq [1]');
      assert.equal(last(`${flag} | summarize count() by f | where f`), 'a eq [1]');
      assert.equal(last(`${flag} | project-rename g = f | where g`), 'a eq [1]');
      assert.equal(last(`${flag} | summarize f = count() | where f > 1`), 'f gt~ [1]');
      assert.equal(last(`${flag} | project b | where f == true`), 'f eq [true]');
    });

    it('definitions carry through a let-bound table and brackets, not into an unrelated table', () => {
      const bound = 'let T = SecurityEvent | extend IsAdmin = iff(Role == "admin", 1, 0);';
      assert.equal(last(`${bound}\nT | where IsAdmin == 1`), 'Role eq ["admin"]');
      assert.equal(last(`${bound}\nT | where IsAdmin == 0`), 'not Role eq ["admin"]');
      assert.equal(last(`${bound}\nlet U = T | where User == "x";\nU | where IsAdmin == 1`), 'Role eq ["admin"]');
      assert.equal(last(`${bound}\nT | project User | where IsAdmin == 1`), 'IsAdmin eq [1]');
      assert.equal(last(`${bound}\nOther | where IsAdmin == 1`), 'IsAdmin eq [1]');
      assert.equal(last('(T | extend f = iff(a == 1, true, false)) | where f'), 'a eq [1]');
    });

    it('an aggregate over selected rows (countif, sumif ..., a sum of one) required non-zero: its rows are required', () => {
      const counts = 'T | summarize p = countif(Type == "push"), d = dcountif(Ip, Type == "deny") by User';
      assert.equal(last(`${counts} | where p > 10 and d >= 1`), '(p gt~ [10] and Type eq ["push"] and d gte~ [1] and Type eq ["deny"])');
      // Summed again by a second summarize, as written.
      assert.equal(last(`${counts} | summarize q = sum(p) by User | where q > 0`), '(q gt~ [0] and Type eq ["push"])');
      const roles = indicatorsOf(analyse(`${counts} | where p > 10 and d >= 1`).stages).map((i) => `${i.role} ${i.field} ${i.value}`);
      assert.deepEqual(roles.sort(), ['required Type deny', 'required Type push', 'required d 1', 'required p 10']);
      // A filter an empty aggregate passes, or either of two: nothing required.
      assert.equal(last(`${counts} | where p < 3`), 'p lt~ [3]');
      assert.equal(last(`${counts} | where p > 1 or d > 1`), '((p gt~ [1] and Type eq ["push"]) or (d gt~ [1] and Type eq ["deny"]))');
      assert.equal(last('T | summarize n = count() | where n > 1'), 'n gt~ [1]');
    });

    it('an untraced computation stays as written, with one info diagnostic', () => {
      const result = analyse('T | extend n = strlen(CommandLine) | where n > 100 or n < 2');
      assert.equal(conditionText(stage(result, 'where').condition), '(n gt~ [100] or n lt~ [2])');
      assert.deepEqual(
        result.diagnostics.map((d) => [d.severity, d.message]),
        [['info', 'the filter on computed column n is kept as written: its definition (strlen(CommandLine)) is not traced to conditions']],
      );
    });
  });

  describe('set membership and IP range lookups', () => {
    it('set_has_element(arr, v) is an element equal to v; against a column, a relation', () => {
      assert.equal(
        conditionText(condition('set_has_element(Scopes, "offline_access") and not(set_has_element(Allowed, Share))')),
        '(Scopes eq ["offline_access"] and not Allowed fieldref ["Share"])',
      );
      assert.deepEqual(analyse('T | where set_has_element(Scopes, "a")').diagnostics, []);
    });

    it('evaluate ipv4_lookup over a table of ranges: the rows in the ranges, or with return_unmatched, a column there only for them', () => {
      const nets = 'let Nets = datatable(Net: string) ["10.0.0.0/8", "192.168.0.0/16"];\n';
      const kept = analyse(`${nets}T | evaluate ipv4_lookup(Nets, RemoteIP, Net, return_unmatched = true) | where isempty(Net)`);
      assert.equal(conditionText(stage(kept, 'where').condition), 'not RemoteIP cidr~ ["10.0.0.0/8","192.168.0.0/16"]');
      const roles = indicatorsOf(kept.stages).map((i) => `${i.role} ${i.negated ? 'not ' : ''}${i.field} ${i.op} ${i.value}`);
      assert.deepEqual(roles, ['exclusion not RemoteIP cidr 10.0.0.0/8', 'exclusion not RemoteIP cidr 192.168.0.0/16']);
      assert.equal(
        conditionText(
          stage(analyse(`${nets}T | evaluate ipv4_lookup(Nets, RemoteIP, Net, return_unmatched = true) | where isnotempty(Net)`), 'where')
            .condition,
        ),
        'RemoteIP cidr~ ["10.0.0.0/8","192.168.0.0/16"]',
      );
      // Without return_unmatched the lookup itself keeps only the rows in the ranges.
      assert.equal(
        conditionText(stage(analyse(`${nets}T | evaluate ipv4_lookup(Nets, RemoteIP, Net)`), 'evaluate').condition),
        'RemoteIP cidr~ ["10.0.0.0/8","192.168.0.0/16"]',
      );
    });
  });
});
