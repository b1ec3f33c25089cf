import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalKey, canonicalText } from '../analysis/canonical.js';
import { makeRule } from '../model/rule-factory.js';
import type { CanonicalIndicator, Indicator } from '../model/types.js';
import { countCanonical } from './canonical-counts.js';
import { IND_STRIDE, MemoryDictionary, passRuleOf } from './pass.js';
import { coreOf } from './staged.js';
import { linkSimilar, type SimilarInput } from './similar.js';

// Keys as the pass interns them (pass.ts): the tests read results back through the dictionary.
const dict = new MemoryDictionary();
const fieldKey = (field: string) => dict.id('f', field, field);

/** An indicator on a canonical field. */
const c = (field: string, value: string, op: CanonicalIndicator['op'] = 'eq', negated = false): CanonicalIndicator => ({
  field,
  op,
  value,
  negated,
});

type TestRule = SimilarInput & { canonicalCounts?: number[]; fields: string[] };

/** A rule with these canonical indicators, keyed as passRuleOf keys them. */
function rule(
  id: string,
  platform: string,
  indicators: CanonicalIndicator[],
  techniques: string[] = [],
  extra: Partial<Pick<SimilarInput, 'id' | 'duplicates'>> = {},
): TestRule {
  const ind = indicators.flatMap((x) => [
    dict.id('i', `${x.field}=${x.value}`),
    dict.id('c', canonicalKey(x), canonicalText(x)),
    fieldKey(x.field),
    x.negated ? 1 : 0,
  ]);
  return {
    id: `${platform}:${id}`,
    nativeId: id,
    platform,
    name: id,
    ind,
    fields: indicators.map((x) => x.field),
    techniques: techniques.map((t) => dict.id('t', t, t)),
    ...extra,
  };
}

const sharedTexts = (r: SimilarInput, n = 0) => r.similar![n]!.shared.map((k) => dict.text(k));
assert.equal(IND_STRIDE, 4);

const certutil = () => c('process.name', 'certutil.exe');
const urlcache = () => c('process.command_line', 'urlcache', 'contains');
const common = () => c('event.action', 'start');

/** A small corpus: certutil rules on four platforms, filler rules that share only a common indicator. */
function corpus(): TestRule[] {
  const filler = Array.from({ length: 40 }, (_, i) =>
    rule(`filler${i}`, 'elastic', [common(), c('process.name', `tool${i}.exe`)], ['T1105']),
  );
  return [
    rule('sig-certutil-download', 'sigma', [certutil(), urlcache(), c('process.command_line', 'verifyctl', 'contains')], ['T1105']),
    rule('elastic-certutil-download', 'elastic', [common(), certutil(), urlcache()], ['T1105']),
    rule('xdr-certutil', 'defender-xdr', [certutil()], ['T1105']),
    rule('splunk-certutil-decode', 'splunk', [certutil(), c('process.command_line', 'decode', 'contains')], ['T1140']),
    // Only a technique in common: never similar.
    rule('technique-only', 'sentinel', [c('url.original', 'x')], ['T1105']),
    // An older copy of the Sigma rule: not a neighbour of its own rule, and never listed.
    rule('sig-certutil-download', 'sigma', [certutil(), urlcache()], ['T1105'], {
      id: 'sigma:sig-certutil-download@old',
      duplicates: { others: ['sigma:sig-certutil-download'], newest: false },
    }),
    ...filler,
  ];
}

test('canonical counts: other rules on any platform, copies of one rule once', () => {
  const rules = corpus();
  countCanonical(rules);
  const count = (r: TestRule, field: string) => r.canonicalCounts![r.fields.indexOf(field)];
  assert.equal(count(rules[0]!, 'process.name'), 3); // elastic, xdr, splunk; not its own older copy
  assert.equal(count(rules[2]!, 'process.name'), 3); // sigma (once), elastic, splunk
  assert.equal(count(rules[1]!, 'process.command_line'), 1);
  assert.equal(count(rules[1]!, 'event.action'), 40);
});

test('similar: rare shared indicators rank first, techniques alone link nothing, own copies excluded', () => {
  const rules = corpus();
  linkSimilar(rules, dict, { maxShare: 0.5, commonFloor: 1 });
  const [sigma, elastic, xdr, splunk, techniqueOnly, old] = rules;
  const ids = (r: SimilarInput) => r.similar!.map((s) => s.id);
  assert.deepEqual(ids(sigma!), ['elastic:elastic-certutil-download', 'defender-xdr:xdr-certutil', 'splunk:splunk-certutil-decode']);
  assert.ok(!ids(sigma!).some((id) => id.startsWith('sigma:sig-certutil-download')));
  assert.deepEqual(sharedTexts(sigma!), ['process.command_line contains urlcache', 'process.name eq certutil.exe', 'T1105']);
  // The common indicator (40 fillers) is ignored: the certutil rules do not reach the fillers.
  assert.ok(!ids(elastic!).some((id) => id.includes('filler')));
  assert.equal(ids(elastic!)[0], 'sigma:sig-certutil-download');
  // The shared technique puts the Sigma and Elastic rules before the Splunk one (no T1105).
  assert.deepEqual(ids(xdr!).slice(0, 2).sort(), ['elastic:elastic-certutil-download', 'sigma:sig-certutil-download']);
  assert.equal(ids(xdr!)[2], 'splunk:splunk-certutil-decode');
  assert.ok(splunk!.similar!.length > 0);
  assert.deepEqual(techniqueOnly!.similar, []);
  // An older copy gets neighbours too, never its newest copy.
  assert.ok(!ids(old!).includes('sigma:sig-certutil-download'));
  for (const r of rules) for (const s of r.similar!) assert.ok(s.score > 0 && s.score <= 1.000001, `${r.id} → ${s.id}: ${s.score}`);
});

