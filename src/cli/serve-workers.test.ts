// `serve --workers N`: the workers answer on one port, signals to the primary reach them, and none
// outlives the primary (killed with SIGKILL included) or serves on alone when another one died.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/ruleatlas.js', import.meta.url));
const mini = fileURLToPath(new URL('../../test/mini-corpus', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'ruleatlas-workers-'));
const db = join(work, 'catalog.db');
after(() => rmSync(work, { recursive: true, force: true }));

before(() => {
  const built = spawnSync(process.execPath, [bin, 'build', '--source', mini, '--db', db], { encoding: 'utf8' });
  assert.equal(built.status, 0, built.stderr);
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function gone(pid: number, ms = 10_000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !alive(pid);
}

interface Started {
  primary: ChildProcess;
  workers: number[];
  url: string;
  out: () => string;
  exited: Promise<number | null>;
}

/** `serve --workers 2`, once it prints its address, with its workers' pids. */
async function serveWorkers(): Promise<Started> {
  const primary = spawn(process.execPath, [bin, 'serve', '--db', db, '--port', '0', '--workers', '2'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => primary.on('exit', (code) => resolve(code)));
  let out = '';
  primary.stdout.on('data', (d: Buffer) => (out += d.toString()));
  primary.stderr.resume();
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address printed: ${out}`)), 60_000);
    primary.stdout.on('data', () => {
      const m = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
  });
  // bin/ruleatlas.js runs a server in a child (its V8 flags): the workers are that child's.
  const children = (pid: number) => readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
  const workers = children(children(primary.pid!)[0]!);
  return { primary, workers, url, out: () => out, exited };
}

const linux = process.platform === 'linux' ? false : 'not here: reads /proc to find the workers (Linux)';

test('serve --workers 2: two processes answer on one port, the address printed once; SIGTERM ends them all', { skip: linux }, async () => {
  const s = await serveWorkers();
  assert.equal(s.workers.length, 2, 'two worker processes');
  assert.equal(s.out().match(/http:\/\//g)?.length, 1, 'one address line');
  for (let i = 0; i < 6; i++) {
    const res = await fetch(`${s.url}/api/report`);
    assert.equal(res.status, 200);
    await res.arrayBuffer();
  }
  s.primary.kill('SIGTERM');
  for (const w of s.workers) assert.ok(await gone(w), `worker ${w} ended`);
  assert.equal(await s.exited, 128 + 15, 'the primary ends as a SIGTERM would end it');
});

test('serve --workers: the workers end when the primary is killed with SIGKILL', { skip: linux }, async () => {
  const s = await serveWorkers();
  s.primary.kill('SIGKILL');
  for (const w of s.workers) assert.ok(await gone(w), `worker ${w} did not outlive the primary`);
});

test('serve --workers: a worker that dies stops the server instead of leaving it a worker short', { skip: linux }, async () => {
  const s = await serveWorkers();
  process.kill(s.workers[0]!, 'SIGKILL');
  assert.equal(await s.exited, 1);
  assert.ok(await gone(s.workers[1]!), 'the other worker ended');
});

const cmdline = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');

test(
  'serve runs its server in a child with 64 MB semi-spaces (bin/ruleatlas.js), and its workers inherit them',
  { skip: linux },
  async () => {
    const s = await serveWorkers();
    try {
      for (const w of s.workers) assert.ok(cmdline(w).includes('--max-semi-space-size=64'), cmdline(w).join(' '));
    } finally {
      s.primary.kill('SIGTERM');
      await s.exited;
    }
  },
);

test('serve with its own --max-semi-space-size in NODE_OPTIONS serves in the one process', { skip: linux }, async () => {
  const child = spawn(process.execPath, [bin, 'serve', '--db', db, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, NODE_OPTIONS: '--max-semi-space-size=8' },
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  try {
    let out = '';
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('http://')) resolve();
      }),
    );
    assert.equal(readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim(), '');
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
});

test('serve --workers is refused with --watch and outside 1-64', () => {
  for (const extra of [
    ['--workers', '2', '--watch'],
    ['--workers', '0'],
    ['--workers', 'two'],
  ]) {
    const r = spawnSync(process.execPath, [bin, 'serve', '--db', db, '--port', '0', ...extra], { encoding: 'utf8', timeout: 30_000 });
    assert.notEqual(r.status, 0, extra.join(' '));
    assert.match(r.stderr, /--workers/);
  }
});
