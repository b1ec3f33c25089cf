import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Diagnostic } from '../model/types.js';
import { analyseQuery, prepareLanguages } from './registry.js';
import { testContext } from './test-support.js';

before(async () => {
  await prepareLanguages();
});

const gaps = (language: string, query: string): Diagnostic[] =>
  analyseQuery(language, query, testContext).diagnostics.filter((d) => d.message.endsWith('is not read: its condition is kept as text'));

/** Per language: a query with conditions kept as text, the constructs its diagnostics name, and a query read in full. */
const cases: { language: string; unread: string; constructs: string[]; read: string }[] = [
  {
    language: 'kql',
    unread: 'SigninLogs\n| where TimeGenerated > ago(1d) and Timestamp > ago(2d) and UserPrincipalName == "x"',
    constructs: ['`ago()`'],
    read: 'SigninLogs | where UserPrincipalName == "x"',
  },
  {
    language: 'eql',
    unread: 'process where a == 1 and not descendant of [process where process.name : "cmd.exe"] and length(b) > 3',
    constructs: ['`descendant of`', '`length()`'],
    read: 'sequence [process where process.name == "certutil.exe"] [file where true] | head 10',
  },
  {
    language: 'esql',
    unread: 'FROM logs-* | WHERE length(user.name) > 4 AND user.name != user.target.name',
    constructs: ['`length()`', 'a comparison with another field or a computed value'],
    read: 'FROM logs-* | WHERE user.name == "x"',
  },
  {
    language: 'sql',
    unread: "SELECT * FROM t WHERE p_occurs_since('1 day') AND a = 'x'",
    constructs: ['`p_occurs_since()`'],
    read: "SELECT * FROM t WHERE a = 'x'",
  },
  {
    language: 'spl',
    unread: 'index=main earliest=-1h EventCode=1',
    constructs: ['time modifier `earliest=`'],
    read: 'index=main EventCode=1',
  },
  {
    language: 'lucene',
    unread: 'user:jon~2 AND "a b"~3 AND *',
    constructs: ['fuzzy search `~`', 'proximity search `"..."~N`'],
    read: 'user:jon AND host:a*',
  },
  {
    language: 'yaral',
    unread:
      'rule t {\n  events:\n    $e.metadata.event_type = "USER_LOGIN"\n    $h = strings.coalesce($e.principal.hostname, $e.principal.ip)\n  condition:\n    $e\n}',
    constructs: ['`strings.coalesce()`'],
    read: 'rule t {\n  events:\n    $e.metadata.event_type = "USER_LOGIN"\n  condition:\n    $e\n}',
  },
  {
    language: 'panther-detection',
    unread:
      'Detection:\n  - Condition: IsGreaterThan\n    Values:\n      - Key: a\n      - Key: b\n  - Condition: AnyElement\n    Expressions: []',
    constructs: ['`IsGreaterThan` between two keys', '`AnyElement` without a key'],
    read: 'Detection:\n  - Key: action\n    Condition: Equals\n    Value: repo.archived\n  - Condition: AlwaysFalse',
  },
];

describe('a condition kept as text gets an info diagnostic naming its construct', () => {
  for (const c of cases) {
    it(c.language, () => {
      const found = gaps(c.language, c.unread);
      assert.deepEqual(
        found.map((d) => d.message.replace(' is not read: its condition is kept as text', '')),
        c.constructs,
      );
      for (const d of found) {
        assert.equal(d.severity, 'info');
        assert.equal(d.scope, 'query');
      }
      assert.equal(analyseQuery(c.language, c.unread, testContext).parsed, true);
      assert.deepEqual(gaps(c.language, c.read), []);
    });
  }
});

it('the diagnostic points at the first condition of its construct', () => {
  const [d] = gaps('kql', 'SigninLogs\n| where TimeGenerated > ago(1d) and Timestamp > ago(2d)');
  assert.deepEqual([d?.line, d?.column], [2, 9]);
});

it('a condition a warning already points at gets no second diagnostic', () => {
  const query = 'FROM logs-* | WHERE KQL("a:(")';
  const all = analyseQuery('esql', query, testContext).diagnostics;
  assert.ok(all.some((d) => d.severity === 'warning'));
  assert.deepEqual(gaps('esql', query), []);
});

it('a query names at most 8 constructs, each once', () => {
  const calls = Array.from({ length: 12 }, (_, i) => `f${i}(a) AND f${i}(b)`).join(' AND ');
  const found = gaps('sql', `SELECT * FROM t WHERE ${calls}`);
  assert.equal(found.length, 8);
  assert.equal(new Set(found.map((d) => d.message)).size, 8);
});
