// A threat report's text against the coverage fixture: what it mentions, with the rules behind each, and what
// is no mention (ids inside words, names inside words, short names in another case).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { catalogMatrix } from './catalog-matrix.js';
import { openCoverageStore, fixtureThreats } from '../web/coverage-fixture.js';
import { techniqueCounts } from './matrix.js';
import { threatReportCoverage } from './threat-report.js';

let fixture: ReturnType<typeof openCoverageStore>;
before(() => (fixture = openCoverageStore()));
after(() => fixture.cleanup());

const report = (text: string, threats = fixtureThreats) =>
  threatReportCoverage(text, fixture.store.rules, catalogMatrix(fixture.store), threats, fixture.store.mine);

test('techniques, actors, campaigns, software and CVEs a report names, each with the rules covering it', () => {
  const text = [
    'Cozy  Bear (APT29) returned in 2025. The intrusion began with T1078.004 and T1134, then T1003 "credential dumping";',
    "they staged Cobalt Strike's beacons, exploited cve-2021-44228 and CVE_2020_0001, and repeated T1134.",
    'See also campaign C0024 and T1999.',
  ].join('\n');
  const r = report(text);
  assert.deepEqual(
    r.techniques.map((t) => t.id),
    ['T1078.004', 'T1134', 'T1003'],
    'in order of first mention, each once',
  );
  const index = catalogMatrix(fixture.store);
  const counts = techniqueCounts(fixture.store.rules, ['T1078.004', 'T1134', 'T1003'], index);
  for (const t of r.techniques) {
    assert.equal(t.total, counts.get(t.id)!.total, t.id);
    assert.deepEqual(t.rules, counts.get(t.id)!.byPlatform, t.id);
  }
  assert.ok(r.techniques.find((t) => t.id === 'T1134')!.total > 0);
  assert.deepEqual(r.gaps, ['T1003']);
  assert.deepEqual(r.unknownTechniques, ['T1999'], 'named, but not in the loaded ATT&CK');
  assert.deepEqual(
    r.entities.map((e) => [e.id, e.as.sort()]),
    [
      ['G0016', ['APT29', 'Cozy Bear']],
      ['S0154', ['Cobalt Strike']],
      ['C0024', ['C0024']],
    ],
    'in order of first mention',
  );
  const apt29 = r.entities[0]!;
  assert.equal(apt29.techniques, fixtureThreats.groups[0]!.techniques.length);
  assert.ok(apt29.gaps.some((g) => g.id === 'T1003'));
  assert.deepEqual(
    r.cves.map((c) => c.id),
    ['CVE-2021-44228', 'CVE-2020-0001'],
  );
  assert.ok(r.cves[0]!.rules > 0, 'the fixture has rules naming Log4Shell');
  assert.equal(r.cves[1]!.rules, 0);
});

test('no mention inside a word, a longer number, or a short name in another case', () => {
  const net = { kind: 'software' as const, id: 'S0039', name: 'Net', aliases: [], description: '', techniques: [], related: [] };
  const threats = { ...fixtureThreats, software: [...fixtureThreats.software, net] };
  const r = report('XT1059 T10590 T1059.0012 aT1134 CVE-2021-44228x G00160 APT290 Cozy Bearing cozy-bear-ish the net income', threats);
  assert.deepEqual(r.techniques, []);
  assert.deepEqual(r.unknownTechniques, []);
  assert.deepEqual(r.cves, []);
  assert.deepEqual(r.entities, [], JSON.stringify(r.entities));
  // A long name in any case; a short one only as ATT&CK writes it.
  assert.deepEqual(
    report('apt29 used Net to list shares', threats).entities.map((e) => [e.id, [...e.as]]),
    [
      ['G0016', ['apt29']],
      ['S0039', ['Net']],
    ],
  );
});

test('a long report is read up to its limit and says so; hostile runs of punctuation stay linear', () => {
  const long = `${'('.repeat(600_000)}x${')'.repeat(600_000)} T1134`;
  const started = performance.now();
  const r = report(long);
  assert.ok(performance.now() - started < 20_000, 'no quadratic scan');
  assert.equal(r.truncated, true);
  assert.equal(r.read, 1_000_000);
  assert.deepEqual(r.techniques, [], 'T1134 lies beyond the limit');
});
