// Threat coverage over the coverage fixture: counts as the matrix counts, gaps first, shares, your rules, comparison.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { notInBundle } from '../attack/catalog.js';
import { matchingRules } from '../export/export.js';
import { parseExploreQuery } from '../explore/explore.js';
import type { Rule } from '../model/types.js';
import { fixtureSpec, fixtureThreats, openCoverageStore } from '../web/coverage-fixture.js';
import { fixtureRule } from '../web/fixture-catalog.js';
import { threatComparisonCsv, threatCsv } from './csv.js';
import { attackMatrix, type AttackMatrix, matrixIndex, type MatrixIndex } from './matrix.js';
import { threatLayer } from './threat-layer.js';
import { compareThreats, threatCoverages } from './threats.js';

let fixture: ReturnType<typeof openCoverageStore>;
let rules: Rule[];
let index: MatrixIndex;
let matrix: AttackMatrix;
const [apt29, apt28] = fixtureThreats.groups;

before(() => {
  fixture = openCoverageStore();
  // What the matrix page shows by default: Explore's rules (newest copies, nothing removed).
  rules = matchingRules(fixture.store, parseExploreQuery(new URLSearchParams()));
  // A rule naming a sub-technique alone: its parent's count takes it in (the fixture's rules name both).
  rules.push(
    fixtureRule({
      nativeId: 'powershell-only',
      platform: 'sigma',
      attack: {
        tactics: [{ id: 'TA0002', name: 'Execution' }],
        techniques: [{ id: 'T1059.001', name: 'Command and Scripting Interpreter: PowerShell', tactics: ['TA0002'] }],
      },
    }),
  );
  index = matrixIndex(rules, fixtureSpec);
  matrix = attackMatrix(rules, fixtureSpec, {}, index);
});
after(() => fixture.cleanup());

/** Every matrix cell of a technique (a parent's cell or a sub-technique's), in whichever column. */
function matrixCells(id: string) {
  return matrix.columns.flatMap((col) => col.techniques.flatMap((cell) => [cell, ...cell.subtechniques]).filter((c) => c.id === id));
}

test('per-platform counts agree with the matrix cells of the same techniques', () => {
  const [c] = threatCoverages([apt29!], rules, index, new Set());
  let compared = 0;
  for (const t of c!.techniques) {
    const cells = matrixCells(t.id).filter((cell) => cell.count > 0);
    if (cells.length === 1) {
      assert.deepEqual(t.rules, cells[0]!.byPlatform, t.id);
      assert.equal(t.total, cells[0]!.count, t.id);
      compared++;
    } else if (cells.length === 0) {
      assert.equal(t.total, 0, `${t.id}: no matrix cell has rules`);
    } else {
      // Under several tactics: each rule once, so at least the largest cell and at most their sum.
      assert.ok(t.total >= Math.max(...cells.map((x) => x.count)) && t.total <= cells.reduce((n, x) => n + x.count, 0), t.id);
    }
  }
  assert.ok(compared >= 4, `compared ${compared} techniques cell by cell`);
  const t1140 = c!.techniques.find((t) => t.id === 'T1140')!;
  assert.deepEqual(t1140.rules, { sigma: 1, elastic: 1 });
});

test('a technique counts its sub-techniques rules; a sub-technique only its own', () => {
  const [software, campaign] = threatCoverages([fixtureThreats.software[0]!, fixtureThreats.campaigns[0]!], rules, index, new Set());
  const parent = matrixCells('T1059').find((c) => c.count > 0)!;
  assert.equal(software!.techniques[0]!.total, parent.count);
  assert.deepEqual(software!.techniques[0]!.rules, { sentinel: 1, sigma: 1 }, 'the xss rule on T1059, the PowerShell rule on T1059.001');
  const t1059001 = threatCoverages([apt28!], rules, index, new Set())[0]!.techniques.find((t) => t.id === 'T1059.001')!;
  assert.deepEqual(t1059001.rules, { sigma: 1 }, 'a sub-technique: only its own rules');
  assert.equal(campaign!.techniques[0]!.id, 'T1078.004');
  assert.equal(campaign!.techniques[0]!.total, matrixCells('T1078.004').find((c) => c.count > 0)!.own);
  const t1078 = threatCoverages([apt29!], rules, index, new Set())[0]!.techniques.find((t) => t.id === 'T1078')!;
  assert.ok(t1078.total >= campaign!.techniques[0]!.total, 'T1078 includes the rules of T1078.004');
});

test('gaps first, unknown techniques named as such, coverage shares per platform and for your rules', () => {
  const [c] = threatCoverages([apt29!], rules, index, new Set(['sigma']));
  const ids = c!.techniques.map((t) => t.id);
  assert.deepEqual(ids.slice(0, 2).sort(), ['T1003', 'T1999']);
  assert.ok(c!.techniques.slice(2).every((t) => t.total > 0));
  assert.equal(c!.techniques.find((t) => t.id === 'T1999')!.name, notInBundle);
  assert.equal(c!.techniques.find((t) => t.id === 'T1562.008')!.name, 'Impair Defenses: Disable or Modify Cloud Logs');
  assert.deepEqual(c!.techniques.find((t) => t.id === 'T1562.008')!.otherIds, ['T1685.002']);
  assert.equal(c!.anyCoverage, 0.6667);
  for (const [platform, share] of Object.entries(c!.coverage)) {
    const covered = c!.techniques.filter((t) => (t.rules[platform] ?? 0) > 0).length;
    assert.equal(share, Math.round((covered / 6) * 10000) / 10000, platform);
  }
  assert.equal(c!.coverage.sigma, 0.1667, 'sigma covers T1140 only');
  assert.equal(c!.coverage.sentinel, 0.3333, 'sentinel covers T1134 and T1562.008');
  assert.equal(c!.mineCoverage, 0.1667, 'your rules (the sigma source) cover T1140 only');
  assert.equal(threatCoverages([apt29!], rules, index, new Set())[0]!.mineCoverage, undefined);
});

test('compared: techniques used by all, shared gaps, every technique', () => {
  const each = threatCoverages([apt29!, apt28!], rules, index, new Set());
  const cmp = compareThreats(each);
  assert.deepEqual(cmp.shared.map((r) => r.id).sort(), ['T1003', 'T1140']);
  assert.deepEqual(
    cmp.sharedGaps.map((r) => r.id),
    ['T1003'],
  );
  assert.equal(cmp.all.length, 8);
  assert.match(threatComparisonCsv(cmp), /^technique,techniqueName,usedBy,rules\r\nT1003,/);
});

test('a Navigator 4.5 layer of the techniques scored by their rules, and the CSV', () => {
  const [c] = threatCoverages([apt29!], rules, index, new Set());
  const layer = threatLayer(c!);
  assert.deepEqual(layer.versions, { attack: '18', navigator: '4.5', layer: '4.5' });
  assert.equal(layer.domain, 'enterprise-attack');
  assert.deepEqual(
    layer.techniques.map((t) => [t.techniqueID, t.score]),
    c!.techniques.map((t) => [t.id, t.total]).sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
  );
  assert.ok(layer.techniques.every((t) => !('tactic' in t)));
  assert.match(layer.techniques.find((t) => t.techniqueID === 'T1003')!.comment, /^No rule covers this technique/);
  const csv = threatCsv(c!).split('\r\n');
  assert.equal(csv[0], `technique,techniqueName,tactics,otherVersionIds,rules,mineRules,${c!.platforms.join(',')},procedure`);
  assert.equal(csv.length - 2, c!.techniques.length);
});
