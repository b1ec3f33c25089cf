import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeReport, type ReportInput } from './report.js';

type ReportRule = ReportInput['rules'][number];

function rule(id: string, platform: string, language: string, extra: Partial<ReportRule> = {}): ReportRule {
  return { id, path: `${id}.yaml`, platform, language, parsed: true, ...extra };
}

function input(rules: ReportRule[]): ReportInput {
  return {
    rules,
    files: 9,
    millis: 1234.56,
    errors: [{ path: 'broken.yaml', reason: 'bad YAML' }],
    skipped: [{ path: 'README.md', reason: 'not a rule file' }],
  };
}

test('counts rules per language (parsed, failed, not analysed) and per platform', () => {
  const report = makeReport(
    input([
      rule('a', 'sentinel', 'kql'),
      rule('b', 'sentinel', 'kql', { parsed: false }),
      rule('c', 'elastic', 'eql'),
      rule('d', 'elastic', 'kuery'),
      rule('e', 'elastic', 'painless'),
      rule('f', 'elastic', 'none'),
    ]),
  );
  assert.deepEqual(report.languages, {
    kql: { rules: 2, parsed: 1, failed: 1, notAnalysed: 0 },
    eql: { rules: 1, parsed: 1, failed: 0, notAnalysed: 0 },
    kuery: { rules: 1, parsed: 1, failed: 0, notAnalysed: 0 },
    // A language the registry does not analyse is counted, neither parsed nor failed.
    painless: { rules: 1, parsed: 0, failed: 0, notAnalysed: 1 },
  });
  // Rules without a query (`none`) count on their platform only.
  assert.deepEqual(report.platforms, {
    sentinel: { rules: 2, languages: { kql: 2 } },
    elastic: { rules: 4, languages: { eql: 1, kuery: 1, painless: 1, none: 1 } },
  });
  assert.equal(report.rules, 6);
});

test('lists every query that did not parse with its first error and position', () => {
  const report = makeReport(
    input([
      rule('a', 'sentinel', 'kql', {
        parsed: false,
        firstError: { message: 'Expected: )', severity: 'error', scope: 'query', line: 3, column: 7 },
      }),
      rule('b', 'sigma', 'sigma', { parsed: false }),
      rule('c', 'elastic', 'painless', { parsed: false }),
    ]),
  );
  assert.deepEqual(report.failures, [
    { id: 'a', path: 'a.yaml', language: 'kql', reason: 'Expected: )', line: 3, column: 7 },
    { id: 'b', path: 'b.yaml', language: 'sigma', reason: 'the query did not parse', line: undefined, column: undefined },
  ]);
});

test('counts older copies of repeated rules, and carries files, errors, skipped and the time over', () => {
  const report = makeReport(
    input([
      rule('a', 'sentinel', 'kql', { duplicates: { others: ['a@1'], newest: true } }),
      rule('a@1', 'sentinel', 'kql', { duplicates: { others: ['a'], newest: false } }),
      rule('b', 'sentinel', 'kql'),
    ]),
  );
  assert.equal(report.duplicates, 1);
  assert.equal(report.files, 9);
  assert.equal(report.millis, 1235);
  assert.deepEqual(report.errors, [{ path: 'broken.yaml', reason: 'bad YAML' }]);
  assert.deepEqual(report.skipped, [{ path: 'README.md', reason: 'not a rule file' }]);
  assert.ok(!Number.isNaN(Date.parse(report.builtAt)));
  assert.equal(report.sync, undefined);
});

test('an empty build reports zeros, not missing members', () => {
  const report = makeReport({ rules: [], files: 0, millis: 0, errors: [], skipped: [] });
  assert.deepEqual(
    { ...report, builtAt: '' },
    { builtAt: '', millis: 0, files: 0, rules: 0, languages: {}, platforms: {}, errors: [], failures: [], skipped: [], duplicates: 0 },
  );
});
