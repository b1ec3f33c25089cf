// Nothing outside a source reaches the catalog, and every entry of a source is accounted for:
// hostile links in a git source, links followed inside it (their target's changes seen by sync),
// folders that cannot be listed, files in other encodings; and `analyze`, contained by the file's folder.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { captureOutput } from '../cli/capture-output.js';
import { main } from '../cli/main.js';
import type { Rule } from '../model/types.js';
import type { BuildReport } from '../report/report.js';
import { CatalogStore } from '../store/read.js';

const bin = fileURLToPath(new URL('../../bin/ruleatlas.js', import.meta.url));

function sigma(title: string, id: string, image = 'whoami.exe'): string {
  return `title: ${title}
id: 00000000-0000-4000-8000-${id.padStart(12, '0')}
status: test
description: ${title}.
logsource:
  category: process_creation
  product: windows
detection:
  selection:
    Image|endswith: '\\${image}'
  condition: selection
level: low
`;
}

function panther(id: string, filename: string): string {
  return `AnalysisType: rule
Filename: ${filename}
RuleID: Test.${id}
DisplayName: Test ${id}
Enabled: true
LogTypes:
  - Okta.SystemLog
Severity: High
Description: A test rule.
`;
}

const python = 'def rule(event):\n    return event.get("eventType") == "user.session.start"\n';

