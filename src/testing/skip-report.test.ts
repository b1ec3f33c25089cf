import assert from 'node:assert/strict';
import { test } from 'node:test';
import { skipReport } from './skip-report.js';

async function* events(
  ...list: { type: string; data: { name: string; file?: string; skip?: string | boolean; details?: { type?: string } } }[]
) {
  for (const e of await Promise.resolve(list)) yield e;
}

const run = async (ci: boolean, ...list: Parameters<typeof events>) => {
  let failed = false;
  let out = '';
  for await (const chunk of skipReport(events(...list), ci, () => (failed = true))) out += chunk;
  return { out, failed };
};

const skippedSuite = {
  type: 'test:pass',
  data: { name: 'browser: the real corpus', file: 'dist/web/browser.test.js', skip: 'no browser', details: { type: 'suite' } },
};
const skippedTest = { type: 'test:pass', data: { name: 'a corpus rule', file: 'dist/x.test.js', skip: true, details: { type: 'test' } } };
const osSkip = {
  type: 'test:pass',
  data: { name: 'reads /proc', file: 'dist/y.test.js', skip: 'not here: reads /proc', details: { type: 'test' } },
};
const passed = { type: 'test:pass', data: { name: 'ok', file: 'dist/z.test.js', details: { type: 'test' } } };

test('names every skipped suite and test with its reason and file', async () => {
  const { out, failed } = await run(false, skippedSuite, skippedTest, passed);
  assert.match(out, /SKIPPED, NOT RUN: 1 suite \(with every test in them\) and 1 test/);
  assert.match(out, /suite "browser: the real corpus" \(dist\/web\/browser\.test\.js\): no browser/);
  assert.match(out, /test "a corpus rule" \(dist\/x\.test\.js\): no reason given/);
  assert.doesNotMatch(out, /"ok"/);
  assert.equal(failed, false, 'outside CI a skip is reported, not a failure');
});

test('says nothing when nothing was skipped', async () => {
  assert.deepEqual(await run(true, passed), { out: '', failed: false });
});

test('under CI a skip fails the run, unless the test does not apply here', async () => {
  assert.equal((await run(true, skippedSuite, passed)).failed, true);
  const os = await run(true, osSkip, passed);
  assert.equal(os.failed, false);
  assert.match(os.out, /not here: reads \/proc/);
  // Nothing to install when every skip is one that does not apply here.
  assert.match(os.out, /nothing is missing/);
  assert.doesNotMatch(os.out, /Install what they need/);
  assert.match((await run(false, skippedSuite, osSkip)).out, /Install what they need/);
});
