import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { indicatorsOf } from '../../analysis/indicators.js';
import { predicatesOf } from '../../model/predicates.js';
import type { Predicate, PredicateNode, QueryAnalysis } from '../../model/types.js';
import { testContext, parsedAnalysis, predNode as node, singlePredicate } from '../test-support.js';
import { sigma } from './index.js';
import { parseSigmaString, windashVariants } from './values.js';

const ok = (query: string): QueryAnalysis => parsedAnalysis('sigma', query);

/** The condition stage's tree. */
function cond(query: string): PredicateNode {
  const stage = ok(query).stages.find((s) => s.kind === 'condition');
  assert.ok(stage?.condition, 'no condition');
  return stage.condition;
}

/** The single predicate of `detection: { selection: { <entry> }, condition: selection }`. */
const pred = (entry: string): Predicate =>
  singlePredicate(cond(`detection:\n    selection:\n        ${entry}\n    condition: selection\n`));

function p(
  field: string,
  op: Predicate['op'],
  values: Predicate['values'],
  nativeOp: string,
  text: string,
  extra: Partial<Predicate> = {},
): Predicate {
  return { field, op, values, negated: false, caseSensitive: false, nativeOp, text, ...extra };
}

const rule = `detection:
    selection:
        Image|endswith:
            - '\\7z.exe'
            - '\\7za.exe'
        CommandLine|contains: '.dmp'
    # the noisy ones
    filter_main_system:
        User: 'SYSTEM'
    condition: selection and not filter_main_system
`;

describe('sigma detection analysis', () => {
  it('gives a stage per search identifier and a condition stage with the combined tree', () => {
    const r = ok(rule);
    assert.deepEqual(
      r.stages.map((s) => [s.kind, s.text, s.condition === undefined]),
      [
        [
          'selection',
          "selection:\n    Image|endswith:\n        - '\\7z.exe'\n        - '\\7za.exe'\n    CommandLine|contains: '.dmp'",
          true,
        ],
        ['filter', "filter_main_system:\n    User: 'SYSTEM'", true],
        ['condition', 'selection and not filter_main_system', false],
      ],
    );
    assert.deepEqual(r.stages[2]!.condition, {
      kind: 'and',
      children: [
        node(p('Image', 'endswith', ['\\7z.exe', '\\7za.exe'], '|endswith', "Image|endswith: ['\\7z.exe', '\\7za.exe']")),
        node(p('CommandLine', 'contains', ['.dmp'], '|contains', "CommandLine|contains: '.dmp'")),
        { kind: 'not', child: node(p('User', 'eq', ['SYSTEM'], '', "User: 'SYSTEM'")) },
      ],
    });
    assert.deepEqual(r.sources, []);
    assert.deepEqual(r.diagnostics, []);
  });

  it('reads a bare mapping of identifiers and condition', () => {
    assert.deepEqual(cond('selection:\n  EventID: 4688\ncondition: selection'), node(p('EventID', 'eq', [4688], '', 'EventID: 4688')));
  });
});

