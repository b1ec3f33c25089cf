import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { recogniseLog } from '../../evaluate/event-log.js';
import { PreparedEvent, evaluateRule } from '../../evaluate/rule.js';
import type { Evaluation } from '../../evaluate/types.js';
import { linearRegex } from '../../analysis/linear-regex.js';
import { sigma } from './index.js';
import { encoded } from './evaluate.js';

const processCreation = ['windows/process_creation', 'product:windows', 'category:process_creation'];

/** A Sysmon event (the Windows XML shape) with these EventData fields. */
function sysmonEvent(eventId: number, data: Record<string, unknown>): unknown {
  return {
    Event: {
      System: {
        Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon' } },
        EventID: eventId,
        Channel: 'Microsoft-Windows-Sysmon/Operational',
        Computer: 'host1',
      },
      EventData: data,
    },
  };
}

function run(detection: string, event: unknown, sources = processCreation, logType?: string): Evaluation {
  const analysis = sigma.analyse(`detection:\n${detection.replace(/^/gm, '  ')}\n`, {});
  assert.ok(analysis.parsed, JSON.stringify(analysis.diagnostics));
  const rule = { language: 'sigma', stages: analysis.stages, sources, parsed: analysis.parsed };
  return evaluateRule(rule, new PreparedEvent(event, recogniseLog(event, logType)), { trace: true });
}

const fires = (detection: string, data: Record<string, unknown>, eventId = 1) => run(detection, sysmonEvent(eventId, data)).fires;

