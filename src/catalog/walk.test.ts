import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { type FolderListing, listFiles, listFilesSince, listingJson, storedListing } from './walk.js';

test('listFilesSince lists what listFiles lists, reading again only the folders whose mtime changed', () => {
  const root = mkdtempSync(join(tmpdir(), 'ruleatlas-walk-'));
  try {
    for (const path of ['a/x.yml', 'a/b/y.yml', 'c.toml', 'a-b/z.yml', '.git/config', 'a/node_modules/m.js']) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), path);
    }
    const first = new Map<string, FolderListing>();
    const files = listFilesSince(root, new Map(), first).files;
    assert.deepEqual(files, listFiles(root).files);
    assert.deepEqual(files, ['a/b/y.yml', 'a/x.yml', 'a-b/z.yml', 'c.toml']);

    // Unchanged: every listing is the one known, none read again.
    const second = new Map<string, FolderListing>();
    assert.deepEqual(listFilesSince(root, first, second).files, files);
    for (const [path, listing] of second) assert.equal(listing, first.get(path), path);

    // A file added in a new folder below a known one: its parent's mtime moves, the new folder is read.
    mkdirSync(join(root, 'a/b/new'));
    writeFileSync(join(root, 'a/b/new/w.yml'), 'w');
    // A folder whose mtime is as known is trusted: an entry changed behind an unchanged mtime stays unseen.
    const stale = { ...first.get('a-b')!, entries: [] };
    const third = new Map<string, FolderListing>();
    const after = listFilesSince(root, new Map([...second, ['a-b', stale]]), third).files;
    assert.deepEqual(after, ['a/b/new/w.yml', 'a/b/y.yml', 'a/x.yml', 'c.toml']);
    assert.notEqual(third.get('a/b'), second.get('a/b'));
    assert.equal(third.get('a'), second.get('a'));
    // Once its mtime moves, it is read again.
    utimesSync(join(root, 'a-b'), new Date(), new Date(Date.now() + 5000));
    assert.deepEqual(listFilesSince(root, third, new Map()), listFiles(root));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

