import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeRule } from '../model/rule-factory.js';
import type { Rule } from '../model/types.js';
import type { CatalogStore } from '../store/read.js';
import {
  explore,
  type ExploreQuery,
  type FacetName,
  facetNames,
  type FacetValue,
  lastChanged,
  parseExploreQuery,
  sortNames,
} from './explore.js';
import { facetValues } from './facets.js';
import { openTestCatalog } from './test-catalog.js';

const evasion = { id: 'TA0005', name: 'Defense Evasion' };
const credentials = { id: 'TA0006', name: 'Credential Access' };

function rules(): Rule[] {
  return [
    makeRule({
      nativeId: 'certutil-kql',
      name: 'Certutil decode',
      description: 'certutil, a signed binary, used to decode a payload',
      severity: 'high',
      authors: ['Florian Roth (Nextron Systems)', 'Jane Doe'],
      updated: '2024-03-01',
      attack: { tactics: [evasion], techniques: [{ id: 'T1140', name: 'Deobfuscate/Decode Files or Information', tactics: ['TA0005'] }] },
      events: [{ provider: 'sysmon', event: '1' }],
      duplicates: { others: ['sentinel:certutil-kql@old'], newest: true },
    }),
    {
      ...makeRule({ nativeId: 'certutil-kql', name: 'Certutil decode (old copy)', severity: 'high' }),
      id: 'sentinel:certutil-kql@old',
      duplicates: { others: ['sentinel:certutil-kql'], newest: false },
    },
    makeRule({
      nativeId: 'certutil-sigma',
      platform: 'sigma',
      format: 'sigma',
      language: 'sigma',
      name: 'Download with a signed binary',
      description: 'certutil -urlcache fetches a file',
      severity: 'critical',
      authors: ['Florian Roth (Nextron Systems)'],
      created: '2023-05-05',
      attack: { tactics: [evasion], techniques: [{ id: 'T1105', name: 'Ingress Tool Transfer', tactics: ['TA0011'] }] },
      events: [{ provider: 'sysmon', event: '1' }],
    }),
    makeRule({
      nativeId: 'logon-failures',
      platform: 'elastic',
      format: 'elastic',
      language: 'kuery',
      name: 'rule 10 logon failures',
      severity: 'low',
      updated: '2025/06/01',
      attack: { tactics: [credentials], techniques: [{ id: 'T1110', name: 'Brute Force', tactics: ['TA0006'] }] },
      events: [{ provider: 'windows-security', event: '4625' }],
    }),
    makeRule({
      nativeId: 'rule-2',
      platform: 'elastic',
      format: 'elastic',
      language: 'eql',
      name: 'rule 2 odd severity',
      severity: 'unknown',
    }),
    makeRule({
      nativeId: 'gone',
      name: 'Removed upstream',
      severity: 'medium',
      removed: true,
      history: [{ change: 'removed', commit: 'abc', date: '2026-02-01T10:00:00Z', sync: 3 }],
    }),
  ];
}

let store: CatalogStore;
let cleanup: () => void;
before(() => ({ store, cleanup } = openTestCatalog(rules())));
after(() => cleanup());

function query(overrides: Partial<ExploreQuery> = {}): ExploreQuery {
  return { q: '', filters: {}, sort: 'relevance', page: 1, pageSize: 25, duplicates: false, removed: false, ...overrides };
}

const names = (q: Partial<ExploreQuery>) => explore(store, query(q)).items.map((r) => r.name);

describe('explore: listing', () => {
  it('lists in name order without a search, numbers compared as numbers, older copies and removed rules left out', () => {
    assert.deepEqual(names({}), ['Certutil decode', 'Download with a signed binary', 'rule 2 odd severity', 'rule 10 logon failures']);
    assert.equal(explore(store, query()).total, 4);
  });

  it('lists older copies and removed rules when asked', () => {
    assert.ok(names({ duplicates: true }).includes('Certutil decode (old copy)'));
    assert.ok(names({ removed: true }).includes('Removed upstream'));
    assert.equal(explore(store, query({ duplicates: true, removed: true })).total, 6);
  });

  it('keeps rules changed or updated since a day (sync history or `updated`, slashes read as dashes)', () => {
    assert.deepEqual(names({ since: '2025-01-01' }), ['rule 10 logon failures']);
    assert.deepEqual(names({ since: '2026-01-01', removed: true }), ['Removed upstream']);
    assert.equal(lastChanged(store.rules.find((r) => r.nativeId === 'logon-failures')!), '2025-06-01');
  });
});

