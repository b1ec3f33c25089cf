import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { indicatorsOf } from '../../analysis/indicators.js';
import { predicatesOf } from '../../model/predicates.js';
import type { PredicateNode, QueryAnalysis } from '../../model/types.js';
import { dissectKeys, grokNames } from './columns.js';
import { analyse, esql } from './index.js';

function ok(query: string): QueryAnalysis {
  const result = analyse(query);
  assert.equal(result.parsed, true, JSON.stringify(result.diagnostics));
  return result;
}

/** Compact view of a tree: `and(a eq x, not(b wildcard y*))`; `~` marks case-insensitive. */
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
      const values = p.values.length ? ' ' + p.values.map((v) => JSON.stringify(v)).join('|') : '';
      return `${p.field} ${p.negated ? '!' : ''}${p.op}${p.caseSensitive ? '' : '~'}${values}`;
    }
  }
}

/** The condition of the first WHERE of `FROM i | WHERE <cond>`. */
function where(cond: string): string {
  return shape(ok(`FROM i | WHERE ${cond}`).stages[1]!.condition);
}

function outputs(query: string): string[] {
  return ok(query).outputFields.map((f) => `${f.field}<${f.source}>`);
}

// Shaped like the Elastic ES|QL rules: comments, METADATA, KQL(), STATS ... BY, KEEP with wildcards.
const rule = `from logs-endpoint.events.process-*, logs-windows.sysmon_operational-* metadata _id, _version, _index
// only starts
| where host.os.type == "windows" and event.type == "start"
    and to_lower(process.name) in ("cmd.exe", "powershell.exe")
    and process.command_line like "*-enc*"
    and not process.parent.executable rlike """C:\\\\Program Files\\\\.*"""
    and KQL("""event.category:process and not user.name:SYSTEM""")
    and user.id IS NOT NULL
| eval Esql.time_bucket = date_trunc(5 minutes, @timestamp)
| stats Esql.event_count = count(*), Esql.host_values = values(host.name)
    by process.name, Esql.time_bucket
| where Esql.event_count >= 3
| keep process.name, Esql.*
`;

