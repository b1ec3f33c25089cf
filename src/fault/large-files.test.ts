// Large rule files are read in time linear in their size. Each check runs in a helper thread
// (bounded.ts) with a budget far above its time (about a second) and far below the time of the
// quadratic reading it replaced (minutes), so a regression fails instead of hanging the suite.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { callWithin } from './bounded.js';

const probes = new URL('./probes.js', import.meta.url);
const budgetMs = 60_000;

test('a Sigma list of 80,000 values is analysed (values de-duplicated by a set)', { timeout: budgetMs * 2 }, async () => {
  const outcome = await callWithin(probes, 'readGenerated', ['sigma', 80_000], budgetMs);
  assert.deepEqual(outcome, { kind: 'rules', rules: 1 });
});

test('a write-up of 20,000 KQL blocks under one platform line is read (no search from each block)', { timeout: budgetMs * 2 }, async () => {
  assert.equal(await callWithin(probes, 'rawRuleCount', ['markdown', 20_000], budgetMs), 20_000);
});

test('a .yaral file of 20,000 rules is read (no scan from the file start per rule)', { timeout: budgetMs * 2 }, async () => {
  assert.equal(await callWithin(probes, 'rawRuleCount', ['yaral', 20_000], budgetMs), 20_000);
});