describe('explore: search', () => {
  it('finds words in names and descriptions, a name match first', () => {
    assert.deepEqual(names({ q: 'certutil' }), ['Certutil decode', 'Download with a signed binary']);
  });

  it('matches word prefixes and needs every word', () => {
    assert.deepEqual(names({ q: 'certu' }), ['Certutil decode', 'Download with a signed binary']);
    assert.deepEqual(names({ q: 'certutil urlcache' }), ['Download with a signed binary']);
    assert.deepEqual(names({ q: 'certutil nowhere' }), []);
  });

  it('sorts search results by name when asked', () => {
    assert.deepEqual(names({ q: 'binary' }), ['Download with a signed binary', 'Certutil decode']);
    assert.deepEqual(names({ q: 'binary', sort: 'name' }), ['Certutil decode', 'Download with a signed binary']);
  });

  it('reads OR in capitals as either, or in lower case as a word to find (search.test.ts has the syntax)', () => {
    assert.deepEqual(names({ q: 'logon OR certutil' }).sort(), [
      'Certutil decode',
      'Download with a signed binary',
      'rule 10 logon failures',
    ]);
    assert.deepEqual(names({ q: 'logon or certutil' }), []);
  });

  it('treats a text without words as no search', () => {
    assert.deepEqual(names({ q: '  "*" ' }), names({}));
  });
});

describe('explore: facets', () => {
  it('counts each facet over the matched rules, most frequent first, ties by value', () => {
    const { facets } = explore(store, query());
    assert.deepEqual(facets.platform, [
      { value: 'elastic', count: 2 },
      { value: 'sentinel', count: 1 },
      { value: 'sigma', count: 1 },
    ]);
    assert.deepEqual(facets.tactic, [
      { value: 'TA0005', count: 2 },
      { value: 'TA0006', count: 1 },
    ]);
    assert.deepEqual(facets.event, [
      { value: 'sysmon/1', count: 2 },
      { value: 'windows-security/4625', count: 1 },
    ]);
  });

  it('ORs the values of one facet and ANDs facets together; counts follow the filters', () => {
    assert.deepEqual(names({ filters: { platform: ['sentinel', 'sigma'] } }), ['Certutil decode', 'Download with a signed binary']);
    const both = explore(store, query({ filters: { platform: ['sentinel', 'sigma'], severity: ['critical'] } }));
    assert.deepEqual(
      both.items.map((r) => r.name),
      ['Download with a signed binary'],
    );
    assert.deepEqual(both.facets.platform, [{ value: 'sigma', count: 1 }]);
    assert.deepEqual(names({ filters: { provider: ['sysmon'], technique: ['T1140'] } }), ['Certutil decode']);
  });

  it('has an Author facet: each author as written, a rule counted under each of its authors; filtered like any facet', () => {
    assert.deepEqual(explore(store, query()).facets.author, [
      { value: 'Florian Roth (Nextron Systems)', count: 2 },
      { value: 'Jane Doe', count: 1 },
    ]);
    assert.deepEqual(names({ filters: { author: ['Jane Doe'] } }), ['Certutil decode']);
    assert.deepEqual(parseExploreQuery(new URLSearchParams('author=Jane+Doe')).filters.author, ['Jane Doe']);
    // The facet and the `author:` search agree on a whole author.
    assert.deepEqual(names({ q: 'author:"jane doe"' }), ['Certutil decode']);
  });

  it('matches nothing for a value no rule has', () => {
    const none = explore(store, query({ filters: { platform: ['nowhere'] } }));
    assert.equal(none.total, 0);
    assert.deepEqual(none.facets.platform, []);
  });
});

