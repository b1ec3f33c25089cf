import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { recogniseLog } from '../../evaluate/event-log.js';
import { evaluateEvents } from '../../evaluate/events.js';
import { PreparedEvent, evaluateRule } from '../../evaluate/rule.js';
import type { EvaluatedRule, Evaluation } from '../../evaluate/types.js';
import { parseContainer } from '../../formats/containers.js';
import { chronicleFormat } from '../../formats/chronicle/index.js';
import { yaral } from './index.js';

function ruleOf(body: string): EvaluatedRule {
  const analysis = yaral.analyse(`rule t {\n${body}\n}`, {});
  assert.ok(analysis.parsed, JSON.stringify(analysis.diagnostics));
  return { language: 'yaral', stages: analysis.stages, sources: analysis.sources, parsed: true };
}

function run(rule: EvaluatedRule, event: Record<string, unknown>, logType?: string): Evaluation {
  return evaluateRule(rule, new PreparedEvent(event, recogniseLog(event, logType)), { trace: true });
}

const udm = (extra: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}) => ({
  metadata: { event_type: 'USER_LOGIN', log_type: 'OKTA', product_event_type: 'user.session.start', ...metadata },
  ...extra,
});
const fires = (events: string, event: Record<string, unknown>, more = '', logType?: string) =>
  run(ruleOf(`events:\n${events}\n${more}condition:\n  $e\n`), event, logType).fires;

describe('YARA-L evaluation: one event', () => {
  it('= with case, nocase and strings.to_lower without; != holds on an unset field (UDM zero value)', () => {
    const e = udm({ principal: { user: { userid: 'Bob' } } });
    assert.equal(fires('$e.principal.user.userid = "Bob"', e), 'yes');
    assert.equal(fires('$e.principal.user.userid = "bob"', e), 'no');
    assert.equal(fires('$e.principal.user.userid = "bob" nocase', e), 'yes');
    assert.equal(fires('strings.to_lower($e.principal.user.userid) = "bob"', e), 'yes');
    assert.equal(fires('$e.target.user.userid != "alice"', e), 'yes');
    assert.equal(fires('$e.target.user.userid = ""', e), 'yes');
    assert.equal(fires('$e.principal.user.userid != ""', e), 'yes');
  });

  it('regexes (RE2 searches, nocase), strings functions, CIDR, numbers, repeated fields with any / all', () => {
    const e = udm({ principal: { hostname: 'WS-042', ip: ['10.1.2.3', '8.8.8.8'], port: 4444 } });
    assert.equal(fires('$e.principal.hostname = /ws-\\d+/', e), 'no');
    assert.equal(fires('$e.principal.hostname = /ws-\\d+/ nocase', e), 'yes');
    assert.equal(fires('re.regex($e.principal.hostname, `^WS-`)', e), 'yes');
    assert.equal(fires('strings.contains($e.principal.hostname, "-04")', e), 'yes');
    assert.equal(fires('strings.starts_with($e.principal.hostname, "ws") nocase', e), 'yes');
    assert.equal(fires('net.ip_in_range_cidr($e.principal.ip, "10.0.0.0/8")', e), 'yes');
    assert.equal(fires('$e.principal.port > 1024', e), 'yes');
    assert.equal(fires('$e.principal.port < 1024', e), 'no');
    assert.equal(fires('any $e.principal.ip = "8.8.8.8"', e), 'yes');
    assert.equal(fires('all $e.principal.ip = "8.8.8.8"', e), 'no');
    assert.equal(fires('all $e.principal.ip != "1.1.1.1"', e), 'yes');
  });

  it('labels["k"] in a map or a {key, value} list; camelCase exports; an event under udm', () => {
    const labels = udm({ target: { resource: { attribute: { labels: [{ key: 'state', value: 'DISABLED' }] } } } });
    assert.equal(fires('$e.target.resource.attribute.labels["state"] = "DISABLED"', labels), 'yes');
    assert.equal(fires('$e.target.resource.attribute.labels["other"] = "DISABLED"', labels), 'no');
    const map = udm({ additional: { fields: { state: 'DISABLED' } } });
    assert.equal(fires('$e.additional.fields["state"] = "DISABLED"', map), 'yes');
    const exported = { udm: { metadata: { eventType: 'USER_LOGIN', productEventType: 'x', logType: 'OKTA' } } };
    assert.equal(fires('$e.metadata.product_event_type = "x"', exported), 'yes');
  });

  it('placeholders: fields bound to one placeholder share a value; a match variable zero value is left out', () => {
    const same = udm({ principal: { hostname: 'h1' }, target: { hostname: 'h1' } });
    const bind = '$e.principal.hostname = $host\n$e.target.hostname = $host';
    assert.equal(fires(bind, same), 'yes');
    assert.equal(fires(bind, udm({ principal: { hostname: 'h1' }, target: { hostname: 'h2' } })), 'no');
    const grouped = '$e.principal.user.userid = $user';
    assert.equal(fires(grouped, udm(), 'match:\n  $user over 1h\n'), 'no');
    const zeroAllowed = ruleOf(`events:\n${grouped}\nmatch:\n  $user over 1h\ncondition:\n  $e\noptions:\n  allow_zero_values = true\n`);
    assert.equal(run(zeroAllowed, udm()).fires, 'yes');
    assert.equal(fires(grouped, udm({ principal: { user: { userid: 'u' } } }), 'match:\n  $user over 1h\n'), 'yes');
    assert.equal(fires('$e.principal.hostname = $e.target.hostname', same), 'yes');
  });

  it('log type gating: metadata.log_type or --log-type; any UDM event for a rule naming none', () => {
    const rule = '$e.metadata.log_type = "OKTA"\n$e.metadata.product_event_type = "user.session.start"';
    assert.equal(fires(rule, udm()), 'yes');
    assert.equal(fires(rule, udm({}, { log_type: 'AZURE_AD' })), 'no');
    const untyped = { metadata: { event_type: 'USER_LOGIN', product_event_type: 'user.session.start' } };
    assert.equal(fires(rule, untyped, '', 'OKTA'), 'yes');
    assert.equal(fires(rule, untyped, '', 'AZURE_AD'), 'no');
    assert.equal(fires('$e.metadata.product_event_type = "user.session.start"', untyped), 'yes');
    assert.equal(fires('$e.metadata.product_event_type = "user.session.start"', { product_event_type: 'x' }), 'no');
  });

  it('unknown: reference lists, text conditions, counts above one event, outcome thresholds, several events', () => {
    const e = udm({ principal: { ip: '1.2.3.4' } });
    assert.equal(fires('$e.principal.ip in %bad_ips', e), 'unknown');
    assert.equal(fires('not $e.principal.ip in %allow', e), 'unknown');
    assert.equal(fires('$e.principal.port + 1 > 2', e), 'unknown');
    const count = run(ruleOf('events:\n$e.principal.ip = $ip\nmatch:\n$ip over 5m\ncondition:\n#e >= 5\n'), e);
    assert.equal(count.fires, 'unknown');
    assert.equal(count.unevaluated[0]?.what, 'threshold');
    assert.equal(run(ruleOf('events:\n$e.principal.ip = $ip\nmatch:\n$ip over 5m\ncondition:\n#e >= 1\n'), e).fires, 'yes');
    const outcome = ruleOf(
      'events:\n$e.principal.ip = $ip\nmatch:\n$ip over 5m\noutcome:\n$n = count($e.metadata.id)\ncondition:\n$e and $n > 3\n',
    );
    assert.equal(run(outcome, e).fires, 'unknown');
    const two = ruleOf(
      'events:\n$a.metadata.event_type = "USER_LOGIN"\n$a.principal.ip = $ip\n$b.metadata.event_type = "PROCESS_LAUNCH"\n$b.principal.ip = $ip\nmatch:\n$ip over 5m\ncondition:\n$a and $b\n',
    );
    const several = run(two, e);
    assert.equal(several.fires, 'unknown');
    assert.equal(several.unevaluated[0]?.what, 'correlation');
    assert.equal(fires('$e.principal.ip = "9.9.9.9"', e), 'no');
  });
});

