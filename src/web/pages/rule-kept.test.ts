import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { openTestCatalog } from '../../explore/test-catalog.js';
import { fixtureRule, openFixtureStore, sentinelId } from '../fixture-catalog.js';
import { LruCache } from '../cache.js';
import type { SafeHtml } from '../html.js';
import { Labels } from '../labels.js';
import { perCatalogMemory } from '../per-catalog.js';
import { renderRule, ruleAnswer } from './rule.js';
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

test('a rule page answer with its kept parts copied in as bytes is the page rendered whole, as UTF-8', () => {
  warmRuleParts(fixture.store);
  for (const rule of fixture.store.rules) {
    const whole = renderRule(context, { ...rule });
    const { bytes, release } = ruleAnswer(context, rule);
    assert.ok(bytes.equals(Buffer.from(whole, 'utf8')), rule.id);
    release?.();
  }
});

test('kept parts holding a character past ASCII are spliced as UTF-8', () => {
  // é is kept as one Latin-1 byte in the packed code, two bytes in the answer.
  const query = 'SigninLogs\n| where UserPrincipalName == "jos\u00e9@example.com"';
  const rule = fixtureRule({
    nativeId: 'accent',
    name: 'Accent',
    query,
    body: `name: Accent\nquery: |\n  ${query.replace('\n', '\n  ')}\n`,
  });
  const catalog = openTestCatalog([rule]);
  try {
    const ctx = { ...context, store: catalog.store, labels: new Labels(catalog.store.rules) };
    const stored = catalog.store.byId.get(rule.id)!;
    const whole = renderRule(ctx, { ...stored });
    assert.match(whole, /jos\u00e9@example\.com/);
    const { bytes } = ruleAnswer(ctx, stored);
    assert.ok(bytes.equals(Buffer.from(whole, 'utf8')));
  } finally {
    catalog.cleanup();
  }
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
