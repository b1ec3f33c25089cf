import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AttackCatalog, type StixObject } from '../attack/catalog.js';
import { makeRule } from '../model/rule-factory.js';
import type { Indicator, Rule } from '../model/types.js';
import { fixtureSpec } from '../web/coverage-fixture.js';
import { comparePlatforms } from './compare.js';
import { compareCsv, indicatorsCsv, matrixCsv, providerCsv } from './csv.js';
import { indicatorIndex } from './indicator-index.js';
import { indicatorCoverage, indicatorPage, indicatorTally } from './indicators.js';
import { attackMatrix, type MatrixCell } from './matrix.js';
import { heatLegend, heatLevel } from './platforms.js';
import { providerCoverage, providerIndex } from './providers.js';
import { specFromRules } from './spec.js';

const tactic = { TA0002: 'Execution', TA0004: 'Privilege Escalation', TA0005: 'Defense Evasion', TA0006: 'Credential Access' } as const;
type TacticId = keyof typeof tactic;

function rule(nativeId: string, platform: string, techniques: [string, TacticId[]][], extra: Partial<Rule> = {}): Rule {
  const tactics = [...new Set(techniques.flatMap(([, t]) => t))].map((id) => ({ id, name: tactic[id] }));
  return makeRule({
    nativeId,
    platform,
    name: nativeId,
    attack: {
      tactics,
      techniques: techniques.map(([id, t]) => ({ id, name: fixtureSpec.techniques.find((x) => x.id === id)?.name ?? id, tactics: t })),
    },
    ...extra,
  });
}

const ind = (field: string, op: Indicator['op'], value: string, canonical?: Indicator['canonical'], negated = false): Indicator => ({
  field,
  op,
  value,
  negated,
  caseSensitive: false,
  ...(canonical ? { canonical } : {}),
});

const rules = [
  rule(
    'a',
    'sentinel',
    [
      ['T1134', ['TA0004']],
      ['T1134.003', ['TA0004']],
    ],
    {
      events: [
        { provider: 'okta', event: 'user.session.start' },
        { provider: 'okta', event: 'user.mfa.reset' },
      ],
    },
  ),
  rule('b', 'elastic', [['T1134.003', ['TA0004', 'TA0005']]], { events: [{ provider: 'okta', event: 'user.session.start' }] }),
  rule('c', 'elastic', [['T1078', []]], { events: [{ provider: 'aws-cloudtrail', event: 'StopLogging' }] }),
  rule('d', 'sentinel', [
    ['T1059', ['TA0002']],
    ['T9999', ['stealth' as TacticId]],
  ]),
  rule('e', 'sigma', [['T1234', []]]),
];

const cell = (m: ReturnType<typeof attackMatrix>, tacticId: string, id: string): MatrixCell | undefined => {
  const col = m.columns.find((c) => c.id === tacticId);
  for (const c of col?.techniques ?? []) {
    if (c.id === id) return c;
    const sub = c.subtechniques.find((s) => s.id === id);
    if (sub) return sub;
  }
  return undefined;
};

test('matrix: tactics in bundle order, a technique counts its sub-techniques, uncovered techniques stay as gaps', () => {
  const m = attackMatrix(rules, fixtureSpec);
  assert.deepEqual(
    m.columns.map((c) => c.id),
    ['TA0002', 'TA0004', 'TA0005', 'TA0006', 'stealth'],
  );
  assert.equal(m.rules, 5);
  // T1134 under Privilege Escalation: rule a names it, a and b name its sub-technique.
  const t1134 = cell(m, 'TA0004', 'T1134')!;
  assert.equal(t1134.count, 2);
  assert.equal(t1134.own, 1);
  assert.deepEqual(t1134.byPlatform, { sentinel: 1, elastic: 1 });
  assert.equal(cell(m, 'TA0004', 'T1134.003')!.count, 2);
  // Under Defense Evasion only b files the sub-technique.
  assert.equal(cell(m, 'TA0005', 'T1134')!.count, 1);
  assert.equal(cell(m, 'TA0005', 'T1134')!.own, 0);
  // No tactic on the rule's technique: the bundle's tactics place it.
  assert.equal(cell(m, 'TA0004', 'T1078')!.count, 1);
  assert.equal(cell(m, 'TA0005', 'T1078')!.count, 1);
  // Gaps: techniques of the bundle with no rule.
  assert.equal(cell(m, 'TA0006', 'T1003')!.count, 0);
  assert.equal(cell(m, 'TA0002', 'T1059.001')!.count, 0);
  assert.equal(m.columns.find((c) => c.id === 'TA0006')!.covered, 0);
  // A tactic the bundle does not know gets its own column, after the known ones.
  assert.equal(cell(m, 'stealth', 'T9999')!.count, 1);
  // A technique with no tactic anywhere is counted, not shown.
  assert.equal(m.unplaced, 1);
  assert.equal(m.max, 2);
  assert.equal(m.techniquesCovered, 5);
  assert.deepEqual(m.platforms, ['elastic', 'sentinel', 'sigma'], 'most rules first, ties by id');
  // Techniques in a column sort by name.
  const names = m.columns[1]!.techniques.map((c) => c.name);
  assert.deepEqual(
    names,
    [...names].sort((x, y) => x.localeCompare(y)),
  );
});