describe('explore: sorting and pages', () => {
  it('sorts by severity, unknown severities last, then by name', () => {
    assert.deepEqual(names({ sort: 'severity' }), [
      'Download with a signed binary',
      'Certutil decode',
      'rule 10 logon failures',
      'rule 2 odd severity',
    ]);
  });

  it('sorts by last update (or creation), newest first, rules without a date last', () => {
    assert.deepEqual(names({ sort: 'updated' }), [
      'rule 10 logon failures',
      'Certutil decode',
      'Download with a signed binary',
      'rule 2 odd severity',
    ]);
  });

  it('sorts each order the other way when asked, ties by name and rules without a date or severity still last', () => {
    assert.deepEqual(names({ sort: 'name', dir: 'desc' }), [...names({ sort: 'name' })].reverse());
    assert.deepEqual(names({ sort: 'severity', dir: 'asc' }), [
      'rule 10 logon failures',
      'Certutil decode',
      'Download with a signed binary',
      'rule 2 odd severity',
    ]);
    assert.deepEqual(names({ sort: 'updated', dir: 'asc' }), [
      'Download with a signed binary',
      'Certutil decode',
      'rule 10 logon failures',
      'rule 2 odd severity',
    ]);
    // The order's own direction asked for explicitly, and relevance (one way only), change nothing.
    assert.deepEqual(names({ sort: 'updated', dir: 'desc' }), names({ sort: 'updated' }));
    assert.deepEqual(names({ dir: 'asc' }), names({}));
  });

  it('sorts search hits the other way too', () => {
    assert.deepEqual(names({ q: 'binary OR certutil', sort: 'name', dir: 'desc' }), ['Download with a signed binary', 'Certutil decode']);
  });

  it('pages the sorted list; a page past the end is empty with the same total', () => {
    const second = explore(store, query({ pageSize: 3, page: 2 }));
    assert.deepEqual([second.total, second.page, second.pageSize], [4, 2, 3]);
    assert.deepEqual(
      second.items.map((r) => r.name),
      ['rule 10 logon failures'],
    );
    const beyond = explore(store, query({ pageSize: 3, page: 9 }));
    assert.deepEqual([beyond.total, beyond.items.length], [4, 0]);
  });
});

describe('parseExploreQuery', () => {
  it('reads filters, sort, page and size from URL parameters, within bounds', () => {
    const q = parseExploreQuery(
      new URLSearchParams('q=certutil&platform=sigma&platform=&platform=elastic&sort=severity&page=3&size=1000&duplicates=1'),
    );
    assert.deepEqual(q, {
      q: 'certutil',
      filters: { platform: ['sigma', 'elastic'] },
      sort: 'severity',
      page: 3,
      pageSize: 200,
      duplicates: true,
      removed: false,
      since: undefined,
    });
  });

  it("keeps a direction only when it is not the order's own", () => {
    assert.equal(parseExploreQuery(new URLSearchParams('sort=name&dir=desc')).dir, 'desc');
    assert.equal(parseExploreQuery(new URLSearchParams('sort=name&dir=asc')).dir, undefined);
    assert.equal(parseExploreQuery(new URLSearchParams('sort=updated&dir=asc')).dir, 'asc');
    assert.equal(parseExploreQuery(new URLSearchParams('dir=asc')).dir, undefined);
    assert.equal(parseExploreQuery(new URLSearchParams('sort=name&dir=sideways')).dir, undefined);
  });

  it('falls back on defaults for values out of place', () => {
    const q = parseExploreQuery(new URLSearchParams(`q=${'x'.repeat(600)}&sort=random&page=-4&size=abc&since=yesterday`));
    assert.deepEqual([q.q.length, q.sort, q.page, q.pageSize, q.since], [500, 'relevance', 1, 25, undefined]);
    assert.equal(parseExploreQuery(new URLSearchParams('since=2025-01-31')).since, '2025-01-31');
  });
});

describe('explore: name order', () => {
  it('ignores leading punctuation', () => {
    const names = ['.Class Extension URI', "'File From Host", 'Azure sign-in', '[Deprecated] Zebra', 'Beta'];
    const catalog = openTestCatalog(names.map((name, i) => makeRule({ nativeId: `n${i}`, name })));
    try {
      assert.deepEqual(
        explore(catalog.store, query()).items.map((r) => r.name),
        ['Azure sign-in', 'Beta', '.Class Extension URI', '[Deprecated] Zebra', "'File From Host"],
      );
    } finally {
      catalog.cleanup();
    }
  });
});

