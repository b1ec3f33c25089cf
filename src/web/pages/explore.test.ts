import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { explore, type FacetName, parseExploreQuery } from '../../explore/explore.js';
import { openTestCatalog } from '../../explore/test-catalog.js';
import { makeRule } from '../../model/rule-factory.js';
import type { CatalogStore } from '../../store/read.js';
import { LruCache } from '../cache.js';
import type { WebContext } from '../context.js';
import { escapeHtml, type SafeHtml } from '../html.js';
import { Labels } from '../labels.js';
import { exploreUrl, toggleFacetUrl } from '../urls.js';
import { exploreOptions, exportUrl, renderExplore } from './explore.js';

// 30 authors and 20 events of two providers: more values than a facet lists before its "more" link.
const rules = Array.from({ length: 60 }, (_, i) =>
  makeRule({
    nativeId: `r${i}`,
    name: `Rule ${i}`,
    authors: [`Author ${i % 30}`, ...(i % 4 ? [] : [`Author ${(i + 7) % 30}`])],
    events: [{ provider: i % 3 ? 'okta' : 'sysmon', event: `event.${i % 20}` }],
    severity: i % 2 ? 'high' : 'low',
  }),
);

let catalog: { store: CatalogStore; cleanup: () => void };
let ctx: WebContext;
before(() => {
  catalog = openTestCatalog(rules);
  ctx = {
    store: catalog.store,
    labels: new Labels(catalog.store.rules),
    assets: { version: 'test' },
    resultRows: new LruCache<SafeHtml>(0, 0, () => 0),
  };
});
after(() => catalog.cleanup());

/** Explore at `search` (a query string) as the server answers it. */
function page(search: string): string {
  const query = parseExploreQuery(new URLSearchParams(search));
  return renderExplore(ctx, query, explore(catalog.store, query, exploreOptions(query)));
}

/** A facet's options on the page (label, count, href) and its "more" link's href and text. */
function facetOf(html: string, facet: FacetName) {
  const title = { author: 'Author', event: 'Event', severity: 'Severity' }[facet as string] ?? facet;
  const block = new RegExp(`<section class="facet" aria-label="${title}"[^>]*>([\\s\\S]*?)</section>`).exec(html)?.[1] ?? '';
  const decode = (s: string) => s.replaceAll('&amp;', '&');
  const options = [
    ...block.matchAll(
      /<a class="facet-opt[^"]*" href="([^"]*)"[^>]*><span class="label">(?:<span class="sr-only">Selected: <\/span>)?([^<]*)<\/span><span class="count">([\d,]+)<\/span>/g,
    ),
  ].map((m) => ({ href: decode(m[1]!), label: m[2]!, count: Number(m[3]!.replaceAll(',', '')) }));
  const more = /<a class="facet-more" href="([^"]*)"[^>]*>([^<]*)<\/a>/.exec(block);
  return { options, more: more ? { href: decode(more[1]!), text: more[2]! } : undefined };
}

const search = (href: string) => href.replace(/^\/\??/, '').replace(/#.*$/, '');

describe('Explore facets: the first values, and a link to every value', () => {
  it('lists 8 values of a long facet and links to all of them; the link reaches every value the facet has', () => {
    for (const [facet, start] of [
      ['author', ''],
      ['event', ''],
      ['author', 'severity=high'],
      ['event', 'provider=okta'],
      ['author', 'author=Author+3&author=Author+10'],
    ] as const) {
      const total = explore(catalog.store, parseExploreQuery(new URLSearchParams(start)));
      const values = total.facetChoices[facet] ?? total.facets[facet];
      const first = facetOf(page(start), facet);
      assert.equal(first.options.length, 8, `${facet} at ?${start}`);
      assert.equal(first.more?.text, `${values.length - 8} more values`);
      const opened = facetOf(page(search(first.more.href)), facet);
      assert.deepEqual(
        opened.options.map((o) => o.label).sort(),
        values.map((v) => ctx.labels.facetLabel(facet, v.value)).sort(),
        `every ${facet} at ?${start}`,
      );
      assert.equal(opened.more?.text, 'Fewer values');
      assert.equal(search(opened.more.href), start);
      // The other facets stay short.
      assert.ok(facetOf(page(search(first.more.href)), facet === 'author' ? 'event' : 'author').options.length <= 8);
    }
  });

  it('a count is the number of rules its option lists', () => {
    for (const start of ['', 'severity=low', 'more=author', 'more=event&author=Author+1']) {
      // The facets not filtered on: an option adds its value to the filters (a filtered facet's would widen them).
      for (const facet of (['author', 'event', 'severity'] as const).filter((f) => !new URLSearchParams(start).has(f))) {
        const { options } = facetOf(page(start), facet);
        assert.ok(options.length > 0, `${facet} at ?${start}`);
        for (const option of options) {
          const opened = explore(catalog.store, parseExploreQuery(new URLSearchParams(search(option.href))), { facets: false });
          assert.equal(opened.total, option.count, `${option.label} at ?${start}`);
        }
      }
    }
  });

  it('keeps a selected value in view, and says when it is selected, however few rules it has', () => {
    const html = page('author=Author+29&author=Author+28&severity=high');
    const authors = facetOf(html, 'author').options;
    assert.deepEqual(
      authors.slice(0, 2).map((o) => o.label),
      ['Author 29', 'Author 28'],
    );
    assert.match(html, /class="facet-opt on"[^>]*><span class="label"><span class="sr-only">Selected: <\/span>Author 29</);
  });

  it('links each option, "more" and export as the URL helpers write them, escaped', () => {
    for (const start of [
      '',
      'severity=low&page=2',
      'more=author&q=rule',
      'author=Author+1&author=Author+3&event=sysmon%2Fevent.0',
      'author=Author+1&author=Author+8&event=okta%2Fevent.1',
      'q=a%26b+%27c%27&size=10',
    ]) {
      const query = parseExploreQuery(new URLSearchParams(start));
      const html = page(start);
      const result = explore(catalog.store, query, exploreOptions(query));
      for (const facet of ['author', 'event', 'severity'] as const) {
        const title = { author: 'Author', event: 'Event', severity: 'Severity' }[facet];
        const block = new RegExp(`<section class="facet" aria-label="${title}"[^>]*>([\\s\\S]*?)</section>`).exec(html)?.[1] ?? '';
        const selected = query.filters[facet] ?? [];
        const values = (result.facetChoices[facet] ?? result.facets[facet]).map((v) => v.value);
        const listed = [...values.filter((v) => selected.includes(v)), ...values.filter((v) => !selected.includes(v))];
        const shown = query.more === facet ? listed : listed.slice(0, Math.max(8, selected.length));
        assert.deepEqual(
          [...block.matchAll(/class="facet-opt[^"]*" href="([^"]*)"/g)].map((m) => m[1]),
          shown.map((v) => escapeHtml(toggleFacetUrl(query, facet, v))),
          `${facet} at ?${start}`,
        );
        const more = /<a class="facet-more" href="([^"]*)"/.exec(block)?.[1];
        if (more && query.more !== facet) assert.equal(more, `${escapeHtml(exploreUrl(query, { more: facet }))}#more`);
      }
      assert.deepEqual(
        [...html.matchAll(/href="(\/api\/export\?[^"]*)"/g)].map((m) => m[1]),
        // Export is offered when something is listed.
        (result.total ? ['json', 'csv', 'navigator'] : []).map((format) => escapeHtml(exportUrl({ ...query, more: undefined }, format))),
        `export at ?${start}`,
      );
    }
  });
});
