import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { recogniseLog } from '../evaluate/event-log.js';
import { PreparedEvent, evaluateRule } from '../evaluate/rule.js';
import type { EvaluatedRule, Evaluation } from '../evaluate/types.js';
import { parseContainer } from '../formats/containers.js';
import { elasticFormat } from '../formats/elastic/index.js';
import { eql } from './eql/index.js';
import { esql } from './esql/index.js';
import { words } from './evaluate-elastic.js';
import { kuery } from './kuery/index.js';
import { lucene } from './lucene/index.js';
import type { QueryLanguage } from './types.js';

const languages: Record<string, QueryLanguage> = { kuery, lucene, eql, esql };

function ruleOf(language: string, query: string, index = ['logs-*'], type = 'query'): EvaluatedRule {
  const analysis = languages[language]!.analyse(query, {});
  assert.ok(analysis.parsed, JSON.stringify(analysis.diagnostics));
  return { language, stages: analysis.stages, sources: [...new Set([...analysis.sources, ...index])], parsed: true, type };
}

function run(rule: EvaluatedRule, event: unknown, logType?: string): Evaluation {
  return evaluateRule(rule, new PreparedEvent(event, recogniseLog(event, logType)), { trace: true });
}

const inLogs = (event: Record<string, unknown>) => ({ _index: 'logs-x-default', ...event });
const fires = (language: string, query: string, event: Record<string, unknown>) => run(ruleOf(language, query), inLogs(event)).fires;

describe('Kibana KQL (kuery) evaluation', () => {
  it('keyword fields: the whole value, with case; numbers as strings', () => {
    assert.equal(fires('kuery', 'process.name: cmd.exe', { process: { name: 'cmd.exe' } }), 'yes');
    assert.equal(fires('kuery', 'process.name: cmd.exe', { process: { name: 'CMD.EXE' } }), 'no');
    assert.equal(fires('kuery', 'process.name: cmd.exe', { 'process.name': 'cmd.exe' }), 'yes');
    assert.equal(fires('kuery', 'event.code: 4688', { event: { code: 4688 } }), 'yes');
    assert.equal(fires('kuery', 'event.code >= 4000 and event.code < 5000', { event: { code: '4688' } }), 'yes');
  });

  it('wildcards: * any text, ? itself, \\* a literal star', () => {
    const e = { process: { command_line: 'cmd /c whoami /all' } };
    assert.equal(fires('kuery', 'process.command_line: *whoami*', e), 'yes');
    assert.equal(fires('kuery', 'process.command_line: *WHOAMI*', e), 'no');
    assert.equal(fires('kuery', 'process.command_line: cmd?/c*', e), 'no');
    // `a\*b*`: a literal star, or a backslash and any text? The parser writes both alike.
    assert.equal(fires('kuery', 'file.name: a\\*b*', { file: { name: 'a*bc' } }), 'unknown');
    assert.equal(fires('kuery', 'file.path: C\\:\\\\Windows\\\\*', { file: { path: 'C:\\Windows\\x.dll' } }), 'unknown');
    assert.equal(fires('kuery', 'file.path: C\\:\\\\Windows\\\\*', { file: { path: 'D:\\Windows\\x.dll' } }), 'no');
    assert.equal(fires('kuery', 'file.name: a\\*b*', { file: { name: 'axbc' } }), 'no');
  });

  it('text fields: words without case; an unquoted value of several words matches any', () => {
    const e = { message: 'User Bob logged on from ws1.contoso.com' };
    assert.equal(fires('kuery', 'message: "logged on"', e), 'yes');
    assert.equal(fires('kuery', 'message: "on logged"', e), 'no');
    assert.equal(fires('kuery', 'message: logged off', e), 'yes');
    assert.equal(fires('kuery', 'message: "ws1.contoso.com"', e), 'yes');
    assert.deepEqual(words('C:\\Windows\\cmd.exe /c'), ['c', 'windows', 'cmd.exe', 'c']);
  });

  it('exists, not, lists, CIDR', () => {
    assert.equal(fires('kuery', 'user.name: *', { user: { name: 'x' } }), 'yes');
    assert.equal(fires('kuery', 'user.name: *', {}), 'no');
    assert.equal(fires('kuery', 'not user.name: (bob or alice)', { user: { name: 'eve' } }), 'yes');
    assert.equal(fires('kuery', 'not user.name: (bob or alice)', { user: { name: 'bob' } }), 'no');
    assert.equal(fires('kuery', 'not user.name: bob', {}), 'yes');
    assert.equal(fires('kuery', 'source.ip: 10.0.0.0/8', { source: { ip: '10.1.2.3' } }), 'yes');
    assert.equal(fires('kuery', 'source.ip: 10.0.0.0/8', { source: { ip: '11.1.2.3' } }), 'no');
    assert.equal(fires('kuery', 'event.category: process', { event: { category: ['host', 'process'] } }), 'yes');
  });

  it('unknown: date ranges, and a bare word found only inside a value', () => {
    assert.equal(fires('kuery', '@timestamp >= "now-1d"', { '@timestamp': '2024-01-01T00:00:00Z' }), 'unknown');
    assert.equal(fires('kuery', 'mimikatz', { process: { command_line: 'run mimikatz now' } }), 'unknown');
    assert.equal(fires('kuery', 'mimikatz', { process: { name: 'mimikatz' } }), 'yes');
  });
});

