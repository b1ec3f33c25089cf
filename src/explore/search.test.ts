import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { captureOutput } from '../cli/capture-output.js';
import { runBuild } from '../cli/commands/build.js';
import { makeRule } from '../model/rule-factory.js';
import type { Rule } from '../model/types.js';
import { CatalogStore } from '../store/read.js';
import { explore, type ExploreQuery } from './explore.js';
import { parseSearch, toFts } from './search.js';
import { openTestCatalog } from './test-catalog.js';

const privEsc = { id: 'TA0004', name: 'Privilege Escalation' };
const credentials = { id: 'TA0006', name: 'Credential Access' };

// Where each word is (name, description, tags, events: what the full-text index holds), so that
// every count below can be worked out by hand:
//   okta:          imp (name, tag, event), mfa (name, event), brute (name, description)       = 3
//   impersonation: imp, azure                                                                   = 2
//   azure:         azure                                                                        = 1
function rules(): Rule[] {
  return [
    makeRule({
      nativeId: 'imp',
      name: 'Initiate impersonation session (Okta)',
      authors: ['Florian Roth (Nextron Systems)'],
      tags: ['Okta'],
      attack: { tactics: [privEsc], techniques: [{ id: 'T1134.003', name: 'Make and Impersonate Token', tactics: ['TA0004'] }] },
      events: [{ provider: 'okta', event: 'user.session.impersonation.initiate' }],
    }),
    makeRule({
      nativeId: 'cdbebdc1-dc97-43c6-a538-f26a20c0a911',
      platform: 'elastic',
      format: 'elastic',
      language: 'kuery',
      name: 'Okta MFA reset',
      authors: ['Elastic'],
      path: 'rules/integrations/okta/okta_mfa_reset.toml',
      attack: { tactics: [credentials], techniques: [{ id: 'T1556.006', name: 'Multi-Factor Authentication', tactics: ['TA0006'] }] },
      events: [{ provider: 'okta', event: 'user.mfa.factor.deactivate' }],
    }),
    makeRule({
      nativeId: 'brute',
      platform: 'sigma',
      format: 'sigma',
      language: 'sigma',
      name: 'Okta brute force',
      description: 'many failed logins',
      authors: ['Jane Doe'],
      attack: { tactics: [credentials], techniques: [{ id: 'T1110', name: 'Brute Force', tactics: ['TA0006'] }] },
    }),
    makeRule({
      nativeId: 'azure',
      name: 'Azure AD user impersonation',
      authors: ['Florian Roth (Nextron Systems)', 'Someone Else'],
      attack: { tactics: [privEsc], techniques: [{ id: 'T1134', name: 'Access Token Manipulation', tactics: ['TA0004'] }] },
    }),
    makeRule({
      nativeId: 'certutil',
      name: 'Certutil decode',
      description: 'certutil used to decode a payload',
      indicators: [
        {
          field: 'FileName',
          op: 'eq',
          value: 'certutil.exe',
          negated: false,
          caseSensitive: false,
          canonical: { field: 'process.name', op: 'eq', value: 'certutil.exe', negated: false },
        },
      ],
    }),
  ];
}

let store: CatalogStore;
let cleanup: () => void;
before(() => ({ store, cleanup } = openTestCatalog(rules())));
after(() => cleanup());

function run(q: string, overrides: Partial<ExploreQuery> = {}) {
  return explore(store, { q, filters: {}, sort: 'relevance', page: 1, pageSize: 25, duplicates: false, removed: false, ...overrides });
}
const ids = (q: string, overrides: Partial<ExploreQuery> = {}) => run(q, overrides).items.map((r) => r.nativeId);
const sortedIds = (q: string) => ids(q).sort();

