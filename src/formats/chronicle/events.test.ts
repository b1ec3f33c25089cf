// Chronicle rules through the yaral analyser and the providers' `udm` selectors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analysisContextOf } from '../../analysis/analyse-rule.js';
import { eventsOf } from '../../analysis/events.js';
import { yaral } from '../../languages/yaral/index.js';
import type { EventRef } from '../../model/types.js';
import { platformInfo } from '../../platforms/registry.js';
import { providers } from '../../providers/registry.js';
import { chronicleFormat } from './index.js';

function events(eventsSection: string): EventRef[] {
  const text = `rule t {\n  meta:\n    author = "a"\n  events:\n    ${eventsSection}\n  condition:\n    $e\n}\n`;
  const [raw] = chronicleFormat.read(text, { path: 't.yaral', text });
  assert.ok(raw);
  const a = yaral.analyse(raw.query, analysisContextOf(raw));
  assert.equal(a.parsed, true, JSON.stringify(a.diagnostics));
  return eventsOf(a.stages, a.sources, platformInfo(chronicleFormat.platform)!.schema, providers);
}

describe('chronicle: events through the udm selectors', () => {
  it('Okta by product name', () => {
    assert.deepEqual(
      events(`$e.metadata.product_name = "Okta"
    ($e.metadata.product_event_type = "user.session.start" or $e.metadata.product_event_type = "user.account.lock")
    $e.metadata.product_event_type != "user.session.end"`),
      [
        { provider: 'okta', event: 'user.session.start' },
        { provider: 'okta', event: 'user.account.lock' },
      ],
    );
  });

  it('CloudTrail by log type, GitHub by vendor, GCP by log type, Office 365 and Entra ID by product', () => {
    assert.deepEqual(events('$e.metadata.log_type = "AWS_CLOUDTRAIL"\n    $e.metadata.product_event_type = "StopLogging"'), [
      { provider: 'aws-cloudtrail', event: 'StopLogging' },
    ]);
    assert.deepEqual(events('$e.metadata.vendor_name = "GITHUB" nocase\n    $e.metadata.product_event_type = "repo.destroy"'), [
      { provider: 'github-audit', event: 'repo.destroy' },
    ]);
    assert.deepEqual(events('$e.metadata.log_type = "GCP_CLOUDAUDIT"\n    $e.metadata.product_event_type = "SetIamPolicy"'), [
      { provider: 'gcp-audit', event: 'SetIamPolicy' },
    ]);
    assert.deepEqual(events('$e.metadata.product_name = "Office 365"\n    $e.metadata.product_event_type = "New-InboxRule"'), [
      { provider: 'microsoft-365', event: 'New-InboxRule' },
    ]);
    assert.deepEqual(
      events('$e.metadata.product_name = "Azure AD Directory Audit"\n    $e.metadata.product_event_type = "Add member to role."'),
      [{ provider: 'entra-id-audit', event: 'Add member to role' }],
    );
  });

  it('Windows Security ids only, whether the rule names the log type or just the vendor', () => {
    assert.deepEqual(events('$e.metadata.vendor_name = "Microsoft"\n    $e.metadata.product_event_type = "4625"'), [
      { provider: 'windows-security', event: '4625' },
    ]);
    assert.deepEqual(events('$e.metadata.vendor_name = "Microsoft"\n    $e.metadata.product_event_type = "7045"'), []);
    assert.deepEqual(events('$e.metadata.log_type = "WINEVTLOG"\n    $e.metadata.product_event_type = "3"'), []);
  });

  it('no log named, or only in a negation: no events', () => {
    assert.deepEqual(events('$e.metadata.product_event_type = "user.session.start"'), []);
    assert.deepEqual(events('not $e.metadata.product_name = "Okta"\n    $e.metadata.product_event_type = "user.session.start"'), []);
  });
});
