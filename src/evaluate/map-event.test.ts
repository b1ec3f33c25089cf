// Event mappers (providers/mappers/): which provider's raw log an event is, and the event written in
// each platform schema, fields the event does not have left out.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { recogniseLog } from './event-log.js';
import { mapEvent, recogniseProvider, windowsArgs, type MappedEvent } from './map-event.js';

const okta = {
  uuid: 'd2b2a6f8-1c3e-11ee-9b1d-0242ac120002',
  published: '2026-03-22T14:21:53.225Z',
  eventType: 'user.session.impersonation.initiate',
  displayMessage: 'User session impersonation initiated',
  actor: { id: '00u1', type: 'User', alternateId: 'admin@corp.example', displayName: 'An Admin' },
  client: { ipAddress: '192.0.2.7', userAgent: { rawUserAgent: 'Mozilla/5.0' } },
  outcome: { result: 'SUCCESS' },
  target: [
    { id: '00u2', type: 'User', alternateId: 'one@corp.example' },
    { id: '00u3', type: 'User', alternateId: 'two@corp.example' },
  ],
  debugContext: { debugData: { requestId: 'r1', threatSuspected: 'false' } },
  severity: 'INFO',
};

function mapped(event: unknown, schema: string, log?: string): MappedEvent {
  const found = recogniseProvider(event, recogniseLog(event));
  assert.ok(found, 'recognised');
  const out = mapEvent(found.mapper, event).find((m) => m.schema === schema && (log === undefined || m.log === log));
  assert.ok(out, `mapped to ${schema}`);
  return out;
}