function write(root: string, files: Record<string, string | Buffer>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

function commitAll(repo: string, message: string): void {
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', message);
}

async function run(...argv: string[]) {
  const io = captureOutput();
  const status = await main(argv, io);
  const report = argv.includes('--json') && io.stdout ? (JSON.parse(io.stdout) as unknown) : undefined;
  return { status, report, stdout: io.stdout, stderr: io.stderr };
}

function rulesOf(db: string): Rule[] {
  const store = CatalogStore.open(db);
  try {
    return store.rules;
  } finally {
    store.close();
  }
}

const reasonsOf = (list: { path: string; reason: string }[]) => Object.fromEntries(list.map((s) => [s.path, s.reason]));

let tmp: string;
before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'ruleatlas-contain-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('a git source', () => {
  test('committing links out of the source: nothing outside reaches the catalog, and each link is reported with its reason', async () => {
    const repo = join(tmp, 'hostile');
    write(repo, {
      'rules/env.yml': panther('Env', 'env.py'),
      'rules/climb.yml': panther('Climb', `${'../'.repeat(20)}etc/hostname`),
      'rules/real.yml': sigma('Real rule', '1'),
      'rules/helper.yml': panther('Helper', 'helper.py'),
      // The checkout's own git folder: its remote URL may carry a token.
      'rules/gitconfig.yml': panther('GitConfig', '../.git/config'),
      'shared/helper_impl.py': python,
    });
    symlinkSync('../.git/config', join(repo, 'rules/config.yml'));
    symlinkSync('/proc/self/environ', join(repo, 'rules/env.py'));
    symlinkSync('/etc/hostname', join(repo, 'rules/hostname.yml'));
    symlinkSync('/etc', join(repo, 'rules/etc'));
    symlinkSync('../shared/helper_impl.py', join(repo, 'rules/helper.py'));
    symlinkSync('real.yml', join(repo, 'rules/alias.yml'));
    git(repo, 'init', '-q');
    git(repo, 'config', 'uploadpack.allowFilter', 'true');
    commitAll(repo, 'hostile links');
    const config = join(tmp, 'hostile.config.json');
    writeFileSync(config, JSON.stringify({ sources: [{ name: 'up', git: `file://${repo}`, ref: 'main' }] }));
    const db = join(tmp, 'hostile.db');
    const sync = () => run('sync', '--config', config, '--db', db, '--cache', join(tmp, 'hostile-cache'), '--json');

    const first = await sync();
    assert.equal(first.status, 0, first.stderr);
    const report = first.report as BuildReport;
    const links = report.skipped.filter((s) => s.reason.startsWith('symbolic link'));
    assert.deepEqual(reasonsOf(links), {
      'up/rules/config.yml': 'symbolic link to ../.git/config, into .git/, which is never read',
      'up/rules/env.py': 'symbolic link to /proc/self/environ, outside the source: not read',
      'up/rules/etc': 'symbolic link to /etc, outside the source: not read',
      'up/rules/hostname.yml': 'symbolic link to /etc/hostname, outside the source: not read',
    });
    const rules = rulesOf(db);
    // The host's environment is in none of them (the first of its variables stands for it).
    const environ = readFileSync('/proc/self/environ', 'utf8').split('\0')[0]!;
    assert.ok(environ.length > 2);
    for (const rule of rules) assert.ok(!JSON.stringify(rule).includes(environ), `${rule.path} holds the environment`);
    const byPath = new Map(rules.map((r) => [r.path, r]));
    const env = byPath.get('rules/env.yml')!;
    assert.equal(env.language, 'none');
    assert.ok(
      env.diagnostics.some(
        (d) => d.message === 'Python file env.py not read: rules/env.py resolves to a path outside the source: not read',
      ),
    );
    const climb = byPath.get('rules/climb.yml')!;
    assert.equal(climb.language, 'none');
    assert.ok(climb.diagnostics.some((d) => /not read: the path leads outside the source/.test(d.message)));
    const gitconfig = byPath.get('rules/gitconfig.yml')!;
    assert.equal(gitconfig.language, 'none');
    assert.ok(
      gitconfig.diagnostics.some(
        (d) => d.message === 'Python file ../.git/config not read: .git/config resolves into .git/, which is never read',
      ),
    );
    // A link inside the source is followed.
    assert.equal(byPath.get('rules/helper.yml')?.language, 'python');
    assert.equal(byPath.get('rules/helper.yml')?.query, python);
    assert.equal(byPath.get('rules/alias.yml')?.name, 'Real rule');
    assert.deepEqual([...byPath.keys()].sort(), [
      'rules/alias.yml',
      'rules/climb.yml',
      'rules/env.yml',
      'rules/gitconfig.yml',
      'rules/helper.yml',
      'rules/real.yml',
    ]);

    // The targets of followed links change: sync sees it through the links.
    write(repo, { 'rules/real.yml': sigma('Real rule, edited', '1', 'hostname.exe'), 'shared/helper_impl.py': `${python}# edited\n` });
    commitAll(repo, 'targets edited');
    const second = await sync();
    assert.equal(second.status, 0, second.stderr);
    const edited = new Map(rulesOf(db).map((r) => [r.path, r]));
    assert.equal(edited.get('rules/alias.yml')?.name, 'Real rule, edited');
    assert.match(edited.get('rules/helper.yml')?.query ?? '', /# edited/);

    // A followed link turned to lead outside: its rule is removed, and the link reported.
    unlinkSync(join(repo, 'rules/alias.yml'));
    symlinkSync('../../../../../../../../etc/hostname', join(repo, 'rules/alias.yml'));
    commitAll(repo, 'alias leaves');
    const third = await sync();
    assert.equal(third.status, 0, third.stderr);
    assert.equal(
      reasonsOf((third.report as BuildReport).skipped)['up/rules/alias.yml'],
      'symbolic link to ../../../../../../../../etc/hostname, outside the source: not read',
    );
    assert.equal(new Map(rulesOf(db).map((r) => [r.path, r])).get('rules/alias.yml')?.removed, true);
  });
});

// Root reads any folder: a folder it cannot list is made by running the command as another user.
const asRoot = process.getuid?.() === 0;
const unprivileged = asRoot ? { uid: 65534, gid: 65534 } : {};
function cli(...argv: string[]) {
  const r = spawnSync(process.execPath, [bin, ...argv], {
    encoding: 'utf8',
    env: { ...process.env, RULEATLAS_CACHE_DIR: join(tmp, 'cli-cache') },
    ...unprivileged,
  });
  return { status: r.status, stderr: r.stderr, report: argv.includes('--json') ? (JSON.parse(r.stdout) as BuildReport) : undefined };
}

