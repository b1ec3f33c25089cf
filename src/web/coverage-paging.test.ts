// The paged coverage views (indicators, compare): the JSON answer says its page and links the pages beside it,
// `limit` is taken up to its maximum, and the HTML page of an address holds what its JSON twin holds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coverageTestServer } from './coverage-test-server.js';
import { comparePageSizes, indicatorPageSizes } from './coverage-paging.js';

const web = coverageTestServer();
const { get, api } = web;

interface Paged {
  page: number;
  pages: number;
  limit: number;
  prev: string | null;
  next: string | null;
}
interface Indicators extends Paged {
  totalFields: number;
  fields: { field: string; indicators: { value: string; count: number }[] }[];
}
type Section = { onlyA: { key: string }[]; onlyB: { key: string }[]; shared: { key: string }[]; totals: Record<string, number> };
interface Comparison extends Paged {
  a: string;
  b: string;
  techniques: Section;
  events: Section;
  indicators: Section;
}

/** Text as the html template writes it. */
const escaped = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');

/** The texts of a page's `<code class="wrap-any">` headings: the fields an indicators page shows. */
const shownFields = (page: string) => [...page.matchAll(/<h2><code class="wrap-any">([^<]*)<\/code>/g)].map((m) => m[1]!);

test('indicators: one field per page with limit=1, pages linked both ways to the end, each the next field', async () => {
  const all = await api<Indicators>('/api/coverage/indicators');
  assert.ok(all.totalFields >= 3, 'the fixture has fields enough to page');
  assert.deepEqual([all.page, all.pages, all.limit, all.prev, all.next], [1, 1, indicatorPageSizes.defaultLimit, null, null]);
  const seen: string[] = [];
  let url: string | null = '/api/coverage/indicators?limit=1';
  let previous: string | null = null;
  while (url) {
    const page: Indicators = await api<Indicators>(url);
    assert.equal(page.limit, 1);
    assert.equal(page.pages, all.totalFields);
    assert.equal(page.fields.length, 1, url);
    assert.equal(page.prev === null, page.page === 1, `${url}: a previous page exactly when not the first`);
    if (previous) assert.equal(new URL(page.prev!, web.url).search, new URL(previous, web.url).search.replace('page=1&', ''));
    seen.push(page.fields[0]!.field);
    previous = url;
    url = page.next;
  }
  assert.deepEqual(
    seen,
    all.fields.map((f) => f.field),
    'the pages, in turn, are the unpaged list',
  );
  const past = await api<Indicators>(`/api/coverage/indicators?limit=1&page=${all.totalFields + 5}`);
  assert.deepEqual([past.fields.length, past.next, past.prev], [0, null, `/api/coverage/indicators?page=${all.totalFields}&limit=1`]);
});

test('indicators: the HTML page of an address shows the fields and values of its JSON twin, with its pager', async () => {
  for (const search of ['?limit=1&page=2', '?limit=2&page=2&view=canonical', '?limit=1&page=1']) {
    const json = await api<Indicators>(`/api/coverage/indicators${search}`);
    const { text } = await get(`/coverage/indicators${search}`);
    assert.deepEqual(
      shownFields(text),
      json.fields.map((f) => escaped(f.field)),
      search,
    );
    for (const f of json.fields)
      for (const i of f.indicators) assert.ok(text.includes(`<code>${escaped(i.value)}</code>`), `${search}: ${i.value}`);
    if (json.next)
      assert.ok(text.includes(`rel="next" href="${json.next.replace('/api', '').replaceAll('&', '&amp;')}"`), `${search}: next`);
    if (json.prev)
      assert.ok(text.includes(`rel="prev" href="${json.prev.replace('/api', '').replaceAll('&', '&amp;')}"`), `${search}: prev`);
  }
});

test('compare: each list paged by limit, page 2 the items after page 1, a limit past the maximum read as it', async () => {
  const whole = await api<Comparison>('/api/coverage/compare?a=sigma&b=elastic');
  assert.deepEqual([whole.page, whole.limit, whole.prev], [1, comparePageSizes.defaultLimit, null]);
  const keys = (c: Comparison) =>
    ['techniques', 'events', 'indicators'].flatMap((s) => {
      const section = c[s as 'techniques'];
      return [section.onlyA, section.onlyB, section.shared].map((list) => list.map((i) => i.key));
    });
  const longest = Math.max(...keys(whole).map((list) => list.length));
  assert.ok(longest >= 2, 'the fixture has a list to page');
  const first = await api<Comparison>('/api/coverage/compare?a=sigma&b=elastic&limit=1');
  assert.equal(first.pages, longest);
  assert.equal(first.next, '/api/coverage/compare?a=sigma&b=elastic&page=2&limit=1');
  const second = await api<Comparison>(first.next);
  assert.deepEqual(
    keys(second),
    keys(whole).map((list) => list.slice(1, 2)),
  );
  assert.deepEqual(second.techniques.totals, whole.techniques.totals, 'totals are the whole lists');
  const big = await api<Comparison>(`/api/coverage/compare?a=sigma&b=elastic&limit=${comparePageSizes.maxLimit * 10}`);
  assert.equal(big.limit, comparePageSizes.maxLimit);
  // The page of the same address shows those items, numbered on from the first page.
  const { text } = await get('/coverage/compare?a=sigma&b=elastic&limit=1&page=2');
  assert.ok(text.includes('<ol class="cmp-list" start="2">'));
  assert.ok(text.includes('rel="prev" href="/coverage/compare?a=sigma&amp;b=elastic&amp;limit=1"'));
});
