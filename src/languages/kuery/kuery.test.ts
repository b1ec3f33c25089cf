import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnalysisContext, Predicate, PredicateNode, QueryAnalysis } from '../../model/types.js';
import { kuery } from './index.js';

const context: AnalysisContext = { platform: 'elastic', declaredSources: [] };

function analysed(query: string): QueryAnalysis {
  const result = kuery.analyse(query, context);
  assert.equal(result.parsed, true, `did not parse: ${JSON.stringify(result.diagnostics)}`);
  assert.deepEqual(result.diagnostics, []);
  return result;
}

function condition(query: string): PredicateNode {
  const result = analysed(query);
  assert.equal(result.stages.length, 1);
  const cond = result.stages[0]!.condition;
  assert.ok(cond, 'no condition');
  return cond;
}

/** A fielded predicate node with the defaults of kuery: case-sensitive, nativeOp `:`. */
function pred(
  field: string,
  op: Predicate['op'],
  values: Predicate['values'],
  text: string,
  extra: Partial<Predicate> = {},
): PredicateNode {
  return {
    kind: 'pred',
    predicate: { field, op, values, negated: false, caseSensitive: true, nativeOp: ':', text, ...extra },
  };
}

test('id and name', () => {
  assert.equal(kuery.id, 'kuery');
  assert.equal(kuery.name, 'Kibana KQL (kuery)');
});

test('two field:value terms joined by and', () => {
  const query = '  data_stream.dataset:okta.system and event.action:user.session.impersonation.initiate\n';
  const result = analysed(query);
  assert.deepEqual(result, {
    stages: [
      {
        kind: 'query',
        text: 'data_stream.dataset:okta.system and event.action:user.session.impersonation.initiate',
        condition: {
          kind: 'and',
          children: [
            pred('data_stream.dataset', 'eq', ['okta.system'], 'data_stream.dataset:okta.system'),
            pred('event.action', 'eq', ['user.session.impersonation.initiate'], 'event.action:user.session.impersonation.initiate'),
          ],
        },
      },
    ],
    outputFields: [],
    sources: [],
    diagnostics: [],
    parsed: true,
  });
});

test('precedence: not binds tighter than and, and tighter than or', () => {
  assert.deepEqual(condition('a:1 or b:2 and not c:3 or d:4'), {
    kind: 'or',
    children: [
      pred('a', 'eq', ['1'], 'a:1'),
      { kind: 'and', children: [pred('b', 'eq', ['2'], 'b:2'), { kind: 'not', child: pred('c', 'eq', ['3'], 'c:3') }] },
      pred('d', 'eq', ['4'], 'd:4'),
    ],
  });
});

test('parentheses override precedence and same-kind groups flatten', () => {
  assert.deepEqual(condition('(a:1 or b:2) and (c:3 and d:4)'), {
    kind: 'and',
    children: [
      { kind: 'or', children: [pred('a', 'eq', ['1'], 'a:1'), pred('b', 'eq', ['2'], 'b:2')] },
      pred('c', 'eq', ['3'], 'c:3'),
      pred('d', 'eq', ['4'], 'd:4'),
    ],
  });
});

test('keywords are case-insensitive', () => {
  assert.deepEqual(condition('a:1 AND b:2 Or NOT c:3'), {
    kind: 'or',
    children: [
      { kind: 'and', children: [pred('a', 'eq', ['1'], 'a:1'), pred('b', 'eq', ['2'], 'b:2')] },
      { kind: 'not', child: pred('c', 'eq', ['3'], 'c:3') },
    ],
  });
});

test('quoted values: escapes removed, always a literal eq even with *', () => {
  const q = String.raw`process.command_line:"say \"hi\" \\ now*" and b:"tab\there\u0041" and c:"C:\Windows"`;
  assert.deepEqual(condition(q), {
    kind: 'and',
    children: [
      pred('process.command_line', 'eq', ['say "hi" \\ now*'], String.raw`process.command_line:"say \"hi\" \\ now*"`),
      pred('b', 'eq', ['tab\there' + 'A'], String.raw`b:"tab\there\u0041"`),
      // A backslash before any other character stays, as in Kibana.
      pred('c', 'eq', ['C:\\Windows'], String.raw`c:"C:\Windows"`),
    ],
  });
});