test('matrix: coveredOnly leaves out techniques and columns without rules', () => {
  const m = attackMatrix(rules, fixtureSpec, { coveredOnly: true });
  assert.ok(!m.columns.some((c) => c.id === 'TA0006'));
  assert.ok(m.columns.every((c) => c.techniques.every((t) => t.count > 0 && t.subtechniques.every((s) => s.count > 0))));
});

test('matrix without a bundle: the layout comes from the rules, tactics in Enterprise order', () => {
  const spec = specFromRules([...rules].reverse());
  assert.deepEqual(
    spec.tactics.map((t) => t.id),
    ['TA0002', 'TA0004', 'TA0005', 'stealth'],
  );
  const m = attackMatrix(rules, spec);
  assert.equal(cell(m, 'TA0004', 'T1134')!.count, 2);
  assert.equal(cell(m, 'TA0004', 'T1134.003')!.count, 2);
});

test('AttackCatalog.matrix lists live techniques and the matrix tactic order', () => {
  const ref = (id: string) => [{ source_name: 'mitre-attack', external_id: id }];
  const objects: StixObject[] = [
    { type: 'x-mitre-tactic', id: 'x1', name: 'Execution', x_mitre_shortname: 'execution', external_references: ref('TA0002') },
    { type: 'x-mitre-tactic', id: 'x2', name: 'Initial Access', x_mitre_shortname: 'initial-access', external_references: ref('TA0001') },
    { type: 'x-mitre-matrix', id: 'm', tactic_refs: ['x2', 'x1'] },
    {
      type: 'attack-pattern',
      id: 'p1',
      name: 'Phishing',
      kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'initial-access' }],
      external_references: ref('T1566'),
    },
    {
      type: 'attack-pattern',
      id: 'p2',
      name: 'Spearphishing Link',
      kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'initial-access' }],
      external_references: ref('T1566.002'),
    },
    { type: 'attack-pattern', id: 'p3', name: 'Old', x_mitre_deprecated: true, external_references: ref('T1000') },
  ];
  const spec = AttackCatalog.fromObjects(objects).matrix();
  assert.deepEqual(
    spec.tactics.map((t) => t.id),
    ['TA0001', 'TA0002'],
  );
  assert.deepEqual(spec.techniques, [
    { id: 'T1566', name: 'Phishing', tactics: ['TA0001'] },
    { id: 'T1566.002', name: 'Phishing: Spearphishing Link', tactics: ['TA0001'] },
  ]);
});

test('heat levels: 0 is none, the largest is 5, the legend covers 1..max without holes', () => {
  assert.equal(heatLevel(0, 10), 0);
  assert.equal(heatLevel(10, 10), 5);
  assert.equal(heatLevel(1, 1), 5);
  for (const max of [1, 2, 3, 7, 100, 902]) {
    const legend = heatLegend(max);
    assert.equal(legend[0]!.from, 1, `max ${max}`);
    assert.equal(legend.at(-1)!.to, max);
    for (let i = 1; i < legend.length; i++) {
      assert.equal(legend[i]!.from, legend[i - 1]!.to + 1);
      assert.ok(legend[i]!.level > legend[i - 1]!.level);
    }
  }
});

test('providers: an index with totals, and events by platform with the gaps', () => {
  const index = providerIndex(rules);
  assert.deepEqual(
    index.map((p) => [p.id, p.rules, p.events]),
    [
      ['okta', 2, 2],
      ['aws-cloudtrail', 1, 1],
    ],
  );
  assert.equal(index[0]!.name, 'Okta');
  const okta = providerCoverage(rules, 'okta');
  assert.deepEqual(okta.platforms, ['elastic', 'sentinel']);
  assert.deepEqual(
    okta.events.map((e) => [e.event, e.count, e.missing]),
    [
      ['user.session.start', 2, []],
      ['user.mfa.reset', 1, ['elastic']],
    ],
  );
  assert.equal(okta.gaps, 1);
  // Chosen columns: Sigma watches nothing here, so every watched event is a gap for it.
  const chosen = providerCoverage(rules, 'okta', ['sigma', 'sentinel']);
  assert.deepEqual(
    chosen.events.map((e) => e.missing),
    [['sigma'], ['sigma']],
  );
  assert.deepEqual(providerCoverage(rules, 'nobody').events, []);
  assert.match(
    providerCsv(okta),
    /^provider,event,rules,elastic,sentinel,missing\r\nokta,user\.session\.start,2,1,1,\r\nokta,user\.mfa\.reset,1,0,1,elastic\r\n$/,
  );
});

