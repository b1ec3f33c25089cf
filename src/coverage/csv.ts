// CSV of the coverage views (RFC 4180, formula-safe cells as in export/csv).
import { notInBundle } from '../attack/catalog.js';
import { csvCell } from '../export/csv.js';
import type { PlatformComparison } from './compare.js';
import type { CveCoverage, CveSummary } from './cves.js';
import type { DataComponentCoverage } from './data-components.js';
import type { IndicatorCoverage } from './indicators.js';
import type { AttackMatrix } from './matrix.js';
import type { ProviderCoverage, ProviderSummary } from './providers.js';
import type { ThreatReportCoverage } from './threat-report.js';
import type { ThreatComparison, ThreatCoverage } from './threats.js';
import type { Visibility } from './visibility.js';

function table(rows: readonly (readonly (string | number)[])[]): string {
  return rows.map((cells) => `${cells.map((c) => csvCell(String(c))).join(',')}\r\n`).join('');
}

const platformCells = (byPlatform: Record<string, number>, platforms: readonly string[]) => platforms.map((p) => byPlatform[p] ?? 0);
const platformList = (byPlatform: Record<string, number>) =>
  Object.entries(byPlatform)
    .map(([p, n]) => `${p}:${n}`)
    .join(';');

/** One row per technique and sub-technique under each tactic; a column per platform. */
export function matrixCsv(m: AttackMatrix): string {
  const rows: (string | number)[][] = [
    ['tactic', 'tacticName', 'technique', 'techniqueName', 'parent', 'rules', 'ownRules', ...m.platforms],
  ];
  for (const col of m.columns) {
    for (const cell of col.techniques) {
      rows.push([col.id, col.name, cell.id, cell.name, '', cell.count, cell.own, ...platformCells(cell.byPlatform, m.platforms)]);
      for (const sub of cell.subtechniques)
        rows.push([col.id, col.name, sub.id, sub.name, cell.id, sub.count, sub.own, ...platformCells(sub.byPlatform, m.platforms)]);
    }
  }
  return table(rows);
}

export function providersCsv(index: readonly ProviderSummary[], platforms: readonly string[]): string {
  return table([
    ['provider', 'name', 'rules', 'events', ...platforms],
    ...index.map((p) => [p.id, p.name, p.rules, p.events, ...platformCells(p.byPlatform, platforms)]),
  ]);
}

export function providerCsv(p: ProviderCoverage): string {
  return table([
    ['provider', 'event', 'rules', ...p.platforms, 'missing'],
    ...p.events.map((e) => [p.id, e.event, e.count, ...platformCells(e.byPlatform, p.platforms), e.missing.join(';')]),
  ]);
}

export function indicatorsCsv(c: IndicatorCoverage): string {
  const rows: (string | number)[][] = [['field', 'op', 'negated', 'value', 'rules', 'platforms', 'canonical']];
  for (const f of c.fields)
    for (const i of f.indicators)
      rows.push([
        i.field,
        i.op,
        i.negated ? 'true' : 'false',
        i.value,
        i.count,
        platformList(i.byPlatform),
        c.canonical ? 'true' : 'false',
      ]);
  return table(rows);
}

export function compareCsv(c: PlatformComparison): string {
  const rows: (string | number)[][] = [['kind', 'side', 'key', 'label', c.a, c.b]];
  for (const [kind, s] of [
    ['technique', c.techniques],
    ['event', c.events],
    ['indicator', c.indicators],
  ] as const) {
    for (const side of ['onlyA', 'onlyB', 'shared'] as const) for (const i of s[side]) rows.push([kind, side, i.key, i.label, i.a, i.b]);
  }
  return table(rows);
}

/** A group's, campaign's or software's techniques: a row each, gaps first, a column per platform. */
export function threatCsv(c: ThreatCoverage): string {
  const rows: (string | number)[][] = [
    ['technique', 'techniqueName', 'tactics', 'otherVersionIds', 'rules', 'mineRules', ...c.platforms, 'procedure'],
  ];
  for (const t of c.techniques)
    rows.push([
      t.id,
      t.name,
      t.tactics.join(';'),
      t.otherIds.join(';'),
      t.total,
      t.mine,
      ...platformCells(t.rules, c.platforms),
      t.procedure,
    ]);
  return table(rows);
}

/** The list of groups, campaigns or software with their coverage. */
export function threatIndexCsv(rows: readonly ThreatCoverage[]): string {
  return table([
    ['id', 'name', 'aliases', 'techniques', 'covered', 'coverage', 'mineCoverage'],
    ...rows.map((c) => [
      c.id,
      c.name,
      c.aliases.join(';'),
      c.techniques.length,
      c.techniques.filter((t) => t.total > 0).length,
      c.anyCoverage,
      c.mineCoverage ?? '',
    ]),
  ]);
}

