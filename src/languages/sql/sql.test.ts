import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { predicatesOf } from '../../model/predicates.js';
import { correlationsOf, indicatorsOf } from '../../analysis/indicators.js';
import type { Predicate, PredicateNode, QueryAnalysis } from '../../model/types.js';
import {
  conditionText,
  testContext,
  parsedAnalysis,
  parseFailure,
  pred as predicate,
  predNode,
  singlePredicate,
  stageOfKind,
} from '../test-support.js';
import { sql } from './index.js';

const ok = (query: string): QueryAnalysis => parsedAnalysis('sql', query);
const error = (query: string) => parseFailure('sql', query);
const stage = stageOfKind;

/** The WHERE condition of `SELECT * FROM t WHERE <expr>`. */
function where(expr: string): PredicateNode {
  const c = stage(ok(`SELECT * FROM t WHERE ${expr}`), 'where').condition;
  assert.ok(c, 'no condition');
  return c;
}

/** The single predicate of `SELECT * FROM t WHERE <expr>`. */
const pred = (expr: string): Predicate => singlePredicate(where(expr));

/** A predicate node with every member given. */
const p = (...args: Parameters<typeof predicate>): PredicateNode => predNode(predicate(...args));

const OKTA_SUPPORT = `SELECT
  p_event_time as event_time,
  actor:alternateId as actor_email,
  client:geographicalContext:city as city,
  displayMessage,
  eventType
FROM
panther_logs.public.okta_systemlog
WHERE
  eventType = 'user.session.impersonation.grant'
  OR
  eventType = 'user.session.impersonation.initiate'
 AND
    p_occurs_between('2022-01-14','2022-03-22')
ORDER BY
  event_time desc`;

describe('sql: language', () => {
  it('has id and name', () => {
    assert.equal(sql.id, 'sql');
    assert.equal(sql.name, 'SQL (Snowflake)');
  });
});

describe('sql: a Panther Okta query', () => {
  const r = ok(OKTA_SUPPORT);

  it('lists the clauses as stages with their exact text', () => {
    assert.deepEqual(
      r.stages.map((s) => [s.kind, s.depth]),
      [
        ['select', 0],
        ['from', 0],
        ['where', 0],
        ['order by', 0],
      ],
    );
    assert.ok(stage(r, 'select').text.startsWith('SELECT\n  p_event_time as event_time,'));
    assert.ok(stage(r, 'select').text.endsWith('eventType'));
    assert.equal(stage(r, 'from').text, 'FROM\npanther_logs.public.okta_systemlog');
    assert.equal(stage(r, 'order by').text, 'ORDER BY\n  event_time desc');
    for (const s of r.stages) assert.ok(OKTA_SUPPORT.includes(s.text));
  });

  it('reads the table', () => {
    assert.deepEqual(r.sources, ['panther_logs.public.okta_systemlog']);
    assert.deepEqual(stage(r, 'from').sources, ['panther_logs.public.okta_systemlog']);
  });

  it('groups AND before OR', () => {
    assert.deepEqual(stage(r, 'where').condition, {
      kind: 'or',
      children: [
        p('eventType', 'eq', ['user.session.impersonation.grant'], false, true, '=', "eventType = 'user.session.impersonation.grant'"),
        {
          kind: 'and',
          children: [
            p(
              'eventType',
              'eq',
              ['user.session.impersonation.initiate'],
              false,
              true,
              '=',
              "eventType = 'user.session.impersonation.initiate'",
            ),
            { kind: 'other', text: "p_occurs_between('2022-01-14','2022-03-22')" },
          ],
        },
      ],
    });
  });

  it('names the output columns', () => {
    assert.deepEqual(
      r.outputFields,
      ['event_time', 'actor_email', 'city', 'displayMessage', 'eventType'].map((field) => ({ field, source: 'select' })),
    );
  });

  it('has no diagnostics but the info that p_occurs_between() is kept as text', () => {
    assert.deepEqual(
      r.diagnostics.map((d) => [d.severity, d.message]),
      [['info', '`p_occurs_between()` is not read: its condition is kept as text']],
    );
  });
});

describe('sql: boolean structure', () => {
  it('binds NOT tighter than AND, AND tighter than OR', () => {
    const c = where('NOT a = 1 AND b = 2 OR c = 3');
    assert.equal(c.kind, 'or');
    const [and, third] = c.children;
    assert.equal(and!.kind, 'and');
    const [not] = (and as Extract<PredicateNode, { kind: 'and' }>).children;
    assert.equal(not!.kind, 'not');
    assert.equal(third!.kind, 'pred');
  });

  it('keeps parentheses', () => {
    const c = where("(a = 'x' OR b = 'y') AND c = 'z'");
    assert.equal(c.kind, 'and');
    assert.equal(c.children[0]!.kind, 'or');
  });

  it('flattens chains', () => {
    const c = where('a = 1 AND b = 2 AND (c = 3 AND d = 4)');
    assert.equal(c.kind, 'and');
    assert.equal(c.children.length, 4);
  });
});