describe('esql', () => {
  test('is registered under its id and name', () => {
    assert.equal(esql.id, 'esql');
    assert.equal(esql.name, 'ES|QL');
  });

  test('one stage per command, with exact texts from the pipe', () => {
    const result = ok(rule);
    assert.deepEqual(
      result.stages.map((s) => s.kind),
      ['from', 'where', 'eval', 'stats', 'where', 'keep'],
    );
    assert.equal(
      result.stages[0]!.text,
      'from logs-endpoint.events.process-*, logs-windows.sysmon_operational-* metadata _id, _version, _index',
    );
    assert.ok(result.stages[1]!.text.startsWith('| where host.os.type == "windows"'));
    assert.ok(result.stages[1]!.text.endsWith('user.id IS NOT NULL'));
    assert.equal(result.stages[4]!.text, '| where Esql.event_count >= 3');
    assert.equal(result.stages[5]!.text, '| keep process.name, Esql.*');
    assert.deepEqual(result.sources, ['logs-endpoint.events.process-*', 'logs-windows.sysmon_operational-*']);
    assert.deepEqual(result.stages[0]!.sources, result.sources);
    assert.deepEqual(result.diagnostics, []);
  });

  test('WHERE conditions become predicates, KQL() included', () => {
    const result = ok(rule);
    assert.equal(
      shape(result.stages[1]!.condition),
      'and(host.os.type eq "windows", event.type eq "start", process.name in~ "cmd.exe"|"powershell.exe", ' +
        'process.command_line wildcard "*-enc*", not(process.parent.executable regex "C:\\\\\\\\Program Files\\\\\\\\.*"), ' +
        'event.category eq "process", not(user.name eq "SYSTEM"), user.id exists)',
    );
    const [first] = predicatesOf(result.stages[1]!.condition);
    assert.deepEqual(first, {
      field: 'host.os.type',
      op: 'eq',
      values: ['windows'],
      negated: false,
      caseSensitive: true,
      nativeOp: '==',
      text: 'host.os.type == "windows"',
    });
    assert.equal(shape(result.stages[4]!.condition), 'Esql.event_count gte 3');
  });

  test('final columns follow STATS and KEEP', () => {
    assert.deepEqual(outputs(rule), ['process.name<keep>', 'Esql.event_count<keep>', 'Esql.host_values<keep>', 'Esql.time_bucket<keep>']);
  });

  test('comparison operators and their normalised forms', () => {
    assert.equal(where('a != "x"'), 'a !eq "x"');
    assert.equal(where('a =~ "X"'), 'a eq~ "X"');
    assert.equal(where('"x" == a'), 'a eq "x"');
    assert.equal(where('5 < n'), 'n gt 5');
    assert.equal(where('n <= -1'), 'n lte -1');
    assert.equal(where('a NOT LIKE "x*"'), 'a !wildcard "x*"');
    assert.equal(where('a LIKE ("x*", "y?")'), 'a wildcard "x*"|"y?"');
    assert.equal(where('a NOT RLIKE "x.*"'), 'a !regex "x.*"');
    assert.equal(where('a NOT IN (1, 2.5, true, null)'), 'a !in 1|2.5|true|null');
    assert.equal(where('a IS NULL'), 'a !exists');
    assert.equal(where('a : "some text"'), 'a eq~ "some text"');
    assert.equal(where('MATCH(a, "x")'), 'a eq~ "x"');
    assert.equal(where('TO_UPPER(a) LIKE "X*"'), 'a wildcard~ "X*"');
    assert.equal(where('a::string == "1"'), 'a eq "1"');
    assert.equal(where('TO_STRING(source.ip) IN ("127.0.0.1", "::1")'), 'source.ip in "127.0.0.1"|"::1"');
    assert.equal(where('starts_with(a, "x") and ENDS_WITH(b, "y")'), 'and(a startswith "x", b endswith "y")');
    assert.equal(where('CIDR_MATCH(TO_IP(ip), "10.0.0.0/8", "::1")'), 'ip cidr "10.0.0.0/8"|"::1"');
    assert.equal(where('MV_CONTAINS(codes, "force_push")'), 'codes eq "force_push"');
    assert.equal(where('@timestamp > NOW() - 1 hour'), 'other[@timestamp > NOW() - 1 hour]');
    assert.equal(where('a == b'), 'other[a == b]');
    assert.equal(where('a == null'), 'other[a == null]');
    assert.equal(where('a == ?param'), 'other[a == ?param]');
    assert.equal(where('QSTR("f:x* AND g:y")'), 'and(f wildcard "x*", g eq "y")');
  });

  test('LIKE patterns are read with their escapes: a backslash pair is one backslash', () => {
    // A raw string `"""c:\\temp\\*"""` and an escaped `"c:\\\\temp\\\\*"` are both the LIKE pattern `c:\\temp\\*`: c:\temp\ then anything.
    assert.equal(where('f LIKE """c:\\\\temp\\\\*.exe"""'), 'f wildcard "c:\\\\temp\\\\*.exe"');
    assert.equal(where('f LIKE "c:\\\\\\\\temp\\\\\\\\*"'), 'f wildcard "c:\\\\temp\\\\*"');
    // An escaped wildcard character stays escaped (a literal `*`), as the other parsers write it.
    assert.equal(where('f LIKE """*a\\*b\\?"""'), 'f wildcard "*a\\\\*b\\\\?"');
    // RLIKE keeps its regex as written.
    assert.equal(where('f RLIKE """c:\\\\temp"""'), 'f regex "c:\\\\\\\\temp"');
  });

  test('boolean precedence: NOT over AND over OR', () => {
    assert.equal(where('a == 1 or b == 2 and not c == 3'), 'or(a eq 1, and(b eq 2, not(c eq 3)))');
    assert.equal(where('NOT a IN ("x") AND (b == 1 OR c == 2)'), 'and(not(a in "x"), or(b eq 1, c eq 2))');
  });

  test('a KQL() that does not parse stays text, with a warning', () => {
    const result = ok('FROM i | WHERE KQL("a:(")');
    assert.equal(shape(result.stages[1]!.condition), 'other[KQL("a:(")]');
    assert.equal(result.diagnostics.length, 1);
    assert.equal(result.diagnostics[0]!.severity, 'warning');
    assert.match(result.diagnostics[0]!.message, /KQL\(\) query is kept as text/);
  });

  test('STATS ... WHERE filters are the stage condition', () => {
    const result = ok('FROM i | STATS a = COUNT(*) WHERE x == 1, b = COUNT(*) WHERE y : "z" BY h');
    assert.equal(shape(result.stages[1]!.condition), 'or(x eq 1, y eq~ "z")');
    assert.deepEqual(
      result.outputFields.map((f) => f.field),
      ['a', 'b', 'h'],
    );
  });

  test('columns through EVAL, RENAME, DROP, DISSECT, GROK, ENRICH, COMPLETION', () => {
    assert.deepEqual(outputs('ROW a = 1, b = "x" | EVAL c = a + 1, a = 2 | RENAME b AS z | DROP c'), ['z<rename>', 'a<eval>']);
    assert.deepEqual(
      outputs('FROM i | DISSECT msg "%{a} %{?skip} %{+a} %{b->}" | GROK msg "%{IP:ip} (?<user>\\\\w+)" | KEEP a, b, ip, user'),
      ['a<keep>', 'b<keep>', 'ip<keep>', 'user<keep>'],
    );
    assert.deepEqual(outputs('ROW x = 1 | ENRICH pol ON x WITH name = host.name, os'), ['x<row>', 'name<enrich>', 'os<enrich>']);
    assert.deepEqual(outputs('ROW p = "x" | COMPLETION r = p WITH { "inference_id": "m" } | KEEP r'), ['r<keep>']);
    // STATS without names: the column is named by the expression as written.
    assert.deepEqual(outputs('FROM i | STATS COUNT(*), max(n) BY h'), ['COUNT(*)<stats>', 'max(n)<stats>', 'h<stats>']);
  });

  test('open column lists: documents from FROM, KEEP patterns, LOOKUP JOIN', () => {
    // A plain filter returns whole documents: only computed columns are listed (no METADATA).
    assert.deepEqual(outputs('FROM i METADATA _id | WHERE a == 1 | EVAL b = 2'), ['b<eval>']);
    assert.deepEqual(outputs('FROM i | KEEP host.*, user.name'), ['host.*<keep>', 'user.name<keep>']);
    assert.deepEqual(outputs('FROM i | EVAL host.x = 1 | KEEP host.*'), ['host.x<keep>', 'host.*<keep>']);
    const joined = ok('FROM i | LOOKUP JOIN intel ON source.ip | KEEP source.ip, intel.*');
    assert.deepEqual(joined.sources, ['i', 'intel']);
    assert.equal(joined.stages[1]!.kind, 'lookup join');
    assert.deepEqual(
      joined.outputFields.map((f) => f.field),
      ['source.ip', 'intel.*'],
    );
  });

  test('FORK branches are stages of depth 1', () => {
    const result = ok('FROM i | FORK (WHERE a == 1 | KEEP a) (STATS c = COUNT(*) BY b) | KEEP *');
    assert.deepEqual(
      result.stages.map((s) => [s.kind, s.text, s.depth ?? 0]),
      [
        ['from', 'FROM i', 0],
        ['fork', '| FORK (WHERE a == 1 | KEEP a) (STATS c = COUNT(*) BY b)', 0],
        ['where', 'WHERE a == 1', 1],
        ['keep', '| KEEP a', 1],
        ['stats', 'STATS c = COUNT(*) BY b', 1],
        ['keep', '| KEEP *', 0],
      ],
    );
    assert.deepEqual(
      result.outputFields.map((f) => f.field),
      ['a', 'c', 'b', '_fork'],
    );
  });

  test('lexical details: comments, strings, identifiers, literals', () => {
    const result = ok(
      'FROM "quoted-index", remote:logs-* /* block /* nested */ */\n' +
        '| INLINE STATS n = COUNT_DISTINCT(`odd name`) BY `a``b`.c\n' +
        '| EVAL t = DATE_TRUNC(1min, @timestamp), s = """x "quoted" y""", e = "tab\\there", l = [1, 2], p = ?name\n' +
        '| SORT n DESC NULLS LAST, t ASC | LIMIT 10 | MV_EXPAND s | SAMPLE 0.5 // trailing comment',
    );
    assert.deepEqual(result.sources, ['quoted-index', 'remote:logs-*']);
    assert.deepEqual(
      result.stages.map((s) => s.kind),
      ['from', 'inlinestats', 'eval', 'sort', 'limit', 'mv_expand', 'sample'],
    );
    assert.equal(result.stages[6]!.text, '| SAMPLE 0.5');
    assert.deepEqual(
      result.outputFields.map((f) => f.field),
      ['n', 't', 's', 'e', 'l', 'p'],
    );
  });

  test('DISSECT and GROK key names', () => {
    assert.deepEqual(dissectKeys('%{a} %{+a/2} %{?b} %{} %{*k}=%{&k} %{c->}'), ['a', 'c']);
    assert.deepEqual(grokNames('%{IP:client} %{NUMBER:bytes:int} %{GREEDYDATA} (?<Esql.x>\\d+)'), ['client', 'bytes', 'Esql.x']);
  });

  test('syntax errors come back as positioned diagnostics', () => {
    const unknown = analyse('FROM i\n| wher x == 1');
    assert.equal(unknown.parsed, false);
    assert.deepEqual(unknown.diagnostics, [{ message: 'unknown command `wher`', line: 2, column: 3, severity: 'error', scope: 'query' }]);
    const incomplete = analyse('FROM i | WHERE x ==');
    assert.equal(incomplete.diagnostics[0]!.message, 'expected an expression but found end of query');
    assert.equal(incomplete.diagnostics[0]!.column, 20);
    const assignment = analyse('FROM i | WHERE x = 1');
    assert.match(assignment.diagnostics[0]!.message, /^expected an operator, .* but found "="$/);
    assert.equal(analyse('FROM i |').diagnostics[0]!.message, 'expected a command but found end of query');
    assert.equal(analyse('  ').diagnostics[0]!.message, 'empty query');
  });

  describe('computed columns: a filter on an EVAL column stands for the conditions that define it', () => {
    /** The condition of the last stage of a query. */
    const last = (query: string): string => {
      const stages = ok(query).stages;
      return shape(stages[stages.length - 1]!.condition);
    };

    test('a boolean CASE or comparison, filtered as true or negated', () => {
      assert.equal(last('FROM i | EVAL is_susp = CASE(process.name == "x.exe", true, false) | WHERE is_susp'), 'process.name eq "x.exe"');
      assert.equal(last('FROM i | EVAL f = a == "x" | WHERE NOT f'), 'not(a eq "x")');
      assert.equal(last('FROM i | EVAL f = a == "x" AND b LIKE "*y*" | WHERE f == false'), 'not(and(a eq "x", b wildcard "*y*"))');
    });

    test('a flag with 1 and 0: == 1 is the condition, == 0 and != 1 its negation', () => {
      const eval1 = 'FROM i | EVAL f = CASE(cmd LIKE "*-enc*" OR cmd LIKE "*-e *", 1, 0)';
      assert.equal(last(`${eval1} | WHERE f == 1`), 'or(cmd wildcard "*-enc*", cmd wildcard "*-e *")');
      assert.equal(last(`${eval1} | WHERE f == 0`), 'not(or(cmd wildcard "*-enc*", cmd wildcard "*-e *"))');
      assert.equal(last(`${eval1} | WHERE f != 1`), 'not(or(cmd wildcard "*-enc*", cmd wildcard "*-e *"))');
      assert.equal(
        last(`${eval1} | WHERE f > 0 AND user.name == "x"`),
        'and(or(cmd wildcard "*-enc*", cmd wildcard "*-e *"), user.name eq "x")',
      );
    });

    test('several flags summed through a second CASE, as Elastic rules do', () => {
      const query = `FROM i
        | EVAL a = CASE(x LIKE "*curl*", 1, 0), b = CASE(x LIKE "*wget*", 1, 0)
        | EVAL any = CASE(a == 1 OR b == 1, 1, 0)
        | WHERE any == 1`;
      assert.equal(last(query), 'or(x wildcard "*curl*", x wildcard "*wget*")');
    });

    test('a CASE with several branches: each value filtered is its branches as alternatives', () => {
      const vendor =
        'FROM i | EVAL v = CASE(ds == "aws.cloudtrail", "aws", ds == "azure.activitylogs", "azure", ds == "gcp.audit", "gcp", "other")';
      assert.equal(
        last(`${vendor} | WHERE v IN ("aws", "gcp")`),
        'or(ds eq "aws.cloudtrail", and(ds eq "gcp.audit", not(ds eq "azure.activitylogs")))',
      );
      // The first branch that holds gives the value: "azure" rows are excluded, "aws" ones pass.
      assert.equal(last(`${vendor} | WHERE v != "azure"`), 'not(and(ds eq "azure.activitylogs", not(ds eq "aws.cloudtrail")))');
      assert.equal(
        last(`${vendor} | WHERE v == "other"`),
        'not(or(ds eq "aws.cloudtrail", ds eq "azure.activitylogs", ds eq "gcp.audit"))',
      );
      // No ELSE: the column is null where no branch holds, and null passes no comparison.
      assert.equal(last('FROM i | EVAL v = CASE(a == "x", "p") | WHERE v IS NOT NULL'), 'a eq "x"');
    });

    test('a lowercased copy of a field is a case-insensitive predicate on the field', () => {
      assert.equal(
        last('FROM i | EVAL cmd = TO_LOWER(process.command_line) | WHERE cmd LIKE "*-enc*"'),
        'process.command_line wildcard~ "*-enc*"',
      );
      assert.equal(last('FROM i | EVAL n = process.name | WHERE n == "a"'), 'process.name eq "a"');
    });

    test('definitions follow the columns: RENAME, KEEP, STATS BY, DROP and a redefinition', () => {
      const flag = 'FROM i | EVAL f = CASE(a == "x", 1, 0)';
      assert.equal(last(`${flag} | RENAME f AS g | WHERE g == 1`), 'a eq "x"');
      assert.equal(last(`${flag} | KEEP f | WHERE f == 1`), 'a eq "x"');
      assert.equal(last(`${flag} | STATS c = COUNT(*) BY f | WHERE f == 1`), 'a eq "x"');
      assert.equal(last(`${flag} | STATS f = COUNT(*) | WHERE f == 1`), 'f eq 1');
      assert.equal(last(`${flag} | DROP f | EVAL f = 2 | WHERE f == 1`), 'f eq 1');
    });

    test('an aggregate of a conditional column reads the rows where it has a value', () => {
      const query = `FROM i
        | EVAL a = CASE(event.module == "azure", 1, null), ts = CASE(x == "p", @timestamp, null), s = CASE(y == 1, 1, 0)
        | STATS c = COUNT(a), t = MIN(ts), n = SUM(s), m = COUNT(s), all = COUNT(*) BY host.name`;
      assert.equal(last(query), 'or(event.module eq "azure", x eq "p", y eq 1)');
      // A computed branch value is told from null, not compared.
      assert.equal(last('FROM i | EVAL ip = CASE(a == "x", source.ip, null) | WHERE ip IS NOT NULL'), 'a eq "x"');
      assert.equal(last('FROM i | EVAL ip = CASE(a == "x", source.ip, null) | WHERE ip == "1.2.3.4"'), 'ip eq "1.2.3.4"');
    });

    test('an aggregate over selected rows that a later filter requires non-zero: its rows are required', () => {
      const both = `FROM i
        | EVAL is_b = CASE(url.path LIKE "*/backup", 1, 0)
        | STATS b = SUM(is_b), r = COUNT(*) WHERE url.path LIKE "*/restore" BY source.ip
        | WHERE b >= 1 AND r > 0`;
      assert.equal(last(both), 'and(b gte 1, url.path wildcard "*/backup", r gt 0, url.path wildcard "*/restore")');
      // Each is then required, not one of the aggregates' alternatives.
      const roles = indicatorsOf(ok(both).stages).map((i) => `${i.role} ${i.field} ${i.op} ${i.value}`);
      assert.ok(roles.includes('required url.path wildcard */backup'), roles.join('\n'));
      assert.ok(roles.includes('required url.path wildcard */restore'), roles.join('\n'));
      // Either aggregate suffices: alternatives still; a filter an empty aggregate passes says nothing of its rows.
      const stats = 'FROM i | STATS b = COUNT(*) WHERE x == "1", r = COUNT(*) WHERE y == "2"';
      assert.equal(last(`${stats} | WHERE b > 5 OR r > 5`), 'or(and(b gt 5, x eq "1"), and(r gt 5, y eq "2"))');
      assert.equal(last(`${stats} | WHERE b < 3`), 'b lt 3');
      assert.equal(last(`${stats} | WHERE b != 1`), 'b !eq 1');
      // An aggregate of every row selects none.
      assert.equal(last('FROM i | STATS n = COUNT(*) | WHERE n >= 1'), 'n gte 1');
    });

    test("a required aggregate's rows carry the alternative of an earlier filter they can only come from", () => {
      // Only the first alternative lets `a == "x"` rows through: the rows SUM(is_x) counts had b on them too.
      const query = `FROM i
        | WHERE (a == "x" AND b LIKE "sa:*") OR (a IN ("y", "z") AND c == "r")
        | EVAL is_x = CASE(a == "x", 1, 0)
        | STATS n = SUM(is_x), d = COUNT_DISTINCT(a) BY k
        | WHERE n >= 1 AND d >= 3`;
      assert.equal(last(query), 'and(n gte 1, a eq "x", b wildcard "sa:*", d gte 3)');
      const roles = indicatorsOf(ok(query).stages).map((i) => `${i.role} ${i.field} ${i.op} ${i.value}`);
      assert.ok(roles.includes('required a eq x'), roles.join('\n'));
      assert.ok(roles.includes('required b wildcard sa:*'), roles.join('\n'));
      assert.ok(roles.includes('alternative c eq r'), roles.join('\n'));
      // Rows that every alternative may give, or a filter that is no choice, add nothing.
      assert.equal(last('FROM i | WHERE a == "x" OR b == "y" | STATS n = COUNT(*) WHERE a == "x" | WHERE n > 0'), 'and(n gt 0, a eq "x")');
      assert.equal(
        last('FROM i | WHERE (a != "x" AND c == "1") OR b == "y" | STATS n = COUNT(*) WHERE a == "x" | WHERE n > 0'),
        'and(n gt 0, a eq "x", b eq "y")',
      );
    });

    test('an untraced computation stays as written, with an info diagnostic', () => {
      const result = ok('FROM i | EVAL n = bytes * 8 | WHERE n > 3 OR n < 1');
      assert.equal(shape(result.stages[2]!.condition), 'or(n gt 3, n lt 1)');
      // One info per column, however often it is filtered.
      assert.deepEqual(
        result.diagnostics.map((d) => [d.severity, d.message]),
        [['info', 'the filter on computed column n is kept as written: its definition (bytes * 8) is not traced to conditions']],
      );
      assert.deepEqual(ok('FROM i | EVAL f = CASE(a == "x", 1, 0) | WHERE f == 7').diagnostics.length, 1);
      assert.equal(shape(ok('FROM i | EVAL f = CASE(a == "x", 1, 0) | WHERE f == 7').stages[2]!.condition), 'f eq 7');
    });
  });
});