describe('explore: facet value lists', () => {
  it('orders values by count, ties in value order, and cuts at the limit even inside a run of ties', () => {
    // Author k of 12 writes (k % 4) + 1 rules; a rule names up to two authors: counts with many ties.
    const authors = Array.from({ length: 12 }, (_, k) => `author ${String.fromCharCode(108 - k)}`);
    const written: string[][] = [];
    authors.forEach((a, k) => {
      for (let n = 0; n <= k % 4; n++) written.push([a, ...(n === 0 && k % 3 === 0 ? [authors[(k + 5) % 12]!] : [])]);
    });
    const catalog = openTestCatalog(written.map((names, i) => makeRule({ nativeId: `r${i}`, name: `Rule ${i}`, authors: names })));
    try {
      const counts = new Map<string, number>();
      for (const names of written) for (const a of new Set(names)) counts.set(a, (counts.get(a) ?? 0) + 1);
      const expected = [...counts].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).map(([value, count]) => ({ value, count }));
      for (const limit of [0, 1, 2, 3, 5, 8, 11, 12, 100]) {
        const result = explore(catalog.store, query(), { facetLimit: limit });
        assert.deepEqual(result.facets.author, expected.slice(0, limit), `facetLimit ${limit}`);
        assert.equal(result.facetTotals.author, expected.length);
      }
    } finally {
      catalog.cleanup();
    }
  });
});