describe('sql: comparisons', () => {
  it('= is a case-sensitive eq; != and <> are negated', () => {
    assert.deepEqual(pred("eventName = 'ConsoleLogin'"), {
      field: 'eventName',
      op: 'eq',
      values: ['ConsoleLogin'],
      negated: false,
      caseSensitive: true,
      nativeOp: '=',
      text: "eventName = 'ConsoleLogin'",
    });
    assert.equal(pred("a != 'x'").negated, true);
    assert.equal(pred("a <> 'x'").op, 'eq');
    assert.equal(pred("a <> 'x'").negated, true);
  });

  it('reads ordering comparisons, swapping a literal on the left', () => {
    assert.deepEqual([pred('n > 5').op, pred('n >= 5').op, pred('n < 5').op, pred('n <= 5').op], ['gt', 'gte', 'lt', 'lte']);
    const swapped = pred('5 < n');
    assert.equal(swapped.field, 'n');
    assert.equal(swapped.op, 'gt');
    assert.deepEqual(swapped.values, [5]);
    assert.equal(pred("'x' = a").field, 'a');
  });

  it('reads literals: numbers, booleans, null, escapes, dollar strings, negative numbers', () => {
    assert.deepEqual(pred('a = -3.5').values, [-3.5]);
    assert.deepEqual(pred('a = TRUE').values, [true]);
    assert.deepEqual(pred("a = 'it''s'").values, ["it's"]);
    assert.deepEqual(pred("a RLIKE '[~/][^\\\\s]*\\\\.plist'").values, ['[~/][^\\s]*\\.plist']);
    assert.deepEqual(pred("a = $$x'y$$").values, ["x'y"]);
    assert.deepEqual(pred('a = 12345678901234567890').values, ['12345678901234567890']);
  });

  it('relates two columns as fieldref', () => {
    const r = ok('SELECT * FROM t JOIN u ON t.a = u.b WHERE t.a > u.c');
    const on = predicatesOf(stage(r, 'join').condition)[0]!;
    assert.equal(on.op, 'fieldref');
    assert.equal(on.field, 'a');
    assert.deepEqual(on.values, ['b']);
    assert.deepEqual(predicatesOf(stage(r, 'where').condition)[0]!.values, ['c']);
  });

  it('IN and NOT IN', () => {
    assert.deepEqual(pred("verb IN ('create', 'update')").values, ['create', 'update']);
    const notIn = pred('port NOT IN (443, 80)');
    assert.equal(notIn.op, 'in');
    assert.equal(notIn.negated, true);
    assert.equal(notIn.nativeOp, 'not in');
  });

  it('LIKE is a case-sensitive wildcard, ILIKE a case-insensitive one, % and _ read as * and ?', () => {
    const like = pred("eventName LIKE '%Image%'");
    assert.equal(like.op, 'wildcard');
    assert.equal(like.caseSensitive, true);
    assert.deepEqual(like.values, ['*Image*']);
    const ilike = pred("a NOT ILIKE '%x_y%'");
    assert.equal(ilike.caseSensitive, false);
    assert.equal(ilike.negated, true);
    assert.equal(ilike.nativeOp, 'not ilike');
  });

  it('LIKE ANY lists its patterns; LIKE ALL needs each', () => {
    const any = pred("cmd LIKE ANY ('%a%', '%b%')");
    assert.deepEqual(any.values, ['*a*', '*b*']);
    assert.equal(any.nativeOp, 'like any');
    const all = where("cmd ILIKE ALL ('%a%', '%b%')");
    assert.equal(all.kind, 'and');
    assert.equal(predicatesOf(all).length, 2);
  });

  it('RLIKE, REGEXP and REGEXP_LIKE are regex', () => {
    assert.equal(pred("a RLIKE '.*x'").op, 'regex');
    assert.equal(pred("a NOT REGEXP 'x+'").negated, true);
    const fn = pred("REGEXP_LIKE(a, 'x', 'i')");
    assert.equal(fn.op, 'regex');
    assert.equal(fn.caseSensitive, false);
  });

  it('IS NULL is a negated exists, IS NOT NULL an exists', () => {
    const isNull = pred('errorCode IS NULL');
    assert.equal(isNull.op, 'exists');
    assert.equal(isNull.negated, true);
    assert.deepEqual(isNull.values, []);
    const notNull = pred('errorCode is NOT null');
    assert.equal(notNull.negated, false);
    assert.equal(notNull.nativeOp, 'is not null');
  });

  it('BETWEEN is a range', () => {
    const b = pred('n BETWEEN 1 AND 10');
    assert.equal(b.op, 'range');
    assert.deepEqual(b.values, [1, 10]);
    assert.equal(pred("n NOT BETWEEN 'a' AND 'b'").negated, true);
  });

  it('ARRAY_CONTAINS, CONTAINS, STARTSWITH', () => {
    const c = pred("ARRAY_CONTAINS('AppId'::VARIANT, properties:additionalDetails:key)");
    assert.equal(c.field, 'properties.additionalDetails.key');
    assert.equal(c.op, 'contains');
    assert.deepEqual(c.values, ['AppId']);
    assert.equal(pred("CONTAINS(a, 'x')").op, 'contains');
    assert.equal(pred("STARTSWITH(a, 'x')").op, 'startswith');
    // A column and a list: the column's value is one of the list's (eventName IN ...).
    const listed = pred("ARRAY_CONTAINS(eventName, ['ListBuckets', 'ListRoles'])");
    assert.deepEqual([listed.field, listed.op, listed.values], ['eventName', 'in', ['ListBuckets', 'ListRoles']]);
    const constructed = pred("ARRAY_CONTAINS(eventName::variant, ARRAY_CONSTRUCT('ListUsers'))");
    assert.deepEqual([constructed.field, constructed.op, constructed.values], ['eventName', 'in', ['ListUsers']]);
  });

  it('an array column holding one of listed values: ARRAY_INTERSECTION(...) != [], ARRAYS_OVERLAP, ARRAY_SIZE(...) > 0', () => {
    const caps = "ARRAY_INTERSECTION(requestObject:capabilities:add, ARRAY_CONSTRUCT('BPF','SYS_ADMIN')) != []";
    const any = pred(caps);
    assert.deepEqual(
      [any.field, any.op, any.values, any.negated],
      ['requestObject.capabilities.add', 'contains', ['BPF', 'SYS_ADMIN'], false],
    );
    assert.equal(pred(caps.replace('!=', '=')).negated, true);
    const overlaps = pred("ARRAYS_OVERLAP(ARRAY_CONSTRUCT('a'), tags)");
    assert.deepEqual([overlaps.field, overlaps.op, overlaps.values], ['tags', 'contains', ['a']]);
    const sized = pred("ARRAY_SIZE(ARRAY_INTERSECTION(tags, ['a', 'b'])) > 0");
    assert.deepEqual([sized.field, sized.op, sized.values], ['tags', 'contains', ['a', 'b']]);
  });

  it("a bound on Panther's time columns is the query's window, kept as text, not an indicator", () => {
    const a = ok("SELECT * FROM t WHERE p_event_time >= TIMESTAMP '2025-11-24 03:00:00' AND action = 'x'");
    assert.deepEqual(
      indicatorsOf(a.stages).map((i) => `${i.field} ${i.op} ${i.value}`),
      ['action eq x'],
    );
  });

  it('lower() and upper() make the comparison case-insensitive', () => {
    const c = pred("lower(userAgent) = 'curl'");
    assert.equal(c.field, 'userAgent');
    assert.equal(c.caseSensitive, false);
    const folded = pred("LOWER(ARRAY_TO_STRING(parameters:scope, ' ')) LIKE '%drive%'");
    assert.equal(folded.field, 'parameters.scope');
    assert.equal(folded.caseSensitive, false);
  });

  it('keeps computed columns as written', () => {
    const c = pred('ARRAY_SIZE(types) > 1');
    assert.equal(c.field, 'ARRAY_SIZE(types)');
    assert.deepEqual(c.values, [1]);
  });

  it('keeps time filters and unresolvable comparisons as other nodes', () => {
    assert.deepEqual(where("p_occurs_since('1 day')"), { kind: 'other', text: "p_occurs_since('1 day')" });
    assert.equal(where("p_event_time >= CURRENT_TIMESTAMP - INTERVAL '7 days'").kind, 'other');
    assert.equal(where('x IN (SELECT y FROM u)').kind, 'other');
    assert.equal(where('1 = 1').kind, 'other');
    assert.equal(where('is_admin').kind, 'other');
  });
});