test('unquoted values: escaped special characters and keywords', () => {
  const q = String.raw`a:foo\(1\) and b:\*literal and c:\and and d:x\:y\{z\}\<\>\"`;
  assert.deepEqual(condition(q), {
    kind: 'and',
    children: [
      pred('a', 'eq', ['foo(1)'], String.raw`a:foo\(1\)`),
      pred('b', 'eq', ['*literal'], String.raw`b:\*literal`),
      pred('c', 'eq', ['and'], String.raw`c:\and`),
      pred('d', 'eq', ['x:y{z}<>"'], String.raw`d:x\:y\{z\}\<\>\"`),
    ],
  });
});

test('wildcards: unescaped * in an unquoted value', () => {
  const q = String.raw`process.name:*.exe and file.path:C\:\\Windows\\*\\cmd.exe and x:a\*b*`;
  assert.deepEqual(condition(q), {
    kind: 'and',
    children: [
      pred('process.name', 'wildcard', ['*.exe'], 'process.name:*.exe'),
      pred('file.path', 'wildcard', ['C:\\Windows\\*\\cmd.exe'], String.raw`file.path:C\:\\Windows\\*\\cmd.exe`),
      // A literal star inside a wildcard pattern is written \*.
      pred('x', 'wildcard', ['a\\*b*'], String.raw`x:a\*b*`),
    ],
  });
  assert.deepEqual(condition('process.name:"*.exe"'), pred('process.name', 'eq', ['*.exe'], 'process.name:"*.exe"'));
});

test('field:* is exists', () => {
  assert.deepEqual(condition('user.name:* and not host.name : *'), {
    kind: 'and',
    children: [pred('user.name', 'exists', [], 'user.name:*'), { kind: 'not', child: pred('host.name', 'exists', [], 'host.name : *') }],
  });
  // A quoted star is a literal value.
  assert.deepEqual(condition('user.name:"*"'), pred('user.name', 'eq', ['*'], 'user.name:"*"'));
});

test('ranges: >, >=, <, <= on numbers, dates and strings', () => {
  const q = 'a > 5 and b>=2024-01-01T00:00:00 and c < "m z" and d<=now-1d';
  // `2024-01-01T00:00:00` has unescaped colons: Kibana (and we) reject it unquoted.
  assert.equal(kuery.analyse(q, context).parsed, false);
  const ok = 'a > 5 and b>="2024-01-01T00:00:00" and c < "m z" and d<=now-1d';
  assert.deepEqual(condition(ok), {
    kind: 'and',
    children: [
      pred('a', 'gt', ['5'], 'a > 5', { nativeOp: '>' }),
      pred('b', 'gte', ['2024-01-01T00:00:00'], 'b>="2024-01-01T00:00:00"', { nativeOp: '>=' }),
      pred('c', 'lt', ['m z'], 'c < "m z"', { nativeOp: '<' }),
      pred('d', 'lte', ['now-1d'], 'd<=now-1d', { nativeOp: '<=' }),
    ],
  });
});

test('value lists: or/and/not over one field, text is the whole field:(...)', () => {
  const t1 = 'event.type:(start or "process_started")';
  assert.deepEqual(condition(t1), {
    kind: 'or',
    children: [pred('event.type', 'eq', ['start'], t1), pred('event.type', 'eq', ['process_started'], t1)],
  });
  const t2 = 'f:(a and (b or c*) and not d)';
  assert.deepEqual(condition(t2), {
    kind: 'and',
    children: [
      pred('f', 'eq', ['a'], t2),
      { kind: 'or', children: [pred('f', 'eq', ['b'], t2), pred('f', 'wildcard', ['c*'], t2)] },
      { kind: 'not', child: pred('f', 'eq', ['d'], t2) },
    ],
  });
  const t3 = 'f : ( a or b and c )';
  assert.deepEqual(condition(t3), {
    kind: 'or',
    children: [pred('f', 'eq', ['a'], t3), { kind: 'and', children: [pred('f', 'eq', ['b'], t3), pred('f', 'eq', ['c'], t3)] }],
  });
  const t4 = 'destination.domain:(* and not (a.com or *.b.com))';
  assert.deepEqual(condition(t4), {
    kind: 'and',
    children: [
      pred('destination.domain', 'exists', [], t4),
      {
        kind: 'not',
        child: {
          kind: 'or',
          children: [pred('destination.domain', 'eq', ['a.com'], t4), pred('destination.domain', 'wildcard', ['*.b.com'], t4)],
        },
      },
    ],
  });
});

test('nested fields: parent:{ child:v } gives parent.child', () => {
  assert.deepEqual(condition('user:{ first:alice and last:smi* } or a:{ b:{ c >= 3 } }'), {
    kind: 'or',
    children: [
      { kind: 'and', children: [pred('user.first', 'eq', ['alice'], 'first:alice'), pred('user.last', 'wildcard', ['smi*'], 'last:smi*')] },
      pred('a.b.c', 'gte', ['3'], 'c >= 3', { nativeOp: '>=' }),
    ],
  });
});

