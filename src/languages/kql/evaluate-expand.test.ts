import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { recogniseLog } from '../../evaluate/event-log.js';
import { PreparedEvent, evaluateRule } from '../../evaluate/rule.js';
import type { Evaluation } from '../../evaluate/types.js';
import { readExpansion } from './evaluate-expand.js';
import { kql } from './index.js';

function run(query: string, event: unknown, trace = true): Evaluation {
  const analysis = kql.analyse(query, {});
  assert.ok(analysis.parsed, JSON.stringify(analysis.diagnostics));
  const rule = { language: 'kql', stages: analysis.stages, sources: analysis.sources, parsed: analysis.parsed };
  return evaluateRule(rule, new PreparedEvent(event, recogniseLog(event, 'T')), { trace });
}

/** The answer with and without a trace (the fire index asks without): they must agree. */
function fires(query: string, event: unknown): string {
  const traced = run(query, event).fires;
  assert.equal(run(query, event, false).fires, traced, `traced and untraced answers differ for ${query}`);
  return traced;
}

describe('KQL mv-expand: reading the stage', () => {
  it('reads names, paths, parsers, options, types and limits', () => {
    assert.deepEqual(readExpansion('| mv-expand parsed_json = todynamic(target_s)'), {
      items: [{ name: 'parsed_json', path: ['target_s'] }],
      bags: 'bag',
    });
    assert.deepEqual(readExpansion('| mv-expand kind=array with_itemindex=i a.b["c d"][0] to typeof(string), [\'x y\'] limit 3'), {
      items: [
        { name: 'a_b_c d_0', path: ['a', 'b', 'c d', 0], type: 'string' },
        { name: 'x y', path: ['x y'] },
      ],
      bags: 'array',
      index: 'i',
      limit: 3,
    });
    assert.equal((readExpansion('| mv-expand bagexpansion = array EventData') as { bags: string }).bags, 'array');
  });

  it('says what it does not read', () => {
    assert.match(readExpansion('| mv-expand split(x, ";")') as string, /not read/);
    assert.match(readExpansion('| mv-expand todynamic(x)') as string, /unnamed/);
    assert.match(readExpansion('| mv-expand t to typeof(datetime)') as string, /datetime/);
    assert.match(readExpansion('| mv-expand x = pack_array(a, b)') as string, /not read/);
  });
});