describe('YARA-L evaluation: several events over a list', () => {
  const rule = ruleOf(
    'events:\n$a.metadata.event_type = "USER_LOGIN"\n$a.principal.ip = $ip\n$b.metadata.event_type = "PROCESS_LAUNCH"\n$b.principal.ip = $ip\n$a.principal.hostname = $b.target.hostname\nmatch:\n$ip over 5m\ncondition:\n$a and $b\n',
  );
  const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
  const login = (minute: number, ip = '10.0.0.1') =>
    udm({ principal: { ip, hostname: 'ws1' } }, { event_type: 'USER_LOGIN', event_timestamp: at(minute) });
  const launch = (minute: number, ip = '10.0.0.1', host = 'ws1') =>
    udm({ principal: { ip }, target: { hostname: host } }, { event_type: 'PROCESS_LAUNCH', event_timestamp: at(minute) });
  const over = (events: Record<string, unknown>[]) =>
    evaluateEvents(
      rule,
      events.map((e) => new PreparedEvent(e, recogniseLog(e))),
    );

  it('one event per variable, joined by placeholders and field comparisons, within the match window', () => {
    const found = over([launch(0, '10.9.9.9'), login(1), launch(3)]);
    assert.equal(found.fires, 'yes');
    assert.deepEqual(found.events, [1, 2]);
    assert.equal(over([login(1), launch(3, '10.0.0.2')]).fires, 'no');
    assert.equal(over([login(1), launch(3, '10.0.0.1', 'ws2')]).fires, 'no');
    assert.equal(over([login(1), launch(9)]).fires, 'no');
    assert.equal(over([login(1)]).fires, 'no');
  });

  it('unknown: a missing timestamp; counts and absent events are left to the per-event answer', () => {
    const untimed = launch(3) as { metadata: Record<string, unknown> };
    delete untimed.metadata.event_timestamp;
    assert.equal(over([login(1), untimed]).fires, 'unknown');
    const absent = ruleOf(
      'events:\n$a.metadata.event_type = "USER_LOGIN"\n$a.principal.ip = $ip\n$b.metadata.event_type = "PROCESS_LAUNCH"\n$b.principal.ip = $ip\nmatch:\n$ip over 5m\ncondition:\n$a and !$b\n',
    );
    const ordered = ruleOf(
      'events:\n$a.metadata.event_type = "USER_LOGIN"\n$a.principal.ip = $ip\n$b.metadata.event_type = "PROCESS_LAUNCH"\n$b.principal.ip = $ip\n$a.metadata.event_timestamp.seconds < $b.metadata.event_timestamp.seconds\nmatch:\n$ip over 5m\ncondition:\n$a and $b\n',
    );
    const unread = evaluateEvents(
      ordered,
      [login(1), launch(3)].map((e) => new PreparedEvent(e, recogniseLog(e))),
    );
    assert.equal(unread.fires, 'unknown');
    assert.match(unread.unevaluated[0]?.reason ?? '', /event_timestamp/);
    const open = evaluateEvents(
      absent,
      [login(1)].map((e) => new PreparedEvent(e, recogniseLog(e))),
    );
    assert.equal(open.fires, 'unknown');
    assert.equal(open.unevaluated[0]?.what, 'correlation');
  });
});

