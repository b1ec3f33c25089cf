import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { testContext } from '../languages/test-support.js';
import { analyseQuery, prepareLanguages } from '../languages/registry.js';
import type { Indicator } from '../model/types.js';
import { indicatorsOf } from './indicators.js';

/**
 * Each indicator as `role field=value`, `!` when negated, then the groups it sits in, outermost
 * first (`any#1.0`: branch 0 of "one of" group 1; `notAll#0.1`: member 1 of group 0, excluded together).
 */
function structure(language: string, query: string): string[] {
  const analysis = analyseQuery(language, query, testContext);
  assert.equal(analysis.parsed, true, JSON.stringify(analysis.diagnostics));
  return indicatorsOf(analysis.stages).map(shown);
}

function shown(i: Indicator): string {
  const groups = (i.groups ?? []).map((g) => ` ${g.kind}#${g.id}.${g.branch}`).join('');
  return `${i.role} ${i.negated ? '!' : ''}${i.field}=${i.value}${groups}`;
}

before(() => prepareLanguages(['kql', 'sigma', 'kuery', 'spl', 'sql']));

describe('indicator roles from the condition tree', () => {
  it('tells a required value from one alternative among several, and keeps the branch an exclusion sits in', () => {
    assert.deepEqual(structure('kql', 'T | where A == "a" and not(B == "b") and C == "c"'), [
      'required A=a',
      'exclusion !B=b',
      'required C=c',
    ]);
    assert.deepEqual(structure('kql', 'T | where (A == "a" and not(B == "b")) or C == "c"'), [
      'alternative A=a any#0.0',
      'exclusion !B=b any#0.0',
      'alternative C=c any#0.1',
    ]);
  });

  it('reads a negated conjunction as one excluded group (De Morgan), a negated disjunction as exclusions each', () => {
    assert.deepEqual(structure('kql', 'T | where not(A == "a" and B == "b")'), ['exclusion !A=a notAll#0.0', 'exclusion !B=b notAll#0.1']);
    assert.deepEqual(structure('kql', 'T | where not(A == "a" or B == "b")'), ['exclusion !A=a', 'exclusion !B=b']);
    assert.deepEqual(structure('kql', 'T | where X !in ("p", "q")'), ['exclusion !X=p', 'exclusion !X=q']);
    // Within an excluded group, a written `or` stays a "one of" group of its members.
    assert.deepEqual(structure('kql', 'T | where not(A == "a" and (B == "b" or C == "c"))'), [
      'exclusion !A=a notAll#0.0',
      'exclusion !B=b notAll#0.1 any#1.0',
      'exclusion !C=c notAll#0.1 any#1.1',
    ]);
    // A doubly negated member is positive: the rule matches when it holds (not A, or B).
    assert.deepEqual(structure('kql', 'T | where not(A == "a" and not(B == "b"))'), [
      'exclusion !A=a notAll#0.0',
      'alternative B=b notAll#0.1',
    ]);
  });

  it('keeps has_any (any value) apart from has_all (every value)', () => {
    assert.deepEqual(structure('kql', 'T | where X has_any ("p", "q") and Y has_all ("r", "s")'), [
      'alternative X=p any#0.0',
      'alternative X=q any#0.1',
      'required Y=r',
      'required Y=s',
    ]);
  });

  it('reads a value every branch states as required, once', () => {
    assert.deepEqual(structure('kql', 'T | where (A == "a" and B == "b") or (A == "a" and C == "c")'), [
      'required A=a',
      'alternative B=b any#0.0',
      'alternative C=c any#0.1',
    ]);
    // Stated in two branches of three, it is one alternative in each.
    assert.deepEqual(structure('kql', 'T | where (A == "a" and B == "b") or (A == "a" and C == "c") or D == "d"'), [
      'alternative A=a any#0.0',
      'alternative B=b any#0.0',
      'alternative A=a any#0.1',
      'alternative C=c any#0.1',
      'alternative D=d any#0.2',
    ]);
  });

  it('Sigma: a value list is one of its values, |all each of them, a negated filter of two fields one excluded pair', () => {
    const rule = `detection:
  selection:
    Image|endswith:
      - a.exe
      - b.exe
    CommandLine|contains|all:
      - x
      - y
  filter:
    User: SYSTEM
    ParentImage: p.exe
  condition: selection and not filter
`;
    assert.deepEqual(structure('sigma', rule), [
      'alternative Image=a.exe any#0.0',
      'alternative Image=b.exe any#0.1',
      'required CommandLine=x',
      'required CommandLine=y',
      'exclusion !User=SYSTEM notAll#1.0',
      'exclusion !ParentImage=p.exe notAll#1.1',
    ]);
  });

  it('kuery and SPL', () => {
    assert.deepEqual(structure('kuery', 'event.action: "a" and not (user.name: "x" and host.name: "h") and process.name: ("p" or "q")'), [
      'required event.action=a',
      'exclusion !user.name=x notAll#0.0',
      'exclusion !host.name=h notAll#0.1',
      'alternative process.name=p any#1.0',
      'alternative process.name=q any#1.1',
    ]);
    assert.deepEqual(structure('spl', 'index=main (EventCode=1 OR EventCode=2) NOT (User=a Host=b) NOT Image=c'), [
      'required index=main',
      'alternative EventCode=1 any#0.0',
      'alternative EventCode=2 any#0.1',
      'exclusion !User=a notAll#1.0',
      'exclusion !Host=b notAll#1.1',
      'exclusion !Image=c',
    ]);
  });
});

describe('indicator roles across the stages of an excluded side', () => {
  it('KQL: the stages of an anti join side or a !in subquery exclude together, not each', () => {
    assert.deepEqual(structure('kql', 'T | where A == "a" | join kind=leftanti (U | where B == "b" | where C == "c") on K'), [
      'required A=a',
      'exclusion !B=b notAll#0.0',
      'exclusion !C=c notAll#0.1',
    ]);
    assert.deepEqual(
      structure('kql', 'let known = U | where B == "b" | where C == "c" | project K; T | where A == "a" and K !in (known)'),
      ['exclusion !B=b notAll#0.0', 'exclusion !C=c notAll#0.1', 'required A=a'],
    );
    // The legs of an excluded union stand beside each other: each leg is excluded on its own.
    assert.deepEqual(structure('kql', 'T | join kind=leftanti (union (U | where B == "b" | where C == "c"), (V | where D == "d")) on K'), [
      'exclusion !B=b notAll#0.0',
      'exclusion !C=c notAll#0.1',
      'exclusion !D=d',
    ]);
    // Two anti joins are two sides: each is excluded on its own.
    assert.deepEqual(structure('kql', 'T | join kind=leftanti (U | where B == "b") on K | join kind=leftanti (V | where C == "c") on K'), [
      'exclusion !B=b',
      'exclusion !C=c',
    ]);
  });

  it('SPL and SQL: an excluded subsearch or subquery excludes the rows all its conditions hold for', () => {
    assert.deepEqual(structure('spl', 'index=main A=a NOT [search index=other B=b | where C="c" | fields K]'), [
      'required index=main',
      'required A=a',
      'exclusion !index=other notAll#0.0',
      'exclusion !B=b notAll#0.1',
      'exclusion !C=c notAll#0.2',
    ]);
    assert.deepEqual(
      structure('sql', "SELECT * FROM t WHERE a = 'x' AND k NOT IN (SELECT k FROM u WHERE b = 'y' GROUP BY k HAVING COUNT(*) > 5)"),
      ['required a=x', 'exclusion !b=y notAll#0.0', 'exclusion !COUNT(*)=5 notAll#0.1'],
    );
  });
});
