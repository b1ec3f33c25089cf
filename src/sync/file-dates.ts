// When a source's file last changed upstream, as a rule's `fileDate`: "changed since" and the dates in
// results must not say "today" for every rule of a fresh build. A folder inside a git work tree with
// its history: the date of the last commit that touched the file (one `git log` per source and write);
// another folder: the file's modification time. A sync's git checkout is shallow (one commit), so it
// knows no file's own date, and its files' times are the checkout's: its rules get none here, and the
// syncs that see a file change record that commit's date in the rule's history.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { FileDate } from '../model/types.js';
import type { SyncedSource } from './keys.js';

function gitOut(args: string[], cwd: string): string | undefined {
  const r = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
    maxBuffer: 256 * 1024 * 1024,
  });
  return r.status === 0 && !r.error ? r.stdout : undefined;
}

/**
 * False when git would find no repository for `root`: no `.git` (folder, or file of a linked work tree)
 * in it or above it, and no GIT_DIR naming one. Asking git costs a process start (about 20 ms of a
 * one-file sync) for every folder source that is not a checkout.
 */
function mayBeInGitWorkTree(root: string): boolean {
  if (process.env.GIT_DIR) return true;
  for (let dir = resolve(root); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return true;
    if (dirname(dir) === dir) return false;
  }
}

/**
 * Each file's last commit date under `root`, by path relative to it; undefined when `root` is not in
 * a git work tree, git is missing, or the history is shallow (its oldest commit would date every file).
 */
export function gitFileDates(root: string): Map<string, string> | undefined {
  if (!mayBeInGitWorkTree(root)) return undefined;
  if (gitOut(['rev-parse', '--is-inside-work-tree'], root)?.trim() !== 'true') return undefined;
  if (gitOut(['rev-parse', '--is-shallow-repository'], root)?.trim() !== 'false') return undefined;
  // Newest first: a path's first appearance is its last change. -z: paths as they are, NUL-separated.
  const log = gitOut(['log', '-z', '--no-renames', '--relative', '--name-only', '--format=%x01%cI'], root);
  if (log === undefined) return undefined;
  const dates = new Map<string, string>();
  let date = '';
  for (const part of log.split('\0')) {
    // A commit's line ("\x01<date>\n", after the previous commit's last NUL) is followed by its first path.
    const at = part.indexOf('\u0001');
    let path = part;
    if (at >= 0) {
      const end = part.indexOf('\n', at);
      date = part.slice(at + 1, end < 0 ? undefined : end);
      path = end < 0 ? '' : part.slice(end + 1);
    }
    path = path.replace(/^\n+/, '');
    if (path && !dates.has(path)) dates.set(path, date);
  }
  return dates;
}

/** The upstream dates of the files a write analyses, git's looked up once per source. */
export class FileDates {
  private readonly git = new Map<string, Map<string, string> | undefined>();

  /** `mtime`: the file's modification time in ms, as read. */
  of(src: SyncedSource, path: string, mtime: number): FileDate | undefined {
    if (!src.root || src.commit) return undefined;
    let dates = this.git.get(src.name);
    if (!this.git.has(src.name)) this.git.set(src.name, (dates = gitFileDates(src.root)));
    if (dates) {
      const date = dates.get(path.split('\\').join('/'));
      // A file git does not track (new, ignored) has only its own time.
      if (date) return { date, from: 'git' };
    }
    return Number.isFinite(mtime) && mtime > 0 ? { date: new Date(mtime).toISOString(), from: 'file' } : undefined;
  }
}