/** A temporary source folder with `files` (path → text), removed after `body`. */
function withSource(files: Record<string, string>, body: (root: string, outside: string) => void): void {
  const tmp = mkdtempSync(join(tmpdir(), 'ruleatlas-walk-'));
  const root = join(tmp, 'source');
  const outside = join(tmp, 'outside');
  try {
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret.yml'), 'secret');
    for (const [path, text] of Object.entries({ ...files, '.keep': '' })) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    body(root, outside);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const reasons = (walk: { skipped: { path: string; reason: string }[] }) => Object.fromEntries(walk.skipped.map((s) => [s.path, s.reason]));

test('a link is followed only to a file inside the source; every other link is skipped with its reason', () => {
  withSource({ 'rules/real.yml': 'real', 'rules/sub/deep.yml': 'deep', '.git/config': 'token' }, (root, outside) => {
    symlinkSync('real.yml', join(root, 'rules/alias.yml'));
    symlinkSync('../rules/sub/deep.yml', join(root, 'rules/sub/../up.yml'));
    symlinkSync(join(outside, 'secret.yml'), join(root, 'rules/absolute.yml'));
    symlinkSync('../../outside/secret.yml', join(root, 'rules/relative.yml'));
    symlinkSync('/proc/self/environ', join(root, 'rules/env.py'));
    symlinkSync('missing.yml', join(root, 'rules/dangling.yml'));
    symlinkSync('loop-b.yml', join(root, 'rules/loop-a.yml'));
    symlinkSync('loop-a.yml', join(root, 'rules/loop-b.yml'));
    symlinkSync('sub', join(root, 'rules/folder-link'));
    symlinkSync(outside, join(root, 'rules/outside-folder'));
    // A link inside the source that leads out through another link.
    symlinkSync('absolute.yml', join(root, 'rules/chained.yml'));
    // Inside the source, but in a folder the walk never reads.
    symlinkSync('../.git/config', join(root, 'rules/git.yml'));
    const walk = listFiles(root);
    assert.deepEqual(walk.files, ['.keep', 'rules/alias.yml', 'rules/real.yml', 'rules/sub/deep.yml', 'rules/up.yml']);
    assert.deepEqual(reasons(walk), {
      'rules/absolute.yml': `symbolic link to ${join(outside, 'secret.yml')}, outside the source: not read`,
      'rules/chained.yml': 'symbolic link to absolute.yml, outside the source: not read',
      'rules/dangling.yml': 'symbolic link to missing.yml, which does not exist: not read',
      'rules/env.py': 'symbolic link to /proc/self/environ, outside the source: not read',
      'rules/folder-link': 'symbolic link to the folder sub: not followed',
      'rules/git.yml': 'symbolic link to ../.git/config, into .git/, which is never read',
      'rules/loop-a.yml': 'symbolic link to loop-b.yml, which loops: not read',
      'rules/loop-b.yml': 'symbolic link to loop-a.yml, which loops: not read',
      'rules/outside-folder': `symbolic link to ${outside}, outside the source: not read`,
      'rules/relative.yml': 'symbolic link to ../../outside/secret.yml, outside the source: not read',
    });
    assert.deepEqual(walk.unlisted, []);
  });
});

test('a source reached through a link is contained by its real folder', () => {
  withSource({ 'a.yml': 'a' }, (root) => {
    const linked = `${root}-link`;
    symlinkSync(root, linked);
    symlinkSync('a.yml', join(root, 'b.yml'));
    symlinkSync('../source-link/a.yml', join(root, 'c.yml'));
    const walk = listFiles(linked);
    assert.deepEqual(walk.files, ['.keep', 'a.yml', 'b.yml', 'c.yml']);
    assert.deepEqual(walk.skipped, []);
  });
});

test(
  'pipes, sockets and devices are skipped with their kind',
  { skip: process.platform === 'win32' && 'not here: no mkfifo on Windows' },
  () => {
    withSource({ 'a.yml': 'a' }, (root) => {
      execFileSync('mkfifo', [join(root, 'pipe.yml')]);
      symlinkSync('pipe.yml', join(root, 'to-pipe.yml'));
      symlinkSync('/dev/null', join(root, 'null.yml'));
      const walk = listFiles(root);
      assert.deepEqual(walk.files, ['.keep', 'a.yml']);
      assert.deepEqual(reasons(walk), {
        'null.yml': 'symbolic link to /dev/null, outside the source: not read',
        'pipe.yml': 'a named pipe, not a file: not read',
        'to-pipe.yml': 'symbolic link to pipe.yml, a named pipe: not read',
      });
    });
  },
);

test('a link is looked at again on every walk, even in a folder whose listing is reused', () => {
  withSource({ 'rules/x.yml': 'x', 'data/target.yml': 't' }, (root, outside) => {
    symlinkSync('../data/target.yml', join(root, 'rules/alias.yml'));
    const first = new Map<string, FolderListing>();
    assert.deepEqual(listFilesSince(root, new Map(), first).files, ['.keep', 'data/target.yml', 'rules/alias.yml', 'rules/x.yml']);
    // The target becomes a link out of the source; rules/ itself does not change.
    const before = statSync(join(root, 'rules')).mtime;
    unlinkSync(join(root, 'data/target.yml'));
    symlinkSync(join(outside, 'secret.yml'), join(root, 'data/target.yml'));
    assert.deepEqual(statSync(join(root, 'rules')).mtime, before);
    const second = new Map<string, FolderListing>();
    const walk = listFilesSince(root, first, second);
    assert.equal(second.get('rules'), first.get('rules'), 'rules/ was not read again');
    assert.deepEqual(walk.files, ['.keep', 'rules/x.yml']);
    assert.deepEqual(Object.keys(reasons(walk)), ['data/target.yml', 'rules/alias.yml']);
    assert.match(reasons(walk)['rules/alias.yml']!, /^symbolic link to \.\.\/data\/target\.yml, outside the source/);
  });
});

test('a folder that cannot be listed is reported, and the rest of the source is still listed', () => {
  withSource({ 'a/x.yml': 'x', 'b/y.yml': 'y', 'c/z.yml': 'z' }, (root) => {
    // Whole seconds, so that the mtime set again below is the very one listed.
    utimesSync(root, 1000, 1000);
    const first = new Map<string, FolderListing>();
    listFilesSince(root, new Map(), first);
    // b/ turns into a file behind a listing of its parent that is still trusted (same mtime): listing b/ fails.
    rmSync(join(root, 'b'), { recursive: true });
    writeFileSync(join(root, 'b'), 'not a folder');
    utimesSync(root, 1000, 1000);
    const walk = listFilesSince(root, first, new Map());
    assert.deepEqual(walk.files, ['.keep', 'a/x.yml', 'c/z.yml']);
    assert.equal(walk.unlisted.length, 1);
    assert.equal(walk.unlisted[0]!.path, 'b/');
    assert.match(walk.unlisted[0]!.reason, /^folder cannot be listed: ENOTDIR/);
  });
});

test(
  'a folder without read permission is reported, the rest listed',
  { skip: process.getuid?.() === 0 && 'not here: root reads any folder' },
  () => {
    withSource({ 'a/x.yml': 'x', 'b/y.yml': 'y' }, (root) => {
      execFileSync('chmod', ['000', join(root, 'b')]);
      try {
        const walk = listFiles(root);
        assert.deepEqual(walk.files, ['.keep', 'a/x.yml']);
        assert.match(walk.unlisted[0]?.reason ?? '', /^folder cannot be listed: EACCES/);
      } finally {
        execFileSync('chmod', ['755', join(root, 'b')]);
      }
    });
  },
);

test('a listing stored before other entries were listed is read again', () => {
  const listing: FolderListing = { mtime: 5, entries: ['a/', 'b.yml', 'c'], others: ['c'] };
  assert.deepEqual(storedListing(5, listingJson(listing)), listing);
  const old = storedListing(5, JSON.stringify(['a/', 'b.yml']));
  assert.ok(Number.isNaN(old.mtime), 'no folder has this mtime');
});