describe('a folder that cannot be listed', () => {
  test('is reported with its reason; the rest of the source is read, and a sync keeps what it had of it', async () => {
    chmodSync(tmp, 0o777);
    mkdirSync(join(tmp, 'cli-cache'), { mode: 0o777 });
    const src = join(tmp, 'perm', 'src');
    write(src, { 'a/x.yml': sigma('A', '11'), 'b/y.yml': sigma('B', '12'), 'c/z.yml': sigma('C', '13') });
    chmodSync(join(tmp, 'perm'), 0o777);
    const db = join(tmp, 'perm', 'catalog.db');
    const config = join(tmp, 'perm', 'ruleatlas.config.json');
    writeFileSync(config, JSON.stringify({ sources: [{ name: 'src', dir: src }] }));
    const probe = cli('--help');
    if (probe.status !== 0) assert.fail(`the command cannot run as another user here: ${probe.stderr}`);
    const names = (r?: BuildReport) =>
      r
        ? rulesOf(db)
            .filter((x) => !x.removed)
            .map((x) => x.name)
            .sort()
        : [];

    const synced = cli('sync', '--config', config, '--db', db, '--json');
    assert.equal(synced.status, 0, synced.stderr);
    assert.deepEqual(names(synced.report), ['A', 'B', 'C']);

    // A file added to b/ moves its mtime: its listing kept by the catalog is stale, and b/ is listed again.
    write(src, { 'b/w.yml': sigma('W', '14') });
    chmodSync(join(src, 'b'), 0);
    try {
      const built = cli('build', '--source', src, '--db', join(tmp, 'perm', 'built.db'), '--json');
      assert.equal(built.status, 0, built.stderr);
      assert.equal(built.report?.rules, 2);
      assert.match(reasonsOf(built.report.errors)['src/b/'] ?? '', /^folder cannot be listed: EACCES/);

      const again = cli('sync', '--config', config, '--db', db, '--json');
      assert.equal(again.status, 0, again.stderr);
      assert.match(
        reasonsOf(again.report!.errors)['src/b/'] ?? '',
        /^folder cannot be listed: EACCES: permission denied; the catalog keeps what it had of its files$/,
      );
      assert.deepEqual(names(again.report), ['A', 'B', 'C'], "b/'s rule is kept, not removed");
      assert.equal(again.report?.sync?.removed, 0);
    } finally {
      chmodSync(join(src, 'b'), 0o755);
    }
    const readable = cli('sync', '--config', config, '--db', db, '--json');
    assert.deepEqual(readable.report?.errors, []);
    assert.deepEqual(names(readable.report), ['A', 'B', 'C', 'W']);
  });
});