describe('KQL mv-expand: one row per element', () => {
  it('an array: the rule fires when one element passes the later filters', () => {
    const q = 'T | mv-expand Items | where Items == "b"';
    assert.equal(fires(q, { Items: ['a', 'b'] }), 'yes');
    assert.equal(fires(q, { Items: ['a', 'c'] }), 'no');
    // A dynamic column exported as JSON text, and todynamic / parse_json of it.
    assert.equal(fires(q, { Items: '["a","b"]' }), 'yes');
    assert.equal(
      fires('T | mv-expand e = todynamic(target_s) | where e.type == "User"', { target_s: '[{"type":"App"},{"type":"User"}]' }),
      'yes',
    );
    assert.equal(fires('T | mv-expand e = parse_json(target_s) | where e.type == "User"', { target_s: '[{"type":"App"}]' }), 'no');
    // A path into a dynamic column.
    assert.equal(fires('T | mv-expand r = Props.roles | where r =~ "ADMIN"', { Props: { roles: ['user', 'admin'] } }), 'yes');
  });

  it('the columns not expanded are copied to every row', () => {
    const q = 'T | mv-expand Items | where Items == "b" and Account == "x"';
    assert.equal(fires(q, { Items: ['a', 'b'], Account: 'x' }), 'yes');
    assert.equal(fires(q, { Items: ['a', 'b'], Account: 'y' }), 'no');
    // A filter before the expansion reads the column as it was.
    assert.equal(fires('T | where Items has "b" | mv-expand Items | where Items == "b"', { Items: ['a', 'b'] }), 'yes');
  });

  it('an empty array or bag makes no row; null makes one row of null', () => {
    assert.equal(fires('T | mv-expand Items', { Items: [] }), 'no');
    assert.equal(fires('T | mv-expand Items', { Items: {} }), 'no');
    assert.equal(fires('T | mv-expand Items', { Items: ['a'] }), 'yes');
    assert.equal(fires('T | mv-expand Items', { Items: null }), 'yes');
    assert.equal(fires('T | mv-expand Items | where isempty(Items)', {}), 'yes');
    assert.equal(fires('T | mv-expand Items | where isnotempty(Items)', {}), 'no');
    const none = run('T | mv-expand Items', { Items: [] });
    assert.match(none.trace.at(-1)?.note ?? '', /no row/);
  });

  it('a property bag: one-entry bags (kind=bag), or [key, value] arrays (kind=array)', () => {
    const e = { Bag: { user: 'bob', role: 'admin' } };
    assert.equal(fires('T | mv-expand Bag | where Bag.role == "admin"', e), 'yes');
    assert.equal(fires('T | mv-expand Bag | where Bag.role == "admin" and Bag.user == "bob"', e), 'no');
    assert.equal(fires('T | mv-expand kind=array Bag | where Bag[0] == "role" and Bag[1] == "admin"', e), 'yes');
    assert.equal(fires('T | mv-expand bagexpansion=array Bag | where Bag[0] == "user" and Bag[1] == "admin"', e), 'no');
  });

  it('several expressions expand in parallel, the shorter filled with null', () => {
    const e = { A: ['a1', 'a2', 'a3'], B: ['b1'] };
    assert.equal(fires('T | mv-expand A, B | where A == "a1" and B == "b1"', e), 'yes');
    assert.equal(fires('T | mv-expand A, B | where A == "a2" and B == "b1"', e), 'no');
    assert.equal(fires('T | mv-expand A, B | where A == "a3" and isempty(B)', e), 'yes');
  });

  it('to typeof(T) makes elements of another type null', () => {
    const e = { Items: ['1', 2, true] };
    assert.equal(fires('T | mv-expand Items to typeof(string) | where Items == "1"', e), 'yes');
    assert.equal(fires('T | mv-expand Items to typeof(long) | where Items == 2', e), 'yes');
    assert.equal(fires('T | mv-expand Items to typeof(long) | where Items == 1', e), 'no');
    assert.equal(fires('T | mv-expand Items to typeof(bool) | where Items == true', e), 'yes');
    assert.equal(fires('T | mv-expand Items to typeof(string) | where Items == 2', e), 'no');
  });

  it('with_itemindex numbers the rows from 0; limit keeps the first rows', () => {
    const e = { Items: ['a', 'b', 'c'] };
    assert.equal(fires('T | mv-expand with_itemindex=i Items | where i == 1 and Items == "b"', e), 'yes');
    assert.equal(fires('T | mv-expand with_itemindex=i Items | where i == 0 and Items == "b"', e), 'no');
    assert.equal(fires('T | mv-expand Items limit 2 | where Items == "b"', e), 'yes');
    assert.equal(fires('T | mv-expand Items limit 2 | where Items == "c"', e), 'no');
  });

  it('unknown for what is not read: a scalar, an expression, a computed column, stages after it not evaluated', () => {
    assert.equal(fires('T | mv-expand Items | where Items == "a"', { Items: 'a' }), 'unknown');
    assert.equal(fires('T | mv-expand Items | where Items == "a"', { Items: 5 }), 'unknown');
    const split = run('T | mv-expand x = split(Line, ";") | where x == "a"', { Line: 'a;b' });
    assert.equal(split.fires, 'unknown');
    assert.ok(split.unevaluated.some((g) => g.stage === 'mv-expand'));
    assert.equal(fires('T | extend L = todynamic(Raw) | mv-expand x = L | where x == "a"', { Raw: '["a"]' }), 'unknown');
    // A false filter before it still decides.
    assert.equal(fires('T | where A == 1 | mv-expand x = split(Line, ";")', { A: 2 }), 'no');
    // A gap after it keeps a matching row's answer unknown; with no row at all, no.
    assert.equal(fires('T | mv-expand Items | where Items == "a" | summarize count() by Items', { Items: ['a'] }), 'unknown');
    assert.equal(fires('T | mv-expand Items | where Items == "a" | summarize count() by Items', { Items: ['b'] }), 'no');
    assert.equal(fires('T | mv-expand Items | where Items == "a" | summarize count() by Items', { Items: [] }), 'no');
    // A row whose later filter is unknown, and none true: unknown.
    assert.equal(fires('T | mv-expand Items | where Items matches regex "(?=a)"', { Items: ['a'] }), 'unknown');
  });

  it('a column computed from the expanded one (extend of tostring(path)) reads the row', () => {
    const q =
      'T | mv-expand parsed_json = todynamic(target_s) | extend Alt = tostring(parsed_json.alternateId) | where isnotempty(Alt) and Alt != "unknown"';
    assert.equal(fires(q, { target_s: '[{"alternateId":"unknown"},{"alternateId":"bob@example.com"}]' }), 'yes');
    assert.equal(fires(q, { target_s: '[{"alternateId":"unknown"},{"type":"User"}]' }), 'no');
  });
});

describe('KQL mv-apply', () => {
  it('a subquery of where stages filters each row', () => {
    const q = 'T | mv-apply e = Items to typeof(string) on (where e has "evil") | where Account == "x"';
    assert.equal(fires(q, { Items: ['good', 'evil.exe'], Account: 'x' }), 'yes');
    assert.equal(fires(q, { Items: ['good'], Account: 'x' }), 'no');
    assert.equal(fires(q, { Items: ['evil'], Account: 'y' }), 'no');
  });

  it('a subquery doing more than filtering is unknown', () => {
    const q = 'T | mv-apply e = Items on (where e has "evil" | take 1)';
    const r = run(q, { Items: ['evil'] });
    assert.equal(r.fires, 'unknown');
    assert.ok(r.unevaluated.some((g) => /subquery/.test(g.reason)));
    assert.equal(fires('T | mv-apply e = Items on (summarize make_list(e))', { Items: ['evil'] }), 'unknown');
  });
});