describe('sql: fields', () => {
  it('reads variant paths as dotted fields', () => {
    assert.equal(pred("actor:alternateId = 'a'").field, 'actor.alternateId');
    assert.equal(pred("client:geographicalContext:city = 'a'").field, 'client.geographicalContext.city');
    assert.equal(pred('p_any_ip_addresses:"x":y = \'a\'').field, 'p_any_ip_addresses.x.y');
    assert.equal(
      pred("requestObject:spec:containers[0]:securityContext:privileged = 'true'").field,
      'requestObject.spec.containers[0].securityContext.privileged',
    );
    assert.equal(pred("actor:attributes.email = 'a'").field, 'actor.attributes.email');
    assert.equal(pred("a['b'] = 'c'").field, 'a.b');
  });

  it('sees through casts and conversions', () => {
    const c = pred("properties:result::string = 'success'");
    assert.equal(c.field, 'properties.result');
    assert.equal(pred("CAST(a AS varchar) = 'x'").field, 'a');
    assert.equal(pred("TO_VARCHAR(a:b) = 'x'").field, 'a.b');
    assert.equal(pred("PARSE_JSON(env):APPLICATION = 'x'").field, 'env.APPLICATION');
  });

  it('drops table names and aliases that qualify a column', () => {
    const r = ok("SELECT * FROM panther_logs.public.aws_cloudtrail c WHERE c.eventName = 'x' AND c.userIdentity:arn = 'y'");
    assert.deepEqual(
      predicatesOf(stage(r, 'where').condition).map((x) => x.field),
      ['eventName', 'userIdentity.arn'],
    );
    const full = ok("SELECT * FROM panther_logs.public.fdr WHERE panther_logs.public.fdr.fdr_event_type = 'aid_master'");
    assert.equal(predicatesOf(stage(full, 'where').condition)[0]!.field, 'fdr_event_type');
  });
});

