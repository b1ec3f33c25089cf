// Full-text search through the public read API with what people (and attackers) type: FTS5
// syntax must never reach SQLite as syntax, and every word still finds what it names.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openTestCatalog } from '../explore/test-catalog.js';
import { makeRule } from '../model/rule-factory.js';
import { type CatalogStore, ftsQuery } from './read.js';

let store: CatalogStore;
let cleanup: () => void;
before(() => {
  ({ store, cleanup } = openTestCatalog([
    makeRule({
      nativeId: 'certutil',
      name: 'Certutil decode',
      description: 'certutil -decode near a payload',
      query: 'process.name:"certutil.exe"',
    }),
    makeRule({ nativeId: 'mueller', name: 'Logon by Müller', description: 'a user named Müller signs in from 日本語のホスト' }),
    makeRule({ nativeId: 'near', name: 'NEAR AND NOT OR', description: 'rule whose name is FTS5 keywords' }),
    makeRule({ nativeId: 'quoted', name: 'Quote "double" and \'single\'', description: 'parent (child) [set] {map}' }),
  ]));
});
after(() => cleanup());

/** Native ids of the rules a search finds, best first; undefined when the text has no word. */
function found(text: string): string[] | undefined {
  return store.search(text)?.map((i) => store.rules[i]!.nativeId);
}

describe('store search: hostile text', () => {
  const hostile = [
    '"',
    '""',
    '"certutil',
    "'",
    '*',
    'certutil*',
    '*certutil',
    'NEAR',
    'NEAR(certutil payload)',
    'certutil NEAR/2 payload',
    '-certutil',
    'NOT certutil',
    'certutil AND',
    'OR',
    ':',
    'name:certutil',
    'description:müller',
    '(',
    ')',
    '(certutil',
    '{name}: certutil',
    '^certutil',
    '+certutil',
    'certutil\u0000payload',
    '🛡️ certutil',
    '\\',
    "'; DROP TABLE rules; --",
    'x'.repeat(10_000),
  ];

  it('never raises an SQLite error, whatever the text', () => {
    for (const text of hostile) {
      assert.doesNotThrow(() => store.search(text), JSON.stringify(text.slice(0, 40)));
    }
  });

  it('gives no search for a text without words, so Explore lists everything', () => {
    for (const text of ['', '   ', '"', '*', ':', '()', '-', "'", '🛡️']) assert.equal(found(text), undefined, JSON.stringify(text));
  });

  it('reads operators and column filters as words to find', () => {
    assert.deepEqual(found('certutil*'), ['certutil']);
    assert.deepEqual(found('-certutil'), ['certutil']);
    assert.deepEqual(found('(certutil'), ['certutil']);
    assert.deepEqual(found('"certutil'), ['certutil']);
    assert.deepEqual(found('^certutil'), ['certutil']);
    // `near` is a word of the certutil rule's description, NEAR a word of the keyword rule's name.
    assert.deepEqual(found('NEAR(certutil payload)'), ['certutil']);
    assert.deepEqual(found('NEAR AND NOT OR'), ['near']);
    assert.deepEqual(found('NOT certutil'), []);
    // parent:child is two words, both in the quoted rule; `name:` is a word like any other.
    assert.deepEqual(found('parent:child'), ['quoted']);
    assert.deepEqual(found('name:certutil'), found('name certutil'));
    assert.deepEqual(found("'; DROP TABLE rules; --"), []);
    assert.equal(store.rules.length, 4);
  });

  it('finds the same rules unranked (for other sort orders) as ranked', () => {
    for (const text of ['certutil', 'müller', 'rule', 'a']) {
      const ranked = store.search(text) ?? [];
      assert.deepEqual([...(store.search(text, false) ?? [])].sort(), [...ranked].sort(), text);
    }
  });

  it('finds words inside quotes and brackets of the indexed text', () => {
    assert.deepEqual(found('double single'), ['quoted']);
    assert.deepEqual(found('child set map'), ['quoted']);
  });

  it('matches letters with and without diacritics both ways, and scripts without spaces by prefix', () => {
    assert.deepEqual(found('müller'), ['mueller']);
    assert.deepEqual(found('MULLER'), ['mueller']);
    assert.deepEqual(found('日本'), ['mueller']);
  });

  it('matches a word typed with a combining accent (decomposed unicode) as its composed form', () => {
    assert.deepEqual(found('Mu\u0308ller'), ['mueller']);
    assert.deepEqual(found('MU\u0308LLER signs'), ['mueller']);
    // A prefix of the word still finds it (as two words, "Mu"* "ll"*, it did not).
    assert.deepEqual(found('Mu\u0308ll'), ['mueller']);
  });
});

describe('store search: recent searches', () => {
  it('answers a search asked again from its kept hits, ranked and unranked apart, and keeps answering after many others', () => {
    const first = store.search('certutil decode');
    assert.ok(first?.length);
    assert.equal(store.search('certutil decode'), first, 'the same hit list, not a second FTS query');
    assert.equal(store.search('certutil,  decode!'), first, 'keyed by the FTS query the text becomes');
    assert.notEqual(store.search('certutil decode', false), first);
    assert.deepEqual(store.search('certutil decode', false), first);
    for (let i = 0; i < 200; i++) store.search(`word${i}`);
    const again = store.search('certutil decode');
    assert.notEqual(again, first, 'evicted after more recent searches');
    assert.deepEqual(again, first);
  });
});

describe('ftsQuery', () => {
  it('quotes every word as a prefix term, so nothing in the text is FTS5 syntax', () => {
    assert.equal(ftsQuery('NEAR(a "b") -c* d:e'), '"NEAR"* "a" "b" "c" "d" "e"');
    assert.equal(ftsQuery('process_name'), '"process_name"*');
    assert.equal(ftsQuery('" * ( )'), undefined);
  });

  it('keeps combining marks in their word, leaves out words of marks alone, and no prefix of one or two ASCII characters', () => {
    assert.equal(ftsQuery('Mu\u0308ller'), '"Mu\u0308ller"*');
    assert.equal(ftsQuery('\u0308 \u20dd _'), undefined);
    assert.equal(ftsQuery('a s3 dns 日本'), '"a" "s3" "dns"* "日本"*');
  });
});
