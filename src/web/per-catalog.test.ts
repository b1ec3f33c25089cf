// The views kept per catalog (per-catalog.ts): kept once, counted, and replaced with the catalog when
// `serve --watch` reloads it (server.reload), so that a reloaded server answers as a fresh one does.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { openCoverageStore } from './coverage-fixture.js';
import { fixtureRule } from './fixture-catalog.js';
import { indicatorIndexBytes } from '../coverage/indicator-index.js';
import type { Rule } from '../model/types.js';
import { catalogIndicators } from './coverage-routes.js';
import { estimateBytes, perCatalog, perCatalogMemory } from './per-catalog.js';
import { startServer } from './server.js';

const views = [
  '/api/coverage/matrix',
  '/api/coverage/providers',
  '/api/coverage/indicators',
  '/api/coverage/compare',
  '/api/coverage/visibility',
  '/api/actors',
  '/api/data-components',
  '/api/mine',
];

// Two catalogs: the second with one more rule (an Okta event, a technique, an indicator) and without the ATT&CK
// layout and groups, so that every view above differs.
const first = openCoverageStore();
const second = openCoverageStore(null, [
  fixtureRule({
    nativeId: 'reload-extra',
    platform: 'sentinel',
    language: 'kql',
    name: 'Added before the reload',
    events: [{ provider: 'okta', event: 'user.session.start' }],
    indicators: [{ field: 'eventType', op: 'eq', value: 'user.session.start', negated: false, caseSensitive: false, corpusCount: 1 }],
    attack: {
      tactics: [{ id: 'TA0001', name: 'Initial Access' }],
      techniques: [{ id: 'T1078', name: 'Valid Accounts', tactics: ['TA0001'] }],
    },
  }),
]);
after(() => {
  first.cleanup();
  second.cleanup();
});

async function answers(url: string): Promise<string[]> {
  return Promise.all(views.map(async (v) => (await fetch(new URL(v, url))).text()));
}

test('a whole-catalog view is computed once per catalog, counted, and a reload serves the new catalog as a fresh server does', async () => {
  // No page cache: every answer is rendered from the kept values.
  const server = await startServer(first.store, { port: 0, host: '127.0.0.1', cacheBytes: 0 });
  const fresh = await startServer(second.store, { port: 0, host: '127.0.0.1', cacheBytes: 0 });
  try {
    const before = await answers(server.url);
    const kept = perCatalogMemory(first.store);
    for (const key of ['rules', 'matrix covered=false', 'providers', 'visibility', 'threats group', 'data components', 'mine'])
      assert.ok(kept.keys.includes(key), `${key} kept (kept: ${kept.keys.join(', ')})`);
    assert.ok(kept.bytes > 0);
    // The indexes the views read are kept apart from the budget, counted, and built again for the new catalog.
    assert.deepEqual(kept.indexKeys, ['indicators']);
    assert.ok(kept.indexBytes > 0);
    // Asked again: the same answers, from the same values.
    assert.deepEqual(await answers(server.url), before);
    assert.equal(perCatalogMemory(first.store).bytes, kept.bytes);

    server.reload(second.store);
    const reloaded = await answers(server.url);
    assert.deepEqual(perCatalogMemory(second.store).indexKeys, ['indicators']);
    assert.notEqual(catalogIndicators(second.store), catalogIndicators(first.store));
    const expected = await answers(fresh.url);
    views.forEach((v, i) => {
      assert.equal(reloaded[i], expected[i], `${v} after the reload`);
      if (v !== '/api/mine') assert.notEqual(reloaded[i], before[i], `${v} differs between the catalogs`);
    });
  } finally {
    await server.close();
    await fresh.close();
  }
});

test('the indicator index counts its bytes as estimateBytes would, without walking every object', () => {
  const index = catalogIndicators(first.store);
  const walked = estimateBytes(index, (o) => o === first.store.rules || first.store.rules.includes(o as Rule));
  const counted = indicatorIndexBytes(index);
  assert.ok(counted > walked * 0.7 && counted < walked * 1.3, `counted ${counted} bytes, walked ${walked}`);
});

test("values past the budget are not kept, and the catalog's rules count as the store's", () => {
  const rules = first.store.rules;
  const big = 'x'.repeat(40 * 1024 * 1024);
  let builds = 0;
  const build = () => {
    builds++;
    return { big };
  };
  perCatalog(first.store, 'too big', build);
  perCatalog(first.store, 'too big', build);
  assert.equal(builds, 2, 'an 80 MB value is over the 64 MiB budget: built each time');
  assert.ok(!perCatalogMemory(first.store).keys.includes('too big'));
  const owned = (o: object) => rules.includes(o as (typeof rules)[number]);
  assert.equal(estimateBytes([...rules], owned), 16 + rules.length * 8);
  assert.ok(estimateBytes([...rules]) > 16 + rules.length * 8 + 1000);
});
