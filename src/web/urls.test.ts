import assert from 'node:assert/strict';
import { test } from 'node:test';
import { facetNames, parseExploreQuery } from '../explore/explore.js';
import { escapeHtml } from './html.js';
import { Labels } from './labels.js';
import { addFacetHrefs, addFacetUrls, exploreHrefs, exploreUrl, moreHrefs, toggleFacetUrl } from './urls.js';

test('addFacetUrls gives the URLs toggleFacetUrl gives, for any query and value', () => {
  const queries = [
    '',
    'q=a b&platform=sigma',
    'tactic=TA0002&tactic=TA0005&sort=updated&page=3',
    'event=okta/user.session.start&source=x&size=50&duplicates=1&removed=1&since=2024-01-01',
    'q=Mu\u0308ller&provider=aws&language=kql&severity=high&technique=T1059',
  ];
  const labels = new Labels([]);
  const values = ['sigma', 'a b', "it's (quoted) ~!*", 'okta/user.session.start', '100%', 'ü & = ?', ''];
  for (const search of queries) {
    const query = parseExploreQuery(new URLSearchParams(search));
    for (const facet of facetNames) {
      const add = addFacetUrls(query, facet);
      const href = addFacetHrefs(query, facet);
      for (const value of values) {
        if (query.filters[facet]?.includes(value)) continue;
        assert.equal(add(value), toggleFacetUrl(query, facet, value), `${search} + ${facet}=${value}`);
        assert.equal(
          href(labels.facetValueQueryHtml(facet, value)).toString(),
          escapeHtml(toggleFacetUrl(query, facet, value)),
          `href ${search} + ${facet}=${value}`,
        );
      }
    }
  }
});

test('exploreHrefs gives the escaped URLs exploreUrl gives, for any query, change and value', () => {
  const queries = [
    '',
    'q=a b&platform=sigma&page=4',
    'event=okta/user.session.start&technique=T1059&sort=updated&dir=asc&size=50&since=2024-01-01',
    'indicator=a%7Ceq%7Cb&canonical=c%7Ceq%7Cd&removed=1&duplicates=1',
    'q=%00value%00',
  ];
  const values = ['T1059', 'okta/user.session.start', "it's (quoted) ~!*", 'a b & = ?', 'Mu\u0308ller', '100%', '\u0000value\u0000', ''];
  for (const search of queries) {
    const query = parseExploreQuery(new URLSearchParams(search));
    const changes = {
      technique: (v: string) => ({ filters: { ...query.filters, platform: ['elastic'], technique: [v] } }),
      search: (v: string) => ({ filters: { ...query.filters, platform: ['sigma'] }, q: v }),
      canonical: (v: string) => ({ canonical: [v] }),
      indicator: (v: string) => ({ indicator: [v] }),
    };
    for (const [name, change] of Object.entries(changes)) {
      const hrefs = exploreHrefs(query, change);
      for (const value of values)
        assert.equal(
          hrefs(value).toString(),
          escapeHtml(exploreUrl(query, { page: 1, ...change(value) })),
          `${search} ${name} ${JSON.stringify(value)}`,
        );
    }
  }
});

test('moreHrefs gives the escaped URLs exploreUrl gives with `more`, for any query and facet', () => {
  const queries = [
    '',
    'q=a b&platform=sigma&page=4',
    'more=author&tactic=TA0002&sort=updated&dir=asc&size=50&since=2024-01-01',
    'q=more=more-marker&indicator=more%3Dmore-marker&removed=1&duplicates=1&page=2',
    'event=okta/user.session.start&more=event',
  ];
  for (const search of queries) {
    const query = parseExploreQuery(new URLSearchParams(search));
    const more = moreHrefs(query);
    for (const facet of facetNames)
      assert.equal(more(facet).toString(), escapeHtml(exploreUrl(query, { more: facet })), `${search} more=${facet}`);
  }
});