describe('values and modifiers', () => {
  it('plain values: eq, in for lists, wildcard for unescaped * and ?', () => {
    assert.deepEqual(pred("User: 'SYSTEM'"), p('User', 'eq', ['SYSTEM'], '', "User: 'SYSTEM'"));
    assert.deepEqual(pred('EventID: [4624, 4625]'), p('EventID', 'in', [4624, 4625], '', 'EventID: [4624, 4625]'));
    // `\\*` is a backslash and a wildcard; `\*` alone is a literal star.
    assert.deepEqual(
      pred("Image: 'C:\\Windows\\\\*\\cmd.exe'"),
      // A backslash before a wildcard is written escaped: the pattern reads back as Sigma meant it.
      p('Image', 'wildcard', ['C:\\Windows\\\\*\\cmd.exe'], '', "Image: 'C:\\Windows\\\\*\\cmd.exe'"),
    );
    assert.deepEqual(pred("Name: 'a\\*b'"), p('Name', 'eq', ['a*b'], '', "Name: 'a\\*b'"));
  });

  it('a list mixing plain and wildcard values is an or of in and wildcard', () => {
    const c = cond("detection:\n  sel:\n    Image: ['a.exe', 'b.exe', 'x*.exe']\n  condition: sel");
    const text = "Image: ['a.exe', 'b.exe', 'x*.exe']";
    assert.deepEqual(c, {
      kind: 'or',
      children: [node(p('Image', 'in', ['a.exe', 'b.exe'], '', text)), node(p('Image', 'wildcard', ['x*.exe'], '', text))],
    });
  });

  it('contains / startswith / endswith keep their op; inner wildcards make a pattern', () => {
    assert.deepEqual(
      pred("CommandLine|startswith: 'cmd'"),
      p('CommandLine', 'startswith', ['cmd'], '|startswith', "CommandLine|startswith: 'cmd'"),
    );
    assert.deepEqual(
      pred("CommandLine|contains: 'a*b'"),
      p('CommandLine', 'wildcard', ['*a*b*'], '|contains', "CommandLine|contains: 'a*b'"),
    );
    assert.deepEqual(
      pred("CommandLine|endswith: 'a?b'"),
      p('CommandLine', 'wildcard', ['*a?b'], '|endswith', "CommandLine|endswith: 'a?b'"),
    );
  });

  it('all AND-s the values, one predicate each', () => {
    const text = "CommandLine|contains|all: ['-nop', 'hidden']";
    assert.deepEqual(cond(`detection:\n  sel:\n    ${text}\n  condition: sel`), {
      kind: 'and',
      children: [
        node(p('CommandLine', 'contains', ['-nop'], '|contains|all', text)),
        node(p('CommandLine', 'contains', ['hidden'], '|contains|all', text)),
      ],
    });
  });

  it('re, re|i, cidr, fieldref, gt, cased', () => {
    assert.deepEqual(
      pred("CommandLine|re: 'a.*b'"),
      p('CommandLine', 'regex', ['a.*b'], '|re', "CommandLine|re: 'a.*b'", { caseSensitive: true }),
    );
    assert.deepEqual(pred("CommandLine|re|i: 'a.*b'"), p('CommandLine', 'regex', ['a.*b'], '|re|i', "CommandLine|re|i: 'a.*b'"));
    assert.deepEqual(
      pred("DestinationIp|cidr: '10.0.0.0/8'"),
      p('DestinationIp', 'cidr', ['10.0.0.0/8'], '|cidr', "DestinationIp|cidr: '10.0.0.0/8'"),
    );
    assert.deepEqual(
      pred('Image|fieldref: ParentImage'),
      p('Image', 'fieldref', ['ParentImage'], '|fieldref', "Image|fieldref: 'ParentImage'"),
    );
    assert.deepEqual(pred('Count|gte: 10'), p('Count', 'gte', [10], '|gte', 'Count|gte: 10'));
    assert.deepEqual(pred("Name|cased: 'Admin'"), p('Name', 'eq', ['Admin'], '|cased', "Name|cased: 'Admin'", { caseSensitive: true }));
  });

  it('exists and null', () => {
    assert.deepEqual(pred('Field|exists: true'), p('Field', 'exists', [], '|exists', 'Field|exists: true'));
    assert.deepEqual(pred('Field|exists: false'), p('Field', 'exists', [], '|exists', 'Field|exists: false', { negated: true }));
    assert.deepEqual(pred('Field: null'), p('Field', 'exists', [], '', 'Field: null', { negated: true }));
  });

  it('windash expands every dash of the Sigma set; value transforms keep the value and name the transform', () => {
    assert.deepEqual(
      pred("CommandLine|contains|windash: ' -enc '"),
      p(
        'CommandLine',
        'contains',
        [' -enc ', ' /enc ', ' \u2013enc ', ' \u2014enc ', ' \u2015enc '],
        '|contains|windash',
        "CommandLine|contains|windash: ' -enc '",
      ),
    );
    assert.deepEqual(pred("CommandLine|base64offset|contains: 'IEX'"), {
      ...p('CommandLine', 'contains', ['IEX'], '|base64offset|contains', "CommandLine|base64offset|contains: 'IEX'"),
      transform: 'base64offset',
    });
    assert.equal(pred("CommandLine|wide|base64offset|contains: 'ping'").transform, 'wide|base64offset');
    assert.deepEqual(pred("Path|contains|expand: '%dir%'"), {
      ...p('Path', 'contains', ['%dir%'], '|contains|expand', "Path|contains|expand: '%dir%'"),
      transform: 'expand',
    });
    // A plain value has no transform.
    assert.equal(pred("CommandLine|contains: 'IEX'").transform, undefined);
    assert.equal(windashVariants('-a -b').length, 25);
    assert.ok(windashVariants('-a -b').includes('/a \u2013b'));
    // Three or more switches: each dash throughout.
    assert.deepEqual(windashVariants('-a -b -c'), [
      '-a -b -c',
      '/a /b /c',
      '\u2013a \u2013b \u2013c',
      '\u2014a \u2014b \u2014c',
      '\u2015a \u2015b \u2015c',
    ]);
  });

  it('keyword lists search every field', () => {
    const c = cond("detection:\n  keywords:\n    - 'evil'\n    - 'bad*thing'\n  condition: keywords");
    const text = "['evil', 'bad*thing']";
    assert.deepEqual(c, {
      kind: 'or',
      children: [node(p('*', 'contains', ['evil'], 'keyword', text)), node(p('*', 'wildcard', ['*bad*thing*'], 'keyword', text))],
    });
    const all = cond("detection:\n  keywords:\n    '|all': ['a', 'b']\n  condition: keywords");
    assert.deepEqual(
      predicatesOf(all).map((x) => [x.field, x.op, x.values, x.nativeOp]),
      [
        ['*', 'contains', ['a'], '|all'],
        ['*', 'contains', ['b'], '|all'],
      ],
    );
  });

  it('a list of maps is an or of ands', () => {
    const c = cond('detection:\n  sel:\n    - A: 1\n      B: 2\n    - C: 3\n  condition: sel');
    assert.deepEqual(c, {
      kind: 'or',
      children: [
        { kind: 'and', children: [node(p('A', 'eq', [1], '', 'A: 1')), node(p('B', 'eq', [2], '', 'B: 2'))] },
        node(p('C', 'eq', [3], '', 'C: 3')),
      ],
    });
  });

  it('unescapes like pySigma', () => {
    const read = (raw: string) => {
      const { literal, wildcard, pattern } = parseSigmaString(raw);
      return { literal, wildcard, pattern };
    };
    // `\\*` is a backslash then a wildcard: the pattern escapes the backslash, not the star.
    assert.deepEqual(read('C:\\\\*'), { literal: 'C:\\*', wildcard: true, pattern: 'C:\\\\*' });
    assert.deepEqual(read('a\\?b\\c'), { literal: 'a?b\\c', wildcard: false, pattern: 'a\\?b\\c' });
  });

  it('a long value list keeps every value, plain, wildcard or escaped, in its predicate and its indicators', () => {
    const raw = Array.from({ length: 3000 }, (_, i) => (i % 3 === 0 ? `v${i}` : i % 3 === 1 ? `v${i}*x` : `v${i}\\*x`));
    const list = raw.map((v) => `            - '${v}'`).join('\n');
    const tree = cond(`detection:\n    selection:\n        Image|endswith:\n${list}\n    condition: selection\n`);
    const expected = raw.map((v, i) => (i % 3 === 0 ? v : i % 3 === 1 ? `*${v}` : `v${i}*x`));
    const values = predicatesOf(tree).flatMap((q) => q.values);
    assert.deepEqual([...values].sort(), [...expected].sort());
    const indicators = indicatorsOf([{ kind: 'condition', text: '', condition: tree }]);
    assert.deepEqual(indicators.map((i) => i.value).sort(), [...expected].sort());
    assert.ok(indicators.every((i) => i.role === 'alternative' && i.groups?.length));
  });

  it('a backslash ending a value stays a backslash when contains adds a wildcard after it', () => {
    assert.deepEqual(pred("Path|contains: '\\AppData\\\\*\\'").values, ['*\\AppData\\\\*\\\\*']);
  });
});

