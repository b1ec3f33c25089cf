import assert from 'node:assert/strict';
import { test } from 'node:test';
import { facetNames, parseExploreQuery } from '../explore/explore.js';
import { escapeHtml } from './html.js';
import { Labels } from './labels.js';
import { addFacetHrefs, addFacetUrls, toggleFacetUrl } from './urls.js';

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
