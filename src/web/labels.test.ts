import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeRule } from '../model/rule-factory.js';
import { escapeHtml } from './html.js';
import { coverageTestServer } from './coverage-test-server.js';
import { fixtureRule } from './fixture-catalog.js';
import { Labels, ruleTypeName } from './labels.js';

const splunkTtp = fixtureRule({ nativeId: 'splunk-ttp', platform: 'splunk', language: 'spl', name: 'A Splunk TTP', type: 'ttp' });
const web = coverageTestServer([splunkTtp]);

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

test("a rule's type as its platform writes it: Splunk's analytic types, stored lower case, shown as Splunk writes them", () => {
  assert.equal(ruleTypeName('splunk', 'ttp'), 'TTP');
  assert.equal(ruleTypeName('splunk', 'anomaly'), 'Anomaly');
  assert.equal(ruleTypeName('splunk', 'batch'), 'batch', 'a type the platform does not name stays as stored');
  assert.equal(ruleTypeName('elastic', 'eql'), 'eql');
});

test('the rule page badges a Splunk rule type as Splunk writes it', async () => {
  const { text } = await web.get(`/rules/${encodeURIComponent(splunkTtp.id)}`);
  assert.match(text, /<span class="badge"[^>]*title="Rule type"[^>]*>TTP<\/span>/);
  assert.doesNotMatch(text, />ttp</);
});
