import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { openFixtureStore, sentinelId } from '../fixture-catalog.js';
import { LruCache } from '../cache.js';
import type { SafeHtml } from '../html.js';
import { Labels } from '../labels.js';
import { perCatalogMemory } from '../per-catalog.js';
import { renderRule } from './rule.js';
import { warmRuleParts } from './rule-kept.js';

const fixture = openFixtureStore();
after(() => fixture.cleanup());

const context = {
  store: fixture.store,
  labels: new Labels(fixture.store.rules),
  assets: { version: 'test' },
  resultRows: new LruCache<SafeHtml>(0, 0, () => 0),
};

test('every rule page from kept parts is the page rendered whole (a copy of the rule is rendered now)', () => {
  warmRuleParts(fixture.store);
  assert.ok(perCatalogMemory(fixture.store).keys.includes('rule parts'));
  for (const rule of fixture.store.rules) assert.equal(renderRule(context, rule), renderRule(context, { ...rule }), rule.id);
});

test('the indicators, same-action and similar sections are rendered once per catalog, not per page', () => {
  warmRuleParts(fixture.store);
  const rule = fixture.store.byId.get(sentinelId)!;
  assert.ok(rule.indicators.length && rule.sameAction.length && rule.similar?.length, 'the fixture rule fills each section');
  const first = renderRule(context, rule);
  const saved = { indicators: rule.indicators, sameAction: rule.sameAction, similar: rule.similar };
  try {
    // The catalog's rule object changed in place: its kept parts still show what it held when they were packed.
    Object.assign(rule, { indicators: [], sameAction: [], similar: [] });
    assert.equal(renderRule(context, rule), first);
    const copy = renderRule(context, { ...rule });
    assert.match(copy, /No field-and-value comparison was found in the query\./);
    assert.match(copy, /No other rule in the catalog filters on the same event\./);
    assert.match(copy, /No other rule shares a canonical indicator rare enough to count\./);
  } finally {
    Object.assign(rule, saved);
  }
});