describe('YARA-L evaluation: a real rule', () => {
  const path = join(
    fileURLToPath(new URL('../../../../shared/corpus/chronicle/rules', import.meta.url)),
    'community/gcp/gcp_security_command_center_service_disabled.yaral',
  );
  it('GCP Security Command Center service disabled', { skip: !existsSync(path) }, () => {
    const text = readFileSync(path, 'utf8');
    const raw = chronicleFormat.read(parseContainer('text', text), { path, text })[0]!;
    const analysis = yaral.analyse(raw.query, {});
    const rule: EvaluatedRule = { language: raw.language, stages: analysis.stages, sources: analysis.sources, parsed: analysis.parsed };
    const event = {
      metadata: {
        event_type: 'RESOURCE_WRITTEN',
        log_type: 'GCP_CLOUDAUDIT',
        product_event_type: 'google.cloud.securitycenter.settings.v1beta1.SecurityCenterSettingsService.Settings.Update',
      },
      security_result: [{ action: 'ALLOW' }],
      target: {
        application: 'securitycenter.googleapis.com',
        resource: { attribute: { labels: [{ key: 'service_enablement_state', value: 'DISABLED' }] } },
      },
    };
    assert.equal(run(rule, event).fires, 'yes');
    const enabled = {
      ...event,
      target: { ...event.target, resource: { attribute: { labels: [{ key: 'service_enablement_state', value: 'ENABLED' }] } } },
    };
    assert.equal(run(rule, enabled).fires, 'no');
  });
});

describe('YARA-L evaluation: a real rule of two events', () => {
  const path = join(
    fileURLToPath(new URL('../../../../shared/corpus/chronicle/rules', import.meta.url)),
    'community/microsoft/entra_id/entra_id_devicecode_phishing_attack.yaral',
  );
  it('Entra ID device-code phishing: a Gmail message then a sign-in of its recipient', { skip: !existsSync(path) }, () => {
    const text = readFileSync(path, 'utf8');
    const raw = chronicleFormat.read(parseContainer('text', text), { path, text })[0]!;
    const analysis = yaral.analyse(raw.query, {});
    const rule: EvaluatedRule = { language: raw.language, stages: analysis.stages, sources: analysis.sources, parsed: analysis.parsed };
    const email = {
      metadata: {
        event_type: 'EMAIL_TRANSACTION',
        vendor_name: 'Google Workspace',
        product_name: 'Gmail',
        event_timestamp: '2026-01-01T00:00:00Z',
      },
      network: { email: { to: ['bob@acme.com'] } },
      about: [{ url: 'https://microsoft.com/devicelogin', labels: [{ key: 'spam_score', value: '71' }] }],
    };
    const signIn = {
      metadata: { event_type: 'USER_LOGIN', vendor_name: 'Microsoft', product_name: 'Azure AD', event_timestamp: '2026-01-01T00:10:00Z' },
      security_result: [{ rule_id: '0' }],
      target: { user: { userid: 'bob@acme.com' } },
    };
    const over = (events: Record<string, unknown>[]) =>
      evaluateEvents(
        rule,
        events.map((e) => new PreparedEvent(e, recogniseLog(e))),
      ).fires;
    assert.equal(over([email, signIn]), 'yes');
    assert.equal(over([email, { ...signIn, target: { user: { userid: 'eve@acme.com' } } }]), 'no');
    assert.equal(over([email, { ...signIn, metadata: { ...signIn.metadata, event_timestamp: '2026-01-01T00:30:00Z' } }]), 'no');
  });
});
