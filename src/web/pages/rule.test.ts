import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { Rule } from '../../model/types.js';
import { elasticId, openFixtureStore } from '../fixture-catalog.js';
import { LruCache } from '../cache.js';
import type { SafeHtml } from '../html.js';
import { Labels } from '../labels.js';
import { renderRule, warmRuleMarkdown } from './rule.js';

const fixture = openFixtureStore();
after(() => fixture.cleanup());

test('a stage names its event variable and lists its thresholds', () => {
  const base = fixture.store.byId.get(elasticId)!;
  const rule: Rule = {
    ...base,
    stages: [
      { kind: 'event', text: '$fail.security_result.action = "BLOCK"', variable: '$fail' },
      {
        kind: 'condition',
        text: 'condition:\n    #fail >= 20 and not $n > 5',
        thresholds: [
          { of: '#fail', op: 'gte', value: 20, negated: false, text: '#fail >= 20' },
          { of: '$n', op: 'gt', value: 5, negated: true, text: '$n > 5' },
        ],
      },
    ],
  };
  const context = {
    store: fixture.store,
    labels: new Labels(fixture.store.rules),
    assets: { version: 'test' },
    resultRows: new LruCache<SafeHtml>(0, 0, () => 0),
  };
  const page = renderRule(context, rule);
  assert.match(page, /<strong>Stage 1: event <code>\$fail<\/code><\/strong>/);
  assert.match(page, /<strong>Stage 2: condition<\/strong>/);
  assert.match(page, /Thresholds: <code>#fail<\/code> gte 20, <code>\$n<\/code> not gt 5/);
});

test('schedule labels follow the format: Elastic date math as a duration, a Panther dedup period not as a look-back', () => {
  const base = fixture.store.byId.get(elasticId)!;
  const context = {
    store: fixture.store,
    labels: new Labels(fixture.store.rules),
    assets: { version: 'test' },
    resultRows: new LruCache<SafeHtml>(0, 0, () => 0),
  };
  const elastic = renderRule(context, { ...base, schedule: { interval: '5m', lookback: 'now-30m' } });
  assert.match(elastic, /every <code>5m<\/code>, looking back <code>30m<\/code>/);
  const panther = renderRule(context, { ...base, platform: 'panther', schedule: { dedup: '15m', trigger: '>= 2' } });
  assert.match(
    panther,
    /trigger <code>&gt;= 2<\/code>, alerts merged over <code>15m<\/code> <span class="muted small">\(dedup period\)<\/span>/,
  );
  assert.doesNotMatch(panther, /looking back/);
});

test('rule markdown is rendered once per catalog, before serving, and pages show the kept markup', () => {
  const rule = fixture.store.byId.get(elasticId)!;
  const ruleMarkdown = new LruCache<SafeHtml>(Number.MAX_SAFE_INTEGER, 1024 * 1024, (m) => m.toString().length);
  const context = {
    store: fixture.store,
    labels: new Labels(fixture.store.rules),
    assets: { version: 'test' },
    resultRows: new LruCache<SafeHtml>(0, 0, () => 0),
    ruleMarkdown,
  };
  // Filled before the server listens: one entry per guide or set-up text of the catalog.
  warmRuleMarkdown(context);
  const texts = fixture.store.rules.flatMap((r) => [r.guide, r.setup]).filter((t) => typeof t === 'string' && t.trim());
  assert.ok(texts.length > 0);
  assert.equal(ruleMarkdown.size, texts.length);
  const first = renderRule(context, rule);
  assert.match(first, /<h2>Triage and analysis<\/h2>\n<p>Check <code>okta\.actor\.id<\/code>/);
  // The kept markup is what the page shows: a copy of the rule with another guide under the same id shows the kept one.
  const again = renderRule(context, { ...rule, guide: '# something else' });
  assert.equal(again, first);
});