describe('event mappers', () => {
  test('an Okta System Log event is told by its shape, by --log-type or by p_log_type; other events are not', () => {
    assert.equal(recogniseProvider(okta, recogniseLog(okta))?.mapper.provider, 'okta');
    const minimal = { eventType: 'user.session.start' };
    assert.equal(recogniseProvider(minimal, recogniseLog(minimal)), undefined, 'no actor: not the shape');
    assert.equal(recogniseProvider(minimal, recogniseLog(minimal, 'okta/okta'))?.how, '--log-type okta/okta');
    const panther = { ...minimal, p_log_type: 'Okta.SystemLog' };
    assert.equal(recogniseProvider(panther, recogniseLog(panther))?.how, 'p_log_type Okta.SystemLog');
    // A log named that no mapper knows: the event is that log's, whatever its shape.
    assert.equal(recogniseProvider(okta, recogniseLog(okta, 'SigninLogs')), undefined);
    const other = { eventType: 'Something', actor: {} };
    assert.equal(recogniseProvider(other, recogniseLog(other)), undefined);
  });

  test('Sentinel custom-log columns: nested keys joined by _, typed suffixes, arrays as JSON', () => {
    const row = mapped(okta, 'azure-monitor', 'OktaSSO').event;
    assert.equal(row.eventType_s, okta.eventType);
    assert.equal(row.actor_alternateId_s, 'admin@corp.example');
    assert.equal(row.client_userAgent_rawUserAgent_s, 'Mozilla/5.0');
    assert.equal(row.outcome_result_s, 'SUCCESS');
    assert.equal(row.debugContext_debugData_threatSuspected_s, 'false');
    assert.equal(row.published_t, okta.published);
    assert.equal(row.uuid_g, okta.uuid);
    assert.deepEqual(JSON.parse(String(row.target_s)), okta.target);
    assert.ok(!('eventType' in row) && !('actor' in row));
    assert.deepEqual(
      mapEvent(recogniseProvider(okta, recogniseLog(okta))!.mapper, okta)
        .filter((m) => m.schema === 'azure-monitor')
        .map((m) => m.log),
      ['OktaSSO', 'Okta_CL'],
    );
  });

  test('Elastic: the Okta integration fields, arrays followed, what the event lacks left out', () => {
    const doc = mapped(okta, 'ecs').event as Record<string, Record<string, unknown>>;
    assert.deepEqual(doc.event, {
      dataset: 'okta.system',
      module: 'okta',
      action: okta.eventType,
      id: okta.uuid,
      outcome: 'success',
    });
    assert.deepEqual(doc.data_stream, { dataset: 'okta.system' });
    const o = doc.okta as Record<string, Record<string, unknown>>;
    assert.equal(o.actor!.alternate_id, 'admin@corp.example');
    assert.equal(o.client!.ip, '192.0.2.7');
    assert.deepEqual(o.target!.alternate_id, ['one@corp.example', 'two@corp.example']);
    assert.ok(!('zone' in o.client!), 'client.zone is not in the event: left out');
    assert.equal(recogniseLog(doc).elastic?.dataset, 'okta.system');
  });

  test('Splunk spath names, Panther and Sigma keep the raw event, UDM fields', () => {
    const splunk = mapped(okta, 'splunk').event;
    assert.equal(splunk['outcome.result'], 'SUCCESS');
    assert.deepEqual(splunk['target{}.id'], ['00u2', '00u3']);
    assert.equal(splunk.sourcetype, 'OktaIM2:log');
    const panther = mapped(okta, 'panther').event;
    assert.equal(panther.p_log_type, 'Okta.SystemLog');
    assert.deepEqual(panther.actor, okta.actor);
    assert.equal(mapped(okta, 'sigma').log, 'okta/okta');
    const udm = mapped(okta, 'udm').event as Record<string, Record<string, unknown>>;
    assert.equal(udm.metadata!.product_event_type, okta.eventType);
    assert.equal(udm.security_result!.action, 'ALLOW');
    assert.equal(udm.principal!.ip, '192.0.2.7');
  });

  const windowsEvent = (channel: string, id: number, data: Record<string, unknown>) => ({
    Event: {
      System: { Provider: { '#attributes': { Name: 'P' } }, EventID: id, Channel: channel, Computer: 'host1' },
      EventData: data,
    },
  });
  const process = {
    Image: 'C:\\Windows\\System32\\certutil.exe',
    CommandLine: 'certutil -encode "a b.txt" out.b64',
    ParentImage: 'C:\\Windows\\System32\\cmd.exe',
    OriginalFileName: 'CertUtil.exe',
  };

  test('Sysmon process creation: Defender DeviceProcessEvents, Elastic process fields with process.args, CIM Processes; other Sysmon events only their channel', () => {
    const sysmon = windowsEvent('Microsoft-Windows-Sysmon/Operational', 1, process);
    const row = mapped(sysmon, 'azure-monitor', 'DeviceProcessEvents').event;
    assert.equal(row.FileName, 'certutil.exe');
    // A logsource named for Sigma does not hide the channel a Windows event gives itself.
    assert.equal(recogniseProvider(sysmon, recogniseLog(sysmon, 'windows/process_creation'))?.mapper.provider, 'sysmon');
    assert.equal(row.FolderPath, process.Image);
    assert.equal(row.ProcessCommandLine, process.CommandLine);
    assert.equal(row.InitiatingProcessFileName, 'cmd.exe');
    assert.equal(row.DeviceName, 'host1');
    const ecs = mapEvent(recogniseProvider(sysmon, recogniseLog(sysmon))!.mapper, sysmon).filter((m) => m.schema === 'ecs');
    const proc = ecs.find((m) => (m.event.event as Record<string, unknown>).category === 'process')!.event;
    assert.deepEqual((proc.process as Record<string, unknown>).args, ['certutil', '-encode', 'a b.txt', 'out.b64']);
    assert.equal((proc.winlog as Record<string, Record<string, unknown>>).event_data!.Image, process.Image);
    assert.ok(!('Channel' in (proc.winlog as Record<string, Record<string, unknown>>).event_data!), 'System fields are not event data');
    assert.equal(mapped(sysmon, 'splunk', 'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational').event.EventCode, '1');
    const network = windowsEvent('Microsoft-Windows-Sysmon/Operational', 3, { Image: process.Image, DestinationIp: '192.0.2.1' });
    const networkMapped = mapEvent(recogniseProvider(network, recogniseLog(network))!.mapper, network);
    assert.ok(!networkMapped.some((m) => m.log === 'DeviceProcessEvents'), 'a network connection is no process creation');
    assert.ok(networkMapped.some((m) => m.schema === 'ecs'));
  });

  test('Windows Security: SecurityEvent columns of their own names; 4688 is a process creation', () => {
    const cleared = windowsEvent('Security', 1102, { SubjectUserName: 'admin' });
    assert.equal(recogniseProvider(cleared, recogniseLog(cleared))?.mapper.provider, 'windows-security');
    const row = mapped(cleared, 'azure-monitor', 'SecurityEvent').event;
    assert.equal(row.EventID, 1102);
    assert.equal(row.SubjectUserName, 'admin');
    const created = windowsEvent('Security', 4688, {
      NewProcessName: process.Image,
      CommandLine: process.CommandLine,
      ParentProcessName: process.ParentImage,
    });
    assert.equal(mapped(created, 'azure-monitor', 'DeviceProcessEvents').event.FileName, 'certutil.exe');
  });

  test('CloudTrail: an errorCode is a failure; a service name is not source.ip', () => {
    const record = {
      eventVersion: '1.08',
      eventSource: 'cloudtrail.amazonaws.com',
      eventName: 'StopLogging',
      sourceIPAddress: 'AWS Internal',
      errorCode: 'AccessDenied',
      requestParameters: { name: 'trail' },
    };
    const ecs = mapped(record, 'ecs').event as Record<string, Record<string, unknown>>;
    assert.equal(ecs.event!.outcome, 'failure');
    assert.equal(ecs.source!.address, 'AWS Internal');
    assert.ok(!('ip' in ecs.source!));
    assert.equal(mapped(record, 'azure-monitor').event.RequestParameters, '{"name":"trail"}');
    assert.equal((mapped({ ...record, errorCode: undefined }, 'udm').event.security_result as Record<string, unknown>).action, 'ALLOW');
    // The Splunk Add-on for AWS: errorCode=success for a call that did not fail, short names ESCU rules group by.
    assert.equal(mapped(record, 'splunk').event.errorCode, 'AccessDenied');
    const splunk = mapped({ ...record, errorCode: undefined, awsRegion: 'us-east-1', userIdentity: { arn: 'arn:x' } }, 'splunk').event;
    assert.deepEqual([splunk.errorCode, splunk.region, splunk.user_arn, splunk.src], ['success', 'us-east-1', 'arn:x', 'AWS Internal']);
  });

  test("a posted event's values meet the mappers' patterns in linear time (RE2)", () => {
    // The IP address pattern took 1.3 s on 40,000 colons with a backtracking engine, quadratic in the value;
    // a 1 MB body holds ten times that.
    const record = {
      eventVersion: '1.08',
      eventSource: 'cloudtrail.amazonaws.com',
      eventName: 'StopLogging',
      sourceIPAddress: `${':'.repeat(400_000)}x`,
    };
    const started = performance.now();
    const ecs = mapped(record, 'ecs').event as Record<string, Record<string, unknown>>;
    assert.ok(!('ip' in ecs.source!), 'not an IP address');
    // A budget against a hang only: RE2 takes milliseconds here.
    assert.ok(performance.now() - started < 5000);
    assert.equal((mapped({ ...record, sourceIPAddress: '2001:db8::1' }, 'ecs').event.source as Record<string, unknown>).ip, '2001:db8::1');
  });

  test('Office 365: Parameters by name in Elastic, as JSON in Sentinel; Panther spells the keys in lower case', () => {
    const api = {
      Operation: 'Set-Mailbox',
      Workload: 'Exchange',
      RecordType: 1,
      ResultStatus: 'True',
      Parameters: [
        { Name: 'Identity', Value: 'a@corp.test' },
        { Name: 'ForwardingSmtpAddress', Value: 'smtp:x@other.test' },
      ],
    };
    const ecs = mapped(api, 'ecs').event as { o365: { audit: { Parameters: Record<string, unknown> } }; event: Record<string, unknown> };
    assert.equal(ecs.o365.audit.Parameters.ForwardingSmtpAddress, 'smtp:x@other.test');
    assert.equal(ecs.event.outcome, 'success');
    const panther = { operation: 'Set-Mailbox', workload: 'Exchange', recordtype: 1, parameters: api.Parameters, resultstatus: 'False' };
    const row = mapped(panther, 'azure-monitor').event;
    assert.equal(row.Operation, 'Set-Mailbox');
    assert.equal(row.OfficeWorkload, 'Exchange');
    assert.deepEqual(JSON.parse(String(row.Parameters)), api.Parameters);
    assert.equal((mapped(panther, 'ecs').event as Record<string, Record<string, unknown>>).event!.outcome, 'failure');
  });

  test('Windows command lines split as CommandLineToArgvW splits them', () => {
    assert.deepEqual(windowsArgs('a  b\tc'), ['a', 'b', 'c']);
    assert.deepEqual(windowsArgs('"C:\\Program Files\\x.exe" -f'), ['C:\\Program Files\\x.exe', '-f']);
    assert.deepEqual(windowsArgs('a\\\\"b c" d'), ['a\\b c', 'd']);
    assert.deepEqual(windowsArgs('a\\"b'), ['a"b']);
    assert.deepEqual(windowsArgs('C:\\dir\\ x'), ['C:\\dir\\', 'x']);
    assert.deepEqual(windowsArgs('""'), ['']);
  });
});