describe('sql: Jinja and Panther macros', () => {
  it('keeps Jinja placeholders as written', () => {
    assert.deepEqual(pred("USER_NAME = '{{username}}'").values, ['{{username}}']);
    assert.deepEqual(pred('abs(z) >= {{ zscore }}').values, ['{{ zscore }}']);
  });

  it('reads Jinja statements as blanks and Panther macro arguments', () => {
    const r = ok(
      "-- pragma: template\n{% set username = 'X' %}\nselect a, from t where p_occurs_since(1h, , p_parse_time) and p_occurs_since(1 hour) and u = '{{username}}'",
    );
    assert.deepEqual(r.outputFields, [{ field: 'a', source: 'select' }]);
    assert.equal(predicatesOf(stage(r, 'where').condition).length, 1);
  });

  it('reads a WITH list ending in a macro call as a template stage', () => {
    const q =
      "{% import 'anomalies' new_unique_values %}\nwith subquery as (\n  SELECT a FROM panther_logs.public.azure_audit WHERE category = 'AuditLogs'\n),\n{{ new_unique_values('subquery', 'a', 'b', '1h') }}";
    const r = ok(q);
    assert.deepEqual(
      r.stages.map((s) => [s.kind, s.depth]),
      [
        ['with', 1],
        ['select', 1],
        ['from', 1],
        ['where', 1],
        ['template', 0],
      ],
    );
    assert.equal(stage(r, 'template').text, "{{ new_unique_values('subquery', 'a', 'b', '1h') }}");
    assert.deepEqual(stage(r, 'template').sources, ['panther_logs.public.azure_audit']);
    assert.deepEqual(r.sources, ['panther_logs.public.azure_audit']);
    assert.deepEqual(r.outputFields, []);
    assert.equal(r.diagnostics.length, 1);
    assert.equal(r.diagnostics[0]!.severity, 'info');
    assert.equal(r.diagnostics[0]!.line, 5);
  });

  it('analyses each macro of a macro library', () => {
    const q = [
      '-- pragma: template',
      '{% macro first(subquery, field) export %}',
      'vals as (select distinct {{ field }} from {{ subquery }} where x = 1)',
      'select * from vals',
      '{% endmacro %}',
      '{% macro second(subquery) export %}',
      "select a from {{ subquery }} where b = 'c'",
      '{% endmacro %}',
    ].join('\n');
    const r = ok(q);
    assert.deepEqual(
      r.stages.map((s) => [s.kind, s.depth]),
      [
        ['macro', 0],
        ['with', 2],
        ['select', 2],
        ['from', 2],
        ['where', 2],
        ['select', 1],
        ['from', 1],
        ['macro', 0],
        ['select', 1],
        ['from', 1],
        ['where', 1],
      ],
    );
    assert.ok(stage(r, 'macro').text.startsWith('{% macro first'));
    assert.deepEqual(r.sources, []);
    assert.equal(r.diagnostics[0]!.severity, 'info');
  });

  it('reports errors inside a macro at their place in the file', () => {
    const r = sql.analyse('{% macro m(x) %}\nselect a from\n{% endmacro %}', testContext);
    assert.equal(r.parsed, false);
    const d = r.diagnostics.find((x) => x.severity === 'error');
    assert.equal(d?.line, 3);
  });
});