describe('Sigma evaluation: values and modifiers', () => {
  it('plain values compare whole, without case; numbers as strings', () => {
    assert.equal(fires('sel: {Image: C:\\Windows\\cmd.exe}\ncondition: sel', { Image: 'c:\\windows\\CMD.EXE' }), 'yes');
    assert.equal(fires('sel: {Image: cmd.exe}\ncondition: sel', { Image: 'C:\\Windows\\cmd.exe' }), 'no');
    assert.equal(fires('sel: {EventID: 1}\ncondition: sel', {}), 'yes');
    assert.equal(fires("sel: {ProcessId: '4242'}\ncondition: sel", { ProcessId: 4242 }), 'yes');
    assert.equal(fires('sel: {Image|cased: CMD.exe}\ncondition: sel', { Image: 'cmd.exe' }), 'no');
  });

  it('contains, startswith, endswith, contains|all', () => {
    const data = { CommandLine: 'powershell -enc AAAA -nop' };
    assert.equal(fires("sel: {CommandLine|contains: ' -ENC '}\ncondition: sel", data), 'yes');
    assert.equal(fires('sel: {CommandLine|startswith: power}\ncondition: sel', data), 'yes');
    assert.equal(fires('sel: {CommandLine|endswith: -nop}\ncondition: sel', data), 'yes');
    assert.equal(fires("sel: {CommandLine|contains|all: ['-enc', '-nop']}\ncondition: sel", data), 'yes');
    assert.equal(fires("sel: {CommandLine|contains|all: ['-enc', '-w hidden']}\ncondition: sel", data), 'no');
  });

  it('wildcards: * and ?, escaped \\* literal, a backslash before a wildcard', () => {
    assert.equal(fires("sel: {Image: 'C:\\Users\\\\*\\a?.exe'}\ncondition: sel", { Image: 'C:\\Users\\bob\\ab.exe' }), 'yes');
    assert.equal(fires("sel: {Image: 'C:\\Users\\\\*\\a?.exe'}\ncondition: sel", { Image: 'C:\\Users\\bob\\abc.exe' }), 'no');
    assert.equal(fires("sel: {Name: 'a\\*b'}\ncondition: sel", { Name: 'axxb' }), 'no');
    assert.equal(fires("sel: {Name: 'a\\*b'}\ncondition: sel", { Name: 'a*b' }), 'yes');
    // `\\*`: a backslash, then any text.
    assert.equal(fires("sel: {Path|startswith: 'C:\\\\*\\x'}\ncondition: sel", { Path: 'C:\\dir\\x\\y' }), 'yes');
  });

  it('windash matches every dash spelling', () => {
    assert.equal(fires("sel: {CommandLine|windash|contains: ' -decode '}\ncondition: sel", { CommandLine: 'certutil /decode a b' }), 'yes');
    assert.equal(
      fires("sel: {CommandLine|windash|contains: ' -decode '}\ncondition: sel", { CommandLine: 'certutil \u2013decode a' }),
      'yes',
    );
  });

  it('base64, base64offset and wide|base64offset encode the value first', () => {
    const b64 = Buffer.from('whoami /all').toString('base64');
    assert.equal(fires("sel: {CommandLine|base64|contains: 'whoami /all'}\ncondition: sel", { CommandLine: `x ${b64} y` }), 'yes');
    for (const prefix of ['', 'a', 'ab']) {
      const text = Buffer.from(`${prefix}IEX (New-Object Net.WebClient)`).toString('base64');
      assert.equal(fires("sel: {CommandLine|base64offset|contains: 'IEX'}\ncondition: sel", { CommandLine: `-e ${text}` }), 'yes', prefix);
    }
    const wide = Buffer.from(Buffer.from('xxInvoke-Mimikatz', 'utf16le')).toString('base64');
    assert.equal(fires("sel: {CommandLine|wide|base64offset|contains: 'Invoke-Mimikatz'}\ncondition: sel", { CommandLine: wide }), 'yes');
    assert.equal(fires("sel: {CommandLine|base64offset|contains: 'IEX'}\ncondition: sel", { CommandLine: 'IEX' }), 'no');
    assert.deepEqual(encoded('ab', ['base64']), ['YWI=']);
  });

  it('re with i, m, s flags; a regex RE2 cannot run is unknown', () => {
    assert.equal(fires("sel: {CommandLine|re: 'net\\s+user'}\ncondition: sel", { CommandLine: 'cmd /c net  user x' }), 'yes');
    assert.equal(fires("sel: {CommandLine|re: 'NET USER'}\ncondition: sel", { CommandLine: 'net user' }), 'no');
    assert.equal(fires("sel: {CommandLine|re|i: 'NET USER'}\ncondition: sel", { CommandLine: 'net user' }), 'yes');
    assert.equal(fires("sel: {CommandLine|re|m: '^b$'}\ncondition: sel", { CommandLine: 'a\nb\nc' }), 'yes');
    assert.equal(fires("sel: {CommandLine|re: '^b$'}\ncondition: sel", { CommandLine: 'a\nb\nc' }), 'no');
    assert.equal(fires("sel: {CommandLine|re|s: 'a.b'}\ncondition: sel", { CommandLine: 'a\nb' }), 'yes');
    const lookahead = run("sel: {CommandLine|re: 'a(?=b)'}\ncondition: sel", sysmonEvent(1, { CommandLine: 'ab' }));
    assert.equal(lookahead.fires, 'unknown');
    assert.match(lookahead.trace[0]!.note ?? '', /RE2/);
  });

  it('re answers as RE2 run on the value does, texts without the regex literals answered without running it', () => {
    // Branches, optional characters, classes, escapes, case folding (`ſ` matches `s` without case), a multi-line text.
    const regexes = [
      '\\\\temp\\\\[a-z]+\\.exe',
      'certutil(\\.exe)? -(decode|urlcache)',
      'ab?c',
      'sess[i1]on',
      '(?i)LSASS',
      '^-e(nc)?$',
      'x.y',
    ];
    const values = [
      'C:\\Temp\\tool.exe',
      'certutil -urlcache',
      'CERTUTIL.EXE -DECODE',
      'ac',
      'abc',
      'se\u017f\u017fion',
      'sess1on',
      'lsass',
      'a\n-enc',
      '-e',
      'x\ny',
      'xzy',
      '',
    ];
    for (const source of regexes)
      for (const flags of ['', 'i'])
        for (const value of values) {
          const compiled = linearRegex(source, flags);
          assert.ok('regex' in compiled, source);
          const expected = compiled.regex.test(value);
          const modifiers = flags ? '|re|i' : '|re';
          const detection = `sel: {CommandLine${modifiers}: ${JSON.stringify(source)}}\ncondition: sel`;
          assert.equal(
            fires(detection, { CommandLine: value }),
            expected ? 'yes' : 'no',
            `${source} /${flags} on ${JSON.stringify(value)}`,
          );
        }
  });

  it('cidr, gt/lt, fieldref, exists, null, empty string', () => {
    assert.equal(fires("sel: {DestinationIp|cidr: '10.0.0.0/8'}\ncondition: sel", { DestinationIp: '10.2.3.4' }), 'yes');
    assert.equal(fires("sel: {DestinationIp|cidr: 'fe80::/10'}\ncondition: sel", { DestinationIp: 'fe80::1' }), 'yes');
    assert.equal(fires("sel: {DestinationIp|cidr: '10.0.0.0/8'}\ncondition: sel", { DestinationIp: '11.2.3.4' }), 'no');
    assert.equal(fires('sel: {Port|gt: 1024}\ncondition: sel', { Port: '8080' }), 'yes');
    assert.equal(fires('sel: {Port|lte: 1024}\ncondition: sel', { Port: 'abc' }), 'no');
    assert.equal(fires('sel: {User|fieldref: TargetUser}\ncondition: sel', { User: 'Bob', TargetUser: 'bob' }), 'yes');
    assert.equal(fires('sel: {User|exists: true}\ncondition: sel', { User: 'x' }), 'yes');
    assert.equal(fires('sel: {User|exists: false}\ncondition: sel', { User: 'x' }), 'no');
    assert.equal(fires('sel: {User: null}\ncondition: sel', {}), 'yes');
    assert.equal(fires('sel: {User: null}\ncondition: sel', { User: null }), 'yes');
    assert.equal(fires('sel: {User: null}\ncondition: sel', { User: '' }), 'no');
    assert.equal(fires("sel: {User: ''}\ncondition: sel", { User: '' }), 'yes');
    assert.equal(fires("sel: {User: ''}\ncondition: sel", {}), 'no');
  });

  it('a missing field matches nothing, so its negation holds; a list field matches by any element', () => {
    assert.equal(fires('sel: {EventID: 1}\nfilter: {ParentImage|endswith: x.exe}\ncondition: sel and not filter', {}), 'yes');
    const flat = { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 1, Tags: ['a', 'b'] };
    assert.equal(run('sel: {Tags: b}\ncondition: sel', flat).fires, 'yes');
  });

  it('a field read by several predicates is looked up once per event, the answers as before', () => {
    let reads = 0;
    const flat: Record<string, unknown> = { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 1 };
    Object.defineProperty(flat, 'CommandLine', {
      enumerable: true,
      get: () => {
        reads++;
        return 'Run MIMIKATZ.exe now';
      },
    });
    const detection = [
      'a: {CommandLine|contains: mimikatz}',
      'b: {CommandLine|endswith: now}',
      "c: {CommandLine|re: '(?i)run'}",
      'd: {CommandLine|cased: MIMIKATZ}',
      'condition: a and b and c and not d',
    ].join('\n');
    assert.equal(run(detection, flat).fires, 'yes');
    assert.equal(reads, 1);
  });

  it('keywords match any value of the event; expand is unknown', () => {
    assert.equal(fires("keywords: ['mimikatz', 'sekurlsa']\ncondition: keywords", { CommandLine: 'run SEKURLSA::logonpasswords' }), 'yes');
    assert.equal(fires("keywords: ['mimikatz']\ncondition: keywords", { CommandLine: 'whoami' }), 'no');
    const expand = run("sel: {Image|expand: '%ProgramFiles%\\x.exe'}\ncondition: sel", sysmonEvent(1, { Image: 'C:\\x.exe' }));
    assert.equal(expand.fires, 'unknown');
  });

  it('1 of, all of, not', () => {
    const d = 'sel_a: {A: 1}\nsel_b: {B: 2}\nfilter: {C: 3}\n';
    assert.equal(fires(`${d}condition: 1 of sel_* and not filter`, { B: 2 }), 'yes');
    assert.equal(fires(`${d}condition: all of sel_* and not filter`, { B: 2 }), 'no');
    assert.equal(fires(`${d}condition: all of sel_* and not filter`, { A: 1, B: 2, C: 3 }), 'no');
  });

  it('a deprecated aggregation leaves the answer unknown when the condition holds, no when it does not', () => {
    const agg = run('sel: {A: 1}\ncondition: sel | count() by B > 5', sysmonEvent(1, { A: 1 }));
    assert.equal(agg.fires, 'unknown');
    assert.equal(agg.unevaluated[0]!.what, 'aggregation');
    assert.equal(run('sel: {A: 1}\ncondition: sel | count() by B > 5', sysmonEvent(1, { A: 2 })).fires, 'no');
  });

  it('traces each predicate with the value seen', () => {
    const r = run('sel: {Image|endswith: cmd.exe, User: x}\ncondition: sel', sysmonEvent(1, { Image: 'C:\\cmd.exe' }));
    assert.deepEqual(
      r.trace.map((t) => [t.field, t.op, t.seen, t.matched]),
      [
        ['Image', '|endswith', ['C:\\cmd.exe'], true],
        ['User', 'eq', 'missing', false],
      ],
    );
  });
});

