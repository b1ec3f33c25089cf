import assert from 'node:assert/strict';
import { test } from 'node:test';
import { combine, predicate } from '../model/predicates.js';
import type { Operator, PredicateNode, Stage } from '../model/types.js';
import type { ProviderSpec } from '../providers/types.js';
import { ruleEventsOf } from './events.js';

const p = (field: string, op: Operator, values: string[], nativeOp = op) => predicate(field, op, values, { nativeOp, text: `${field} ${op} ${values}` });
const stage = (condition: PredicateNode): Stage[] => [{ kind: 'where', text: '| where ...', condition }];

const trail: ProviderSpec = { id: 'trail', name: 'Trail', selectors: { s: [{ sources: ['Trail'], eventFields: ['eventName'] }] } };
const kube: ProviderSpec = {
  id: 'kube',
  name: 'Kube',
  selectors: {
    s: [
      {
        sources: ['Kube'],
        eventFields: [],
        eventParts: [{ fields: ['verb'], missing: 'any' }, { fields: ['resource'] }, { fields: ['subresource'], before: '/', missing: 'omit' }],
      },
    ],
  },
};
const ps: ProviderSpec = { id: 'ps', name: 'PS', selectors: { s: [{ sources: ['category:ps_script'], eventFields: [], events: ['4104'] }] } };

test('pattern operators over an event field are kept as patterns, with the patterns anded to them', () => {
  const cond = combine('and', [
    p('eventName', 'startswith', ['Delete']),
    combine('or', [p('eventName', 'wildcard', ['*Trail*']), p('eventName', 'wildcard', ['*Logging*'])]),
    p('eventName', 'eq', ['StopLogging']),
  ]);
  const { events, patterns } = ruleEventsOf(stage(cond), ['Trail'], 's', [trail]);
  assert.deepEqual(events, [{ provider: 'trail', event: 'StopLogging' }]);
  assert.deepEqual(patterns[0], {
    provider: 'trail',
    op: 'startswith',
    value: 'Delete',
    nativeOp: 'startswith',
    and: [[{ op: 'wildcard', value: '*Trail*', nativeOp: 'wildcard' }, { op: 'wildcard', value: '*Logging*', nativeOp: 'wildcard' }]],
  });
  assert.equal(patterns.length, 3);
});

test('events named by several fields: combinations, a missing verb as a pattern, a missing resource as nothing', () => {
  const exec = combine('and', [p('verb', 'eq', ['create']), p('resource', 'eq', ['pods']), p('subresource', 'eq', ['exec'])]);
  assert.deepEqual(ruleEventsOf(stage(exec), ['Kube'], 's', [kube]).events, [{ provider: 'kube', event: 'create pods/exec' }]);
  const two = combine('and', [p('verb', 'in', ['get', 'list']), p('resource', 'eq', ['secrets'])]);
  assert.deepEqual(ruleEventsOf(stage(two), ['Kube'], 's', [kube]).events.map((e) => e.event), ['get secrets', 'list secrets']);
  const anyVerb = ruleEventsOf(stage(p('resource', 'eq', ['Secrets'])), ['Kube'], 's', [kube]);
  assert.deepEqual(anyVerb.events, []);
  assert.deepEqual(anyVerb.patterns.map((x) => [x.op, x.value]), [['wildcard', '* secrets']]);
  assert.deepEqual(ruleEventsOf(stage(p('verb', 'eq', ['get'])), ['Kube'], 's', [kube]), { events: [], patterns: [] });
});

test('a selection that implies its event (a Sigma category of one event) gives it without predicates', () => {
  assert.deepEqual(ruleEventsOf(stage(p('ScriptBlockText', 'contains', ['Invoke-'])), ['category:ps_script'], 's', [ps]).events, [{ provider: 'ps', event: '4104' }]);
});
