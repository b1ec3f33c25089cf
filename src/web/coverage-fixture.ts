// The web fixture plus what the coverage views need: canonical indicators shared across platforms,
// a Sigma rule, and a small ATT&CK layout kept in the catalog as a build keeps it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AttackMatrixSpec } from '../attack/catalog.js';
import type { AttackThreats } from '../attack/threats.js';
import { coreOf } from '../catalog/staged.js';
import type { Rule } from '../model/types.js';
import { CatalogStore } from '../store/read.js';
import { CatalogWriter } from '../store/writer.js';
import { fixtureReport, fixtureRule, fixtureRules, xss } from './fixture-catalog.js';

const certutil = { field: 'process.name', op: 'eq' as const, value: 'certutil.exe', negated: false, corpusCount: 2 };

/** Enterprise order, a few techniques; T1003 has no rule (a gap) and T1059.001 no rule either. */
export const fixtureSpec: AttackMatrixSpec = {
  tactics: [
    { id: 'TA0002', name: 'Execution' },
    { id: 'TA0004', name: 'Privilege Escalation' },
    { id: 'TA0005', name: 'Defense Evasion' },
    { id: 'TA0006', name: 'Credential Access' },
  ],
  techniques: [
    { id: 'T1003', name: 'OS Credential Dumping', tactics: ['TA0006'] },
    { id: 'T1059', name: 'Command and Scripting Interpreter', tactics: ['TA0002'] },
    { id: 'T1059.001', name: 'Command and Scripting Interpreter: PowerShell', tactics: ['TA0002'] },
    { id: 'T1078', name: 'Valid Accounts', tactics: ['TA0004', 'TA0005'] },
    { id: 'T1078.004', name: 'Valid Accounts: Cloud Accounts', tactics: ['TA0004', 'TA0005'] },
    { id: 'T1134', name: 'Access Token Manipulation', tactics: ['TA0004', 'TA0005'] },
    { id: 'T1134.003', name: 'Access Token Manipulation: Make and Impersonate Token', tactics: ['TA0004', 'TA0005'] },
    { id: 'T1562.008', name: 'Impair Defenses: Disable or Modify Cloud Logs', tactics: ['TA0005'] },
  ],
};

const certutilRule = (nativeId: string, platform: string, field: string, op: 'eq' | 'endswith', value: string, name: string): Rule =>
  fixtureRule({
    nativeId,
    platform,
    language: platform === 'sigma' ? 'sigma' : platform === 'elastic' ? 'kuery' : 'kql',
    name,
    severity: 'medium',
    indicators: [{ field, op, value, negated: false, caseSensitive: false, corpusCount: 1, canonical: certutil }],
    attack: {
      tactics: [{ id: 'TA0005', name: 'Defense Evasion' }],
      techniques: [{ id: 'T1140', name: 'Deobfuscate/Decode Files or Information', tactics: ['TA0005'] }],
    },
  });

function coverageRules(): Rule[] {
  const rules = fixtureRules();
  // The hostile rule's indicator gets a hostile canonical form too.
  const evil = rules.find((r) => r.nativeId === 'xss-rule')!;
  evil.indicators = evil.indicators.map((i) => ({
    ...i,
    canonical: { field: `process.command_line${xss}`, op: 'contains', value: xss, negated: false, corpusCount: 0 },
  }));
  return [
    ...rules,
    // CVEs as rules name them: a Sigma tag, a reference slug; an id inside a word is none.
    {
      ...certutilRule('certutil-sigma', 'sigma', 'Image', 'endswith', '\\certutil.exe', 'Certutil decode (Sigma)'),
      tags: ['cve.2021-44228'],
    },
    {
      ...certutilRule('certutil-elastic', 'elastic', 'process.name', 'eq', 'certutil.exe', 'Certutil decode (Elastic)'),
      description: 'Not XCVE-2020-1234.',
      references: ['https://example.com/exploiting-cve-2021-44228/'],
    },
  ];
}

const use = (id: string, procedure = '') => ({ id, procedure });
/**
 * Groups, a campaign and software over the fixture's techniques: covered on one platform or several, under one
 * tactic or two, gaps (T1003, T1059.001), ids the layout does not know (T1999, T1566), a hostile alias and text.
 */
export const fixtureThreats: AttackThreats = {
  groups: [
    {
      kind: 'group',
      id: 'G0016',
      name: 'APT29',
      aliases: ['Cozy Bear', `Evil ${xss}`],
      description: `A group. ${xss}`,
      techniques: [
        use('T1003', 'APT29 dumped credentials.'),
        use('T1078', 'APT29 used valid accounts.'),
        use('T1134'),
        use('T1140', `Decoded payloads ${xss}`),
        use('T1562.008', 'Stopped cloud logging.'),
        use('T1999'),
      ],
      related: ['C0024'],
    },
    {
      kind: 'group',
      id: 'G0007',
      name: 'APT28',
      aliases: ['Fancy Bear'],
      description: '',
      techniques: [use('T1003'), use('T1059.001'), use('T1140'), use('T1566')],
      related: [],
    },
  ],
  campaigns: [
    {
      kind: 'campaign',
      id: 'C0024',
      name: 'SolarWinds Compromise',
      aliases: [],
      description: '',
      techniques: [use('T1078.004')],
      related: ['G0016'],
    },
  ],
  software: [
    { kind: 'software', id: 'S0154', name: 'Cobalt Strike', aliases: [], description: '', techniques: [use('T1059')], related: [] },
  ],
  // Components whose log sources name the fixture rules' events (Okta's, CloudTrail's), one naming an event under a
  // log source of no known provider (consumed by no rule), and a hostile one.
  dataComponents: [
    {
      id: 'DC0002',
      name: 'User Account Authentication',
      logSources: [
        { name: 'saas:okta', channel: 'user.session.start, User.Session.Impersonation.Initiate' },
        { name: 'WinEventLog:Security', channel: 'EventCode=4624, 4625' },
      ],
    },
    {
      id: 'DC0061',
      name: 'Cloud Service Disable',
      logSources: [
        { name: 'AWS:CloudTrail', channel: 'StopLogging, DeleteTrail' },
        { name: 'NSM:Flow', channel: 'StopLogging' },
      ],
    },
    { id: 'DC0078', name: 'Network Traffic Flow', logSources: [{ name: 'NSM:Flow', channel: 'StopLogging' }] },
    { id: 'DC0099', name: `Hostile ${xss}`, logSources: [{ name: `WinEventLog:Security`, channel: `EventCode=4688 ${xss}` }] },
  ],
};

/** Write the coverage fixture (with the ATT&CK layout in meta unless `spec` is null, and `extra` rules) and open it. */
export function openCoverageStore(
  spec: AttackMatrixSpec | null = fixtureSpec,
  extra: readonly Rule[] = [],
): {
  store: CatalogStore;
  rules: Rule[];
  cleanup: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'ruleatlas-coverage-'));
  const db = join(dir, 'catalog.db');
  const rules = [...coverageRules(), ...extra];
  const writer = new CatalogWriter(db);
  for (const rule of rules) writer.add(rule);
  if (spec) writer.setMeta('attackMatrix', JSON.stringify(spec));
  if (spec) writer.setMeta('attackThreats', JSON.stringify(fixtureThreats));
  writer.finish(rules.map(coreOf), fixtureReport(rules));
  const store = CatalogStore.open(db);
  return {
    store,
    rules,
    cleanup() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
