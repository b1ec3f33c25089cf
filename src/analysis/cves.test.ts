import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureRule } from '../web/fixture-catalog.js';
import { cveIds, ruleCves, ruleCveSources } from './cves.js';

test('CVE ids as rules write them, normalised', () => {
  assert.deepEqual(cveIds('cve.2021-44228 and CVE-2023-4966, CVE_2019_0708; cve.2021.26855'), [
    'CVE-2021-44228',
    'CVE-2023-4966',
    'CVE-2019-0708',
    'CVE-2021-26855',
  ]);
  assert.deepEqual(cveIds('https://example.com/blog/exploiting-cve-2025-53770-sharepoint/'), ['CVE-2025-53770']);
  assert.deepEqual(cveIds('CVE-2021-44228 again: CVE-2021-44228'), ['CVE-2021-44228']);
});

test('not fooled by ids inside words or numbers', () => {
  for (const text of [
    'XCVE-2021-1234',
    'PCVE_2021_44228',
    'CVE-2021-12345678',
    'CVE-2021-1234x',
    'CVE-2021-123',
    'CVE-1899-1234',
    'xcve.2021-44228',
    'CVE-2021-44228a',
  ])
    assert.deepEqual(cveIds(text), [], text);
  assert.deepEqual(cveIds('(CVE-2021-44228)'), ['CVE-2021-44228']);
});

test('a rule: tags, name, description, references and query values, with where each was found', () => {
  const rule = fixtureRule({
    nativeId: 'cve-rule',
    name: 'Exploit of CVE-2023-4966',
    description: 'Citrix Bleed, see also cve-2023-4967.',
    tags: ['attack.initial-access', 'cve.2023-4966'],
    references: ['https://example.com/cve_2019_0708_bluekeep'],
    indicators: [{ field: 'url', op: 'contains', value: '/CVE-2021-44228/', negated: false, caseSensitive: false, corpusCount: 1 }],
  });
  assert.deepEqual(ruleCves(rule), ['CVE-2019-0708', 'CVE-2021-44228', 'CVE-2023-4966', 'CVE-2023-4967']);
  assert.deepEqual(ruleCveSources(rule).get('CVE-2023-4966'), ['tag', 'name']);
  assert.deepEqual(ruleCveSources(rule).get('CVE-2021-44228'), ['query']);
});