describe('encodings', () => {
  test('a byte order mark and UTF-16 are decoded, other encodings refused by name, invalid UTF-8 reported', async () => {
    const src = join(tmp, 'enc', 'src');
    const bom = (bytes: number[], body: Buffer) => Buffer.concat([Buffer.from(bytes), body]);
    write(src, {
      'utf8-bom.yml': bom([0xef, 0xbb, 0xbf], Buffer.from(sigma('UTF-8 with a mark', '21'))),
      'utf16le.yml': bom([0xff, 0xfe], Buffer.from(sigma('UTF-16LE with a mark', '22'), 'utf16le')),
      'utf16be.yml': bom([0xfe, 0xff], Buffer.from(sigma('UTF-16BE with a mark', '23'), 'utf16le').swap16()),
      'utf16-bare.yml': Buffer.from(sigma('UTF-16 without a mark', '24'), 'utf16le'),
      'utf32.yml': bom([0xff, 0xfe, 0, 0], Buffer.alloc(16)),
      'latin1.yml': Buffer.from(sigma('Caf\u00e9 rule', '25'), 'latin1'),
    });
    const db = join(tmp, 'enc', 'catalog.db');
    const built = await run('build', '--source', src, '--db', db, '--json');
    assert.equal(built.status, 0, built.stderr);
    const report = built.report as BuildReport;
    const rules = new Map(rulesOf(db).map((r) => [r.path, r]));
    assert.equal(rules.get('utf8-bom.yml')?.name, 'UTF-8 with a mark');
    assert.equal(rules.get('utf16le.yml')?.name, 'UTF-16LE with a mark');
    assert.equal(rules.get('utf16be.yml')?.name, 'UTF-16BE with a mark');
    assert.equal(rules.get('latin1.yml')?.name, 'Caf\uFFFD rule');
    const note = 'the file is not valid UTF-8 (first at line 1, byte 11): invalid bytes were replaced by U+FFFD';
    assert.ok(rules.get('latin1.yml')?.diagnostics.some((d) => d.message === note));
    assert.deepEqual(
      report.errors.map((e) => [e.path, e.reason, !!e.partial]),
      [
        ['src/latin1.yml', note, true],
        ['src/utf16-bare.yml', 'the file looks like UTF-16LE without a byte order mark, which is not read: save it as UTF-8', false],
        ['src/utf32.yml', 'the file is UTF-32LE (byte order mark), which is not read: save it as UTF-8', false],
      ],
    );
  });
});

describe('analyze', () => {
  test("reads what a rule names only inside the file's folder (or --root), links resolved", async () => {
    const dir = join(tmp, 'analyze');
    write(dir, {
      'rules/climb.yml': panther('Climb', `${'../'.repeat(20)}etc/hostname`),
      'rules/env.yml': panther('Env', 'env.py'),
      'rules/up.yml': panther('Up', '../shared/impl.py'),
      'shared/impl.py': python,
    });
    symlinkSync('/proc/self/environ', join(dir, 'rules/env.py'));
    const analyze = async (...argv: string[]) => {
      const r = await run('analyze', ...argv, '--json');
      assert.equal(r.status, 0, r.stderr);
      return (r.report as Rule[])[0]!;
    };
    const climb = await analyze(join(dir, 'rules/climb.yml'));
    assert.equal(climb.language, 'none');
    assert.ok(climb.diagnostics.some((d) => /not read: the path leads outside the source/.test(d.message)));
    const env = await analyze(join(dir, 'rules/env.yml'));
    assert.equal(env.language, 'none');
    assert.ok(env.diagnostics.some((d) => /^Python file env\.py not read: env\.py resolves to a path outside the source/.test(d.message)));
    // Beside the rule's folder only with --root.
    assert.equal((await analyze(join(dir, 'rules/up.yml'))).language, 'none');
    const up = await analyze(join(dir, 'rules/up.yml'), '--root', dir);
    assert.equal(up.language, 'python');
    assert.equal(up.query, python);
    const outside = await run('analyze', join(dir, 'rules/up.yml'), '--root', join(dir, 'shared'));
    assert.equal(outside.status, 2);
    assert.match(outside.stderr, /is not inside --root/);
  });
});

describe('the build summary', () => {
  test('names each entry not read, with its reason', async () => {
    const src = join(tmp, 'summary', 'src');
    write(src, { 'a.yml': sigma('A', '31'), 'README.md': 'notes' });
    symlinkSync('/etc/hostname', join(src, 'host.yml'));
    const built = await run('build', '--source', src, '--db', join(tmp, 'summary', 'catalog.db'));
    assert.equal(built.status, 0, built.stderr);
    assert.match(
      built.stdout,
      /; 2 files are not rules\n {2}not read: src\/host\.yml: symbolic link to \/etc\/hostname, outside the source: not read$/m,
    );
    // A file that is simply not a rule was read: it is not among the entries not read (the summary may name it as the slowest file).
    assert.doesNotMatch(built.stdout, /not read: .*README/);
  });
});
