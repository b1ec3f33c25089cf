import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyseQuery, prepareLanguages } from '../languages/registry.js';
import type { Indicator } from '../model/types.js';
import { canonicalText, withCanonical } from './canonical.js';
import { indicatorsOf } from './indicators.js';
import { ruleEventsOf } from './events.js';
import { providers } from '../providers/registry.js';

/** Canonical forms of a query's positive indicators, parsed by the real grammar. */
function canonicalForms(language: string, query: string, schema: string, sources: string[] = []): string[] {
  const analysis = analyseQuery(language, query, { platform: schema, declaredSources: sources });
  assert.ok(analysis.parsed, `${language} query parses: ${JSON.stringify(analysis.diagnostics)}`);
  const all = [...new Set([...analysis.sources, ...sources])];
  const { eventFields } = ruleEventsOf(analysis.stages, all, schema, providers);
  return withCanonical(indicatorsOf(analysis.stages), schema, all, eventFields).flatMap((i) =>
    i.canonical ? [canonicalText(i.canonical)] : [],
  );
}

const certutil = 'process.name eq certutil.exe';

test('six spellings of "certutil runs" give one canonical indicator', async () => {
  await prepareLanguages();
  const sigma = `detection:
  selection:
    Image|endswith: '\\certutil.exe'
  condition: selection`;
  assert.deepEqual(canonicalForms('sigma', sigma, 'sigma'), [certutil]);
  assert.deepEqual(canonicalForms('kuery', 'process.executable : *\\\\certutil.exe', 'ecs'), [certutil]);
  assert.deepEqual(canonicalForms('kuery', 'process.name : "CertUtil.exe"', 'ecs'), [certutil]);
  assert.deepEqual(canonicalForms('kql', 'DeviceProcessEvents | where FileName =~ "Certutil.exe"', 'azure-monitor'), [certutil]);
  assert.deepEqual(
    canonicalForms(
      'spl',
      '| tstats count from datamodel=Endpoint.Processes where Processes.process_name=certutil.exe by Processes.dest',
      'splunk',
    ),
    [certutil],
  );
  const yaral = `rule certutil {
  events:
    $e.metadata.event_type = "PROCESS_LAUNCH"
    $e.target.process.file.full_path = /\\\\certutil\\.exe$/ nocase
  condition:
    $e
}`;
  assert.ok(canonicalForms('yaral', yaral, 'udm').includes(certutil));
});

test("a provider's event field is one canonical indicator on every platform, spelled as the provider normalises it", async () => {
  await prepareLanguages();
  const okta = 'event.action eq user.session.impersonation.initiate';
  assert.deepEqual(canonicalForms('kql', 'OktaSSO | where eventType_s == "user.session.impersonation.initiate"', 'azure-monitor'), [okta]);
  assert.deepEqual(
    canonicalForms('kuery', 'event.dataset:okta.system and okta.event_type:user.session.impersonation.initiate', 'ecs').filter((f) =>
      f.startsWith('event.action'),
    ),
    [okta],
  );
  const sigma = `detection:
  selection:
    eventType: user.session.impersonation.initiate
  condition: selection`;
  assert.deepEqual(canonicalForms('sigma', sigma, 'sigma', ['okta/okta']), [okta]);
  // Not an Okta rule: its eventType field means nothing shared.
  assert.deepEqual(canonicalForms('sigma', sigma, 'sigma', ['windows/security']), []);
  // A name the provider spells two ways (a gRPC method's package prefix) is one value, and so is a
  // wildcard over the prefix.
  const gcp = (query: string) =>
    canonicalForms('kuery', `event.dataset:gcp.audit and ${query}`, 'ecs').filter((f) => f.startsWith('event.action'));
  assert.deepEqual(gcp('event.action:google.iam.admin.v1.CreateServiceAccountKey'), ['event.action eq createserviceaccountkey']);
  assert.deepEqual(gcp('event.action:google.iam.admin.v*.SetIAMPolicy'), ['event.action eq setiampolicy']);
});

test('a KQL field means what its table says: FileName is the process, the file or the DLL', async () => {
  await prepareLanguages();
  const forms = (table: string) =>
    canonicalForms('kql', `${table} | where FileName =~ "x.exe" and InitiatingProcessFileName =~ "winword.exe"`, 'azure-monitor');
  assert.deepEqual(forms('DeviceProcessEvents'), ['process.name eq x.exe', 'process.parent.name eq winword.exe']);
  assert.deepEqual(forms('DeviceFileEvents'), ['file.name eq x.exe', 'process.name eq winword.exe']);
  assert.deepEqual(forms('DeviceImageLoadEvents'), ['dll.name eq x.exe', 'process.name eq winword.exe']);
  // Two tables that disagree: no guess.
  assert.deepEqual(
    canonicalForms(
      'kql',
      'union DeviceProcessEvents, DeviceFileEvents | where FileName =~ "x.exe" and ProcessCommandLine has "-enc"',
      'azure-monitor',
    ),
    ['process.command_line contains -enc'],
  );
});

const ind = (field: string, op: Indicator['op'], value: string, negated = false): Indicator => ({
  field,
  op,
  value,
  negated,
  caseSensitive: false,
});
const forms = (schema: string, inds: Indicator[], sources: string[] = []) =>
  withCanonical(inds, schema, sources).map((i) => (i.canonical ? canonicalText(i.canonical) : '-'));

