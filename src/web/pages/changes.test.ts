import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeRule } from '../../model/rule-factory.js';
import type { HistoryEntry } from '../../model/types.js';
import type { WebContext } from '../context.js';
import { changesBySync } from '../../sync/changes.js';
import { perCatalogMemory } from '../per-catalog.js';
import { catalogChangesUpTo, changesPageSize, parseChangesPaging, renderChanges } from './changes.js';

const added = (sync: number, commit = ''): HistoryEntry => ({ change: 'added', commit, date: '2026-01-02T00:00:00Z', sync });

// A build of 250 rules from a folder (no commit), then a sync of a git source that changed one.
const rules = Array.from({ length: 250 }, (_, i) =>
  makeRule({
    nativeId: `r${String(i).padStart(3, '0')}`,
    history: i === 0 ? [added(1), { change: 'changed', commit: '0123456789abcdef', date: '2026-02-03T00:00:00Z', sync: 2 }] : [added(1)],
  }),
);
const ctx = { store: { rules, byId: new Map(rules.map((r) => [r.id, r])) }, assets: { version: 'test' } } as unknown as WebContext;
const rowsOf = (page: string, sync: number) => {
  const part = page.slice(page.indexOf(`id="sync-${sync}"`));
  return (part.slice(0, part.indexOf('</section>')).match(/<tr><td>/g) ?? []).length;
};

test('/changes: each sync paged, no empty commit pills, a page past the end says so', () => {
  const first = renderChanges(ctx, parseChangesPaging(new URLSearchParams()));
  assert.equal(rowsOf(first, 1), changesPageSize);
  assert.equal(rowsOf(first, 2), 1);
  assert.doesNotMatch(first, /<code><\/code>/);
  assert.match(first, /<code>0123456789ab<\/code>/, "a git sync's commit is shown");
  assert.match(first, /page 1 of 3/);
  assert.ok(first.includes('href="/changes?sync=1&amp;page=2#sync-1"'), 'a link to the next page');
  const third = renderChanges(ctx, parseChangesPaging(new URLSearchParams('sync=1&page=3')));
  assert.equal(rowsOf(third, 1), 50);
  assert.equal(rowsOf(third, 2), 1, 'the other syncs show their first page');
  const past = renderChanges(ctx, parseChangesPaging(new URLSearchParams('sync=1&page=9')));
  assert.match(past, /Page 9 is past the last page \(3\)/);
});

test('/changes and /api/changes gather the history once per catalog, and answer as changesBySync', () => {
  renderChanges(ctx, parseChangesPaging(new URLSearchParams()));
  assert.ok(perCatalogMemory(ctx.store).keys.includes('changes by sync'), 'kept with the catalog, not gathered per request');
  for (const limit of [1, 100, 500]) assert.deepEqual(catalogChangesUpTo(ctx.store, limit), changesBySync(rules, limit), `limit ${limit}`);
});
