import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EventPattern, EventRef } from '../model/types.js';
import type { ProviderSpec } from '../providers/types.js';
import { expandEventPatterns, maxExpansion, patternDiagnostics, patternTest } from './event-patterns.js';
import { callWithin } from '../fault/bounded.js';

const probes = new URL('../fault/probes.js', import.meta.url);

const trail: ProviderSpec = { id: 'trail', name: 'Trail', knownEvents: ['StopLogging', 'DeleteTrail'], selectors: {} };
const pat = (op: EventPattern['op'], value: string, nativeOp = ''): EventPattern => ({ provider: 'trail', op, value, nativeOp });
const names = (p: EventPattern, vocab: string[]) => {
  const t = patternTest(p);
  return t ? vocab.filter((n) => t(n.toLowerCase())) : [];
};
const vocab = ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'DeleteBucket', 'CreateTrail', 'user.mfa.factor.deactivate'];

test('string operators match case-insensitively', () => {
  assert.deepEqual(names(pat('startswith', 'delete'), vocab), ['DeleteTrail', 'DeleteBucket']);
  assert.deepEqual(names(pat('endswith', 'Trail'), vocab), ['DeleteTrail', 'UpdateTrail', 'CreateTrail']);
  assert.deepEqual(names(pat('contains', 'logg'), vocab), ['StopLogging']);
});

test('wildcards: globs (SQL/SPL like patterns arrive in this syntax from their languages)', () => {
  assert.deepEqual(names(pat('wildcard', '*Trail'), vocab), ['DeleteTrail', 'UpdateTrail', 'CreateTrail']);
  assert.deepEqual(names(pat('wildcard', 'Delete?rail'), vocab), ['DeleteTrail']);
  assert.deepEqual(names(pat('wildcard', 'user.mfa.*', 'LIKE'), vocab), ['user.mfa.factor.deactivate']);
  // A `%` or `_` is a literal character in a glob.
  assert.deepEqual(names(pat('wildcard', 'user.mfa.%', 'LIKE'), vocab), []);
  // `.` is literal in a glob.
  assert.deepEqual(names(pat('wildcard', 'user?mfa*'), vocab), ['user.mfa.factor.deactivate']);
  assert.deepEqual(names(pat('wildcard', 'userXmfa*'), vocab), []);
  // A backslash makes the next character literal; the match takes the whole name.
  const literalStar = patternTest(pat('wildcard', 'abc\\*'))!;
  assert.equal(literalStar('abc*'), true);
  assert.equal(literalStar('abcd'), false);
  // Many stars over a long name: the matcher goes back only to the last star (no backtracking blow-up).
  const stars = patternTest(pat('wildcard', `${'*aaa'.repeat(30)}*b`))!;
  assert.equal(stars('a'.repeat(5_000)), false);
  assert.equal(stars(`${'a'.repeat(5_000)}b`), true);
});

test('regexes: search by default, whole value for Lucene/EQL/ES|QL operators, inline flags dropped', () => {
  assert.deepEqual(names(pat('regex', 'Delete', 'matches regex'), vocab), ['DeleteTrail', 'DeleteBucket']);
  assert.deepEqual(names(pat('regex', 'Delete', ':/'), vocab), []);
  assert.deepEqual(names(pat('regex', 'Delete.*', ':/'), vocab), ['DeleteTrail', 'DeleteBucket']);
  assert.deepEqual(names(pat('regex', '(?i)^(stop|delete)', '|re'), vocab), ['StopLogging', 'DeleteTrail', 'DeleteBucket']);
  assert.equal(patternTest(pat('regex', '(unclosed', '|re')), undefined);
});

test('patterns with almost no literal text are too broad to expand', () => {
  assert.equal(patternTest(pat('wildcard', '*')), undefined);
  assert.equal(patternTest(pat('regex', '.*', '|re')), undefined);
  assert.equal(patternTest(pat('contains', 'a')), undefined);
});

test('expansion: vocabulary from known events and exact names of any rule, marked via, no repeats', () => {
  const a: { events: EventRef[]; eventPatterns?: EventPattern[] } = { events: [{ provider: 'trail', event: 'DeleteBucket' }] };
  const b = {
    events: [{ provider: 'trail', event: 'deletetrail' }],
    eventPatterns: [pat('startswith', 'Delete'), pat('wildcard', 'Stop*')],
  };
  const other = { events: [{ provider: 'other', event: 'DeleteUser' }] };
  expandEventPatterns([a, b, other], [trail]);
  assert.deepEqual(b.events, [
    { provider: 'trail', event: 'deletetrail' },
    { provider: 'trail', event: 'DeleteBucket', via: 'startswith Delete' },
    { provider: 'trail', event: 'StopLogging', via: 'wildcard Stop*' },
  ]);
  assert.deepEqual(a.events, [{ provider: 'trail', event: 'DeleteBucket' }]);
  // Running again (sync reuses cores) adds nothing.
  expandEventPatterns([a, b, other], [trail]);
  assert.equal(b.events.length, 3);
});