test('values: wildcards and literal regexes read as plain operators, doubled backslashes fold', () => {
  assert.deepEqual(
    forms('ecs', [
      ind('process.command_line', 'wildcard', '*-urlcache*'),
      ind('file.path', 'wildcard', 'C:\\\\Users\\\\*'),
      ind('process.executable', 'wildcard', '?:\\Windows\\System32\\certutil.exe'),
      ind('process.executable', 'wildcard', '*'),
      ind('process.args', 'eq', '-urlcache'),
      ind('process.name.caseless', 'eq', 'RUNDLL32.EXE', true),
      ind('event.action', 'eq', '4688'),
      ind('unknown.field', 'eq', 'x'),
    ]),
    [
      'process.command_line contains -urlcache',
      'file.path startswith c:\\users\\',
      'process.executable endswith \\windows\\system32\\certutil.exe',
      '-',
      'process.command_line contains -urlcache',
      'process.name not eq rundll32.exe',
      'event.code eq 4688',
      '-',
    ],
  );
  assert.deepEqual(
    forms('udm', [
      ind('target.process.command_line', 'regex', '(?i)-urlcache'),
      ind('target.process.command_line', 'regex', '^cmd\\.exe /c'),
      ind('target.process.file.full_path', 'regex', '(^|\\\\)(pwsh|powershell)\\.exe$'),
      ind('target.process.command_line', 'regex', '\\d+'),
    ]),
    [
      'process.command_line contains -urlcache',
      'process.command_line startswith cmd.exe /c',
      'process.executable regex (^|\\\\)(pwsh|powershell)\\.exe$',
      'process.command_line regex \\d+',
    ],
  );
});

test('hashes: Sigma hash lists name their algorithm, bare hashes by length', () => {
  const sha256 = 'A'.repeat(64);
  assert.deepEqual(
    forms('sigma', [
      ind('Hashes', 'contains', `SHA256=${sha256}`),
      ind('Hashes', 'contains', 'B'.repeat(32)),
      ind('Hashes', 'contains', 'IMPHASH=zz'),
    ]),
    [`hash.sha256 contains ${sha256.toLowerCase()}`, `hash.md5 contains ${'b'.repeat(32)}`, '-'],
  );
  assert.deepEqual(forms('azure-monitor', [ind('SHA256', 'eq', sha256)]), [`hash.sha256 eq ${sha256.toLowerCase()}`]);
});

test('splunk datamodel prefixes and UDM event types', () => {
  assert.deepEqual(
    forms('splunk', [
      ind('Processes.parent_process_name', 'eq', 'winword.exe'),
      ind('Registry.registry_path', 'wildcard', '*\\CurrentVersion\\Run*'),
      ind('All_Traffic.dest_port', 'eq', '4444'),
    ]),
    ['process.parent.name eq winword.exe', 'registry.path contains \\currentversion\\run', 'destination.port eq 4444'],
  );
  const principal = [ind('principal.process.file.full_path', 'regex', '\\\\winword\\.exe$')];
  assert.deepEqual(forms('udm', principal, ['event_type:PROCESS_LAUNCH']), ['process.parent.name eq winword.exe']);
  assert.deepEqual(forms('udm', principal, ['event_type:FILE_CREATION']), ['process.name eq winword.exe']);
  assert.deepEqual(forms('udm', principal, []), ['-']);
});

test('command-line switches read the same after -, / or a dash, and stay whole; blanks at the edges go', () => {
  assert.deepEqual(
    forms('sigma', [
      ind('CommandLine', 'contains', ' -urlcache '),
      ind('CommandLine', 'contains', '/urlcache'),
      ind('CommandLine', 'contains', '\u2013urlcache'),
      ind('CommandLine', 'contains', '\u2015urlcache:x'),
      ind('CommandLine', 'contains', ' /c '),
      ind('CommandLine', 'contains', '-s'),
      ind('CommandLine', 'contains', '--help'),
      ind('CommandLine', 'contains', '/tmp/x'),
    ]),
    [
      'process.command_line contains -urlcache',
      'process.command_line contains -urlcache',
      'process.command_line contains -urlcache',
      'process.command_line contains -urlcache:x',
      'process.command_line contains -c',
      'process.command_line contains -s',
      'process.command_line contains --help',
      'process.command_line contains /tmp/x',
    ],
  );
  assert.deepEqual(forms('ecs', [ind('process.args', 'eq', '-urlcache')]), ['process.command_line contains -urlcache']);
});

test('an encoded value (Sigma base64offset, wide) has no plaintext canonical form', () => {
  assert.deepEqual(
    forms('sigma', [{ ...ind('CommandLine', 'contains', 'IEX'), transform: 'base64offset' }, ind('CommandLine', 'contains', 'IEX')]),
    ['-', 'process.command_line contains iex'],
  );
});

test('paths: the volume does not matter, a whole-term match on a name is an equality', () => {
  assert.deepEqual(
    forms('ecs', [
      ind('winlog.event_data.TargetImage', 'wildcard', '?:\\WINDOWS\\system32\\lsass.exe'),
      ind('winlog.event_data.TargetImage', 'eq', 'C:\\Windows\\system32\\lsass.exe'),
      ind('process.executable', 'wildcard', '\\device\\harddiskvolume?\\windows\\system32\\lsass.exe'),
      ind('process.executable', 'wildcard', '?:\\Users\\*\\x.exe'),
    ]),
    [
      'target.process.executable endswith \\windows\\system32\\lsass.exe',
      'target.process.executable endswith \\windows\\system32\\lsass.exe',
      'process.executable endswith \\windows\\system32\\lsass.exe',
      'process.executable wildcard ?:\\users\\*\\x.exe',
    ],
  );
  assert.deepEqual(
    forms(
      'azure-monitor',
      [ind('InitiatingProcessFileName', 'has', 'rundll32.exe'), ind('ProcessCommandLine', 'has', 'comsvcs')],
      ['DeviceNetworkEvents'],
    ),
    ['process.name eq rundll32.exe', 'process.command_line contains comsvcs'],
  );
});
