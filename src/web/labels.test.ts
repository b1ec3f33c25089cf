import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeRule } from '../model/rule-factory.js';
import { escapeHtml } from './html.js';
import { Labels } from './labels.js';

test('facetLabelHtml is the escaped facetLabel, made once per value', () => {
  const rule = makeRule({ nativeId: 'x' });
  rule.attack.techniques = [{ id: 'T1', name: 'Name <b> & "quoted"', tactics: [] }];
  const labels = new Labels([rule]);
  for (const [facet, value] of [
    ['technique', 'T1'],
    ['source', '<img src=x>'],
    ['event', 'okta/user.session.start'],
    ['severity', ''],
  ] as const) {
    const markup = labels.facetLabelHtml(facet, value);
    assert.equal(markup.toString(), escapeHtml(labels.facetLabel(facet, value)));
    assert.equal(labels.facetLabelHtml(facet, value), markup);
  }
  assert.match(labels.facetLabelHtml('technique', 'T1').toString(), /Name &lt;b&gt; &amp; &quot;quoted&quot;/);
});