test('similar: negated indicators and too common ones say nothing; a value list weighs like one value', () => {
  const rules = [
    rule('a', 'sigma', [certutil(), c('process.name', 'rundll32.exe', 'eq', true)]),
    rule('b', 'elastic', [c('process.name', 'rundll32.exe')]),
    rule(
      'ext-list',
      'elastic',
      ['bat', 'cmd', 'ps1', 'vbs', 'js', 'hta'].map((x) => c('file.extension', x)),
    ),
    rule(
      'ext-list-2',
      'elastic',
      ['bat', 'cmd', 'ps1', 'vbs', 'js', 'hta'].map((x) => c('file.extension', x)),
    ),
    rule('ext-one', 'sigma', [c('file.extension', 'hta'), c('process.name', 'mshta.exe')]),
    rule('mshta', 'splunk', [c('process.name', 'mshta.exe')]),
  ];
  linkSimilar(rules, dict, { maxShare: 1, commonFloor: 10 });
  assert.deepEqual(rules[0]!.similar, []);
  assert.equal(rules[2]!.similar![0]!.id, 'elastic:ext-list-2');
  // One shared value of a six-value list counts less than the shared process name.
  assert.equal(rules[4]!.similar![0]!.id, 'splunk:mshta');
});

test('similar since a change: ranking again only the rules whose list can move gives every list a full ranking gives', () => {
  const opts = { maxShare: 0.1, commonFloor: 3 };
  // Each case changes one rule's items: gains a value, loses one, gains a technique, becomes common.
  const changes: [string, (r: TestRule) => TestRule][] = [
    [
      'gains an indicator',
      (r) => rule(r.nativeId, r.platform, [certutil(), urlcache(), c('process.command_line', 'split', 'contains')], ['T1105']),
    ],
    ['loses an indicator', (r) => rule(r.nativeId, r.platform, [certutil()], ['T1105'])],
    [
      'gains a technique',
      (r) => rule(r.nativeId, r.platform, [certutil(), urlcache(), c('process.command_line', 'verifyctl', 'contains')], ['T1105', 'T1140']),
    ],
    [
      'takes a filler tool',
      (r) => rule(r.nativeId, r.platform, [certutil(), c('process.name', 'tool3.exe'), c('process.name', 'tool4.exe')], ['T1105']),
    ],
  ];
  for (const [label, change] of changes) {
    const before = corpus();
    linkSimilar(before, dict, opts);
    const after = corpus();
    // The kept lists are the ones of the last ranking; the changed rule's items are new.
    after.forEach((r, i) => (r.similar = before[i]!.similar));
    after[0] = { ...change(after[0]!), similar: before[0]!.similar };
    const ranked = linkSimilar(after, dict, opts, { before: new Map([[after[0], before[0]!]]) });
    assert.ok(ranked.size < after.length, `${label}: ${ranked.size} of ${after.length} ranked again`);
    const full = after.map((r) => ({ ...r, similar: undefined }));
    linkSimilar(full, dict, opts);
    after.forEach((r, i) => assert.deepEqual(r.similar, full[i]!.similar, `${label}: ${r.id}`));
  }
});

test('alternatives weigh less than required values, and exclusions nothing', () => {
  const own = new MemoryDictionary();
  const indicator = (field: string, value: string, role: 'required' | 'alternative' | 'exclusion'): Indicator => ({
    field,
    op: 'eq',
    value,
    negated: role === 'exclusion',
    caseSensitive: false,
    role,
    canonical: { field, op: 'eq', value, negated: role === 'exclusion' },
  });
  // The query: a required parent, a child that is one of two names, a user it excludes.
  const query = makeRule({
    nativeId: 'query',
    indicators: [
      indicator('process.parent.name', 'winword.exe', 'required'),
      indicator('process.name', 'cmd.exe', 'alternative'),
      indicator('file.name', 'x.dll', 'alternative'),
      indicator('user.name', 'svc', 'exclusion'),
    ],
  });
  // Same score but for roles: each shares one of the query's values, and ids sort the one sharing the alternative first.
  const sharesAlternative = makeRule({
    nativeId: 'a-alternative',
    platform: 'elastic',
    indicators: [indicator('process.name', 'cmd.exe', 'required')],
  });
  const sharesRequired = makeRule({
    nativeId: 'b-required',
    platform: 'elastic',
    indicators: [indicator('process.parent.name', 'winword.exe', 'required')],
  });
  const sharesExclusion = makeRule({
    nativeId: 'c-exclusion',
    platform: 'elastic',
    indicators: [indicator('user.name', 'svc', 'required')],
  });
  const rules = [query, sharesAlternative, sharesRequired, sharesExclusion].map((r) => passRuleOf(coreOf(r), own));
  linkSimilar(rules, own, { fieldWeights: {}, commonFloor: 10 });
  assert.deepEqual(
    rules[0]!.similar?.map((s) => s.id),
    ['elastic:b-required', 'elastic:a-alternative'],
  );
  assert.ok(rules[0]!.similar[0]!.score > rules[0]!.similar[1]!.score);
});
