import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { recogniseLog } from '../../evaluate/event-log.js';
import { PreparedEvent, evaluateRule } from '../../evaluate/rule.js';
import type { EvaluatedRule, Evaluation } from '../../evaluate/types.js';
import { parseContainer } from '../../formats/containers.js';
import { pantherFormat } from '../../formats/panther/index.js';
import { sql } from './index.js';

function ruleOf(where: string, table = 'panther_logs.public.okta_systemlog'): EvaluatedRule {
  const analysis = sql.analyse(`SELECT * FROM ${table} WHERE ${where}`, {});
  assert.ok(analysis.parsed, JSON.stringify(analysis.diagnostics));
  return { language: 'sql', stages: analysis.stages, sources: analysis.sources, parsed: true };
}

function run(rule: EvaluatedRule, event: Record<string, unknown>, logType?: string): Evaluation {
  return evaluateRule(rule, new PreparedEvent(event, recogniseLog(event, logType)), { trace: true });
}

const okta = (fields: Record<string, unknown>) => ({ p_log_type: 'Okta.SystemLog', ...fields });
const fires = (where: string, fields: Record<string, unknown>) => run(ruleOf(where), okta(fields)).fires;

describe('Panther SQL evaluation: WHERE on one event', () => {
  it('= with case, lower() and ILIKE without; columns without case, VARIANT paths with', () => {
    const e = { eventType: 'user.session.start', actor: { alternateId: 'Bob@acme.com' } };
    assert.equal(fires("eventType = 'user.session.start'", e), 'yes');
    assert.equal(fires("EVENTTYPE = 'user.session.start'", e), 'yes');
    assert.equal(fires("eventType = 'USER.SESSION.START'", e), 'no');
    assert.equal(fires("actor:alternateId = 'Bob@acme.com'", e), 'yes');
    assert.equal(fires("lower(actor:alternateId) = 'bob@acme.com'", e), 'yes');
    assert.equal(fires("actor:alternateid = 'Bob@acme.com'", e), 'no');
    assert.equal(fires("actor:alternateId ILIKE '%@ACME.COM'", e), 'yes');
    assert.equal(fires("actor:alternateId LIKE 'bob%'", e), 'no');
  });

  it('IN, BETWEEN, comparisons, RLIKE on the whole value, IS NULL, ARRAY_CONTAINS, CONTAINS', () => {
    const e = { eventType: 'user.session.start', n: '7', tags: ['a', 'bc'], created: '2024-05-01 10:00:00' };
    assert.equal(fires("eventType IN ('x', 'user.session.start')", e), 'yes');
    assert.equal(fires("eventType NOT IN ('x', 'user.session.start')", e), 'no');
    assert.equal(fires('n BETWEEN 5 AND 10', e), 'yes');
    assert.equal(fires('n > 10', e), 'no');
    assert.equal(fires("created > '2024-04-30'", e), 'yes');
    assert.equal(fires("eventType RLIKE 'user\\\\.session'", e), 'no');
    assert.equal(fires("eventType RLIKE 'user\\\\.session.*'", e), 'yes');
    assert.equal(fires('outcome IS NULL', e), 'yes');
    assert.equal(fires('outcome IS NOT NULL', e), 'no');
    assert.equal(fires("ARRAY_CONTAINS('bc'::variant, tags)", e), 'yes');
    assert.equal(fires("ARRAY_CONTAINS('b'::variant, tags)", e), 'no');
    assert.equal(fires("CONTAINS(eventType, 'session')", e), 'yes');
  });

  it('NULL: a comparison with a missing key drops the row, != too; under a NOT, unknown', () => {
    assert.equal(fires("outcome = 'x'", {}), 'no');
    assert.equal(fires("outcome != 'x'", {}), 'no');
    assert.equal(fires("NOT (outcome = 'x')", {}), 'unknown');
    assert.equal(fires("NOT (outcome = 'x')", { outcome: 'y' }), 'yes');
  });

  it('p_occurs_between on p_event_time (unknown without it); windows relative to the run hold', () => {
    const e = { eventType: 'x', p_event_time: '2022-02-01 12:00:00.000' };
    assert.equal(fires("p_occurs_between('2022-01-14', '2022-03-22')", e), 'yes');
    assert.equal(fires("p_occurs_between('2023-01-14', '2023-03-22')", e), 'no');
    const undated = run(ruleOf("p_occurs_between('2022-01-14', '2022-03-22')"), okta({ eventType: 'x' }));
    assert.equal(undated.fires, 'unknown');
    assert.match(undated.trace[0]?.note ?? '', /p_event_time/);
    assert.equal(fires("eventType = 'x' AND p_occurs_since('1 day')", e), 'yes');
    assert.equal(fires("eventType = 'y' AND p_occurs_since('1 day')", e), 'no');
    assert.equal(fires("eventType = 'x' AND p_occurs_unknown_macro('1 day')", e), 'unknown');
  });

  it('tables against p_log_type; HAVING, JOIN and subqueries unknown', () => {
    const rule = ruleOf("eventType = 'x'");
    assert.equal(run(rule, okta({ eventType: 'x' })).fires, 'yes');
    assert.equal(run(rule, { p_log_type: 'AWS.CloudTrail', eventType: 'x' }).fires, 'no');
    assert.equal(run(rule, { eventType: 'x' }, 'Okta.SystemLog').fires, 'yes');
    assert.equal(run(rule, { eventType: 'x' }).fires, 'unknown');
    assert.equal(run(ruleOf("eventType = 'x'", 'panther_views.public.all_logs'), okta({ eventType: 'x' })).fires, 'unknown');
    const having = sql.analyse(
      "SELECT actor, count(*) FROM panther_logs.public.okta_systemlog WHERE eventType = 'x' GROUP BY actor HAVING count(*) > 5",
      {},
    );
    assert.equal(
      run({ language: 'sql', stages: having.stages, sources: having.sources, parsed: true }, okta({ eventType: 'x' })).fires,
      'unknown',
    );
    const sub = sql.analyse(
      "SELECT * FROM panther_logs.public.okta_systemlog WHERE eventType = 'x' AND actor IN (SELECT actor FROM panther_logs.public.okta_systemlog WHERE eventType = 'y')",
      {},
    );
    assert.equal(
      run({ language: 'sql', stages: sub.stages, sources: sub.sources, parsed: true }, okta({ eventType: 'x' })).fires,
      'unknown',
    );
  });
});

