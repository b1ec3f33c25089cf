import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { RealFolders, readSourceFile, sha1 } from './source-file.js';

for (const how of ['alone', 'with the folders of a write resolved once'] as const) {
  test(`a file of a source is read only when it resolves to a regular file inside the source (${how})`, () => {
    containmentCase(how === 'alone' ? undefined : new RealFolders());
  });
}

function containmentCase(folders: RealFolders | undefined): void {
  const readSourceFileOf = (root: string, rel: string) => readSourceFile(root, rel, folders);
  const tmp = mkdtempSync(join(tmpdir(), 'ruleatlas-read-'));
  const root = join(tmp, 'source');
  try {
    mkdirSync(join(root, 'rules'), { recursive: true });
    writeFileSync(join(tmp, 'secret.txt'), 'secret');
    writeFileSync(join(root, 'rules/real.py'), 'x = 1\n');
    mkdirSync(join(root, '.git'));
    writeFileSync(join(root, '.git/config'), 'url = https://token@example.com/repo.git\n');
    symlinkSync('../.git/config', join(root, 'rules/git.py'));
    symlinkSync('real.py', join(root, 'rules/alias.py'));
    symlinkSync('../../secret.txt', join(root, 'rules/out.py'));
    symlinkSync('/proc/self/environ', join(root, 'rules/env.py'));
    execFileSync('mkfifo', [join(root, 'rules/pipe.py')]);
    // Folders that are links: one to a folder inside, one out of the source, one into .git.
    mkdirSync(join(tmp, 'outside'));
    writeFileSync(join(tmp, 'outside/x.py'), 'secret');
    symlinkSync('rules', join(root, 'linked'));
    symlinkSync('../outside', join(root, 'out'));
    symlinkSync('.git', join(root, 'git'));

    const alias = readSourceFileOf(root, 'rules/alias.py');
    assert.equal(alias.text, 'x = 1\n');
    assert.equal(alias.sha1, sha1('x = 1\n'));
    assert.equal(alias.size, 6);
    // A path that names a file outside, a link that leads out, the host's environment: refused.
    assert.throws(
      () => readSourceFileOf(root, '../secret.txt'),
      /^Error: \.\.\/secret\.txt resolves to a path outside the source: not read$/,
    );
    assert.throws(() => readSourceFileOf(root, 'rules/out.py'), /rules\/out\.py resolves to a path outside the source/);
    assert.throws(() => readSourceFileOf(root, 'rules/env.py'), /rules\/env\.py resolves to a path outside the source/);
    // Inside the source, but in a folder never read (a checkout's remote may hold a token).
    assert.throws(
      () => readSourceFileOf(root, 'rules/../.git/config'),
      /rules\/\.\.\/\.git\/config resolves into \.git\/, which is never read/,
    );
    assert.throws(() => readSourceFileOf(root, 'rules/git.py'), /rules\/git\.py resolves into \.git\/, which is never read/);
    // A pipe is refused without waiting for a writer.
    assert.throws(() => readSourceFileOf(root, 'rules/pipe.py'), /rules\/pipe\.py is not a regular file/);
    assert.throws(() => readSourceFileOf(root, 'rules/missing.py'), /ENOENT/);
    assert.throws(() => readSourceFileOf(root, 'nowhere/missing.py'), /ENOENT/);
    assert.equal(readSourceFileOf(root, 'linked/real.py').text, 'x = 1\n');
    assert.equal(readSourceFileOf(root, 'linked/alias.py').text, 'x = 1\n');
    assert.throws(() => readSourceFileOf(root, 'linked/out.py'), /linked\/out\.py resolves to a path outside the source/);
    assert.throws(() => readSourceFileOf(root, 'out/x.py'), /out\/x\.py resolves to a path outside the source/);
    assert.throws(() => readSourceFileOf(root, 'git/config'), /git\/config resolves into \.git\/, which is never read/);
    // Read again (the folders resolved before): the same answers.
    assert.equal(readSourceFileOf(root, 'rules/real.py').text, 'x = 1\n');
    assert.throws(() => readSourceFileOf(root, 'rules/out.py'), /rules\/out\.py resolves to a path outside the source/);
    assert.throws(() => readSourceFileOf(root, 'out/x.py'), /out\/x\.py resolves to a path outside the source/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

test('a file over the size limit is refused before it is read, the rule file and a file it names alike', () => {
  const root = mkdtempSync(join(tmpdir(), 'ruleatlas-size-'));
  process.env.RULEATLAS_MAX_FILE_MB = String(1 / 1024);
  try {
    writeFileSync(join(root, 'small.py'), 'x = 1\n');
    writeFileSync(join(root, 'big.py'), 'x'.repeat(2048));
    assert.equal(readSourceFile(root, 'small.py').text, 'x = 1\n');
    const big = readSourceFile(root, 'big.py');
    assert.equal(big.text, '');
    assert.equal(big.refused, 'file too large to read (2048 bytes; limit 1024)');
    assert.equal(big.size, 2048);
    // Its stand-in digest moves when the file does.
    writeFileSync(join(root, 'big.py'), 'y'.repeat(4096));
    assert.notEqual(readSourceFile(root, 'big.py').sha1, big.sha1);
  } finally {
    delete process.env.RULEATLAS_MAX_FILE_MB;
    rmSync(root, { recursive: true, force: true });
  }
});