describe('search syntax: boolean operators against hand-computed counts', () => {
  it('a word, AND, OR (the union), -term and NOT (the difference)', () => {
    assert.equal(run('okta').total, 3);
    assert.equal(run('impersonation').total, 2);
    assert.equal(run('okta impersonation').total, 1);
    assert.equal(run('okta AND impersonation').total, 1);
    // |okta ∪ impersonation| = 3 + 2 - 1
    assert.deepEqual(sortedIds('okta OR impersonation'), ['azure', 'brute', 'cdbebdc1-dc97-43c6-a538-f26a20c0a911', 'imp']);
    // okta \ impersonation
    assert.deepEqual(sortedIds('okta -impersonation'), ['brute', 'cdbebdc1-dc97-43c6-a538-f26a20c0a911']);
    assert.deepEqual(sortedIds('okta NOT impersonation'), ['brute', 'cdbebdc1-dc97-43c6-a538-f26a20c0a911']);
    // Everything but okta: 5 - 3
    assert.deepEqual(sortedIds('-okta'), ['azure', 'certutil']);
    assert.deepEqual(sortedIds('NOT okta'), ['azure', 'certutil']);
  });

  it('parentheses and phrases', () => {
    assert.deepEqual(sortedIds('(okta OR azure) impersonation'), ['azure', 'imp']);
    assert.deepEqual(
      sortedIds('okta OR azure impersonation'),
      ['azure', 'brute', 'cdbebdc1-dc97-43c6-a538-f26a20c0a911', 'imp'],
      'AND binds tighter',
    );
    assert.deepEqual(sortedIds('"impersonation session"'), ['imp']);
    assert.deepEqual(sortedIds('"session initiate"'), [], 'a phrase keeps its words together');
    assert.deepEqual(sortedIds('-(okta OR certutil)'), ['azure']);
  });

  it('keywords are upper case: lower-case or, and, not are words', () => {
    assert.equal(run('okta or impersonation').total, 0);
  });
});

describe('search syntax: fields', () => {
  it('author: finds a part of an author, alone or with words, negated, or in an OR', () => {
    assert.deepEqual(sortedIds('author:roth'), ['azure', 'imp']);
    assert.deepEqual(sortedIds('author:"florian roth"'), ['azure', 'imp']);
    assert.deepEqual(sortedIds('okta author:roth'), ['imp']);
    assert.deepEqual(sortedIds('okta -author:roth'), ['brute', 'cdbebdc1-dc97-43c6-a538-f26a20c0a911']);
    assert.deepEqual(sortedIds('author:roth OR platform:sigma'), ['azure', 'brute', 'imp']);
    assert.deepEqual(sortedIds('Author:ELASTIC'), ['cdbebdc1-dc97-43c6-a538-f26a20c0a911'], 'field names and values ignore case');
  });

  it('platform, language, technique (with its sub-techniques), tactic by id or name, provider, event, tag, field', () => {
    assert.deepEqual(sortedIds('platform:elastic'), ['cdbebdc1-dc97-43c6-a538-f26a20c0a911']);
    assert.deepEqual(sortedIds('platform:"Elastic Security"'), ['cdbebdc1-dc97-43c6-a538-f26a20c0a911']);
    assert.deepEqual(sortedIds('language:sigma'), ['brute']);
    assert.deepEqual(sortedIds('technique:T1134'), ['azure', 'imp']);
    assert.deepEqual(sortedIds('technique:t1134.003'), ['imp']);
    assert.deepEqual(sortedIds('technique:T15*'), ['cdbebdc1-dc97-43c6-a538-f26a20c0a911']);
    assert.deepEqual(sortedIds('tactic:TA0006'), ['brute', 'cdbebdc1-dc97-43c6-a538-f26a20c0a911']);
    assert.deepEqual(sortedIds('tactic:"credential access"'), ['brute', 'cdbebdc1-dc97-43c6-a538-f26a20c0a911']);
    assert.deepEqual(sortedIds('tactic:privilege-escalation'), ['azure', 'imp']);
    assert.deepEqual(sortedIds('provider:okta'), ['cdbebdc1-dc97-43c6-a538-f26a20c0a911', 'imp']);
    assert.deepEqual(sortedIds('event:user.mfa.factor.deactivate'), ['cdbebdc1-dc97-43c6-a538-f26a20c0a911']);
    assert.deepEqual(sortedIds('event:okta/user.session.*'), ['imp']);
    assert.deepEqual(sortedIds('tag:okta'), ['imp']);
    assert.deepEqual(sortedIds('field:process.name'), ['certutil'], 'the canonical field');
    assert.deepEqual(sortedIds('field:filename'), ['certutil'], 'the field as written');
    assert.deepEqual(sortedIds('severity:medium -okta'), ['azure', 'certutil'], 'any facet is a field');
  });

  it('a field value that names nothing finds nothing', () => {
    assert.equal(run('author:nobody').total, 0);
    assert.equal(run('okta platform:nowhere').total, 0);
  });
});

