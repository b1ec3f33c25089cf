// The system git, run without a shell; every failure carries git's own reason.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { GitSource } from './config.js';

class GitError extends Error {}

function git(args: string[], cwd?: string): string {
  const r = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    // Never wait for a password prompt: an unreachable source fails and the others go on.
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: 'echo', LC_ALL: 'C' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw new GitError(`git could not be run: ${r.error.message}`);
  if (r.status !== 0) {
    const reason = (r.stderr || r.stdout || '')
      .trim()
      .split('\n')
      .filter((l) => l && !/^(warning|hint):/i.test(l))
      .join('; ');
    throw new GitError(`git ${args[0]} failed: ${reason || `exit status ${r.status}`}`);
  }
  return r.stdout.trim();
}

export interface Checkout {
  dir: string;
  commit: string;
  /** Commit date, ISO 8601. */
  date: string;
}

/** Clone (first time) or fetch and check out `ref`, shallow and sparse; throws GitError. */
export function checkoutSource(source: GitSource, cacheDir: string): Checkout {
  const dir = join(cacheDir, source.name);
  if (existsSync(join(dir, '.git'))) {
    git(['remote', 'set-url', 'origin', source.git], dir);
    git(['fetch', '--depth', '1', 'origin', source.ref], dir);
    git(['checkout', '--force', 'FETCH_HEAD'], dir);
  } else {
    rmSync(dir, { recursive: true, force: true });
    try {
      git(['clone', '--depth', '1', '--filter=blob:none', '--sparse', '--branch', source.ref, '--', source.git, dir]);
    } catch (err) {
      // A half-made clone would look like a cache next time.
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  }
  // Cone mode: the named folders (plus top-level files); no paths means the whole tree.
  if (source.paths.length) git(['sparse-checkout', 'set', ...source.paths], dir);
  else git(['sparse-checkout', 'disable'], dir);
  return { dir, commit: git(['rev-parse', 'HEAD'], dir), date: git(['log', '-1', '--format=%cI'], dir) };
}
