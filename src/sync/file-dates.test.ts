import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { AttackCatalog } from '../attack/catalog.js';
import { explore, lastChanged, parseExploreQuery } from '../explore/explore.js';
import { prepareLanguages } from '../languages/registry.js';
import { writeCatalog } from '../pipeline/write.js';
import { CatalogStore } from '../store/read.js';
import { gitFileDates } from './file-dates.js';

const work = mkdtempSync(join(tmpdir(), 'ruleatlas-file-dates-'));
after(() => rmSync(work, { recursive: true, force: true }));

const sigma = (id: string, extra = '') => `title: Fixture ${id}
id: 00000000-0000-4000-8000-0000000000${id}
status: test
description: A fixture.
author: Fixture
date: 2020-01-01
${extra}logsource:
  category: process_creation
  product: windows
detection:
  selection:
    Image|endswith: '\\${id}.exe'
  condition: selection
level: low
`;

function git(cwd: string, args: string[], date?: string): void {
  const env = { ...process.env, GIT_AUTHOR_DATE: date ?? '', GIT_COMMITTER_DATE: date ?? '' };
  const r = spawnSync('git', ['-c', 'user.name=Fixture', '-c', 'user.email=fixture@example.com', ...args], { cwd, env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

async function build(name: string, root: string): Promise<CatalogStore> {
  const db = join(work, `${name}.db`);
  await writeCatalog(db, [{ name, root, commit: '', date: new Date().toISOString() }], {
    prepare: async (languages) => {
      await prepareLanguages(languages);
      return { attack: AttackCatalog.empty() };
    },
    mine: [],
  });
  return CatalogStore.open(db);
}

const hasGit = spawnSync('git', ['--version']).status === 0;

test('a rule in a git work tree changed on its file’s last commit, not on the build day', { skip: !hasGit && 'no git' }, async () => {
  const repo = join(work, 'repo');
  const rules = join(repo, 'rules');
  mkdirSync(join(rules, 'sub dir'), { recursive: true });
  git(repo, ['init', '-q']);
  writeFileSync(join(rules, 'a1.yml'), sigma('a1'));
  writeFileSync(join(rules, 'sub dir', 'b2.yml'), sigma('b2'));
  git(repo, ['add', '.']);
  git(repo, ['commit', '-qm', 'one'], '2021-03-04T05:06:07Z');
  writeFileSync(join(rules, 'sub dir', 'b2.yml'), sigma('b2', 'references:\n  - https://example.com/\n'));
  git(repo, ['commit', '-qam', 'two'], '2022-05-06T07:08:09Z');
  // Paths relative to the source folder (inside the repository), spaces as they are.
  assert.deepEqual(
    [...(gitFileDates(rules) ?? [])].sort(),
    [
      ['a1.yml', '2021-03-04T05:06:07Z'],
      ['sub dir/b2.yml', '2022-05-06T07:08:09Z'],
    ].map(([p, d]) => [p, new Date(d!).toISOString().replace('.000Z', '+00:00')]),
  );
  const store = await build('repo', rules);
  try {
    const byName = new Map(store.rules.map((r) => [r.name, r]));
    assert.deepEqual(byName.get('Fixture a1')?.fileDate?.from, 'git');
    assert.equal(lastChanged(byName.get('Fixture a1')!), '2021-03-04');
    assert.equal(lastChanged(byName.get('Fixture b2')!), '2022-05-06');
    const since = explore(store, parseExploreQuery(new URLSearchParams({ since: '2022-01-01' })));
    assert.deepEqual(
      since.items.map((r) => r.name),
      ['Fixture b2'],
    );
  } finally {
    store.close();
  }
});

test('elsewhere: the rule’s own modified date, else its file’s modification time', async () => {
  const dir = join(work, 'plain');
  mkdirSync(dir);
  writeFileSync(join(dir, 'c3.yml'), sigma('c3'));
  writeFileSync(join(dir, 'd4.yml'), sigma('d4', 'modified: 2023-02-03\n'));
  for (const f of ['c3.yml', 'd4.yml']) utimesSync(join(dir, f), new Date('2019-07-08T00:00:00Z'), new Date('2019-07-08T00:00:00Z'));
  const store = await build('plain', dir);
  try {
    const byName = new Map(store.rules.map((r) => [r.name, r]));
    assert.deepEqual(byName.get('Fixture c3')?.fileDate, { date: '2019-07-08T00:00:00.000Z', from: 'file' });
    assert.equal(lastChanged(byName.get('Fixture c3')!), '2019-07-08');
    assert.equal(lastChanged(byName.get('Fixture d4')!), '2023-02-03');
    const today = new Date().toISOString().slice(0, 10);
    assert.equal(explore(store, parseExploreQuery(new URLSearchParams({ since: today }))).total, 0, 'nothing changed on the build day');
  } finally {
    store.close();
  }
});

/** Whether some folder at or above `dir` holds a `.git` (then git has a repository to find there). */
function underARepository(dir: string): boolean {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, '.git'))) return true;
    if (dirname(at) === at) return false;
  }
}

test(
  'a folder in no repository asks no git process for dates',
  { skip: underARepository(work) && 'not here: the temporary folder is inside a git repository' },
  () => {
    const dir = join(work, 'no-repo');
    mkdirSync(dir);
    // A `git` first on the PATH that leaves a mark when run.
    const bin = join(work, 'fake-git-bin');
    mkdirSync(bin);
    const mark = join(work, 'git-ran');
    writeFileSync(join(bin, 'git'), `#!/bin/sh\necho ran >> '${mark}'\nexit 1\n`, { mode: 0o755 });
    const { PATH, GIT_DIR } = process.env;
    process.env.PATH = `${bin}:${PATH ?? ''}`;
    delete process.env.GIT_DIR;
    try {
      assert.equal(gitFileDates(dir), undefined);
    } finally {
      process.env.PATH = PATH;
      if (GIT_DIR !== undefined) process.env.GIT_DIR = GIT_DIR;
    }
    assert.equal(existsSync(mark), false, 'git was started');
  },
);