describe('search: exact names first', () => {
  const elastic = 'cdbebdc1-dc97-43c6-a538-f26a20c0a911';
  it('finds a rule by native id, id, file name, path and source/path', () => {
    for (const q of [
      elastic,
      elastic.toUpperCase(),
      `elastic:${elastic}`,
      'okta_mfa_reset.toml',
      'rules/integrations/okta/okta_mfa_reset.toml',
      'test/rules/integrations/okta/okta_mfa_reset.toml',
      `"${elastic}"`,
    ])
      assert.deepEqual(ids(q), [elastic], q);
  });

  it('puts the rule an id names before the rules its words find', () => {
    // "brute" is brute's native id, and a word of no other rule: an id the words also find is listed once.
    assert.deepEqual(ids('brute'), ['brute']);
    assert.deepEqual(ids('azure'), ['azure']);
    assert.deepEqual(ids('imp'), ['imp', 'azure'], 'imp is an id and a prefix of impersonation');
  });

  it('facet filters still apply to an exact match', () => {
    assert.deepEqual(ids(elastic, { filters: { platform: ['sentinel'] } }), []);
  });
});

describe('search: invalid searches get a message and no rules', () => {
  for (const [q, message] of [
    ['"okta', /quote/],
    ['(okta OR azure', /bracket/],
    ['okta)', /closing bracket/],
    ['okta OR', /OR and AND need a term/],
    ['OR okta', /OR and AND need a term/],
    ['okta AND', /OR and AND need a term/],
    ['NOT', /OR and AND need a term/],
    ['autor:roth', /There is no field “autor:”/],
    ['okta -', /minus/],
    ['okta (', /bracket/],
    ['okta ()', /cannot be read/],
    ['okta OR AND azure', /OR and AND need a term/],
    ['(OR azure)', /OR and AND need a term/],
    ['(azure NOT)', /OR and AND need a term/],
  ] as const)
    it(q, () => {
      const result = run(q);
      assert.match(result.error ?? '', message);
      assert.equal(result.total, 0);
      assert.deepEqual(result.items, []);
    });

  it('an unknown field quoted is text', () => {
    assert.equal(run('"autor:roth"').error, undefined);
  });
});

describe('search syntax: the FTS5 it writes', () => {
  const fts = (q: string) => {
    const parsed = parseSearch(q);
    assert.ok('node' in parsed && parsed.node);
    return toFts(parsed.node);
  };
  it('quotes every word: operators and FTS5 syntax typed in a word are text', () => {
    assert.equal(fts('okta'), '"okta"*');
    assert.equal(fts('process.name'), '"process name"*');
    assert.equal(fts('"session start"'), '"session start"');
    assert.equal(fts('NEAR a'), '("NEAR"*) AND ("a")');
    assert.equal(fts('a* b^2 c:'), '("a") AND ("b 2") AND ("c")');
    assert.equal(fts('okta -imp OR azure'), '(("okta"*) NOT ("imp"*)) OR ("azure"*)');
  });
  it('leaves a bare negation or a field to the test', () => {
    assert.equal(fts('-okta'), undefined);
    assert.equal(fts('author:x'), undefined);
  });
  it('drops terms with no word', () => {
    assert.deepEqual(parseSearch('& "*"'), { node: null });
    assert.equal(run('& "*"').total, 5);
  });
});

describe('indicator filters', () => {
  it('lists the rules holding an indicator, as written or canonical, exactly (case, op and negation included)', () => {
    const certutil = ids('', { indicator: ['FileName|eq|certutil.exe'] });
    assert.deepEqual(certutil, ['certutil']);
    assert.deepEqual(ids('', { indicator: ['FileName|eq|CERTUTIL.EXE'] }), []);
    assert.deepEqual(ids('', { indicator: ['FileName|!eq|certutil.exe'] }), []);
    assert.deepEqual(ids('', { canonical: ['process.name|eq|certutil.exe'] }), ['certutil']);
    assert.deepEqual(ids('', { canonical: ['FileName|eq|certutil.exe'] }), [], 'the canonical vocabulary only');
    assert.deepEqual(ids('decode', { indicator: ['FileName|eq|certutil.exe'] }), ['certutil'], 'with a search');
    assert.deepEqual(ids('-id:"sentinel:certutil"', { indicator: ['FileName|eq|certutil.exe'] }), [], 'without the rule itself');
    assert.deepEqual(ids('', { indicator: ['no bars'] }), []);
  });
});

