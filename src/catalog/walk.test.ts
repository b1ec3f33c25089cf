import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { type FolderListing, listFiles, listFilesSince } from './walk.js';

test('listFilesSince lists what listFiles lists, reading again only the folders whose mtime changed', () => {
  const root = mkdtempSync(join(tmpdir(), 'ruleatlas-walk-'));
  try {
    for (const path of ['a/x.yml', 'a/b/y.yml', 'c.toml', 'a-b/z.yml', '.git/config', 'a/node_modules/m.js']) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), path);
    }
    const first = new Map<string, FolderListing>();
    const files = listFilesSince(root, new Map(), first);
    assert.deepEqual(files, listFiles(root));
    assert.deepEqual(files, ['a/b/y.yml', 'a/x.yml', 'a-b/z.yml', 'c.toml']);

    // Unchanged: every listing is the one known, none read again.
    const second = new Map<string, FolderListing>();
    assert.deepEqual(listFilesSince(root, first, second), files);
    for (const [path, listing] of second) assert.equal(listing, first.get(path), path);

    // A file added in a new folder below a known one: its parent's mtime moves, the new folder is read.
    mkdirSync(join(root, 'a/b/new'));
    writeFileSync(join(root, 'a/b/new/w.yml'), 'w');
    // A folder whose mtime is as known is trusted: an entry changed behind an unchanged mtime stays unseen.
    const stale = { ...first.get('a-b')!, entries: [] };
    const third = new Map<string, FolderListing>();
    const after = listFilesSince(root, new Map([...second, ['a-b', stale]]), third);
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
