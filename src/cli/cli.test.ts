import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { main } from './main.js';
import { captureOutput } from './capture-output.js';

const examples = fileURLToPath(new URL('../../examples/rules', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'ruleatlas-cli-'));
after(() => rmSync(work, { recursive: true, force: true }));

async function run(...argv: string[]) {
  const io = captureOutput();
  const code = await main(argv, io);
  return { code, ...io };
}

// --help of every command: help.test.ts.

test('usage errors exit 2 with the command help', async () => {
  const r = await run('build', '--db', join(work, 'x.db'));
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--source DIR is required/);
  assert.equal((await run('frobnicate')).code, 2);
});

test('build, report, show over the example rules', async () => {
  const db = join(work, 'examples.db');
  const built = await run('build', '--source', examples, '--db', db, '--json');
  assert.equal(built.code, 0, built.stderr);
  const report = JSON.parse(built.stdout);
  assert.equal(report.rules, 6);
  assert.deepEqual(report.languages.kql, { rules: 3, parsed: 3, failed: 0, notAnalysed: 0 });
  assert.deepEqual(report.languages.esql, { rules: 1, parsed: 1, failed: 0, notAnalysed: 0 });
  assert.deepEqual(
    report.skipped.map((s: { path: string }) => s.path),
    ['rules/README.md'],
  );

  const fromReport = JSON.parse((await run('report', '--db', db, '--json')).stdout);
  assert.equal(fromReport.rules, 6);
  assert.ok(fromReport.platforms.sentinel && fromReport.platforms.elastic);

  const shown = await run('show', 'sentinel:0b9e6a44-91c2-4f7d-a3e5-6c1d2e3f4a55', '--db', db, '--json');
  assert.equal(shown.code, 0);
  const [rule] = JSON.parse(shown.stdout);
  assert.equal(rule.name, 'CloudTrail logging stopped or trail deleted');
  assert.deepEqual(rule.events, [
    { provider: 'aws-cloudtrail', event: 'StopLogging' },
    { provider: 'aws-cloudtrail', event: 'DeleteTrail' },
  ]);
  assert.deepEqual(rule.sameAction, [
    { id: 'elastic:9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d', name: 'AWS CloudTrail logging stopped', platform: 'elastic' },
  ]);
  // The Elastic twin tests event.action, not EventName: per-field counts do not link them.
  const stopLogging = rule.indicators.find((i: { value: string }) => i.value === 'StopLogging');
  assert.deepEqual([stopLogging.field, stopLogging.op, stopLogging.corpusCount], ['EventName', 'eq', 0]);
  assert.deepEqual(rule.outputFields.map((o: { field: string }) => o.field).sort(), [
    'Attempts',
    'EventName',
    'FirstSeen',
    'SourceIpAddress',
    'UserIdentityArn',
  ]);
  // The same rule by path, and an unknown selector.
  assert.equal(JSON.parse((await run('show', 'sentinel/cloudtrail-logging-stopped.yaml', '--db', db, '--json')).stdout).length, 1);
  assert.equal((await run('show', 'nope', '--db', db)).code, 1);
});

test('a rebuild of the same input writes the same catalog content', async () => {
  const a = join(work, 'a.db');
  await run('build', '--source', examples, '--db', a);
  const first = (await run('show', 'sentinel:7d3c1f0e-5b2a-4c8e-9f61-2a4b6c8d0e11', '--db', a, '--json')).stdout;
  await run('build', '--source', examples, '--db', a);
  const second = (await run('show', 'sentinel:7d3c1f0e-5b2a-4c8e-9f61-2a4b6c8d0e11', '--db', a, '--json')).stdout;
  assert.equal(second, first);
});

