import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { recogniseLog } from '../../evaluate/event-log.js';
import { evaluateEvents } from '../../evaluate/events.js';
import { PreparedEvent, evaluateRule } from '../../evaluate/rule.js';
import type { EvaluatedRule, EventsEvaluation } from '../../evaluate/types.js';
import { parseContainer } from '../../formats/containers.js';
import { elasticFormat } from '../../formats/elastic/index.js';
import { eql } from './index.js';

function ruleOf(query: string): EvaluatedRule {
  const analysis = eql.analyse(query, {});
  assert.ok(analysis.parsed, JSON.stringify(analysis.diagnostics));
  return { language: 'eql', stages: analysis.stages, sources: [...analysis.sources, 'logs-*'], parsed: true };
}

const prepared = (events: Record<string, unknown>[]) => events.map((e) => new PreparedEvent(e, recogniseLog(e)));
const over = (rule: EvaluatedRule, events: Record<string, unknown>[]): EventsEvaluation =>
  evaluateEvents(rule, prepared(events), { trace: true });

/** An ECS event of a category on a host, at a second of the clock. */
function ev(category: string, second: number, fields: Record<string, unknown> = {}) {
  return {
    _index: 'logs-endpoint.events-default',
    '@timestamp': new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString(),
    event: { category: [category], type: 'start' },
    host: { id: 'h1' },
    ...fields,
  };
}
const cmd = (second: number, pid = 10, extra: Record<string, unknown> = {}) =>
  ev('process', second, { process: { name: 'cmd.exe', pid }, ...extra });
const net = (second: number, pid = 10, extra: Record<string, unknown> = {}) =>
  ev('network', second, { process: { pid }, destination: { port: 443 }, ...extra });

const SEQUENCE =
  'sequence by host.id with maxspan=1m [process where process.name == "cmd.exe"] by process.pid [network where destination.port == 443] by process.pid';

describe('EQL sequences over a list of events', () => {
  it('steps in order, the same by keys, within maxspan', () => {
    const rule = ruleOf(SEQUENCE);
    const yes = over(rule, [cmd(0), ev('file', 1), net(30)]);
    assert.equal(yes.fires, 'yes');
    assert.deepEqual(yes.events, [0, 2]);
    assert.equal(over(rule, [net(0), cmd(30)]).fires, 'no');
    assert.equal(over(rule, [cmd(0), net(90)]).fires, 'no');
    assert.equal(over(rule, [cmd(0), net(30, 11)]).fires, 'no');
    assert.equal(over(rule, [cmd(0), net(30, 10, { host: { id: 'h2' } })]).fires, 'no');
    // A later start within the span still fires when the first one is too old.
    assert.equal(over(rule, [cmd(0), cmd(80), net(100)]).fires, 'yes');
  });

  it('with runs=N needs N events for the step; one event is never two steps', () => {
    const rule = ruleOf('sequence by host.id [process where process.name == "cmd.exe"] with runs=2 [network where true]');
    assert.equal(over(rule, [cmd(0), net(1)]).fires, 'no');
    assert.equal(over(rule, [cmd(0), cmd(1), net(2)]).fires, 'yes');
    const same = ruleOf('sequence [process where process.name == "cmd.exe"] [process where process.name == "cmd.exe"]');
    assert.equal(over(same, [cmd(0)]).fires, 'no');
    assert.equal(over(same, [cmd(0), cmd(1)]).fires, 'yes');
  });

  it('until ends the sequences of its keys', () => {
    const rule = ruleOf(`${SEQUENCE} until [process where event.type == "end"]`);
    const end = (second: number, host = 'h1') =>
      ev('process', second, { event: { category: ['process'], type: 'end' }, host: { id: host } });
    assert.equal(over(rule, [cmd(0), end(10), net(20)]).fires, 'no');
    assert.equal(over(rule, [cmd(0), end(10, 'h2'), net(20)]).fires, 'yes');
    assert.equal(over(rule, [cmd(0), net(20), end(30)]).fires, 'yes');
  });

  it('unknown: a missing join key or timestamp, an unknown index, a missing step, a pipe not evaluated', () => {
    const rule = ruleOf(SEQUENCE);
    const noHost = { ...net(30) } as Record<string, unknown>;
    delete noHost.host;
    assert.equal(over(rule, [cmd(0), noHost]).fires, 'unknown');
    const noTime = { ...net(30) } as Record<string, unknown>;
    delete noTime['@timestamp'];
    assert.equal(over(rule, [cmd(0), noTime]).fires, 'unknown');
    const { _index: _, ...unindexed } = net(30);
    assert.equal(over(rule, [cmd(0), unindexed]).fires, 'unknown');
    const missing = ruleOf('sequence by host.id [process where process.name == "cmd.exe"] ![file where true] [network where true]');
    assert.equal(over(missing, [cmd(0), net(1)]).fires, 'unknown');
    assert.equal(over(ruleOf(`${SEQUENCE} | unique host.id`), [cmd(0), net(30)]).fires, 'unknown');
  });

  it('a single-event rule over a list: the first event that fires; one event alone leaves a sequence a gap', () => {
    const single = ruleOf('process where process.name == "cmd.exe"');
    const found = over(single, [net(0), cmd(1)]);
    assert.equal(found.fires, 'yes');
    assert.deepEqual(found.events, [1]);
    assert.equal(over(single, [net(0)]).fires, 'no');
    const one = evaluateRule(ruleOf(SEQUENCE), prepared([cmd(0)])[0]!);
    assert.equal(one.fires, 'unknown');
    assert.equal(one.unevaluated[0]?.what, 'sequence');
  });
});

describe('EQL sequences: a real rule', () => {
  const path = join(
    fileURLToPath(new URL('../../../../shared/corpus/elastic/rules', import.meta.url)),
    'windows/command_and_control_remote_file_copy_scripts.toml',
  );
  it('Remote file copy by a script interpreter', { skip: !existsSync(path) }, () => {
    const text = readFileSync(path, 'utf8');
    const raw = elasticFormat.read(parseContainer('toml', text), { path, text })[0]!;
    const analysis = eql.analyse(raw.query, {});
    const rule: EvaluatedRule = {
      language: raw.language,
      stages: analysis.stages,
      sources: [...new Set([...analysis.sources, ...raw.declaredSources])],
      parsed: analysis.parsed,
    };
    const base = { _index: 'logs-endpoint.events.network-default', host: { id: 'h1', os: { type: 'windows' } } };
    const connect = {
      ...base,
      event: { category: ['network'] },
      process: { name: 'wscript.exe', entity_id: 'p1' },
      network: { protocol: 'http', direction: 'egress', type: 'ipv4' },
      destination: { ip: '203.0.113.5' },
    };
    const write = {
      ...base,
      _index: 'logs-endpoint.events.file-default',
      event: { category: ['file'], type: 'creation' },
      process: { name: 'wscript.exe', entity_id: 'p1' },
      file: { extension: 'exe', path: 'C:\\Users\\bob\\AppData\\Local\\Temp\\a.exe' },
    };
    assert.equal(over(rule, [connect, write]).fires, 'yes');
    assert.equal(over(rule, [connect, { ...write, process: { name: 'wscript.exe', entity_id: 'p2' } }]).fires, 'no');
  });
});