test('pattern expansions are taken from the last write while the provider vocabulary is unchanged, and made again when it moves', () => {
  const rulesWith = (extra: string[]) => [
    { events: [{ provider: 'trail', event: 'DeleteBucket' }, ...extra.map((event) => ({ provider: 'trail', event }))] },
    { events: [] as EventRef[], eventPatterns: [pat('regex', '^Delete', 'matches regex')] },
  ];
  const first = { previous: new Map<string, string[]>(), next: new Map<string, string[]>() };
  const a = rulesWith([]);
  expandEventPatterns(a, [trail], first);
  assert.deepEqual(
    a[1]!.events.map((e) => e.event),
    ['DeleteTrail', 'DeleteBucket'],
  );
  assert.equal(first.next.size, 1);
  // What the memo holds is what the next write takes: a stand-in answer shows it is not run again.
  const [key] = first.next.keys();
  const second = { previous: new Map([[key!, ['StandIn']]]), next: new Map<string, string[]>() };
  const b = rulesWith([]);
  expandEventPatterns(b, [trail], second);
  assert.deepEqual(
    b[1]!.events.map((e) => e.event),
    ['StandIn'],
  );
  assert.deepEqual([...second.next], [[key, ['StandIn']]]);
  // A new name in the provider's vocabulary: the regex runs again, and finds it.
  const c = rulesWith(['DeleteUser']);
  const third = { previous: second.next, next: new Map<string, string[]>() };
  expandEventPatterns(c, [trail], third);
  assert.deepEqual(
    c[1]!.events.map((e) => e.event),
    ['DeleteTrail', 'DeleteBucket', 'DeleteUser'],
  );
  assert.notEqual([...third.next.keys()][0], key);
  // Patterns without a regex are kept too (matching them all against their vocabularies was the
  // largest step of a one-line sync's pass), and taken back while the vocabulary stays.
  const plainRules = () => [
    { events: [{ provider: 'trail', event: 'DeleteBucket' }] as EventRef[] },
    { events: [] as EventRef[], eventPatterns: [pat('startswith', 'Delete')] },
  ];
  const plain = { previous: new Map<string, string[]>(), next: new Map<string, string[]>() };
  expandEventPatterns(plainRules(), [trail], plain);
  assert.equal(plain.next.size, 1);
  const [plainKey] = plain.next.keys();
  const again = plainRules();
  expandEventPatterns(again, [trail], { previous: new Map([[plainKey!, ['StandIn']]]), next: new Map<string, string[]>() });
  assert.deepEqual(
    again[1]!.events.map((e) => e.event),
    ['StandIn'],
  );
});

test("expansion keeps to the selector's eventPattern", () => {
  const win: ProviderSpec = { id: 'win', name: 'Win', knownEvents: ['4624', '4625', '462'], selectors: {} };
  const r = {
    events: [] as EventRef[],
    eventPatterns: [{ provider: 'win', op: 'wildcard' as const, value: '462*', nativeOp: '', eventPattern: '^\\d{4}$' }],
  };
  expandEventPatterns([r], [win]);
  assert.deepEqual(
    r.events.map((e) => e.event),
    ['4624', '4625'],
  );
});

test('a pattern admitting more than maxExpansion names is a class of actions, left unexpanded', () => {
  const many = Array.from({ length: maxExpansion + 1 }, (_, i) => ({ provider: 'trail', event: `Create${i}` }));
  const r = { events: [] as EventRef[], eventPatterns: [pat('startswith', 'Create'), pat('wildcard', 'Create1?')] };
  expandEventPatterns([{ events: many }, r], [trail]);
  assert.deepEqual(
    r.events.map((e) => e.event),
    ['Create10', 'Create11', 'Create12', 'Create13', 'Create14', 'Create15', 'Create16', 'Create17', 'Create18', 'Create19'],
  );
});

test('anded patterns on the same field: a name must match each', () => {
  const r = {
    events: [] as EventRef[],
    eventPatterns: [
      {
        ...pat('contains', 'delete'),
        and: [
          [
            { op: 'contains' as const, value: 'trail', nativeOp: '' },
            { op: 'contains' as const, value: 'logging', nativeOp: '' },
          ],
        ],
      },
    ],
  };
  expandEventPatterns([r], [trail, { ...trail, id: 'x', knownEvents: ['DeleteBucket'] }]);
  assert.deepEqual(
    r.events.map((e) => e.event),
    ['DeleteTrail'],
  );
});

test("known events join the vocabulary in the provider's one spelling", () => {
  const dir: ProviderSpec = {
    id: 'trail',
    name: 'Dir',
    knownEvents: ['Add member to role.'],
    normalise: [{ match: '\\.$', replace: '' }],
    selectors: {},
  };
  const r = { events: [] as EventRef[], eventPatterns: [pat('startswith', 'Add member')] };
  expandEventPatterns([r], [dir]);
  assert.deepEqual(r.events, [{ provider: 'trail', event: 'Add member to role', via: 'startswith Add member' }]);
});