describe('Sigma evaluation: logsource gating', () => {
  const sel = "sel: {Image|endswith: 'cmd.exe'}\ncondition: sel";
  it('a process_creation rule fires on Sysmon 1, not on Sysmon 11 with the same fields', () => {
    assert.equal(run(sel, sysmonEvent(1, { Image: 'cmd.exe' })).fires, 'yes');
    const other = run(sel, sysmonEvent(11, { Image: 'cmd.exe' }));
    assert.equal(other.fires, 'no');
    assert.equal(other.conditions, true);
  });

  it('Security 4688 is process creation too, with its own field names', () => {
    const event = { Event: { System: { Channel: 'Security', EventID: 4688 }, EventData: { NewProcessName: 'C:\\cmd.exe' } } };
    assert.equal(run(sel, event).fires, 'yes');
  });

  it('services read their channel; another product reads no Windows event; an unknown category is unknown', () => {
    const event = { Event: { System: { Channel: 'Security', EventID: 4701 }, EventData: { TaskName: 'x' } } };
    assert.equal(run('sel: {EventID: 4701}\ncondition: sel', event, ['product:windows', 'service:security']).fires, 'yes');
    assert.equal(run('sel: {EventID: 4701}\ncondition: sel', event, ['product:windows', 'service:system']).fires, 'no');
    assert.equal(run('sel: {EventID: 4701}\ncondition: sel', event, ['product:linux', 'category:process_creation']).fires, 'no');
    assert.equal(run('sel: {EventID: 4701}\ncondition: sel', event, ['product:windows', 'category:file_access']).fires, 'unknown');
    // No product: a Windows category reads Windows events, another category does not.
    assert.equal(run('sel: {EventID: 4701}\ncondition: sel', event, ['category:database']).fires, 'no');
    assert.equal(run('sel: {EventID: 4701}\ncondition: sel', event, ['service:security']).fires, 'yes');
  });

  it('an event of no known shape is unknown unless its log is named', () => {
    const event = { eventName: 'ConsoleLogin', eventSource: 'signin.amazonaws.com' };
    const sources = ['aws/cloudtrail', 'product:aws', 'service:cloudtrail'];
    const d = 'sel: {eventName: ConsoleLogin}\ncondition: sel';
    assert.equal(run(d, event, sources).fires, 'unknown');
    assert.equal(run(d, event, sources, 'aws/cloudtrail').fires, 'yes');
    assert.equal(run(d, event, sources, 'okta/okta').fires, 'no');
  });
});