describe('conditions', () => {
  const five = `detection:
  sel_a: {A: 1}
  sel_b: {B: 2}
  filter_x: {X: 3}
  _hidden: {H: 4}
  condition: COND
`;
  const A = node(p('A', 'eq', [1], '', 'A: 1'));
  const B = node(p('B', 'eq', [2], '', 'B: 2'));
  const X = node(p('X', 'eq', [3], '', 'X: 3'));
  const H = node(p('H', 'eq', [4], '', 'H: 4'));
  const c = (condition: string) => cond(five.replace('COND', condition));

  it('1 of / any of → or; all of → and; them skips _ identifiers', () => {
    assert.deepEqual(c('1 of sel_* and not filter_x and _hidden'), {
      kind: 'and',
      children: [{ kind: 'or', children: [A, B] }, { kind: 'not', child: X }, H],
    });
    assert.deepEqual(c('any of sel*'), { kind: 'or', children: [A, B] });
    assert.deepEqual(c('all of them'), { kind: 'and', children: [A, B, X] });
    assert.deepEqual(c('1 of them'), { kind: 'or', children: [A, B, X] });
  });

  it('not > and > or, parentheses, case-insensitive keywords', () => {
    assert.deepEqual(c('sel_a or sel_b AND NOT filter_x'), {
      kind: 'or',
      children: [A, { kind: 'and', children: [B, { kind: 'not', child: X }] }],
    });
    assert.deepEqual(c('(sel_a or sel_b) and not(filter_x)'), {
      kind: 'and',
      children: [
        { kind: 'or', children: [A, B] },
        { kind: 'not', child: X },
      ],
    });
  });

  it('N of spells out the combinations', () => {
    assert.deepEqual(c('2 of them'), {
      kind: 'or',
      children: [
        { kind: 'and', children: [A, B] },
        { kind: 'and', children: [A, X] },
        { kind: 'and', children: [B, X] },
      ],
    });
  });

  it('a list of conditions is an or', () => {
    const r = ok(five.replace('condition: COND', 'condition:\n    - sel_a\n    - sel_b and filter_x'));
    const stage = r.stages.find((s) => s.kind === 'condition')!;
    assert.equal(stage.text, 'sel_a\nsel_b and filter_x');
    assert.deepEqual(stage.condition, { kind: 'or', children: [A, { kind: 'and', children: [B, X] }] });
  });

  it('keeps the deprecated aggregation as a stage with an info diagnostic', () => {
    const r = ok(five.replace('COND', 'sel_a | count(User) by Computer > 5').replace('condition', 'timeframe: 5m\n  condition'));
    assert.deepEqual(
      r.stages.slice(4).map((s) => [s.kind, s.text]),
      [
        ['condition', 'sel_a | count(User) by Computer > 5'],
        ['aggregation', '| count(User) by Computer > 5'],
        ['timeframe', 'timeframe: 5m'],
      ],
    );
    assert.deepEqual(r.stages[4]!.condition, A);
    assert.deepEqual(
      r.diagnostics.filter((d) => d.severity !== 'info' || d.message.startsWith('deprecated')),
      [
        {
          message: "deprecated aggregation '| count(User) by Computer > 5': Sigma now writes these as correlation rules",
          severity: 'info',
          scope: 'query',
          line: 7,
          column: 20,
        },
      ],
    );
  });
});