test("a pattern in its log's spelling matches names in the provider's one spelling, its eventPattern read on the pattern", () => {
  // Entra ID's operations in the Microsoft 365 log end with a period, which the provider drops.
  const dir: ProviderSpec = { id: 'dir', name: 'Dir', normalise: [{ match: '\\.$', replace: '' }], selectors: {} };
  const spelled = {
    provider: 'dir',
    op: 'contains' as const,
    value: 'Disable Strong Authentication.',
    nativeOp: '|contains',
    eventPattern: '\\.$',
  };
  const r = { events: [] as EventRef[], eventPatterns: [spelled] };
  const other = {
    events: [
      { provider: 'dir', event: 'Disable Strong Authentication' },
      { provider: 'dir', event: 'Enable Strong Authentication' },
    ],
  };
  expandEventPatterns([other, r], [dir]);
  assert.deepEqual(r.events, [{ provider: 'dir', event: 'Disable Strong Authentication', via: 'contains Disable Strong Authentication.' }]);
  // A pattern the eventPattern rejects as written still needs names it accepts.
  const plain = { events: [] as EventRef[], eventPatterns: [{ ...spelled, value: 'Strong Authentication' }] };
  expandEventPatterns([other, plain], [dir]);
  assert.deepEqual(plain.events, []);
});

test('a catastrophic regex is matched in linear time (RE2), not backtracked for hours', async () => {
  const long = 'a'.repeat(43);
  for (const [value, nativeOp] of [
    ['(\\w+)+zzz', '|re'],
    ['(a|aa)+b', 'matches regex'],
    ['(.*a){12}x', ':/'],
  ]) {
    const found = await callWithin(probes, 'namesMatching', ['regex', value, nativeOp, [long, 'DeleteTrail']], 10_000);
    assert.deepEqual(found, [], `${value} within 10 s`);
  }
  const stars = await callWithin(probes, 'namesMatching', ['wildcard', '*a'.repeat(25) + '*b', '', [long]], 10_000);
  assert.deepEqual(stars, [], 'a wildcard of many stars within 10 s');
});

test('regexes RE2 cannot run (lookaround, backreferences) are not run, and the rule is told why', () => {
  const ahead = pat('regex', '^Delete(?!Bucket)', '|re');
  const back = pat('regex', '(Trail)\\1', '|re');
  assert.equal(patternTest(ahead), undefined);
  assert.equal(patternTest(back), undefined);
  const warnings = patternDiagnostics([ahead, back, pat('regex', '^Delete', '|re'), pat('regex', '(unclosed', '|re')]);
  assert.equal(warnings.length, 2);
  assert.match(warnings[0]!.message, /"\^Delete\(\?!Bucket\)" is not matched against event names/);
  assert.equal(warnings[0]!.severity, 'warning');
});

test('`has` terms: whole terms of known names; a term in none is a name, and other patterns then match it', () => {
  assert.deepEqual(names(pat('has', 'delete trail'), ['Delete trail', 'Delete trail policy', 'Delete trails', 'Undelete trail']), [
    'Delete trail',
    'Delete trail policy',
  ]);
  const entra: ProviderSpec = { id: 'entra', name: 'Entra', normalise: [{ match: '\\.$', replace: '' }], selectors: {} };
  const term = (value: string, knownOnly = false): EventPattern => ({
    provider: 'entra',
    op: 'has',
    value,
    nativeOp: 'has_any',
    ...(knownOnly ? { knownOnly } : {}),
  });
  const exact = { events: [{ provider: 'entra', event: 'Add service principal credentials' }] };
  const byTerms = { events: [] as EventRef[], eventPatterns: [term('Add service principal'), term('Download users.'), term('VM')] };
  const byContains = {
    events: [] as EventRef[],
    eventPatterns: [{ provider: 'entra', op: 'contains' as const, value: 'download', nativeOp: 'contains' }],
  };
  const shared = {
    events: [] as EventRef[],
    eventPatterns: [
      term('Isolate device', true),
      term('credentials', true),
      { provider: 'entra', op: 'eq' as const, value: 'IsolateDevice', nativeOp: '==', knownOnly: true },
      { provider: 'entra', op: 'eq' as const, value: 'download USERS', nativeOp: '==', knownOnly: true },
    ],
  };
  expandEventPatterns([exact, byTerms, byContains, shared], [entra]);
  assert.deepEqual(byTerms.events, [
    { provider: 'entra', event: 'Add service principal credentials', via: 'has Add service principal' },
    { provider: 'entra', event: 'Download users', via: 'has Download users.' },
    { provider: 'entra', event: 'VM', via: 'has VM' },
  ]);
  assert.deepEqual(byContains.events, [{ provider: 'entra', event: 'Download users', via: 'contains download' }]);
  // From a shared log, a term or a name names only known events.
  assert.deepEqual(shared.events, [
    { provider: 'entra', event: 'Add service principal credentials', via: 'has credentials' },
    { provider: 'entra', event: 'Download users', via: 'eq download USERS' },
  ]);
});
