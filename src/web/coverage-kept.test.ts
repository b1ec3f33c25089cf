// The coverage pages' parts kept per catalog (coverage-kept.ts): a page spliced from kept parts is the page
// rendered now, byte for byte; each default state keeps its own parts; a filtered view keeps none.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KeptHtml, type PartSource, partsHere, renderedNow, splicedJson, splicedPage } from './coverage-kept.js';
import { utf8Bytes } from './utf8.js';
import { coverageTestServer } from './coverage-test-server.js';
import { html, type SafeHtml } from './html.js';
import { perCatalogMemory } from './per-catalog.js';

const web = coverageTestServer();

test('splicedPage: the parts in place of the placeholder, as UTF-8; a text without it, or with it twice, is refused', () => {
  const text = html`<p>before ${partsHere} after ${'é—'}</p>`.toString();
  const parts = [KeptHtml.of(html`<b>${'one ☃'}</b>`), KeptHtml.of(html`<i>two</i>`)];
  assert.equal(splicedPage(text, parts).bytes.toString('utf8'), '<p>before <b>one &#9731;</b><i>two</i> after é&#8212;</p>');
  assert.throws(() => splicedPage('<p>no place</p>', parts));
  assert.throws(() => splicedPage(html`${partsHere}${partsHere}`.toString(), parts));
  // Text cannot spell the placeholder: it is escaped.
  assert.throws(() => splicedPage(html`${'<!--ruleatlas:parts-->'}`.toString(), parts));
});

test('splicedJson: the JSON of the value with its array written from the items, in their place among the keys', () => {
  const items = [
    { field: 'a"b', n: 1 },
    { field: '☃', n: 2 },
  ];
  const value = { total: 2, label: '"fields":[]', fields: items, next: '/x?fields=1' };
  const bytes = (list: unknown[]) =>
    splicedJson(
      value,
      'fields',
      list.map((i) => utf8Bytes(JSON.stringify(i))),
    ).bytes.toString('utf8');
  assert.equal(bytes(items), JSON.stringify(value));
  assert.equal(bytes([]), JSON.stringify({ ...value, fields: [] }));
  // A value without the array gets it last, as the spread puts a new key.
  assert.equal(splicedJson({ total: 1 }, 'fields', [utf8Bytes('3')]).bytes.toString('utf8'), '{"total":1,"fields":[3]}');
});

test('a part kept is rendered once, and the page from kept parts equals the page rendered now', () => {
  const kept = new Map<string, KeptHtml>();
  let renders = 0;
  const keeping: PartSource = (key, render) => {
    let part = kept.get(key);
    if (!part) kept.set(key, (part = renderedNow(key, render)));
    return part;
  };
  const page = (source: PartSource) => {
    const row = (n: number): SafeHtml => (renders++, html`<tr><td>${n}</td></tr>`);
    return splicedPage(
      html`<table>${partsHere}</table>`.toString(),
      [1, 2, 3].map((n) => source(String(n), () => row(n))),
    ).bytes;
  };
  const now = page(renderedNow);
  assert.deepEqual(page(keeping), now);
  assert.equal(renders, 6);
  assert.deepEqual(page(keeping), now);
  assert.equal(renders, 6, 'the second page took every part from those kept');
});

test('matrix and indicators pages: each default state answers the same from its kept parts, and keeps its own', async () => {
  const states = [
    '/coverage/matrix',
    '/coverage/matrix?covered=1',
    '/coverage/indicators',
    '/coverage/indicators?view=canonical',
    '/api/coverage/indicators',
    '/api/coverage/indicators?view=canonical',
    '/coverage/providers/okta',
    '/coverage/providers/okta?gaps=1',
    '/api/coverage/matrix',
    '/api/coverage/matrix?covered=1',
  ];
  const first = new Map<string, string>();
  for (const path of states) {
    const { res, text } = await web.get(path);
    assert.equal(res.status, 200, path);
    first.set(path, text);
  }
  const keys = perCatalogMemory(web.store).keys;
  const prefixes = ['matrix parts  ', 'matrix parts covered=1 ', 'indicators parts  ', 'indicators parts view=canonical '];
  for (const prefix of [
    ...prefixes,
    'indicators json parts  ',
    'indicators json parts view=canonical ',
    'provider parts  okta',
    'provider parts gaps=1 okta',
  ])
    assert.ok(
      keys.some((k) => k.startsWith(prefix)),
      `parts kept under "${prefix}"`,
    );
  // Asked again in the other order: from the kept parts, each state's own.
  for (const path of [...states].reverse()) assert.equal((await web.get(path)).text, first.get(path), path);
  assert.notEqual(first.get('/coverage/indicators'), first.get('/coverage/indicators?view=canonical'));
  assert.notEqual(first.get('/coverage/matrix'), first.get('/coverage/matrix?covered=1'));
  assert.notEqual(first.get('/api/coverage/indicators'), first.get('/api/coverage/indicators?view=canonical'));
  // The JSON from kept parts is the JSON of the page's value: each field's rows as the page lists them.
  const answer = JSON.parse(first.get('/api/coverage/indicators')!) as { fields: { field: string }[] };
  assert.ok(answer.fields.length > 1);
});

test('a view with a filter or an option a part shows renders its parts per request and keeps none', async () => {
  const before = perCatalogMemory(web.store).keys.length;
  const filtered = [
    '/coverage/matrix?platform=sentinel',
    '/coverage/indicators?platform=sentinel',
    '/coverage/indicators?gaps=1',
    '/coverage/providers/okta?compare=sentinel,elastic',
  ];
  for (const path of [...filtered, '/api/coverage/indicators?platform=sentinel']) {
    const { res, text } = await web.get(path);
    assert.equal(res.status, 200, path);
    assert.ok(!text.includes('ruleatlas:parts'), 'the placeholder never reaches a page');
  }
  const added = perCatalogMemory(web.store).keys.slice(before);
  assert.deepEqual(
    added.filter((k) => k.includes(' parts ')),
    [],
  );
});
