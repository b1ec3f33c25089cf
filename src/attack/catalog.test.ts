import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AttackCatalog, notInBundle, type StixObject } from './catalog.js';

const ref = (id: string) => [{ source_name: 'mitre-attack', external_id: id }];
const objects: StixObject[] = [
  {
    type: 'x-mitre-tactic',
    id: 't-pe',
    name: 'Privilege Escalation',
    x_mitre_shortname: 'privilege-escalation',
    external_references: ref('TA0004'),
  },
  { type: 'x-mitre-tactic', id: 't-de', name: 'Defense Evasion', x_mitre_shortname: 'defense-evasion', external_references: ref('TA0005') },
  { type: 'x-mitre-matrix', id: 'm', tactic_refs: ['t-pe', 't-de'] },
  {
    type: 'attack-pattern',
    id: 'a1',
    name: 'Access Token Manipulation',
    external_references: ref('T1134'),
    kill_chain_phases: [
      { kill_chain_name: 'mitre-attack', phase_name: 'defense-evasion' },
      { kill_chain_name: 'mitre-attack', phase_name: 'privilege-escalation' },
    ],
  },
  {
    type: 'attack-pattern',
    id: 'a2',
    name: 'Make and Impersonate Token',
    external_references: ref('T1134.003'),
    kill_chain_phases: [
      { kill_chain_name: 'mitre-attack', phase_name: 'defense-evasion' },
      { kill_chain_name: 'mitre-attack', phase_name: 'privilege-escalation' },
    ],
  },
  { type: 'attack-pattern', id: 'old', name: 'Old name', revoked: true, external_references: ref('T1134.003') },
];

test('tactic spellings normalise to TA ids', () => {
  const c = AttackCatalog.fromObjects(objects);
  for (const s of ['PrivilegeEscalation', 'Privilege Escalation', 'privilege-escalation', 'TA0004', 'ta0004'])
    assert.equal(c.tacticId(s), 'TA0004');
  assert.equal(c.tacticId('Nonsense'), undefined);
});

test('sub-techniques carry their parent name; the live object wins over a revoked one', () => {
  const c = AttackCatalog.fromObjects(objects);
  assert.equal(c.technique('T1134.003')?.name, 'Access Token Manipulation: Make and Impersonate Token');
});

test('techniques are placed under the rule tactics they belong to', () => {
  const c = AttackCatalog.fromObjects(objects);
  const cov = c.coverage({ tactics: ['PrivilegeEscalation'], techniques: ['T1134', 'T1134.003'] });
  assert.deepEqual(cov.tactics, [{ id: 'TA0004', name: 'Privilege Escalation' }]);
  assert.deepEqual(cov.techniques, [
    { id: 'T1134', name: 'Access Token Manipulation', tactics: ['TA0004'] },
    { id: 'T1134.003', name: 'Access Token Manipulation: Make and Impersonate Token', tactics: ['TA0004'] },
  ]);
});

test('explicit pairs win; unknown ids say they are not in the bundle; malformed ids are dropped', () => {
  const c = AttackCatalog.fromObjects(objects);
  const cov = c.coverage({
    tactics: ['TA0005'],
    techniques: ['T1134', 'T9999', 'not-a-technique'],
    techniqueTactics: { T1134: ['TA0004'] },
  });
  assert.deepEqual(cov.techniques, [
    { id: 'T1134', name: 'Access Token Manipulation', tactics: ['TA0004'] },
    { id: 'T9999', name: notInBundle, tactics: ['TA0005'] },
  ]);
  assert.deepEqual(
    cov.tactics.map((t) => t.id),
    ['TA0005', 'TA0004'],
  );
});

test('tactics the bundle does not know are kept as written, with a readable name', () => {
  const c = AttackCatalog.fromObjects(objects);
  assert.deepEqual(c.coverage({ tactics: ['lateral_movement_ish', 'TA0004'], techniques: [] }).tactics, [
    { id: 'lateral_movement_ish', name: 'Lateral Movement Ish' },
    { id: 'TA0004', name: 'Privilege Escalation' },
  ]);
});

test('a v18 bundle answers for v19: Stealth is TA0005, Defense Impairment follows it, its techniques have names', () => {
  const c = AttackCatalog.fromObjects(objects);
  assert.deepEqual(c.coverage({ tactics: ['stealth', 'defense-impairment', 'defense-evasion', 'TA0004'], techniques: [] }).tactics, [
    { id: 'TA0005', name: 'Stealth' },
    { id: 'TA0112', name: 'Defense Impairment' },
    { id: 'TA0004', name: 'Privilege Escalation' },
  ]);
  assert.deepEqual(
    c.allTactics().map((t) => t.id),
    ['TA0004', 'TA0005', 'TA0112'],
  );
  assert.equal(c.technique('T1685.005')?.name, 'Disable or Modify Tools: Clear Windows Event Logs');
  assert.deepEqual(c.technique('T1685.005')?.tactics, ['TA0112']);
  assert.ok(c.matrix().techniques.some((t) => t.id === 'T1685' && t.tactics.includes('TA0112')));
});

