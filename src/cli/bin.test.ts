// The bin re-runs `build`, `sync` and `start` in a heap-capped child: the child must never outlive
// its parent (npm start killed, a build killed with SIGKILL), and signals sent to the parent reach it.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { BuildReport } from '../report/report.js';

const bin = fileURLToPath(new URL('../../bin/ruleatlas.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'ruleatlas-bin-'));
after(() => rmSync(work, { recursive: true, force: true }));

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** `ruleatlas start` serving the example rules, once it prints its address; with its child's pid. */
async function started(name: string): Promise<{ parent: ChildProcess; child: number }> {
  const parent = spawn(process.execPath, [bin, 'start', '--db', join(work, `${name}.db`), '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address printed: ${out}`)), 60_000);
    parent.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (/http:\/\//.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
    parent.stderr.resume();
  });
  const children = readFileSync(`/proc/${parent.pid}/task/${parent.pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
  assert.equal(children.length, 1, 'one heap-capped child');
  return { parent, child: children[0]! };
}

async function gone(pid: number, ms = 10_000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !alive(pid);
}

const linux = process.platform === 'linux' ? false : 'not here: reads /proc to find the child (Linux)';

test('SIGTERM to ruleatlas start reaches its server child', { skip: linux }, async () => {
  const { parent, child } = await started('term');
  parent.kill('SIGTERM');
  assert.ok(await gone(child), 'the child ended');
  assert.ok(await gone(parent.pid!), 'the parent ended');
});

test("start's server runs in a child of its own, without the build's heap cap", { skip: linux }, async () => {
  const { parent, child } = await started('flags');
  try {
    const argv = readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0');
    assert.ok(argv.includes('--serve-only'), argv.join(' '));
    assert.ok(
      argv.some((a) => a.startsWith('--max-semi-space-size=')) || /max-semi-space-size/.test(process.env.NODE_OPTIONS ?? ''),
      argv.join(' '),
    );
    // The whole corpus's server holds about 255 MB: under the build's 256 MB cap it ran out and built again.
    assert.ok(!argv.some((a) => a.startsWith('--max-old-space-size=')), argv.join(' '));
  } finally {
    parent.kill('SIGTERM');
    await gone(parent.pid!);
  }
});

test('a server child ends when its parent is killed with SIGKILL', { skip: linux }, async () => {
  const { parent, child } = await started('kill');
  parent.kill('SIGKILL');
  assert.ok(await gone(child), 'the child did not outlive its parent');
});

test('a sync that adds a file of a language no other changed file has loads that language (a new Panther rule)', () => {
  // Each sync runs in a new process, so a language is set up only if the sync asks for it.
  const mini = fileURLToPath(new URL('../../test/mini-corpus', import.meta.url));
  const src = join(work, 'added-language');
  cpSync(join(mini, 'sigma'), join(src, 'sigma'), { recursive: true });
  const config = join(work, 'added-language.json');
  writeFileSync(config, JSON.stringify({ sources: [{ name: 'rules', dir: src }] }));
  const db = join(work, 'added-language.db');
  const sync = () => spawnSync(process.execPath, [bin, 'sync', '--config', config, '--db', db, '--json'], { encoding: 'utf8' });
  assert.equal(sync().status, 0);
  cpSync(join(mini, 'panther'), join(src, 'panther'), { recursive: true });
  const second = sync();
  assert.equal(second.status, 0, second.stderr);
  const report = JSON.parse(second.stdout) as BuildReport;
  assert.equal(report.sync?.analysed, 2);
  assert.deepEqual(report.languages.python, { rules: 1, parsed: 1, failed: 0, notAnalysed: 0 });
});