const certutil = { field: 'process.name', op: 'eq' as const, value: 'certutil.exe', negated: false };
const indicatorRules = [
  makeRule({
    nativeId: 's1',
    platform: 'sigma',
    indicators: [
      ind('Image', 'endswith', '\\certutil.exe', certutil),
      ind('Image', 'endswith', '\\certutil.exe', certutil),
      ind('CommandLine', 'contains', '-decode'),
    ],
  }),
  makeRule({
    nativeId: 'e1',
    platform: 'elastic',
    indicators: [ind('process.name', 'eq', 'certutil.exe', certutil), ind('process.name', 'eq', 'cmd.exe', undefined, true)],
  }),
  makeRule({ nativeId: 'e2', platform: 'elastic', indicators: [ind('process.name', 'eq', 'certutil.exe', certutil)] }),
];

test('indicators: a transient tally reuses its count arrays and counts as a fresh one does', () => {
  const index = indicatorIndex(indicatorRules);
  const fresh = (field: string) => indicatorPage(indicatorTally(indicatorRules, { field }, index), {}, index);
  const reused = (field: string) => indicatorPage(indicatorTally(indicatorRules, { field }, index, true), {}, index);
  const first = indicatorTally(indicatorRules, { field: 'image' }, index, true);
  const second = indicatorTally(indicatorRules, { field: 'process' }, index, true);
  assert.equal(first.counts, second.counts, 'one set of arrays per dictionary');
  assert.notEqual(indicatorTally(indicatorRules, { field: 'image' }, index).counts, second.counts, 'a kept tally has its own');
  // Each use starts from zero: the same field twice, and fields after others, count as fresh tallies do.
  for (const field of ['image', 'image', 'process', 'commandline', 'e', 'image']) assert.deepEqual(reused(field), fresh(field), field);
});

test('indicators: most used per field, each rule once; the canonical view lines platforms up', () => {
  const written = indicatorCoverage(indicatorRules);
  assert.equal(written.canonical, false);
  assert.deepEqual(
    written.fields.map((f) => [f.field, f.count, f.distinct]),
    [
      ['process.name', 2, 2],
      ['CommandLine', 1, 1],
      ['Image', 1, 1],
    ],
  );
  const image = written.fields.find((f) => f.field === 'Image')!.indicators[0]!;
  assert.equal(image.count, 1, 'a rule testing the same thing twice counts once');
  const negated = written.fields[0]!.indicators.find((i) => i.value === 'cmd.exe')!;
  assert.equal(negated.negated, true);

  const canonical = indicatorCoverage(indicatorRules, { canonical: true });
  assert.equal(canonical.rulesWithIndicators, 3);
  assert.deepEqual(
    canonical.fields.map((f) => f.field),
    ['process.name'],
  );
  const row = canonical.fields[0]!.indicators[0]!;
  assert.deepEqual([row.op, row.value, row.count, row.byPlatform], ['eq', 'certutil.exe', 3, { sigma: 1, elastic: 2 }]);
  assert.deepEqual(
    row.rules.map((r) => r.id),
    ['sigma:s1', 'elastic:e1', 'elastic:e2'],
  );

  // Field filter: an exact name picks that field, else any field containing the text.
  assert.deepEqual(
    indicatorCoverage(indicatorRules, { field: 'image' }).fields.map((f) => f.field),
    ['Image'],
  );
  assert.deepEqual(
    indicatorCoverage(indicatorRules, { field: 'proc' }).fields.map((f) => f.field),
    ['process.name'],
  );
  const limited = indicatorCoverage(indicatorRules, { fieldLimit: 1, valueLimit: 1, ruleLimit: 1 });
  assert.equal(limited.totalFields, 3);
  assert.equal(limited.fields.length, 1);
  assert.equal(limited.fields[0]!.indicators.length, 1);
  assert.equal(limited.fields[0]!.indicators[0]!.rules.length, 1);
  assert.match(
    indicatorsCsv(canonical),
    /^field,op,negated,value,rules,platforms,canonical\r\nprocess\.name,eq,false,certutil\.exe,3,sigma:1;elastic:2,true\r\n$/,
  );
});