describe('Panther SQL: the Okta Support Access scheduled query', () => {
  const path = join(
    fileURLToPath(new URL('../../../../shared/corpus/panther', import.meta.url)),
    'queries/okta_queries/okta_support_access.yml',
  );
  it('fires on an impersonation initiated in its window, not on another event', { skip: !existsSync(path) }, () => {
    const text = readFileSync(path, 'utf8');
    const raw = pantherFormat.read(parseContainer('yaml', text), { path, text })[0]!;
    const analysis = sql.analyse(raw.query, {});
    const rule: EvaluatedRule = { language: raw.language, stages: analysis.stages, sources: analysis.sources, parsed: analysis.parsed };
    const event = {
      p_log_type: 'Okta.SystemLog',
      p_event_time: '2022-02-01 09:30:00.000',
      eventType: 'user.session.impersonation.initiate',
      displayMessage: 'Initiate impersonation session',
      actor: { alternateId: 'support@okta.com', displayName: 'Okta Support' },
      client: { ipAddress: '198.51.100.7' },
    };
    assert.equal(raw.language, 'sql');
    assert.equal(run(rule, event).fires, 'yes');
    // Outside the query's dates (p_occurs_between binds only the initiate branch: AND before OR).
    assert.equal(run(rule, { ...event, p_event_time: '2023-02-01 09:30:00.000' }).fires, 'no');
    const { p_event_time: _, ...undated } = event;
    const open = run(rule, undated);
    assert.equal(open.fires, 'unknown');
    assert.ok(open.trace.some((t) => t.matched === 'unknown' && /p_event_time/.test(t.note ?? '')));
    assert.equal(run(rule, { ...event, eventType: 'user.session.start' }).fires, 'no');
    assert.equal(run(rule, { ...event, eventType: 'user.session.impersonation.grant', p_event_time: '2023-02-01' }).fires, 'yes');
  });
});
