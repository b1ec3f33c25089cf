import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeRule } from '../model/rule-factory.js';
import type { BuildReport } from '../report/report.js';
import { publicUrl } from '../sync/sync.js';
import { upstreamOf } from './upstream.js';

const commit = '0123456789abcdef0123456789abcdef01234567';
const report = (url: string | undefined, kind: 'git' | 'dir' = 'git') =>
  ({ sync: { sources: [{ name: 'up', kind, url, ok: true, commit }] } }) as unknown as BuildReport;
const rule = makeRule({
  nativeId: 'r',
  sourceName: 'up',
  path: 'rules/okta/a b.yml',
  history: [{ change: 'added', commit: 'fedcba9876543210fedcba9876543210fedcba98', date: '2026-01-01', sync: 1 }],
});

test("a git source's rule links its file at the commit it was read at", () => {
  assert.deepEqual(upstreamOf(rule, report('https://github.com/SigmaHQ/sigma.git')), {
    href: 'https://github.com/SigmaHQ/sigma/blob/fedcba9876543210fedcba9876543210fedcba98/rules/okta/a%20b.yml',
    repository: 'https://github.com/SigmaHQ/sigma',
    commit: 'fedcba9876543210fedcba9876543210fedcba98',
    path: 'rules/okta/a b.yml',
  });
  // Another host: the repository and commit, no guessed file URL.
  assert.equal(upstreamOf(rule, report('https://git.example.com/rules.git'))?.href, undefined);
  // Folder sources and URLs that are not http(s) have none.
  assert.equal(upstreamOf(rule, report(undefined, 'dir')), undefined);
  assert.equal(upstreamOf(rule, report('file:///srv/rules.git')), undefined);
  assert.equal(upstreamOf(rule, { sync: undefined } as unknown as BuildReport), undefined);
});

test('the report keeps a git URL without credentials, query or fragment; http(s) only', () => {
  assert.equal(publicUrl('https://user:ghp_secret@github.com/o/r.git?x=1#y'), 'https://github.com/o/r.git');
  assert.equal(publicUrl('git@github.com:o/r.git'), undefined);
  assert.equal(publicUrl('file:///srv/r.git'), undefined);
});