/** Compared threats: every technique any of them uses, who uses it, its rules. */
export function threatComparisonCsv(c: ThreatComparison): string {
  return table([['technique', 'techniqueName', 'usedBy', 'rules'], ...c.all.map((r) => [r.id, r.name, r.usedBy.join(';'), r.total])]);
}

/** The rules naming a CVE. */
export function cveCsv(c: CveCoverage): string {
  return table([
    ['cve', 'rule', 'name', 'platform', 'severity', 'where'],
    ...c.ruleList.map((r) => [c.id, r.id, r.name, r.platform, r.severity, r.where.join(';')]),
  ]);
}

/** Every CVE the rules name. */
export function cveIndexCsv(rows: readonly CveSummary[]): string {
  return table([['cve', 'rules', 'platforms'], ...rows.map((r) => [r.id, r.rules, platformList(r.byPlatform)])]);
}

/** Visibility: each technique with its state (visible, blind, unsure), rules, runnable rules and the providers it misses. */
export function visibilityCsv(v: Visibility): string {
  const rows: (string | number)[][] = [['technique', 'techniqueName', 'state', 'rules', 'runnableRules', 'missingProviders']];
  for (const [state, list] of [
    ['visible', v.visible],
    ['blind', v.blind],
    ['unsure', v.unsure],
  ] as const)
    for (const t of list) rows.push([t.id, t.name, state, t.rules, t.runnable, t.missing.join(';')]);
  return table(rows);
}

/**
 * What a threat report names, one row each: techniques (gaps first, then those the loaded ATT&CK lacks) and
 * CVEs with their rules per platform; groups, campaigns and software with their techniques and coverage per platform.
 */
export function threatReportCsv(r: ThreatReportCoverage): string {
  const rows: (string | number)[][] = [
    [
      'kind',
      'id',
      'name',
      'state',
      'mentionedAs',
      'tactics',
      'rules',
      'techniques',
      'coveredTechniques',
      'coverage',
      'coverageByPlatform',
      ...r.platforms,
    ],
  ];
  const state = (covered: boolean) => (covered ? 'covered' : 'gap');
  for (const t of [...r.techniques].sort((a, b) => Number(a.total > 0) - Number(b.total > 0)))
    rows.push([
      'technique',
      t.id,
      t.name,
      state(t.total > 0),
      '',
      t.tactics.join(';'),
      t.total,
      '',
      '',
      '',
      '',
      ...platformCells(t.rules, r.platforms),
    ]);
  for (const id of r.unknownTechniques)
    rows.push(['technique', id, notInBundle, 'unknown', '', '', '', '', '', '', '', ...r.platforms.map(() => '')]);
  for (const e of r.entities)
    rows.push([
      e.kind,
      e.id,
      e.name,
      !e.techniques ? '' : e.covered === e.techniques ? 'covered' : e.covered ? 'partial' : 'gap',
      e.as.join(';'),
      '',
      '',
      e.techniques,
      e.covered,
      e.anyCoverage,
      platformList(e.coverage),
      ...r.platforms.map(() => ''),
    ]);
  for (const c of r.cves)
    rows.push(['cve', c.id, '', state(c.rules > 0), '', '', c.rules, '', '', '', '', ...platformCells(c.byPlatform, r.platforms)]);
  return table(rows);
}

const countedCells = (list: readonly { value: string; rules: number }[]) => list.map((c) => `${c.value}:${c.rules}`).join(';');

/** One row per ATT&CK data component: the rules consuming it, per platform, the events they watch and what they read. */
export function dataComponentIndexCsv(rows: readonly DataComponentCoverage[]): string {
  return table([
    ['component', 'name', 'rules', 'platforms', 'events', 'reads', 'providers'],
    ...rows.map((c) => [
      c.id,
      c.name,
      c.rules,
      platformList(c.byPlatform),
      countedCells(c.events),
      countedCells(c.reads),
      c.providers.join(';'),
    ]),
  ]);
}

/** One data component: a row per platform's event or log source read, then one per technique its rules detect. */
export function dataComponentCsv(c: DataComponentCoverage): string {
  const rows: (string | number)[][] = [['kind', 'platform', 'value', 'name', 'rules']];
  for (const p of c.platforms) {
    for (const e of p.events) rows.push(['event', p.platform, e.value, '', e.rules]);
    for (const s of p.reads) rows.push(['reads', p.platform, s.value, '', s.rules]);
  }
  for (const t of c.techniques) rows.push(['technique', '', t.id, t.name, t.rules]);
  return table(rows);
}
