// /api/rules writes its answer from summaries serialized once (SummaryJsonCache): the text must be
// what JSON.stringify gives for the answer, escapes and key order included.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { explore, parseExploreQuery, ruleSummary } from '../explore/explore.js';
import { openTestCatalog } from '../explore/test-catalog.js';
import { makeRule } from '../model/rule-factory.js';
import type { CatalogStore } from '../store/read.js';
import { apiRules, SummaryJsonCache } from './api.js';

let store: CatalogStore;
let cleanup: () => void;
before(() => {
  ({ store, cleanup } = openTestCatalog([
    makeRule({ nativeId: 'a', name: 'Quotes "x" and \\ back\nslash', description: 'line\u2028separator </script> é 😀', severity: 'high' }),
    makeRule({ nativeId: 'b', name: 'Second rule', platform: 'elastic', language: 'kuery', updated: '2024-01-02' }),
    makeRule({ nativeId: 'c', name: 'Third rule', description: 'second of the search', removed: true }),
  ]));
});
after(() => cleanup());

function expected(params: URLSearchParams, facetLimit: number): string {
  const { facetChoices: _c, facetChoiceTotals: _t, ...result } = explore(store, parseExploreQuery(params), { facetLimit });
  return JSON.stringify({ ...result, items: result.items.map(ruleSummary) });
}

test('apiRules writes the JSON of its answer byte for byte, from kept summaries or new ones', () => {
  const cache = new SummaryJsonCache();
  for (const [query, limit] of [
    ['', 100],
    ['q=second', 100],
    ['platform=elastic&facetLimit=1', 1],
    ['removed=1&size=1&page=2&facetLimit=0', 0],
    ['q=nothing-matches', 100],
  ] as const) {
    const params = new URLSearchParams(query);
    for (const summaries of [cache, cache, new SummaryJsonCache()]) {
      const answer = apiRules(store, params, summaries);
      assert.equal(answer.status, 200);
      assert.equal(answer.json.toString('utf8'), expected(params, limit), query);
    }
  }
});
