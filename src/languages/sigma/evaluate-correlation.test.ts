import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { recogniseLog } from '../../evaluate/event-log.js';
import { evaluateEvents } from '../../evaluate/events.js';
import { PreparedEvent, evaluateRule } from '../../evaluate/rule.js';
import type { EvaluatedRule, EventsEvaluation } from '../../evaluate/types.js';
import { parseContainer } from '../../formats/containers.js';
import { sigmaFormat } from '../../formats/sigma/index.js';
import { sigma } from './index.js';

/** A Sigma file as an evaluated rule, with its name and id. */
function read(text: string): { name: string; id: string; rule: EvaluatedRule } {
  const raw = sigmaFormat.read(parseContainer('yaml', text), { path: 'x.yml', text })[0]!;
  const analysis = sigma.analyse(raw.query, {});
  const doc = text.match(/^name:\s*(\S+)/m)?.[1] ?? '';
  const id = text.match(/^id:\s*(\S+)/m)?.[1] ?? '';
  return {
    name: doc,
    id,
    rule: { language: 'sigma', stages: analysis.stages, sources: [...raw.declaredSources], parsed: analysis.parsed },
  };
}

const failedLogon = read(`title: Failed logon
id: 0e95725d-7320-415d-80f7-004da920fc11
name: failed_logon
status: test
logsource:
  product: windows
  service: security
detection:
  selection:
    EventID: 4625
  condition: selection
`);
const successLogon = read(`title: Successful logon
id: 4d0a2c83-c62c-4ed4-b475-c7e23a9269b8
name: successful_logon
status: test
logsource:
  product: windows
  service: security
detection:
  selection:
    EventID: 4624
  condition: selection
`);
const known = [failedLogon, successLogon];
const resolve = (ref: string) => known.find((k) => k.name === ref || k.id === ref)?.rule;

function correlation(body: string): EvaluatedRule {
  return read(`title: Correlation
id: 9f0e3f0a-1b2c-4d5e-8f9a-0b1c2d3e4f50
status: test
correlation:
${body.replace(/^/gm, '  ')}
`).rule;
}

function logon(eventId: number, minute: number, user = 'bob', host = 'ws1') {
  return {
    Event: {
      System: {
        Channel: 'Security',
        EventID: eventId,
        Computer: host,
        TimeCreated: { '#attributes': { SystemTime: new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString() } },
      },
      EventData: { Data: [{ '#attributes': { Name: 'TargetUserName' }, '#text': user }] },
    },
  };
}

const over = (rule: EvaluatedRule, events: unknown[]): EventsEvaluation =>
  evaluateEvents(
    rule,
    events.map((e) => new PreparedEvent(e, recogniseLog(e))),
    { rules: resolve },
  );

describe('Sigma correlation rules over a list of events', () => {
  it('event_count: enough events of the named rules per group within the timespan', () => {
    const rule = correlation('type: event_count\nrules: [failed_logon]\ngroup-by: [TargetUserName]\ntimespan: 10m\ncondition:\n  gte: 3');
    assert.equal(over(rule, [logon(4625, 0), logon(4625, 2), logon(4625, 4)]).fires, 'yes');
    assert.equal(over(rule, [logon(4625, 0), logon(4625, 2), logon(4624, 4)]).fires, 'no');
    assert.equal(over(rule, [logon(4625, 0), logon(4625, 2), logon(4625, 4, 'eve')]).fires, 'no');
    assert.equal(over(rule, [logon(4625, 0), logon(4625, 2), logon(4625, 30)]).fires, 'no');
    assert.deepEqual(over(rule, [logon(4624, 0), logon(4625, 1), logon(4625, 2), logon(4625, 3)]).events, [1, 2, 3]);
  });

  it('value_count: distinct values of a field', () => {
    const rule = correlation(
      'type: value_count\nrules: [failed_logon]\ngroup-by: [Computer]\ntimespan: 10m\ncondition:\n  field: TargetUserName\n  gte: 2',
    );
    assert.equal(over(rule, [logon(4625, 0, 'bob'), logon(4625, 1, 'eve')]).fires, 'yes');
    assert.equal(over(rule, [logon(4625, 0, 'bob'), logon(4625, 1, 'bob')]).fires, 'no');
  });

  it('temporal and temporal_ordered: every named rule within the span (in order)', () => {
    const both = 'rules: [failed_logon, successful_logon]\ngroup-by: [TargetUserName]\ntimespan: 5m';
    const temporal = correlation(`type: temporal\n${both}`);
    const ordered = correlation(`type: temporal_ordered\n${both}`);
    assert.equal(over(temporal, [logon(4624, 0), logon(4625, 1)]).fires, 'yes');
    assert.equal(over(ordered, [logon(4624, 0), logon(4625, 1)]).fires, 'no');
    assert.equal(over(ordered, [logon(4625, 0), logon(4624, 1)]).fires, 'yes');
    assert.equal(over(ordered, [logon(4625, 0), logon(4624, 9)]).fires, 'no');
    assert.equal(over(ordered, [logon(4625, 0), logon(4624, 1, 'eve')]).fires, 'no');
  });

  it('unknown: a rule not found, a count met by silence, a missing time or group value', () => {
    assert.equal(
      over(correlation('type: event_count\nrules: [nowhere]\ntimespan: 1m\ncondition:\n  gte: 1'), [logon(4625, 0)]).fires,
      'unknown',
    );
    assert.equal(
      over(correlation('type: event_count\nrules: [failed_logon]\ntimespan: 1m\ncondition:\n  lte: 2'), [logon(4625, 0)]).fires,
      'unknown',
    );
    const rule = correlation('type: event_count\nrules: [failed_logon]\ngroup-by: [TargetUserName]\ntimespan: 10m\ncondition:\n  gte: 2');
    const untimed = logon(4625, 1);
    delete (untimed.Event.System as { TimeCreated?: unknown }).TimeCreated;
    assert.equal(over(rule, [logon(4625, 0), untimed]).fires, 'unknown');
    const nameless = logon(4625, 1);
    nameless.Event.EventData.Data = [];
    assert.equal(over(rule, [logon(4625, 0), nameless]).fires, 'unknown');
    // On one event alone a correlation stays a gap.
    const one = evaluateRule(rule, new PreparedEvent(logon(4625, 0), recogniseLog(logon(4625, 0))));
    assert.equal(one.fires, 'unknown');
    assert.equal(one.unevaluated[0]?.what, 'correlation');
  });
});
