import assert from 'node:assert/strict';
import { test } from 'node:test';
import { combine, negate, predicate } from '../model/predicates.js';
import type { Stage } from '../model/types.js';
import { okta } from '../providers/okta.js';
import { windowsSecurity } from '../providers/windows-security.js';
import { eventsOf } from './events.js';
import { correlationsOf, indicatorsOf } from './indicators.js';

const eq = (field: string, value: string | number, negated = false) =>
  predicate(field, 'eq', [value], { nativeOp: '==', text: `${field} == ${value}`, negated, caseSensitive: true });

function stage(condition: ReturnType<typeof eq>): Stage {
  return { kind: 'where', text: '| where ...', condition };
}

test('indicators: one per value, negation from the tree, exists and range never blank', () => {
  const cond = combine('and', [
    eq('a', 'x'),
    predicate('b', 'in', ['p', 'q'], { nativeOp: 'in~', text: 'b in~ (p, q)' }),
    negate(eq('c', 'y')),
    negate(eq('d', 'z', true)),
    predicate('e', 'exists', [], { nativeOp: 'isnotempty', text: 'isnotempty(e)' }),
    predicate('f', 'range', [1, 5], { nativeOp: 'between', text: 'f between (1 .. 5)' }),
  ]);
  assert.deepEqual(
    indicatorsOf([stage(cond)]).map((i) => [i.field, i.op, i.value, i.negated]),
    [
      ['a', 'eq', 'x', false],
      ['b', 'eq', 'p', false],
      ['b', 'eq', 'q', false],
      ['c', 'eq', 'y', true],
      ['d', 'eq', 'z', false],
      ['e', 'exists', '*', false],
      ['f', 'range', '1 .. 5', false],
    ],
  );
});

test('events: a table selects the provider, the event field gives the event', () => {
  const cond = combine('and', [eq('eventType_s', 'user.session.impersonation.initiate'), eq('outcome_result_s', 'SUCCESS')]);
  assert.deepEqual(eventsOf([stage(cond)], ['OktaSSO'], 'azure-monitor', [okta]), [
    { provider: 'okta', event: 'user.session.impersonation.initiate' },
  ]);
  // Same predicates on a table that is not Okta's: no event.
  assert.deepEqual(eventsOf([stage(cond)], ['SigninLogs'], 'azure-monitor', [okta]), []);
  // Negated event predicates are exclusions, not events.
  assert.deepEqual(eventsOf([stage(negate(eq('eventType_s', 'x')))], ['OktaSSO'], 'azure-monitor', [okta]), []);
});

test('events: an ECS dataset predicate or a specific index selects; a generic index does not', () => {
  const cond = combine('and', [eq('data_stream.dataset', 'okta.system'), eq('event.action', 'user.session.impersonation.initiate')]);
  assert.deepEqual(eventsOf([stage(cond)], ['filebeat-*'], 'ecs', [okta]), [
    { provider: 'okta', event: 'user.session.impersonation.initiate' },
  ]);
  const noDataset = eq('event.action', 'user.session.impersonation.initiate');
  assert.equal(eventsOf([stage(noDataset)], ['logs-okta*'], 'ecs', [okta]).length, 1);
  assert.equal(eventsOf([stage(noDataset)], ['filebeat-*', 'logs-*'], 'ecs', [okta]).length, 0);
});

test('events: Windows event ids must look like Security log ids', () => {
  const cond = combine('or', [eq('EventID', 1102), eq('EventID', 1)]);
  assert.deepEqual(eventsOf([stage(cond)], ['SecurityEvent'], 'azure-monitor', [windowsSecurity]), [
    { provider: 'windows-security', event: '1102' },
  ]);
});

test('correlations: a field compared with a field, a join key or a placeholder is never an indicator', () => {
  const ref = (field: string, other: string, nativeOp: string, negated = false) =>
    predicate(field, 'fieldref', [other], { nativeOp, text: `${field} ${nativeOp} ${other}`, negated, caseSensitive: true });
  const stages: Stage[] = [
    {
      kind: 'where',
      text: '',
      condition: combine('and', [eq('a', 'x'), ref('principal.hostname', '$host', '='), ref('Src', 'Dst', '!=', true)]),
    },
    { kind: 'join', text: '', condition: ref('AccountUpn', 'AccountUpn', 'on') },
    { kind: 'where', text: '', condition: ref('principal.hostname', '$host', '=') },
  ];
  assert.deepEqual(
    indicatorsOf(stages).map((i) => `${i.field} ${i.op} ${i.value}`),
    ['a eq x'],
  );
  assert.deepEqual(correlationsOf(stages), [
    { field: 'principal.hostname', with: '$host', kind: 'placeholder', negated: false, nativeOp: '=' },
    { field: 'Src', with: 'Dst', kind: 'field', negated: true, nativeOp: '!=' },
    { field: 'AccountUpn', with: 'AccountUpn', kind: 'join key', negated: false, nativeOp: 'on' },
  ]);
});
