// The fault corpus (test/fault: small hostile files, and large ones generated here) built in one
// catalog: each file gets its rules or one report entry naming it and why, the build ends in
// bounded time and writes a catalog, and the good rule beside them is built.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadYaml } from '../formats/yaml.js';
import { markdownBlocks, sigmaValueList, yaralRules } from './generate.js';

const bin = fileURLToPath(new URL('../../bin/ruleatlas.js', import.meta.url));
const faults = fileURLToPath(new URL('../../test/fault', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'ruleatlas-fault-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** A Sentinel rule around a KQL query. */
function sentinelRule(id: string, query: string): string {
  const body = query.replace(/\n/g, '\n  ');
  return `id: ${id}\nname: Generated ${id}\ndescription: Generated.\nseverity: Low\nkind: Scheduled\nquery: |\n  ${body}\nversion: 1.0.0\n`;
}

const blocks = 1_000;
const yaralCount = 1_000;

interface ExportedRule {
  id: string;
  path: string;
  events: { provider: string; event: string; via?: string }[];
  indicators: { value: string; corpusCount?: number }[];
  stages: { kind: string; condition?: { predicate?: { values?: unknown[] } } }[];
  diagnostics: { message: string; severity: string }[];
}

test('one hostile file never fails a build: each is reported by name, the rest are built', { timeout: 300_000 }, () => {
  const source = join(work, 'fault');
  cpSync(faults, source, { recursive: true });
  rmSync(join(source, 'README.md'));
  const valueList = sigmaValueList(80_000);
  writeFileSync(join(source, 'many-values.yml'), valueList);
  writeFileSync(join(source, 'many-queries.md'), markdownBlocks(blocks));
  writeFileSync(join(source, 'many-rules.yaral'), yaralRules(yaralCount));
  writeFileSync(
    join(source, 'nested.yaml'),
    sentinelRule('5c0f9a4e-0000-4000-8000-0000000000de', `T | where ${'('.repeat(20_000)}a${')'.repeat(20_000)}`),
  );
  writeFileSync(
    join(source, 'huge.yaml'),
    sentinelRule('5c0f9a4e-0000-4000-8000-0000000000b1', `T\n${'| where x == 1\n'.repeat(400_000)}`),
  );
  const db = join(work, 'catalog.db');

  const build = spawnSync(process.execPath, [bin, 'build', '--source', source, '--db', db, '--json'], {
    encoding: 'utf8',
    // Generous, against hangs only (a loaded CI machine): the figures are the benchmark's.
    env: { ...process.env, RULEATLAS_FILE_BUDGET_MS: '30000' },
    timeout: 240_000,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(build.error, undefined, `build within 240 s: ${build.stderr}`);
  assert.equal(build.status, 0, build.stderr);
  const report = JSON.parse(build.stdout) as {
    errors: { path: string; reason: string }[];
    files: number;
    timing: { budgetMs: number; analysed: number; slowest: { path: string; ms: number }; over: unknown[] };
  };
  // Every file was timed, and none took longer than its budget.
  assert.equal(report.timing.analysed, report.files);
  assert.equal(report.timing.budgetMs, 30_000);
  assert.deepEqual(report.timing.over, [], JSON.stringify(report.timing));
  assert.ok(report.timing.slowest.path.startsWith('fault/'));
  const reason = (path: string) => report.errors.find((e) => e.path === `fault/${path}`)?.reason;
  assert.match(reason('alias-bomb.yml') ?? '', /too many aliases/);
  assert.match(reason('alias-cycle.yml') ?? '', /alias refers to a collection that contains it/);
  assert.match(reason('huge.yaml') ?? '', /file too large to read \(\d+ bytes; limit 4194304\)/);
  assert.deepEqual(report.errors.map((e) => e.path).sort(), ['fault/alias-bomb.yml', 'fault/alias-cycle.yml', 'fault/huge.yaml']);

  const exported = spawnSync(process.execPath, [bin, 'export', '--db', db, '--format', 'json', '--duplicates'], {
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 512 * 1024 * 1024,
  });
  assert.equal(exported.status, 0, exported.stderr);
  const rules = JSON.parse(exported.stdout) as ExportedRule[];
  const byPath = (path: string) => rules.filter((r) => r.path === path);
  assert.equal(byPath('good.yml').length, 1);
  const [values] = byPath('many-values.yml');
  // Every distinct value of the list (YAML reads some as numbers: 0...10 is 10) is kept, and each
  // indicator got its corpus count, no other rule sharing it (its core, kept deflated through the pass, read back whole).
  const generated = (loadYaml(valueList) as { detection: { selection: Record<string, unknown[]> } }).detection.selection[
    'Hashes|contains'
  ]!;
  const listed = values?.stages.find((s) => s.kind === 'condition')?.condition?.predicate?.values ?? [];
  assert.deepEqual(new Set(listed.map(String)), new Set(generated.map(String)));
  assert.deepEqual(new Set(values?.indicators.map((i) => i.value)), new Set(listed.map(String)));
  assert.ok(values?.indicators.every((i) => i.corpusCount === 0));
  assert.equal(byPath('many-queries.md').length, blocks);
  assert.equal(byPath('many-rules.yaral').length, yaralCount);

  const [catastrophic] = byPath('catastrophic-regex.yml');
  assert.deepEqual(
    catastrophic?.events.filter((e) => e.via),
    [],
    'the long name does not end in zzz',
  );
  const [lookahead] = byPath('lookahead-regex.yml');
  assert.ok(lookahead?.diagnostics.some((d) => d.severity === 'warning' && /not matched against event names/.test(d.message)));
  const [nested] = byPath('nested.yaml');
  assert.ok(
    nested?.diagnostics.some((d) => /query too deeply nested to analyse/.test(d.message)),
    JSON.stringify(nested?.diagnostics),
  );
});

test('a file whose reading and analysis take longer than the budget is named in the report and the summary', { timeout: 120_000 }, () => {
  const source = join(work, 'budget');
  cpSync(join(faults, 'good.yml'), join(source, 'good.yml'));
  writeFileSync(join(source, 'many-values.yml'), sigmaValueList(20_000));
  const build = spawnSync(process.execPath, [bin, 'build', '--source', source, '--db', join(work, 'budget.db')], {
    encoding: 'utf8',
    env: { ...process.env, RULEATLAS_FILE_BUDGET_MS: '0' },
    timeout: 100_000,
  });
  assert.equal(build.status, 0, build.stderr);
  assert.match(build.stdout, /slowest file budget\/(many-values|good)\.yml: \d+ ms; 2 over the 0 ms budget per file/);
  assert.match(build.stdout, /over budget: budget\/good\.yml: \d+ ms/);
});