describe('explore: facet counts against a count by hand', () => {
  // Rules spread over platforms, severities, authors and events so that filters overlap, some rules
  // hidden (older copies, removed upstream), some changed recently.
  const platforms = ['sentinel', 'sigma', 'elastic'] as const;
  const spread = Array.from({ length: 40 }, (_, i) => {
    const platform = platforms[i % 3]!;
    return {
      ...makeRule({
        nativeId: `spread-${i}`,
        platform,
        name: `${i % 4 ? 'Okta' : 'Azure'} rule ${i}`,
        severity: ['high', 'low', 'medium', 'critical', 'unknown'][i % 5]!,
        authors: [`author ${i % 7}`, ...(i % 3 ? [] : [`author ${(i + 2) % 7}`])],
        events: [{ provider: i % 2 ? 'okta' : 'sysmon', event: String(i % 6) }, ...(i % 5 ? [] : [{ provider: 'okta', event: 'x' }])],
        updated: `2025-0${1 + (i % 9)}-01`,
        ...(i % 11 === 0 ? { removed: true } : {}),
      }),
      ...(i % 13 === 5 ? { duplicates: { others: [`sentinel:spread-${i - 1}`], newest: false } } : {}),
    };
  });
  let spreadCatalog: { store: CatalogStore; cleanup: () => void };
  before(() => (spreadCatalog = openTestCatalog(spread)));
  after(() => spreadCatalog.cleanup());

  /** Each value's count over the rules, most frequent first, ties in value order. */
  function byHand(rs: readonly Rule[], facet: FacetName): FacetValue[] {
    const counts = new Map<string, number>();
    for (const r of rs) for (const v of facetValues(r, facet, () => undefined)) counts.set(v, (counts.get(v) ?? 0) + 1);
    return [...counts].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).map(([value, count]) => ({ value, count }));
  }

  const queries: Partial<ExploreQuery>[] = [
    {},
    { filters: { platform: ['sigma'] } },
    { filters: { platform: ['sigma', 'elastic'] } },
    { filters: { platform: ['sigma'], severity: ['high', 'low'] } },
    { filters: { provider: ['okta'], event: ['okta/x', 'sysmon/2'], author: ['author 1'] } },
    { filters: { severity: ['critical'] }, since: '2025-05-01' },
    { filters: { platform: ['elastic'] }, duplicates: true, removed: true },
    { filters: { platform: ['no such platform'] } },
    { q: 'okta', filters: { severity: ['medium'] } },
    { q: 'azure' },
    // A search of fields alone has no full-text hits: it narrows the rules all the same.
    { q: 'author:"author 1"', filters: { platform: ['sigma'] } },
    { q: 'provider:okta', filters: { author: ['author 2', 'author 5'] } },
    { q: 'provider:okta' },
  ];

  it('gives the same answer whatever ran before it (explore reuses its count arrays)', () => {
    const { store } = spreadCatalog;
    const first = queries.map((q) => explore(store, query(q)));
    const reversed = [...queries].reverse().map((q) => explore(store, query(q)));
    assert.deepEqual(reversed.reverse(), first);
    for (const [i, q] of queries.entries()) assert.deepEqual(explore(store, query(q)), first[i], JSON.stringify(q));
  });

  it('counts every facet over the matched rules, and a filtered facet over the rules every other filter leaves in', () => {
    const { store } = spreadCatalog;
    for (const asked of queries) {
      const q = query({ ...asked, pageSize: 200 });
      const where = JSON.stringify(asked);
      // The rules the search text, the date and the hidden rules leave in, before any facet filter.
      const base = explore(store, { ...q, filters: {} }, { facets: false }).items;
      const passes = (r: Rule, f: FacetName) => facetValues(r, f, () => undefined).some((v) => q.filters[f]!.includes(v));
      const active = facetNames.filter((f) => q.filters[f]?.length);
      const matched = base.filter((r) => active.every((f) => passes(r, f)));
      const result = explore(store, q);
      assert.deepEqual(new Set(result.items.map((r) => r.id)), new Set(matched.map((r) => r.id)), where);
      for (const facet of facetNames) {
        assert.deepEqual(result.facets[facet], byHand(matched, facet), `${where} ${facet}`);
        assert.equal(result.facetTotals[facet], byHand(matched, facet).length, `${where} ${facet}`);
      }
      assert.deepEqual(Object.keys(result.facetChoices).sort(), [...active].sort(), where);
      for (const facet of active) {
        const choices = byHand(
          base.filter((r) => active.every((f) => f === facet || passes(r, f))),
          facet,
        );
        // The values filtered on are listed even when no rule holds them.
        for (const value of q.filters[facet]!) if (!choices.some((c) => c.value === value)) choices.push({ value, count: 0 });
        assert.deepEqual(result.facetChoices[facet], choices, `${where} choices of ${facet}`);
      }
    }
  });

  it('pages a filter of one facet in every order as the listing without it, filtered', () => {
    const { store } = spreadCatalog;
    const oneFacet: ExploreQuery['filters'][] = [
      { platform: ['sigma'] },
      { author: ['author 1', 'author 3'] },
      { severity: ['high', 'nothing'] },
    ];
    for (const filters of oneFacet)
      for (const sort of sortNames)
        for (const dir of [undefined, 'asc', 'desc'] as const)
          for (const hidden of [{}, { duplicates: true, removed: true }]) {
            const where = JSON.stringify({ filters, sort, dir, hidden });
            const [facet, values] = Object.entries(filters)[0]!;
            const expected = explore(store, query({ sort, dir, ...hidden, pageSize: 200 }))
              .items.filter((r) => facetValues(r, facet as FacetName, () => undefined).some((v) => values.includes(v)))
              .map((r) => r.id);
            const pages: string[] = [];
            for (let page = 1; page <= 20; page++) {
              const result = explore(store, query({ filters, sort, dir, ...hidden, page, pageSize: 3 }));
              assert.equal(result.total, expected.length, where);
              pages.push(...result.items.map((r) => r.id));
            }
            assert.deepEqual(pages, expected, where);
          }
  });

  it('lists the values filtered on past the limit, with their counts', () => {
    const q = query({ filters: { author: ['author 6', 'author 0'] } });
    const all = explore(spreadCatalog.store, q).facetChoices.author!;
    const limited = explore(spreadCatalog.store, q, { facetLimit: 1, facetLimits: { platform: 2 } });
    const past = ['author 6', 'author 0'].filter((v) => v !== all[0]!.value).map((v) => all.find((c) => c.value === v)!);
    const expected = [all[0]!, ...past];
    assert.deepEqual(limited.facetChoices.author, expected);
    assert.equal(limited.facets.platform.length, 2);
    assert.equal(limited.facets.severity.length, 1);
  });
});
