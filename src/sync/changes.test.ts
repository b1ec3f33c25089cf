import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lastChanged } from '../explore/explore.js';
import type { HistoryEntry, Rule } from '../model/types.js';
import { changesBySync } from './changes.js';

const h = (change: HistoryEntry['change'], sync: number, date: string): HistoryEntry => ({ change, commit: `c${sync}`, date, sync });
const rule = (id: string, history: HistoryEntry[], updated?: string) =>
  ({ id, name: id, platform: 'sentinel', sourceName: 's', path: `${id}.yaml`, history, updated }) as unknown as Rule;

test('changes are grouped per sync, newest first, added before changed before removed, capped by limit', () => {
  const rules = [
    rule('b', [h('added', 1, '2025-01-01T00:00:00Z'), h('removed', 2, '2025-02-01T00:00:00Z')]),
    rule('a', [h('added', 1, '2025-01-01T00:00:00Z'), h('changed', 2, '2025-02-01T00:00:00Z')]),
    rule('c', [h('added', 2, '2025-02-01T00:00:00Z')]),
  ];
  const syncs = changesBySync(rules);
  assert.deepEqual(
    syncs.map((s) => [s.sync, s.counts, s.changes.map((c) => `${c.change} ${c.id} ${c.commit}`)]),
    [
      [2, { added: 1, changed: 1, removed: 1 }, ['added c c2', 'changed a c2', 'removed b c2']],
      [1, { added: 2, changed: 0, removed: 0 }, ['added a c1', 'added b c1']],
    ],
  );
  const capped = changesBySync(rules, 1);
  assert.equal(capped[0]?.changes.length, 1);
  assert.equal(capped[0]?.truncated, true);
  assert.deepEqual(changesBySync([rule('x', [])]), []);
});

test('a rule last changed at its latest sync change or its own updated date, whichever is later', () => {
  assert.equal(lastChanged(rule('a', [h('added', 1, '2025-01-01T10:00:00+02:00')], '2024/06/01')), '2025-01-01');
  assert.equal(lastChanged(rule('a', [h('added', 1, '2025-01-01T10:00:00+02:00')], '2025/06/01')), '2025-06-01');
  assert.equal(lastChanged(rule('a', [])), '');
});