describe('sql: CTEs, joins and subqueries', () => {
  const q = `WITH logins AS (
  SELECT actor:alternateId AS user, client:ipAddress AS ip
  FROM panther_logs.public.okta_systemlog
  WHERE eventType = 'user.session.start'
),
baseline AS (SELECT user, ip FROM logins WHERE p_occurs_since('30 days'))
SELECT l.*, b.ip AS known_ip
FROM logins l
LEFT JOIN baseline b ON l.user = b.user
WHERE b.ip IS NULL`;
  const r = ok(q);

  it('lists CTEs at depth 1 with their clauses', () => {
    assert.deepEqual(
      r.stages.map((s) => [s.kind, s.depth]),
      [
        ['with', 1],
        ['select', 1],
        ['from', 1],
        ['where', 1],
        ['with', 1],
        ['select', 1],
        ['from', 1],
        ['where', 1],
        ['select', 0],
        ['from', 0],
        ['join', 0],
        ['where', 0],
      ],
    );
    assert.ok(stage(r, 'with').text.startsWith('logins AS ('));
    assert.ok(stage(r, 'with').text.endsWith(')'));
    assert.equal(stage(r, 'with', 1).text, "baseline AS (SELECT user, ip FROM logins WHERE p_occurs_since('30 days'))");
  });

  it('resolves CTE names to the tables they read', () => {
    assert.deepEqual(r.sources, ['panther_logs.public.okta_systemlog']);
    assert.deepEqual(stage(r, 'from', 2).sources, ['panther_logs.public.okta_systemlog']);
    assert.deepEqual(stage(r, 'join').sources, ['panther_logs.public.okta_systemlog']);
  });

  it('gives the join its ON condition, negated: `WHERE b.ip IS NULL` makes it an anti-join', () => {
    const j = stage(r, 'join');
    assert.equal(j.text, 'LEFT JOIN baseline b ON l.user = b.user');
    assert.deepEqual(j.condition, { kind: 'not', child: p('user', 'fieldref', ['user'], false, true, '=', 'l.user = b.user') });
  });

  it('expands t.* from a CTE with known columns', () => {
    assert.deepEqual(
      r.outputFields.map((f) => f.field),
      ['user', 'ip', 'known_ip'],
    );
  });

  it('puts subqueries one level deeper, after their stage', () => {
    const s = ok(
      "SELECT * FROM panther_logs.public.aws_cloudtrail WHERE eventName = 'x' AND ip NOT IN (SELECT DISTINCT aip FROM panther_logs.public.crowdstrike_aidmaster)",
    );
    assert.deepEqual(
      s.stages.map((x) => [x.kind, x.depth]),
      [
        ['select', 0],
        ['from', 0],
        ['where', 0],
        ['select', 1],
        ['from', 1],
      ],
    );
    assert.deepEqual(s.sources, ['panther_logs.public.aws_cloudtrail', 'panther_logs.public.crowdstrike_aidmaster']);
  });

  it('reads the conditions of NOT EXISTS and NOT IN subqueries as exclusions', () => {
    const s = ok(
      [
        "SELECT * FROM logs WHERE eventName = 'ConsoleLogin'",
        "  AND NOT EXISTS (SELECT 1 FROM allow a WHERE a.ip = logs.ip AND a.kind = 'vpn')",
        "  AND user NOT IN (SELECT name FROM admins WHERE role = 'breakglass')",
        "  AND EXISTS (SELECT 1 FROM seen WHERE NOT EXISTS (SELECT 1 FROM gone WHERE gone.state = 'deleted'))",
      ].join('\n'),
    );
    assert.deepEqual(
      indicatorsOf(s.stages).map((i) => [i.field, i.value, i.negated]),
      [
        ['eventName', 'ConsoleLogin', false],
        ['kind', 'vpn', true],
        ['role', 'breakglass', true],
        ['state', 'deleted', true],
      ],
    );
    // The join key stays a key, but of the excluded side.
    assert.deepEqual(
      correlationsOf(s.stages).map((c) => [c.field, c.with, c.negated]),
      [['ip', 'ip', true]],
    );
  });

  it('reads the joined side of an anti-join (LEFT JOIN ... WHERE b.k IS NULL) as exclusions', () => {
    const s = ok(
      [
        'SELECT l.user FROM logins l',
        "LEFT JOIN (SELECT user FROM approvals WHERE status = 'approved') b ON l.user = b.user AND b.kind = 'mfa'",
        "LEFT JOIN devices d ON l.device = d.id AND d.owner = 'it'",
        "WHERE l.action = 'login' AND b.user IS NULL",
      ].join('\n'),
    );
    assert.deepEqual(
      indicatorsOf(s.stages).map((i) => [i.field, i.value, i.negated]),
      [
        ['kind', 'mfa', true],
        ['status', 'approved', true],
        // A LEFT JOIN whose columns the WHERE does not require NULL stays as stated.
        ['owner', 'it', false],
        ['action', 'login', false],
        ['user', '*', true],
      ],
    );
  });

  it('a subquery under two negations is read as stated', () => {
    const s = ok("SELECT * FROM t WHERE NOT (a NOT IN (SELECT a FROM u WHERE u.b = 'x'))");
    assert.deepEqual(
      indicatorsOf(s.stages).map((i) => [i.field, i.value, i.negated]),
      [['b', 'x', false]],
    );
  });

  it('reads derived tables, LATERAL FLATTEN and TABLE(FLATTEN()) without counting them as sources', () => {
    const s = ok(
      'SELECT x.*, f.value AS v FROM (SELECT a FROM db.s.t1) x, LATERAL FLATTEN(input => x.a) f CROSS JOIN TABLE(FLATTEN(input => x.b, outer => true)) g',
    );
    assert.deepEqual(s.sources, ['db.s.t1']);
    assert.equal(stage(s, 'from').text, 'FROM (SELECT a FROM db.s.t1) x, LATERAL FLATTEN(input => x.a) f');
    assert.equal(stage(s, 'join').text, 'CROSS JOIN TABLE(FLATTEN(input => x.b, outer => true)) g');
    assert.deepEqual(
      s.outputFields.map((f) => f.field),
      ['a', 'v'],
    );
  });

  it('reads JOIN ... USING', () => {
    const s = ok('SELECT * FROM a JOIN b USING (id, org)');
    assert.equal(predicatesOf(stage(s, 'join').condition).length, 2);
  });

  it('lists UNION and MINUS as stages; columns come from the first leg', () => {
    const s = ok('SELECT a, b FROM t1 UNION ALL SELECT c, d FROM t2 MINUS SELECT e, f FROM t3 ORDER BY a LIMIT 5');
    assert.deepEqual(
      s.stages.map((x) => x.kind),
      ['select', 'from', 'union', 'select', 'from', 'minus', 'select', 'from', 'order by', 'limit'],
    );
    assert.equal(stage(s, 'union').text, 'UNION ALL');
    assert.deepEqual(
      s.outputFields.map((f) => f.field),
      ['a', 'b'],
    );
    assert.deepEqual(s.sources, ['t1', 't2', 't3']);
  });

  it('reads GROUP BY, HAVING and QUALIFY', () => {
    const s = ok(
      'SELECT userIdentity:arn AS arn, count(DISTINCT eventName) AS n FROM t GROUP BY userIdentity:arn HAVING count(DISTINCT eventName) > 10 QUALIFY row_number() OVER (PARTITION BY arn ORDER BY n DESC) = 1',
    );
    assert.equal(stage(s, 'group by').text, 'GROUP BY userIdentity:arn');
    assert.deepEqual(
      stage(s, 'having').condition,
      p('count(DISTINCT eventName)', 'gt', [10], false, false, '>', 'count(DISTINCT eventName) > 10'),
    );
    assert.equal(stage(s, 'qualify').condition?.kind, 'pred');
  });

  it('reads MATCH_RECOGNIZE, whose columns are its own', () => {
    const s = ok(`WITH l AS (SELECT user_name, error_message FROM snowflake.account_usage.login_history)
SELECT * FROM l MATCH_RECOGNIZE(
  PARTITION BY user_name ORDER BY p_event_time DESC
  MEASURES count(*) as n ONE ROW PER MATCH
  PATTERN(ok fail+) DEFINE ok AS error_message is null, fail AS error_message is not null
) HAVING n >= 5`);
    assert.deepEqual(s.outputFields, [{ field: '*', source: 'select' }]);
    assert.deepEqual(s.sources, ['snowflake.account_usage.login_history']);
  });
});