test('not: on a term, on a group, twice, and before a parenthesis', () => {
  assert.deepEqual(condition('not a:1'), { kind: 'not', child: pred('a', 'eq', ['1'], 'a:1') });
  assert.deepEqual(condition('NOT (a:1 or b:2)'), {
    kind: 'not',
    child: { kind: 'or', children: [pred('a', 'eq', ['1'], 'a:1'), pred('b', 'eq', ['2'], 'b:2')] },
  });
  assert.deepEqual(condition('not not a:1'), { kind: 'not', child: { kind: 'not', child: pred('a', 'eq', ['1'], 'a:1') } });
  assert.deepEqual(condition('not(a:1)'), { kind: 'not', child: pred('a', 'eq', ['1'], 'a:1') });
  // `not` that is part of a value or a field name is no keyword.
  assert.deepEqual(condition('notes:nothing'), pred('notes', 'eq', ['nothing'], 'notes:nothing'));
});

test('free text terms are predicates on field * (case-insensitive); bare * is other', () => {
  assert.deepEqual(condition('mimikatz or "sekurlsa logonpasswords" or invoke-*'), {
    kind: 'or',
    children: [
      pred('*', 'eq', ['mimikatz'], 'mimikatz', { caseSensitive: false }),
      pred('*', 'eq', ['sekurlsa logonpasswords'], '"sekurlsa logonpasswords"', { caseSensitive: false }),
      pred('*', 'wildcard', ['invoke-*'], 'invoke-*', { caseSensitive: false }),
    ],
  });
  assert.deepEqual(condition('*'), { kind: 'other', text: '*' });
});

test('wildcards and quotes in field names', () => {
  assert.deepEqual(condition('process.*:cmd.exe and *:evil and "odd field":x'), {
    kind: 'and',
    children: [
      pred('process.*', 'eq', ['cmd.exe'], 'process.*:cmd.exe'),
      pred('*', 'eq', ['evil'], '*:evil'),
      pred('odd field', 'eq', ['x'], '"odd field":x'),
    ],
  });
});

test('unquoted values keep inner spaces and stop at keywords', () => {
  assert.deepEqual(condition('note:hello  big world and b:(x y or z)'), {
    kind: 'and',
    children: [
      pred('note', 'eq', ['hello  big world'], 'note:hello  big world'),
      {
        kind: 'or',
        children: [pred('b', 'eq', ['x y'], 'b:(x y or z)'), pred('b', 'eq', ['z'], 'b:(x y or z)')],
      },
    ],
  });
});

test('numbers and booleans stay strings', () => {
  assert.deepEqual(condition('port:443 and trusted:true and v:null'), {
    kind: 'and',
    children: [
      pred('port', 'eq', ['443'], 'port:443'),
      pred('trusted', 'eq', ['true'], 'trusted:true'),
      pred('v', 'eq', ['null'], 'v:null'),
    ],
  });
});

test('whitespace and newlines anywhere', () => {
  const q = '\n\t(\n  event.category : process\n  and\n\tprocess.name :\n (\n  "a.exe" or\n  b.exe\n )\n)\n';
  const result = analysed(q);
  assert.equal(result.stages[0]!.text, q.trim());
  const t = 'process.name :\n (\n  "a.exe" or\n  b.exe\n )';
  assert.deepEqual(result.stages[0]!.condition, {
    kind: 'and',
    children: [
      pred('event.category', 'eq', ['process'], 'event.category : process'),
      { kind: 'or', children: [pred('process.name', 'eq', ['a.exe'], t), pred('process.name', 'eq', ['b.exe'], t)] },
    ],
  });
});

test('syntax error: parsed false with one diagnostic at line and column', () => {
  const result = kuery.analyse('a:1 and\n  b:(x or', context);
  assert.equal(result.parsed, false);
  assert.deepEqual(result.stages, []);
  assert.deepEqual(result.outputFields, []);
  assert.deepEqual(result.sources, []);
  assert.equal(result.diagnostics.length, 1);
  const d = result.diagnostics[0]!;
  assert.equal(d.severity, 'error');
  assert.equal(d.scope, 'query');
  assert.equal(d.line, 2);
  assert.equal(d.column, 10);
  assert.match(d.message, /^Expected .* but end of input found\.$/);

  const colon = kuery.analyse('a:1 b:2', context);
  assert.equal(colon.parsed, false);
  assert.equal(colon.diagnostics[0]!.line, 1);
  assert.equal(colon.diagnostics[0]!.column, 6);
  assert.match(colon.diagnostics[0]!.message, /but ":" found/);
});