test('compare: techniques, events and indicators one platform covers and the other does not', () => {
  const c = comparePlatforms([...rules, ...indicatorRules], 'sentinel', 'elastic');
  assert.equal(c.rulesA, 2);
  assert.equal(c.rulesB, 4);
  assert.deepEqual(
    c.techniques.shared.map((i) => [i.key, i.a, i.b]),
    [['T1134.003', 1, 1]],
  );
  assert.deepEqual(c.techniques.onlyA.map((i) => i.key).sort(), ['T1059', 'T1134', 'T9999']);
  assert.deepEqual(
    c.techniques.onlyB.map((i) => i.key),
    ['T1078'],
  );
  assert.deepEqual(
    c.events.shared.map((i) => i.key),
    ['okta/user.session.start'],
  );
  assert.deepEqual(
    c.events.onlyA.map((i) => [i.key, i.label]),
    [['okta/user.mfa.reset', 'Okta: user.mfa.reset']],
  );
  assert.deepEqual(
    c.events.onlyB.map((i) => i.key),
    ['aws-cloudtrail/StopLogging'],
  );
  // Canonical where known: the Sigma and Elastic certutil indicators are one item.
  const sigmaElastic = comparePlatforms(indicatorRules, 'sigma', 'elastic');
  assert.deepEqual(
    sigmaElastic.indicators.shared.map((i) => [i.label, i.a, i.b, i.indicator?.canonical]),
    [['process.name eq certutil.exe', 1, 2, true]],
  );
  assert.deepEqual(
    sigmaElastic.indicators.onlyA.map((i) => i.label),
    ['CommandLine contains -decode'],
  );
  assert.deepEqual(
    sigmaElastic.indicators.onlyB.map((i) => i.label),
    ['process.name not eq cmd.exe'],
  );
  const limited = comparePlatforms(rules, 'sentinel', 'elastic', 1);
  assert.equal(limited.techniques.onlyA.length, 1);
  assert.equal(limited.techniques.totals.onlyA, 3);
  assert.match(compareCsv(sigmaElastic), /^kind,side,key,label,sigma,elastic\r\n/);
});

test('matrix CSV: a row per technique and sub-technique, a column per platform, formula-safe', () => {
  const hostile = [rule('x', 'sentinel', [['T1059', ['TA0002']]])];
  hostile[0]!.attack.techniques[0]!.name = '=HYPERLINK("x")';
  const csv = matrixCsv(attackMatrix(hostile, specFromRules(hostile)));
  assert.equal(
    csv,
    'tactic,tacticName,technique,techniqueName,parent,rules,ownRules,sentinel\r\nTA0002,Execution,T1059,"\'=HYPERLINK(""x"")",,1,1,1\r\n',
  );
});

test('topCodes: the largest counts first, ties in key order, without sorting every code', async () => {
  const { topCodes } = await import('./indicator-index.js');
  const counts = [5, 1, 3, 1, 5, 1, 1, 2];
  // Rank: code order reversed, so ties come out highest code first.
  const rank = Int32Array.from(counts.map((_, i) => counts.length - 1 - i));
  const order = Int32Array.from(counts.map((_, i) => counts.length - 1 - i));
  const d = { rank, order };
  const all = counts.map((_, i) => i);
  const full = [...all].sort((a, b) => counts[b]! - counts[a]! || rank[a]! - rank[b]!);
  for (let limit = 0; limit <= counts.length + 1; limit++)
    assert.deepEqual(
      topCodes(all, (c) => counts[c]!, d, limit),
      full.slice(0, limit),
      `limit ${limit}`,
    );
  assert.deepEqual(
    topCodes(all, (c) => counts[c]!, d, 4),
    [4, 0, 2, 7],
  );
});

test('indicators of a rule with 150k indicators are indexed in linear time, repeats counted once', () => {
  // Before, each indicator was compared with the rule's earlier ones (a 70k-indicator rule took 18 s).
  const many = Array.from({ length: 150_000 }, (_, i) => ind(`field${i % 50}`, 'eq', `value-${i}`));
  const big = rule('big', 'sigma', [['T1059', ['TA0002']]], { indicators: [...many, ...many.slice(0, 1000)] });
  const started = performance.now();
  const coverage = indicatorCoverage([big, ...rules], { fieldLimit: 100 });
  const seconds = (performance.now() - started) / 1000;
  assert.ok(seconds < 10, `indexing took ${seconds.toFixed(1)} s (a generous budget against quadratic time)`);
  const fields = coverage.fields.filter((f) => f.field.startsWith('field'));
  assert.equal(fields.length, 50);
  assert.ok(fields.every((f) => f.distinct === 3000 && f.count === 1));
  // value-0 is repeated: still one rule.
  assert.ok(fields.every((f) => f.indicators.every((row) => row.count === 1)));
});