describe('sql: Snowflake syntax', () => {
  const snippets = [
    'SELECT DISTINCT a FROM t ORDER BY a ASC NULLS LAST LIMIT 10 OFFSET 5',
    'SELECT TOP 5 a FROM t',
    'SELECT a FROM t FETCH FIRST 3 ROWS ONLY',
    "SELECT CASE WHEN a LIKE '%x%' THEN 1 WHEN b THEN 2 ELSE 0 END AS c FROM t",
    "SELECT CASE a WHEN 'x' THEN 1 END FROM t",
    'SELECT ARRAY_AGG(DISTINCT a) WITHIN GROUP (ORDER BY a) AS l, COUNT(*) OVER () AS n FROM t',
    'SELECT FIRST_VALUE(a) IGNORE NULLS OVER (PARTITION BY b ORDER BY c ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM t',
    "SELECT EXTRACT(hour FROM p_event_time), DATE '2024-01-01', TIMESTAMP '2024-01-01 00:00:00', INTERVAL '1 day' FROM t",
    'SELECT CAST(a AS number(38, 0)), TRY_CAST(b AS varchar), c::timestamp_ntz(9), CURRENT_TIMESTAMP, current_date() FROM t',
    "SELECT dateadd('day', -1-seq4(), p_current_timestamp()) AS t1 FROM table(generator(rowcount => 90))",
    'SELECT a FROM t WHERE a IS DISTINCT FROM b AND c IS NOT TRUE',
    'SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.a = t.a) AND a = (SELECT max(a) FROM u)',
    '(SELECT a FROM t1) UNION (SELECT a FROM t2)',
    'SELECT a FROM t GROUP BY ALL',
    'SELECT a FROM t GROUP BY (a, b)',
    'SELECT "Quoted Col", "t"."x" FROM "DB"."SCHEMA"."T"',
    'SELECT a || b, a % 2, -a, +a, a / b FROM t;',
    "SELECT ['a', 'b'] AS arr, $1 FROM t",
    'SELECT a FROM t NATURAL JOIN u FULL OUTER JOIN v ON t.x = v.x RIGHT JOIN w USING (y) ASOF JOIN z MATCH_CONDITION (t.ts >= z.ts) ON t.k = z.k',
    'WITH RECURSIVE r (n) AS (SELECT 1) SELECT n FROM r',
    '/* block */ SELECT a -- line\nFROM t // other\n',
  ];
  for (const q of snippets) {
    it(`parses ${q.slice(0, 70).replace(/\s+/g, ' ')}`, () => {
      ok(q);
    });
  }

  it('reads IS DISTINCT FROM as a negated eq', () => {
    const c = pred("a IS DISTINCT FROM 'x'");
    assert.equal(c.op, 'eq');
    assert.equal(c.negated, true);
  });

  it('counts table functions other than FLATTEN and GENERATOR as sources', () => {
    assert.deepEqual(ok('SELECT * FROM TABLE(information_schema.login_history())').sources, ['information_schema.login_history']);
  });
});