describe('Lucene evaluation', () => {
  it('terms, ? and * wildcards, escapes, ranges inclusive and exclusive', () => {
    assert.equal(fires('lucene', 'process.name:cmd.exe', { process: { name: 'cmd.exe' } }), 'yes');
    assert.equal(fires('lucene', 'process.name:cm?.exe', { process: { name: 'cmd.exe' } }), 'yes');
    assert.equal(fires('lucene', 'process.name:cm?.exe', { process: { name: 'cmdd.exe' } }), 'no');
    assert.equal(fires('lucene', 'file.path:C\\:\\\\Windows*', { file: { path: 'C:\\Windows\\x.dll' } }), 'yes');
    assert.equal(fires('lucene', 'event.code:[4 TO 10]', { event: { code: 10 } }), 'yes');
    assert.equal(fires('lucene', 'event.code:[4 TO 10}', { event: { code: 10 } }), 'no');
    assert.equal(fires('lucene', 'event.code:[4 TO *]', { event: { code: 99 } }), 'yes');
  });

  it('regexes are anchored, in Lucene syntax; its own operators are unknown', () => {
    assert.equal(fires('lucene', 'process.args:/2[0-9]{3}/', { process: { args: ['chmod', '2755', 'f'] } }), 'yes');
    assert.equal(fires('lucene', 'process.args:/2[0-9]{3}/', { process: { args: ['12755'] } }), 'no');
    assert.equal(fires('lucene', 'process.args:/<1-5>/', { process: { args: ['3'] } }), 'unknown');
  });

  it('_exists_, NOT, a value with no field', () => {
    assert.equal(fires('lucene', '_exists_:user.name', { user: { name: 'x' } }), 'yes');
    assert.equal(fires('lucene', 'NOT user.name:root', { user: { name: 'root' } }), 'no');
    assert.equal(fires('lucene', 'foo', { a: { b: 'foo' } }), 'yes');
    assert.equal(fires('lucene', 'foo', { a: { b: 'bar' } }), 'no');
  });
});

