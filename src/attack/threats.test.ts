import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { groupsFileName, hasThreats, loadThreatsIfPresent, plainText, threatsFromObjects } from './threats.js';

const ref = (id: string) => [{ source_name: 'mitre-attack', external_id: id }];
const uses = (id: string, source: string, target: string, description = '') => ({
  type: 'relationship',
  id,
  relationship_type: 'uses',
  source_ref: source,
  target_ref: target,
  description,
});
const techniques = [
  { type: 'attack-pattern', id: 'attack-pattern--a', name: 'PowerShell', external_references: ref('T1059.001') },
  { type: 'attack-pattern', id: 'attack-pattern--old', name: 'Old', revoked: true, external_references: ref('T1086') },
  { type: 'attack-pattern', id: 'attack-pattern--b', name: 'Valid Accounts', external_references: ref('T1078') },
  {
    type: 'relationship',
    id: 'r-rev',
    relationship_type: 'revoked-by',
    source_ref: 'attack-pattern--old',
    target_ref: 'attack-pattern--a',
  },
  {
    type: 'x-mitre-data-component',
    id: 'x-mitre-data-component--1',
    name: 'Process Creation',
    external_references: ref('DC0032'),
    x_mitre_log_sources: [{ name: 'WinEventLog:Security', channel: 'EventCode=4688' }],
  },
];
const groups = [
  {
    type: 'intrusion-set',
    id: 'intrusion-set--1',
    name: 'APT Test',
    aliases: ['APT Test', 'Test Bear'],
    description: '[APT Test](https://attack.mitre.org/groups/G9999) is a group.(Citation: Someone 2020)',
    external_references: ref('G9999'),
  },
  { type: 'intrusion-set', id: 'intrusion-set--gone', name: 'Gone', revoked: true, external_references: ref('G9998') },
  { type: 'campaign', id: 'campaign--1', name: 'Operation Test', external_references: ref('C9999') },
  { type: 'malware', id: 'malware--1', name: 'TestRAT', x_mitre_aliases: ['TestRAT', 'TRAT'], external_references: ref('S9999') },
  uses('r1', 'intrusion-set--1', 'attack-pattern--a', '[APT Test](https://attack.mitre.org/groups/G9999) ran scripts.(Citation: X)'),
  // A use of a revoked technique counts for its successor, once, procedures joined.
  uses('r2', 'intrusion-set--1', 'attack-pattern--old', 'It also used `powershell -enc`.'),
  uses('r3', 'campaign--1', 'attack-pattern--b'),
  uses('r4', 'intrusion-set--1', 'malware--1'),
  uses('r5', 'malware--1', 'attack-pattern--a', 'TestRAT can run PowerShell.'),
  uses('r6', 'intrusion-set--gone', 'attack-pattern--b'),
  { type: 'relationship', id: 'r7', relationship_type: 'attributed-to', source_ref: 'campaign--1', target_ref: 'intrusion-set--1' },
];

test('groups, campaigns and software with the techniques they use, revoked techniques followed', () => {
  const t = threatsFromObjects([...techniques, ...groups]);
  assert.deepEqual(
    t.groups.map((g) => g.id),
    ['G9999'],
    'a revoked group is left out',
  );
  const g = t.groups[0]!;
  assert.deepEqual(g.aliases, ['Test Bear']);
  assert.equal(g.description, 'APT Test is a group.');
  assert.deepEqual(g.techniques, [{ id: 'T1059.001', procedure: 'APT Test ran scripts.\nIt also used `powershell -enc`.' }]);
  assert.deepEqual(g.related.sort(), ['C9999', 'S9999']);
  assert.deepEqual(t.campaigns[0]!.techniques, [{ id: 'T1078', procedure: '' }]);
  assert.deepEqual(t.campaigns[0]!.related, ['G9999']);
  assert.deepEqual(t.software[0]!.aliases, ['TRAT']);
  assert.deepEqual(
    t.software[0]!.techniques.map((x) => x.id),
    ['T1059.001'],
  );
  assert.deepEqual(t.dataComponents, [
    { id: 'DC0032', name: 'Process Creation', logSources: [{ name: 'WinEventLog:Security', channel: 'EventCode=4688' }] },
  ]);
});

test('plain text: link texts stay, citations go', () => {
  assert.equal(plainText('[Cobalt Strike](https://x/S0154) dumps.(Citation: A B)(Citation: C)'), 'Cobalt Strike dumps.');
});

test('the groups file beside a bundle is read with it, and kept in the cache folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ruleatlas-threats-'));
  const previous = process.env.RULEATLAS_CACHE_DIR;
  process.env.RULEATLAS_CACHE_DIR = join(dir, 'cache');
  try {
    const bundle = join(dir, 'enterprise-attack.json');
    writeFileSync(bundle, JSON.stringify({ objects: techniques }));
    const alone = loadThreatsIfPresent(bundle);
    assert.equal(alone?.groups.length, 0);
    writeFileSync(join(dir, groupsFileName), JSON.stringify({ objects: groups }));
    const both = loadThreatsIfPresent(bundle);
    assert.equal(both?.groups[0]?.techniques[0]?.id, 'T1059.001');
    assert.deepEqual(loadThreatsIfPresent(bundle), both);
    assert.equal(hasThreats(both), true);
    assert.equal(loadThreatsIfPresent(join(dir, 'missing.json')), undefined);
  } finally {
    if (previous === undefined) delete process.env.RULEATLAS_CACHE_DIR;
    else process.env.RULEATLAS_CACHE_DIR = previous;
    rmSync(dir, { recursive: true, force: true });
  }
});

const bundle = fileURLToPath(new URL('../../../shared/corpus/attack/enterprise-attack.json', import.meta.url));
test('the shared corpus: APT29 and its campaigns', { skip: !existsSync(bundle) && !process.env.CI && 'no ../shared corpus here' }, () => {
  const t = loadThreatsIfPresent(bundle)!;
  const apt29 = t.groups.find((g) => g.id === 'G0016')!;
  assert.equal(apt29.name, 'APT29');
  assert.ok(apt29.aliases.includes('Cozy Bear'));
  assert.ok(apt29.techniques.length > 40);
  assert.ok(apt29.techniques.every((u) => /^T\d{4}(\.\d{3})?$/.test(u.id)));
  assert.ok(apt29.related.includes('C0024'), 'SolarWinds Compromise is attributed to APT29');
  assert.ok(t.campaigns.length > 40);
  assert.ok(t.dataComponents.some((d) => d.logSources.length > 0));
});