describe('diagnostics', () => {
  it('an unknown identifier is an error, the rule still parses', () => {
    const r = sigma.analyse('detection:\n  sel: {A: 1}\n  condition: sel and not filter\n', testContext);
    assert.equal(r.parsed, true);
    assert.deepEqual(r.diagnostics, [
      { message: "the condition names an unknown search identifier 'filter'", severity: 'error', scope: 'query', line: 3, column: 26 },
    ]);
    assert.deepEqual(r.stages.at(-1)!.condition, {
      kind: 'and',
      children: [node(p('A', 'eq', [1], '', 'A: 1')), { kind: 'not', child: { kind: 'other', text: 'filter' } }],
    });
  });

  it('a pattern matching nothing and an unused identifier', () => {
    const r = sigma.analyse('detection:\n  sel: {A: 1}\n  condition: 1 of filter_*\n', testContext);
    assert.equal(r.parsed, true);
    assert.deepEqual(
      r.diagnostics.map((d) => [d.severity, d.message, d.line]),
      [
        ['error', "'1 of filter_*' matches no search identifier", 3],
        ['info', "search identifier 'sel' is not used by the condition", 2],
      ],
    );
  });

  it('a condition that does not parse', () => {
    const r = sigma.analyse('detection:\n  sel: {A: 1}\n  condition: sel and and\n', testContext);
    assert.equal(r.parsed, false);
    assert.equal(r.diagnostics.length, 1);
    assert.equal(r.diagnostics[0]!.line, 3);
    assert.match(r.diagnostics[0]!.message, /^condition does not parse: /);
    assert.equal(r.diagnostics[0]!.column, 22);
    assert.deepEqual(
      r.stages.map((s) => [s.kind, s.text, s.condition]),
      [
        ['selection', 'sel: {A: 1}', undefined],
        ['condition', 'sel and and', undefined],
      ],
    );
  });

  it('unknown modifiers, missing condition, invalid YAML', () => {
    const r = sigma.analyse("detection:\n  sel:\n    A|bogus: 'x'\n  condition: sel\n", testContext);
    assert.equal(r.parsed, true);
    assert.deepEqual(
      r.diagnostics.map((d) => d.message),
      ["sel: unknown modifier 'bogus' in 'A|bogus'"],
    );
    const missing = sigma.analyse('detection:\n  sel: {A: 1}\n', testContext);
    assert.equal(missing.parsed, false);
    assert.deepEqual(
      missing.diagnostics.map((d) => d.message),
      ['the detection has no condition'],
    );
    const bad = sigma.analyse('detection:\n  sel: [a\n', testContext);
    assert.equal(bad.parsed, false);
    assert.equal(bad.diagnostics[0]!.line, 3);
  });
});

describe('correlation rules', () => {
  it('gives one correlation stage reading the correlated rules', () => {
    const query =
      'correlation:\n    type: event_count\n    rules:\n        - failed_logon\n    group-by:\n        - User\n    timespan: 1h\n    condition:\n        gte: 10';
    const r = ok(query);
    assert.deepEqual(r.stages, [{ kind: 'correlation', text: query, sources: ['failed_logon'] }]);
    assert.deepEqual(r.diagnostics, []);
  });
});