describe('sql: output columns', () => {
  it('uses aliases, column names, and expressions as written', () => {
    const r = ok('SELECT a AS x, t.b, actor:alternateId, count(*), *, q.* FROM t JOIN q ON t.id = q.id');
    assert.deepEqual(
      r.outputFields.map((f) => f.field),
      ['x', 'b', 'actor.alternateId', 'count(*)', '*', 'q.*'],
    );
  });

  it('accepts a trailing comma, `//` comments and * EXCLUDE', () => {
    const r = ok('SELECT * EXCLUDE (a, b), c, // note\n FROM t');
    assert.deepEqual(
      r.outputFields.map((f) => f.field),
      ['*', 'c'],
    );
  });
});

describe('sql: errors', () => {
  it('reports where a query stops parsing', () => {
    const d = error("SELECT *\nFROM t\nWHERE a = 'x'\nINNER JOIN u ON a = b");
    assert.equal(d.line, 4);
    assert.equal(d.column, 1);
    assert.match(d.message, /found "INNER"/);
  });

  it('reports a missing table', () => {
    const d = error('SELECT a FROM t JOIN u ON a = b,\nwhere x = 1');
    assert.equal(d.line, 2);
    assert.match(d.message, /table name/);
  });

  it('reports the end of the query', () => {
    const d = error('SELECT a FROM t WHERE (a = 1');
    assert.match(d.message, /end of query/);
  });

  it('reports empty queries', () => {
    assert.match(error('').message, /empty/);
    assert.match(error('-- only a comment\n').message, /empty/);
  });

  // Hostile input and every prefix of a query: the language conformance suite.

  it('parses deep nesting in linear time', () => {
    const deep = `SELECT * FROM t WHERE ${'('.repeat(60)}a = 1${')'.repeat(60)} AND f(${'g('.repeat(60)}x${')'.repeat(61)} = 2`;
    const started = Date.now();
    ok(deep);
    assert.ok(Date.now() - started < 1000);
  });
});

describe('sql: MATCH_RECOGNIZE', () => {
  const match = (pattern: string, defines: string) =>
    stage(
      ok(`SELECT * FROM logins MATCH_RECOGNIZE(
        PARTITION BY user ORDER BY ts DESC
        MEASURES count(bad.*) AS fails, 'x' AS define_like_text
        ONE ROW PER MATCH
        AFTER MATCH SKIP TO LAST bad
        PATTERN(${pattern})
        DEFINE ${defines}
      ) WHERE fails > 3`),
      'define',
    ).condition;
  const defines = "good AS error IS NULL, bad AS error IS NOT NULL AND kind = 'login', maybe AS kind = 'mfa'";

  it('the rows a PATTERN needs are its DEFINE conditions, each required', () => {
    assert.equal(conditionText(match('good bad+ maybe*', defines)), '(error !exists [] and error exists [] and kind eq ["login"])');
    assert.equal(
      conditionText(match('good{1,} bad{2,5} maybe{0,2}', defines)),
      '(error !exists [] and error exists [] and kind eq ["login"])',
    );
    const roles = indicatorsOf(ok(`SELECT * FROM logins MATCH_RECOGNIZE(PATTERN(good bad+) DEFINE ${defines})`).stages).map(
      (i) => `${i.role} ${i.negated ? 'not ' : ''}${i.field} ${i.op}`,
    );
    assert.ok(roles.includes('required kind eq'), roles.join('\n'));
  });

  it('an alternation needs any one of its variables; no DEFINE, no condition', () => {
    assert.equal(conditionText(match('(good | maybe)', defines)), '(error !exists [] or kind eq ["mfa"])');
    assert.equal(stage(ok('SELECT * FROM logins MATCH_RECOGNIZE(PATTERN(a b) MEASURES count(*) AS n)'), 'select').condition, undefined);
  });
});

