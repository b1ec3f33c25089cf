// Times in a rule (time-values.ts, timestamps.ts): a field parsed the way the code parses it, related
// to the time now the evaluation is given, or to another field's time, by a duration.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { indicatorsOf } from '../../analysis/indicators.js';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import { loadPython, modelFires, modelRule } from './model-harness.js';

before(loadPython);

const ruleOf = (lines: string[]): EvaluatedRule => modelRule([...lines, ''].join('\n'), 'Custom.Log');
const now = Date.UTC(2026, 0, 31, 12);
/** At `now` unless told otherwise; `null`: no time now given. */
const fires = (rule: EvaluatedRule, event: Record<string, unknown>, at: number | null = now): Fires =>
  modelFires(rule, event, 'Custom.Log', at ?? undefined);

describe('a field parsed with strptime, against the time now', () => {
  const rule = (): EvaluatedRule =>
    ruleOf([
      'import datetime',
      '',
      'MAX_AGE = datetime.timedelta(days=90)',
      '',
      'def rule(event):',
      '    seen = datetime.datetime.strptime(event.get("seen"), "%Y-%m-%dT%H:%M:%SZ")',
      '    return (datetime.datetime.utcnow() - seen) > MAX_AGE',
    ]);

  it('older than the duration fires, younger does not', () => {
    assert.equal(fires(rule(), { seen: '2025-10-01T00:00:00Z' }), 'yes');
    assert.equal(fires(rule(), { seen: '2026-01-01T00:00:00Z' }), 'no');
  });

  it('states no value of the field: no indicator', () => {
    assert.deepEqual(indicatorsOf(rule().stages), []);
  });

  it('without the time now, or where strptime raises, the answer is unknown', () => {
    assert.equal(fires(rule(), { seen: '2025-10-01T00:00:00Z' }, null), 'unknown');
    assert.equal(fires(rule(), { seen: 'yesterday' }), 'unknown');
    assert.equal(fires(rule(), {}), 'unknown');
  });

  it('the time now minus the field, written the other way round, and with local time', () => {
    const ahead = ruleOf([
      'from datetime import datetime, timedelta',
      '',
      'def rule(event):',
      '    left = datetime.strptime(event.get("until"), "%Y-%m-%d") - datetime.now()',
      '    return timedelta(days=30) > left',
    ]);
    assert.equal(fires(ahead, { until: '2026-02-10' }), 'yes');
    assert.equal(fires(ahead, { until: '2026-05-10' }), 'no');
  });
});

describe('whole days and total seconds of a difference', () => {
  it('.days counts whole days (rounded down), .total_seconds() the seconds', () => {
    const days = ruleOf([
      'from datetime import datetime',
      '',
      'LIMIT = 2',
      '',
      'def rule(event):',
      '    return (datetime.utcnow() - datetime.strptime(event.get("t"), "%Y-%m-%d %H:%M:%S")).days > LIMIT',
    ]);
    // Two days and 23 hours old: .days is 2, not above 2; three days old: 3.
    assert.equal(fires(days, { t: '2026-01-28 13:00:00' }), 'no');
    assert.equal(fires(days, { t: '2026-01-28 12:00:00' }), 'yes');
    const seconds = ruleOf([
      'from datetime import datetime',
      '',
      'def rule(event):',
      '    return 3600 >= (datetime.utcnow() - datetime.strptime(event.get("t"), "%Y-%m-%d %H:%M:%S")).total_seconds()',
    ]);
    assert.equal(fires(seconds, { t: '2026-01-31 11:00:00' }), 'yes');
    assert.equal(fires(seconds, { t: '2026-01-31 10:59:59' }), 'no');
  });
});

describe('a helper that tries formats in order', () => {
  const helper = [
    'import datetime',
    '',
    'FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%SZ"]',
    'STALE = datetime.timedelta(days=60) + datetime.timedelta(hours=12)',
    '',
    'def parse_time(value):',
    '    if not value:',
    '        return None',
    '    text = value.replace("\'", "")',
    '    for each in FORMATS:',
    '        try:',
    '            return datetime.datetime.strptime(text, each)',
    '        except (ValueError, TypeError):',
    '            continue',
    '    try:',
    '        return some_library.parse(value)',
    '    except ValueError:',
    '        pass',
    '    return None',
    '',
  ];
  const rule = (): EvaluatedRule =>
    ruleOf([
      ...helper,
      'def rule(event):',
      '    when = parse_time(event.get("t"))',
      '    if not when:',
      '        return True',
      '    return datetime.datetime.utcnow() - when > STALE',
    ]);

  it('the first format that reads the value gives the time (after the edits the helper makes)', () => {
    assert.equal(fires(rule(), { t: "'2025-01-01 00:00:00'" }), 'yes');
    assert.equal(fires(rule(), { t: '2026-01-30T00:00:00Z' }), 'no');
  });

  it('`is None` of the parsed time is the parse failing', () => {
    const guarded = ruleOf([
      ...helper,
      'def rule(event):',
      '    when = parse_time(event.get("t"))',
      '    if when is None:',
      '        return False',
      '    return True',
    ]);
    assert.equal(fires(guarded, { t: '2026-01-30T00:00:00Z' }, null), 'yes');
    assert.equal(fires(guarded, {}, null), 'no');
  });

  it('a falsy value is None, which the rule guards; a value no format reads reaches the call the model does not follow', () => {
    assert.equal(fires(rule(), {}), 'yes');
    assert.equal(fires(rule(), { t: '' }), 'yes');
    assert.equal(fires(rule(), { t: 'Jan 30 2026' }), 'unknown');
  });
});

describe('two fields of the event', () => {
  const rule = (): EvaluatedRule =>
    ruleOf([
      'from datetime import datetime, timedelta',
      '',
      'GAP = timedelta(seconds=7)',
      '',
      'def rule(event):',
      '    made = datetime.strptime(event.get("made"), "%Y-%m-%dT%H:%M:%S%z")',
      '    used = datetime.strptime(event.get("used"), "%Y-%m-%dT%H:%M:%S%z")',
      '    return (used - made) >= GAP',
    ]);

  it('compares their difference, offsets counted, whatever the time now', () => {
    assert.equal(fires(rule(), { made: '2026-01-01T10:00:00+02:00', used: '2026-01-01T08:00:10Z' }, null), 'yes');
    assert.equal(fires(rule(), { made: '2026-01-01T10:00:00+02:00', used: '2026-01-01T08:00:03Z' }, null), 'no');
  });

  it('an aware time minus a naive one raises: unknown', () => {
    const mixed = ruleOf([
      'from datetime import datetime, timedelta',
      '',
      'def rule(event):',
      '    made = datetime.strptime(event.get("made"), "%Y-%m-%dT%H:%M:%S%z")',
      '    return datetime.utcnow() - made > timedelta(days=1)',
    ]);
    assert.equal(fires(mixed, { made: '2020-01-01T00:00:00+00:00' }), 'unknown');
  });
});