describe('EQL evaluation', () => {
  it(': without case, with * and ?; == with case; in~, like~, regex~; functions', () => {
    const e = { event: { category: 'process' }, process: { name: 'CertReq.exe', args: ['-Post', 'x'] } };
    assert.equal(fires('eql', 'process where process.name : "certreq.exe"', e), 'yes');
    assert.equal(fires('eql', 'process where process.name : "cert*.ex?"', e), 'yes');
    assert.equal(fires('eql', 'process where process.name == "certreq.exe"', e), 'no');
    assert.equal(fires('eql', 'process where process.name in~ ("CERTREQ.EXE", "a")', e), 'yes');
    assert.equal(fires('eql', 'process where process.name in ("CERTREQ.EXE", "a")', e), 'no');
    assert.equal(fires('eql', 'process where process.name like~ "CERT*"', e), 'yes');
    assert.equal(fires('eql', 'process where process.name regex~ "cert.*"', e), 'yes');
    assert.equal(fires('eql', 'process where process.name regex "cert.*"', e), 'no');
    assert.equal(fires('eql', 'process where startsWith~(process.name, "cert")', e), 'yes');
    assert.equal(fires('eql', 'process where process.parent.name != null', e), 'no');
    assert.equal(fires('eql', 'process where length(process.name) > 3', e), 'unknown');
  });

  it('the event category must be the query category; any reads all', () => {
    const e = { process: { name: 'a' } };
    assert.equal(fires('eql', 'process where process.name == "a"', { ...e, event: { category: ['network'] } }), 'no');
    assert.equal(fires('eql', 'any where process.name == "a"', { ...e, event: { category: ['network'] } }), 'yes');
    assert.equal(fires('eql', 'process where process.name == "a"', e), 'unknown');
  });

  it('sequences are not evaluated', () => {
    const q = 'sequence by host.id [process where process.name == "a"] [network where destination.port == 443]';
    const r = run(ruleOf('eql', q), inLogs({ event: { category: 'process' }, process: { name: 'a' } }));
    assert.equal(r.fires, 'unknown');
    assert.ok(r.unevaluated.some((g) => g.what === 'sequence'));
  });
});

describe('ES|QL evaluation', () => {
  const esqlFires = (query: string, event: Record<string, unknown>) => fires('esql', `FROM logs-* | ${query}`, event);
  it('==, LIKE, RLIKE, IN, IS NOT NULL, TO_LOWER', () => {
    const e = { process: { name: 'CMD.exe', command_line: 'cmd /c whoami' } };
    assert.equal(esqlFires('WHERE process.name == "CMD.exe"', e), 'yes');
    assert.equal(esqlFires('WHERE process.name == "cmd.exe"', e), 'no');
    assert.equal(esqlFires('WHERE TO_LOWER(process.name) == "cmd.exe"', e), 'yes');
    assert.equal(esqlFires('WHERE process.command_line LIKE "*whoami"', e), 'yes');
    assert.equal(esqlFires('WHERE process.name RLIKE "cmd.*"', e), 'no');
    assert.equal(esqlFires('WHERE process.name IN ("CMD.exe", "x")', e), 'yes');
    assert.equal(esqlFires('WHERE user.name IS NOT NULL', e), 'no');
  });

  it('a missing field is null: != drops the row; under a NOT, unknown', () => {
    assert.equal(esqlFires('WHERE user.name != "bob"', {}), 'no');
    assert.equal(esqlFires('WHERE NOT user.name == "bob"', {}), 'unknown');
    assert.equal(esqlFires('WHERE NOT user.name == "bob"', { user: { name: 'eve' } }), 'yes');
  });

  it('EVAL columns, STATS and a WHERE after it are not evaluated', () => {
    const e = { process: { name: 'a' } };
    assert.equal(esqlFires('EVAL n = LENGTH(process.name) | WHERE n > 3', e), 'unknown');
    assert.equal(esqlFires('WHERE process.name == "a" | STATS c = COUNT(*) BY host.id | WHERE c > 5', e), 'unknown');
    assert.equal(esqlFires('WHERE process.name == "b" | STATS c = COUNT(*) BY host.id', e), 'no');
    assert.equal(esqlFires('WHERE process.name == "a" | SORT @timestamp | LIMIT 5 | KEEP process.name', e), 'yes');
  });
});