describe('sql: computed columns', () => {
  /** The condition of the last stage holding one. */
  const last = (query: string): string =>
    conditionText(
      ok(query)
        .stages.filter((s) => s.condition)
        .pop()?.condition,
    );

  it('a select alias named in WHERE is what it computes: lower() a case-insensitive predicate on the column', () => {
    assert.equal(last("SELECT lower(user_name) AS u FROM logs WHERE u = 'admin'"), 'user_name eq~ ["admin"]');
    // A column of the same name wins over the alias in Snowflake.
    assert.equal(last("SELECT lower(user_name) AS user_name FROM logs WHERE user_name = 'Admin'"), 'user_name eq ["Admin"]');
  });

  it('a CTE column computed from conditions: its filter is the conditions, with their polarity', () => {
    const cte = `WITH t AS (
      SELECT actor:alternateId AS who,
             IFF(eventType = 'user.session.start', 1, 0) AS is_login,
             CASE WHEN outcome = 'FAILURE' THEN 'bad' WHEN outcome = 'SUCCESS' THEN 'good' END AS result
      FROM okta)`;
    assert.equal(
      last(`${cte} SELECT * FROM t WHERE is_login = 1 AND who ILIKE '%admin%'`),
      '(eventType eq ["user.session.start"] and actor.alternateId wildcard~ ["*admin*"])',
    );
    assert.equal(last(`${cte} SELECT who FROM t WHERE is_login = 0`), 'not eventType eq ["user.session.start"]');
    assert.equal(last(`${cte} SELECT who FROM t WHERE result = 'good'`), '(outcome eq ["SUCCESS"] and not outcome eq ["FAILURE"])');
    assert.equal(last(`${cte} SELECT who FROM t WHERE result IS NULL`), 'not (outcome eq ["FAILURE"] or outcome eq ["SUCCESS"])');
    assert.equal(last(`${cte}, u AS (SELECT is_login AS l FROM t) SELECT * FROM u WHERE l = 1`), 'eventType eq ["user.session.start"]');
  });

  it('a derived table, a simple CASE and a bare boolean column', () => {
    assert.equal(last("SELECT * FROM (SELECT CASE kind WHEN 'a' THEN 1 ELSE 0 END AS f FROM x) WHERE NOT f = 1"), 'not kind eq ["a"]');
    assert.equal(last("SELECT * FROM (SELECT kind = 'a' OR kind = 'b' AS ab FROM x) WHERE ab"), '(kind eq ["a"] or kind eq ["b"])');
  });

  it('an aggregate over selected rows that a filter requires non-zero: its rows are required', () => {
    const counted = `SELECT user, COUNT_IF(action = 'fail') AS fails, SUM(IFF(action = 'ok', 1, 0)) AS oks,
      COUNT(CASE WHEN kind = 'x' THEN 1 END) AS xs, COUNT(*) AS total FROM logs WHERE action IN ('fail', 'ok', 'other') GROUP BY user`;
    assert.equal(
      last(`${counted} HAVING fails >= 5 AND oks > 0`),
      '(fails gte~ [5] and action eq ["fail"] and oks gt~ [0] and action eq ["ok"])',
    );
    assert.equal(last(`${counted} HAVING xs > 0`), '(xs gt~ [0] and kind eq ["x"])');
    // Written out in HAVING, and read from a CTE through a sum.
    assert.equal(
      last("SELECT user FROM logs GROUP BY user HAVING COUNT_IF(action = 'fail') > 2"),
      '(COUNT_IF(action = \'fail\') gt~ [2] and action eq ["fail"])',
    );
    assert.equal(last(`WITH t AS (${counted}) SELECT SUM(fails) AS f FROM t HAVING f > 10`), '(f gt~ [10] and action eq ["fail"])');
    const roles = indicatorsOf(ok(`${counted} HAVING fails >= 5`).stages).map((i) => `${i.role} ${i.field} ${i.op} ${i.value}`);
    assert.ok(roles.includes('required action eq fail'), roles.join('\n'));
    // A filter an empty aggregate passes, or an aggregate of every row, says nothing of the rows.
    assert.equal(last(`${counted} HAVING fails < 3`), 'fails lt~ [3]');
    assert.equal(last(`${counted} HAVING total > 3`), 'total gt~ [3]');
  });

  it('aggregates are no computed columns; an untraced computation gets one info', () => {
    assert.equal(last('SELECT count(*) AS c, u FROM x GROUP BY u HAVING c > 3'), 'c gt~ [3]');
    const result = ok("SELECT datediff('day', a, b) AS d FROM x WHERE d > 3 OR d < 0");
    assert.equal(conditionText(stage(result, 'where').condition), '(d gt~ [3] or d lt~ [0])');
    assert.deepEqual(
      result.diagnostics.map((d) => [d.severity, d.message]),
      [['info', "the filter on computed column d is kept as written: its definition (datediff('day', a, b)) is not traced to conditions"]],
    );
  });
});