test('a technique v19 renumbered is found under both ids, whichever the rule wrote', () => {
  const c = AttackCatalog.fromObjects([
    ...objects,
    {
      type: 'attack-pattern',
      id: 'a3',
      name: 'Indicator Removal',
      external_references: ref('T1070'),
      kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'defense-evasion' }],
    },
    {
      type: 'attack-pattern',
      id: 'a4',
      name: 'Clear Windows Event Logs',
      external_references: ref('T1070.001'),
      kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'defense-evasion' }],
    },
  ]);
  const v19 = c.coverage({ tactics: ['defense-impairment'], techniques: ['T1685.005'] }).techniques;
  assert.deepEqual(v19, [
    { id: 'T1685.005', name: 'Disable or Modify Tools: Clear Windows Event Logs', tactics: ['TA0112'] },
    { id: 'T1070.001', name: 'Indicator Removal: Clear Windows Event Logs', tactics: ['TA0005'] },
  ]);
  const v18 = c.coverage({ tactics: ['defense-evasion'], techniques: ['t1070.001'] }).techniques;
  assert.deepEqual(
    v18.map((t) => [t.id, t.tactics]),
    [
      ['T1070.001', ['TA0005']],
      ['T1685.005', ['TA0112']],
    ],
  );
  // Written twice, listed once.
  assert.equal(c.coverage({ tactics: [], techniques: ['T1070.001', 'T1685.005'] }).techniques.length, 2);
});

test('without a bundle, ids only', () => {
  const cov = AttackCatalog.empty().coverage({ tactics: ['TA0006'], techniques: ['T1078.004'] });
  assert.deepEqual(cov, {
    tactics: [{ id: 'TA0006', name: 'TA0006' }],
    techniques: [{ id: 'T1078.004', name: 'T1078.004', tactics: ['TA0006'] }],
  });
});

const bundle = fileURLToPath(new URL('../../../shared/corpus/attack/enterprise-attack.json', import.meta.url));
test('the real enterprise bundle loads', { skip: !existsSync(bundle) && !process.env.CI && 'no ../shared corpus here' }, () => {
  const c = AttackCatalog.load(bundle);
  // v18.1 has 14 tactics; v19's Defense Impairment makes 15, right after Stealth.
  assert.equal(c.allTactics().length, 15);
  const ids = c.allTactics().map((t) => t.id);
  assert.equal(ids[ids.indexOf('TA0005') + 1], 'TA0112');
  assert.equal(c.tactic('TA0005').name, 'Stealth');
  assert.equal(c.tacticId('Defense Evasion'), 'TA0005');
  assert.equal(c.technique('T1562.001')?.name, 'Impair Defenses: Disable or Modify Tools');
  assert.equal(c.technique('T1685')?.name, 'Disable or Modify Tools');
  assert.equal(c.technique('T1134.003')?.name, 'Access Token Manipulation: Make and Impersonate Token');
  assert.equal(c.tacticId('CredentialAccess'), 'TA0006');
});

test('a catalog kept as plain data answers as the one read from the bundle', () => {
  const c = AttackCatalog.fromObjects(objects);
  const back = AttackCatalog.fromJSON(JSON.parse(JSON.stringify(c)));
  const raw = {
    tactics: ['Privilege Escalation', 'stealth'],
    techniques: ['T1134.003', 'T1078', 'T9999'],
    techniqueTactics: { T1078: ['initial-access'] },
  };
  assert.deepEqual(back.coverage(raw), c.coverage(raw));
  assert.deepEqual(back.matrix(), c.matrix());
  assert.equal(back.size, c.size);
  assert.ok(c.size > 0);
});

test('loadIfPresent keeps the names of a bundle in the cache folder and reads them from there next time', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ruleatlas-attack-'));
  const previous = process.env.RULEATLAS_CACHE_DIR;
  process.env.RULEATLAS_CACHE_DIR = join(dir, 'cache');
  try {
    const bundle = join(dir, 'bundle.json');
    writeFileSync(bundle, JSON.stringify({ objects }));
    const first = AttackCatalog.loadIfPresent(bundle);
    assert.equal(readdirSync(join(dir, 'cache')).length, 1);
    const second = AttackCatalog.loadIfPresent(bundle);
    assert.deepEqual(second.matrix(), first.matrix());
    assert.deepEqual(second.toJSON(), first.toJSON());
  } finally {
    if (previous === undefined) delete process.env.RULEATLAS_CACHE_DIR;
    else process.env.RULEATLAS_CACHE_DIR = previous;
    rmSync(dir, { recursive: true, force: true });
  }
});