describe('search: event names the corpus pass added (an expanded pattern) are found as literal ones are', () => {
  let events: CatalogStore;
  let close: () => void;
  const okta = (event: string, via?: string) => ({ provider: 'okta', event, ...(via ? { via } : {}) });
  before(() => {
    ({ store: events, cleanup: close } = openTestCatalog([
      makeRule({ nativeId: 'literal', name: 'Session started', events: [okta('user.session.start')] }),
      makeRule({
        nativeId: 'expanded',
        name: 'Any session event',
        events: [okta('user.session.start', 'wildcard user.session.*'), okta('user.session.end', 'wildcard user.session.*')],
      }),
      makeRule({ nativeId: 'member', name: 'Correlation', platform: 'sigma', events: [okta('user.session.end', 'rule expanded')] }),
      makeRule({ nativeId: 'other', name: 'Password reset', events: [okta('user.account.reset_password')] }),
    ]));
  });
  after(() => close());
  const found = (q: string) =>
    explore(events, { q, filters: {}, sort: 'relevance', page: 1, pageSize: 25, duplicates: false, removed: false })
      .items.map((r) => r.nativeId)
      .sort();

  it('a name, a phrase, a prefix, with provider; each rule once; ranked hits first', () => {
    assert.deepEqual(found('user.session.start'), ['expanded', 'literal']);
    assert.deepEqual(found('"okta user.session.end"'), ['expanded', 'member']);
    // The last word a prefix, as the full-text query takes it (a word of one or two letters is none).
    assert.deepEqual(found('session.star'), ['expanded', 'literal']);
    assert.deepEqual(found('session.en'), []);
    assert.deepEqual(found('user.session'), ['expanded', 'literal', 'member']);
    // The words in a row, as a phrase is.
    assert.deepEqual(found('"user session"'), ['expanded', 'literal', 'member']);
    assert.deepEqual(found('start.session'), []);
    const ranked = explore(events, {
      q: 'user.session.start',
      filters: {},
      sort: 'relevance',
      page: 1,
      pageSize: 25,
      duplicates: false,
      removed: false,
    });
    assert.equal(ranked.items[0]!.nativeId, 'literal', 'the full-text hit first');
  });

  it('with the rest of the search: AND, OR, NOT, fields', () => {
    assert.deepEqual(found('user.session.end any'), ['expanded']);
    assert.deepEqual(found('user.session.end OR password'), ['expanded', 'member', 'other']);
    assert.deepEqual(found('session -user.session.end'), ['literal']);
    assert.deepEqual(found('okta NOT user.session.start'), ['member', 'other']);
    assert.deepEqual(found('user.session.end platform:sigma'), ['member']);
    assert.deepEqual(found('platform:sigma OR user.session.start'), ['expanded', 'literal', 'member']);
  });
});

describe('search: a built catalog finds a rule by the event names its pattern was expanded to', () => {
  let work: string;
  let built: CatalogStore;
  const sigma = (id: string, title: string, selection: string) =>
    `title: ${title}\nid: ${id}\nstatus: test\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  selection:\n    eventSource: cloudtrail.amazonaws.com\n${selection}\n  condition: selection\nlevel: high\n`;
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'ruleatlas-search-events-'));
    const rules = join(work, 'rules');
    mkdirSync(rules);
    writeFileSync(join(rules, 'stop.yml'), sigma('6d1a2b3c-0000-4000-8000-000000000001', 'Trail stopped', '    eventName: StopLogging'));
    writeFileSync(
      join(rules, 'any.yml'),
      sigma('6d1a2b3c-0000-4000-8000-000000000002', 'Trail changes', "    eventName|startswith: 'StopLog'"),
    );
    const db = join(work, 'catalog.db');
    assert.ok(await runBuild({ sources: [rules], db }, captureOutput()), 'the catalog built');
    built = CatalogStore.open(db);
  });
  after(() => {
    built?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('the expanded name, as the literal one', () => {
    const expanded = built.rules.find((r) => r.name === 'Trail changes')!;
    assert.deepEqual(
      expanded.events.map((e) => [e.event, e.via]),
      [['StopLogging', 'startswith StopLog']],
      'the pattern was expanded by the corpus pass',
    );
    const names = (q: string) =>
      explore(built, { q, filters: {}, sort: 'relevance', page: 1, pageSize: 25, duplicates: false, removed: false })
        .items.map((r) => r.name)
        .sort();
    assert.deepEqual(names('StopLogging'), ['Trail changes', 'Trail stopped']);
    assert.deepEqual(names('"aws-cloudtrail StopLogging"'), ['Trail changes', 'Trail stopped']);
  });
});
