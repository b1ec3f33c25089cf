import assert from 'node:assert/strict';
import { test } from 'node:test';
import { changeDate, lastChanged } from '../explore/explore.js';
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

test('a rule last changed upstream: the latest of its git date, the changes syncs saw and its updated field; never the build day', () => {
  // The first write's "added" is the build, not a change.
  assert.equal(lastChanged(rule('a', [h('added', 1, '2025-01-01T10:00:00+02:00')], '2024/06/01')), '2024-06-01');
  assert.equal(lastChanged(rule('a', [h('added', 1, '2025-01-01T10:00:00+02:00')])), '');
  // A later sync's change, addition or removal is one.
  assert.equal(
    lastChanged(rule('a', [h('added', 1, '2025-01-01T00:00:00Z'), h('changed', 2, '2025-03-01T00:00:00Z')], '2024/06/01')),
    '2025-03-01',
  );
  assert.equal(lastChanged(rule('a', [h('added', 2, '2025-02-01T00:00:00Z')], '2024/06/01')), '2025-02-01');
  assert.equal(lastChanged(rule('a', [h('added', 1, '2025-01-01T10:00:00+02:00')], '2025/06/01')), '2025-06-01');
  assert.equal(lastChanged(rule('a', [])), '');
  // Its file's last commit counts as a change; its modification time only when nothing else is known.
  const withFile = (date: string, from: 'git' | 'file', updated?: string) =>
    ({ ...rule('a', [], updated), fileDate: { date, from } }) as Rule;
  assert.deepEqual(changeDate(withFile('2023-04-05T06:00:00Z', 'git', '2022-01-01')), { date: '2023-04-05', from: 'git' });
  assert.deepEqual(changeDate(withFile('2026-12-07T06:00:00Z', 'file', '2022-01-01')), { date: '2022-01-01', from: 'rule' });
  assert.deepEqual(changeDate(withFile('2021-02-03T06:00:00Z', 'file')), { date: '2021-02-03', from: 'file' });
});