test('bad input never throws', () => {
  for (const q of [')))', '"unterminated', 'a:', 'a:{ b:1', 'a >', 'a:1 or )', 'x\\', 'a:b\\q', '((((((((((']) {
    const result = kuery.analyse(q, context);
    assert.equal(result.parsed, false, q);
    assert.equal(result.diagnostics.length, 1, q);
    assert.equal(typeof result.diagnostics[0]!.line, 'number', q);
    assert.equal(typeof result.diagnostics[0]!.column, 'number', q);
  }
});

test('empty query: parsed, one stage with no condition', () => {
  for (const q of ['', '  \n\t ']) {
    assert.deepEqual(kuery.analyse(q, context), {
      stages: [{ kind: 'query', text: '' }],
      outputFields: [],
      sources: [],
      diagnostics: [],
      parsed: true,
    });
  }
});

test('long value lists parse quickly', () => {
  const values = Array.from({ length: 5000 }, (_, i) => (i % 2 ? `"v${i}.exe"` : `v${i}*`));
  const q = `process.name:(${values.join(' or ')}) and not (a:1 or b:2)`;
  const start = performance.now();
  const cond = condition(q);
  const elapsed = performance.now() - start;
  assert.equal(cond.kind, 'and');
  assert.ok(elapsed < 1000, `took ${elapsed} ms`);
});

// Field types (canonical/ecs-field-types.ts): what Elasticsearch compares on the field's mapping.

test('a term or phrase on a text field matches its analysed words, not the whole value', () => {
  const text = 'powershell.file.script_block_text:("Invoke-Mimikatz" or "Get-Keystrokes")';
  assert.deepEqual(condition(text), {
    kind: 'or',
    children: [
      pred('powershell.file.script_block_text', 'has', ['Invoke-Mimikatz'], text, { caseSensitive: false }),
      pred('powershell.file.script_block_text', 'has', ['Get-Keystrokes'], text, { caseSensitive: false }),
    ],
  });
  assert.deepEqual(
    condition('message:"logon failure"'),
    pred('message', 'has', ['logon failure'], 'message:"logon failure"', { caseSensitive: false }),
  );
  // Unquoted, the words match apart (a match query), any of them; a .text multi-field is text too.
  assert.deepEqual(
    condition('process.command_line.text:mimikatz sekurlsa'),
    pred('process.command_line.text', 'has_any', ['mimikatz', 'sekurlsa'], 'process.command_line.text:mimikatz sekurlsa', {
      caseSensitive: false,
    }),
  );
  assert.deepEqual(condition('message:*lsass*'), pred('message', 'wildcard', ['*lsass*'], 'message:*lsass*', { caseSensitive: false }));
});

test('a CIDR block on an ip field is a cidr match; an address stays eq', () => {
  const text = 'destination.ip:(10.0.0.0/8 or "fe80::/10" or 192.168.1.1)';
  assert.deepEqual(condition(text), {
    kind: 'or',
    children: [
      pred('destination.ip', 'cidr', ['10.0.0.0/8'], text),
      pred('destination.ip', 'cidr', ['fe80::/10'], text),
      pred('destination.ip', 'eq', ['192.168.1.1'], text),
    ],
  });
  // A keyword field holding the same text is compared exactly.
  assert.deepEqual(condition('rule.cidr:10.0.0.0/8'), pred('rule.cidr', 'eq', ['10.0.0.0/8'], 'rule.cidr:10.0.0.0/8'));
});

test('keyword and caseless fields: exact, and without case on .caseless', () => {
  assert.deepEqual(condition('process.name:(cmd.exe or power*)'), {
    kind: 'or',
    children: [
      pred('process.name', 'eq', ['cmd.exe'], 'process.name:(cmd.exe or power*)'),
      pred('process.name', 'wildcard', ['power*'], 'process.name:(cmd.exe or power*)'),
    ],
  });
  assert.deepEqual(condition('process.name.caseless:(cmd.exe or power*)'), {
    kind: 'or',
    children: [
      pred('process.name.caseless', 'eq', ['cmd.exe'], 'process.name.caseless:(cmd.exe or power*)', { caseSensitive: false }),
      pred('process.name.caseless', 'wildcard', ['power*'], 'process.name.caseless:(cmd.exe or power*)', { caseSensitive: false }),
    ],
  });
});