test('broken files are reported with path and reason, the rest is still built', async () => {
  const src = join(work, 'broken');
  mkdirSync(src, { recursive: true });
  writeFileSync(join(src, 'good.yaml'), readFileSync(join(examples, 'sentinel', 'security-log-cleared.yaml')));
  writeFileSync(join(src, 'bad.yaml'), 'id: [unclosed\nname: x\n');
  writeFileSync(join(src, 'bad.toml'), '[rule\nname = ');
  writeFileSync(
    join(src, 'broken-query.yaml'),
    'id: q1\nname: Broken\ndescription: d\ntactics: []\nquery: |\n  SecurityEvent\n  | where EventID == (\n',
  );
  const db = join(work, 'broken.db');
  const r = await run('build', '--source', src, '--db', db, '--json');
  assert.equal(r.code, 0);
  const report = JSON.parse(r.stdout);
  assert.equal(report.rules, 2);
  assert.deepEqual(report.errors.map((e: { path: string }) => e.path).sort(), ['broken/bad.toml', 'broken/bad.yaml']);
  assert.match(report.errors.find((e: { path: string }) => e.path === 'broken/bad.yaml').reason, /^YAML does not parse/);
  assert.equal(report.failures.length, 1);
  assert.equal(report.failures[0].path, 'broken-query.yaml');
  assert.ok(report.failures[0].line >= 1);
});

test('sources with one folder name (forks beside their upstream) each keep their rules, and your copy never hides the public rule', async () => {
  const sentinel = join(examples, 'sentinel');
  const folders = ['upstream', 'fork', 'fork2', 'yours'].map((parent) => {
    const dir = join(work, 'forks', parent, 'sentinel');
    mkdirSync(dir, { recursive: true });
    for (const file of ['security-log-cleared.yaml', 'okta-admin-impersonation.yaml']) {
      writeFileSync(join(dir, file), readFileSync(join(sentinel, file)));
    }
    return dir;
  });
  // Your copy is newer than the public one: before, the newer copy took the plain id and the public rule became an older copy.
  const yours = join(folders[3]!, 'security-log-cleared.yaml');
  writeFileSync(yours, readFileSync(yours, 'utf8').replace('version: 1.0.0', 'version: 9.9.9'));
  const db = join(work, 'forks.db');
  const r = await run(
    'build',
    '--source',
    folders[0]!,
    '--source',
    folders[1]!,
    '--source',
    folders[2]!,
    '--mine',
    folders[3]!,
    '--db',
    db,
    '--json',
  );
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.rules, 8);
  assert.deepEqual(report.renamedSources, [
    { name: 'sentinel-2', renamedFrom: 'sentinel' },
    { name: 'sentinel-3', renamedFrom: 'sentinel' },
    { name: 'sentinel-4', renamedFrom: 'sentinel' },
  ]);
  const all = JSON.parse((await run('export', '--db', db, '--format', 'json', '--duplicates')).stdout) as {
    id: string;
    sourceName: string;
  }[];
  assert.equal(new Set(all.map((rule) => rule.id)).size, 8);
  const plain = 'sentinel:5f1a2b3c-4d5e-4f60-8a9b-0c1d2e3f4a66';
  assert.equal(all.find((rule) => rule.id === plain)?.sourceName, 'sentinel');
  // Without older copies: the public rule and yours are both listed.
  const current = JSON.parse((await run('export', '--db', db, '--format', 'json', '--q', 'cleared')).stdout) as {
    id: string;
    sourceName: string;
  }[];
  assert.deepEqual(current.map((rule) => rule.sourceName).sort(), ['sentinel', 'sentinel-4']);
});

test('a folder with no rules writes nothing and exits 1', async () => {
  const empty = join(work, 'empty');
  mkdirSync(empty, { recursive: true });
  writeFileSync(join(empty, 'notes.txt'), 'hello');
  const r = await run('build', '--source', empty, '--db', join(work, 'empty.db'));
  assert.equal(r.code, 1);
});

test('analyze prints the rules of one file without corpus fields', async () => {
  const r = await run('analyze', join(examples, 'elastic', 'okta_impersonation.toml'), '--json');
  assert.equal(r.code, 0, r.stderr);
  const [rule] = JSON.parse(r.stdout);
  assert.equal(rule.language, 'kuery');
  assert.equal(rule.sameAction, undefined);
  assert.equal(rule.indicators[0].corpusCount, undefined);
  assert.deepEqual(rule.events, [{ provider: 'okta', event: 'user.session.impersonation.initiate' }]);
  assert.equal((await run('analyze', join(work, 'missing.yaml'))).code, 1);
});