describe('Elastic gating and rule types', () => {
  it('index patterns against _index, data_stream, or --log-type as an index or dataset', () => {
    const rule = ruleOf('kuery', 'event.action: CreateEnvironment', ['logs-aws.cloudtrail-*']);
    const e = { event: { action: 'CreateEnvironment' } };
    assert.equal(run(rule, { ...e, _index: 'logs-aws.cloudtrail-default' }).fires, 'yes');
    assert.equal(run(rule, { ...e, data_stream: { dataset: 'aws.cloudtrail', namespace: 'prod' } }).fires, 'yes');
    assert.equal(run(rule, { ...e, data_stream: { dataset: 'okta.system' } }).fires, 'no');
    assert.equal(run(rule, e, 'aws.cloudtrail').fires, 'yes');
    assert.equal(run(rule, e, 'logs-okta.system-default').fires, 'no');
    assert.equal(run(rule, e).fires, 'unknown');
  });

  it('threshold, new-terms and machine-learning rules are unknown when their query holds', () => {
    const e = inLogs({ event: { action: 'x' } });
    for (const type of ['threshold', 'new_terms', 'machine_learning']) {
      assert.equal(run(ruleOf('kuery', 'event.action: x', ['logs-*'], type), e).fires, 'unknown', type);
      assert.equal(run(ruleOf('kuery', 'event.action: y', ['logs-*'], type), e).fires, 'no', type);
    }
  });
});

describe('Elastic evaluation: real rules', () => {
  const rules = fileURLToPath(new URL('../../../shared/corpus/elastic/rules', import.meta.url));
  const read = (relative: string): EvaluatedRule => {
    const path = join(rules, relative);
    const text = readFileSync(path, 'utf8');
    const raw = elasticFormat.read(parseContainer('toml', text), { path, text })[0]!;
    const analysis = languages[raw.language]!.analyse(raw.query, {});
    const sources = [...new Set([...analysis.sources, ...raw.declaredSources])];
    return { language: raw.language, stages: analysis.stages, sources, parsed: analysis.parsed, type: raw.type };
  };
  const cloudshell = 'integrations/aws/execution_cloudshell_environment_created.toml';
  it('kuery: AWS CloudShell environment created', { skip: !existsSync(join(rules, cloudshell)) }, () => {
    const rule = read(cloudshell);
    const event = {
      data_stream: { dataset: 'aws.cloudtrail' },
      event: { provider: 'cloudshell.amazonaws.com', action: 'CreateEnvironment', outcome: 'success' },
    };
    assert.equal(run(rule, event).fires, 'yes');
    assert.equal(run(rule, { ...event, event: { ...event.event, outcome: 'failure' } }).fires, 'no');
  });
  const certreq = 'windows/command_and_control_certreq_postdata.toml';
  it('EQL: file transfer via certreq', { skip: !existsSync(join(rules, certreq)) }, () => {
    const rule = read(certreq);
    const event = {
      _index: 'logs-endpoint.events.process-default',
      host: { os: { type: 'windows' } },
      event: { category: ['process'], type: ['start'] },
      process: { name: 'certreq.exe', args: ['certreq.exe', '-Post', '-config', 'https://x.example/', 'c:\\a.txt'] },
    };
    assert.equal(run(rule, event).fires, 'yes', JSON.stringify(run(rule, event).trace));
    assert.equal(run(rule, { ...event, process: { ...event.process, args: ['certreq.exe', '-new'] } }).fires, 'no');
  });
  const beacon = 'network/command_and_control_cobalt_strike_beacon.toml';
  it('ES|QL: Cobalt Strike beacon domain', { skip: !existsSync(join(rules, beacon)) }, () => {
    const rule = read(beacon);
    const event = {
      data_stream: { dataset: 'network_traffic.tls' },
      event: { category: ['network'] },
      destination: { domain: 'abc.stage.12345678.example.com' },
    };
    assert.equal(run(rule, event).fires, 'yes', JSON.stringify(run(rule, event)));
    assert.equal(run(rule, { ...event, destination: { domain: 'abc.stage.1234.example.com' } }).fires, 'no');
  });
});
