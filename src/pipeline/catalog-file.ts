// Opening a catalog to write it: one writer at a time (a lock file naming its process), a busy
// timeout on every connection, what a killed writer leaves cleared away (temporary catalogs, the
// old catalog's SQLite files before a rename), and errors that say what they are. Only "no catalog" and "a catalog of
// an older schema" are answers; every other failure (a locked, unreadable or damaged file) is thrown.
import type Database from 'better-sqlite3';
import {
  closeSync,
  existsSync,
  fstatSync,
  linkSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { HistoryEntry } from '../model/types.js';
import { openDatabase, openReadOnly } from '../store/open.js';
import { schemaVersion } from '../store/schema.js';

/** SQLite's answer when a catalog lacks a table this schema has: it was written by an older ruleatlas. */
const isOlderSchema = (err: unknown) => err instanceof Error && /no such (table|column)/.test(err.message);

/** The last sync number of the catalog at `path` when it can be updated in place; undefined when there is none or it has an older schema. */
export function updatableSync(path: string): number | undefined {
  if (!existsSync(path)) return undefined;
  const db = openReadOnly(path);
  try {
    const meta = db.prepare('SELECT value FROM meta WHERE key = ?').pluck();
    if (meta.get('schemaVersion') !== String(schemaVersion)) return undefined;
    return Number(meta.get('lastSync') ?? '0');
  } catch (err) {
    if (isOlderSchema(err)) return undefined;
    throw err;
  } finally {
    db.close();
  }
}

/** What a catalog about to be replaced passes on: its rules' history and its sync number. */
export interface CarriedHistory {
  history: Map<string, HistoryEntry[]>;
  lastSync: number;
}

/** The history of the catalog at `path`, whatever its schema, to carry over; undefined when there is none (or it predates history). */
export function readOldHistory(path: string): CarriedHistory | undefined {
  if (!existsSync(path)) return undefined;
  const db = openReadOnly(path);
  try {
    const lastSync = Number(db.prepare("SELECT value FROM meta WHERE key = 'lastSync'").pluck().get() ?? '0');
    return { history: loadHistory(db), lastSync };
  } catch (err) {
    if (isOlderSchema(err)) return undefined;
    throw err;
  } finally {
    db.close();
  }
}

export function loadHistory(db: Database.Database): Map<string, HistoryEntry[]> {
  const rows = db.prepare('SELECT key, change, git_commit AS "commit", date, sync FROM history ORDER BY rowid').all() as (HistoryEntry & {
    key: string;
  })[];
  const out = new Map<string, HistoryEntry[]>();
  for (const { key, ...entry } of rows) {
    const list = out.get(key);
    if (list) list.push(entry);
    else out.set(key, [entry]);
  }
  return out;
}

/** The process holding a catalog's writer lock. */
export class CatalogLockedError extends Error {
  constructor(
    readonly path: string,
    readonly pid: number,
    since: string,
    waitedMs = 0,
  ) {
    const waited = waitedMs ? ` after waiting ${Math.round(waitedMs / 1000)} s` : '';
    super(
      `catalog ${path} is being written by process ${pid} (since ${since})${waited}; try again when it ends (sync and build wait with --wait SECONDS)`,
    );
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** When process `pid` started (clock ticks since boot; Linux), to tell it from a later process given the same id; '' where unknown. */
function startOf(pid: number): string {
  try {
    return (
      readFileSync(`/proc/${pid}/stat`, 'utf8')
        .replace(/^.*\) /, '')
        .split(' ')[19] ?? ''
    );
  } catch {
    return '';
  }
}

/** Whether the writer that wrote a lock is still running: its process id is alive and, where known, started when it did. */
function holderAlive(holder: { pid: number; start: string }): boolean {
  if (!(holder.pid > 0) || !alive(holder.pid)) return false;
  const start = holder.start && startOf(holder.pid);
  return !start || start === holder.start;
}

/** The lock file's holder, and which file it is (a lock replaced in between is another inode); undefined when there is none. */
function readHolder(lock: string): { pid: number; since: string; start: string; ino: number } | undefined {
  let fd: number;
  try {
    fd = openSync(lock, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const [pid, since, start] = readFileSync(fd, 'utf8').trim().split(' ');
    return { pid: Number(pid), since: since ?? 'unknown', start: start ?? '', ino: fstatSync(fd).ino };
  } finally {
    closeSync(fd);
  }
}

/** Move a dead writer's lock (inode `ino`) out of the way; a live lock put there since is put back. */
function takeOver(lock: string, ino: number): void {
  const moved = `${lock}.stale-${process.pid}`;
  try {
    renameSync(lock, moved);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    if (statSync(moved).ino !== ino) linkSync(moved, lock);
  } catch {
    // Another writer has taken the lock meanwhile: it holds it.
  } finally {
    rmSync(moved, { force: true });
  }
}

/** One attempt at the lock: the release function, or the live process holding it. */
function tryLock(path: string): (() => void) | { pid: number; since: string } {
  const lock = `${path}.lock`;
  // Written whole, then linked into place: no other writer ever reads a lock file without its holder.
  const mine = `${lock}.${process.pid}`;
  writeFileSync(mine, `${process.pid} ${new Date().toISOString()} ${startOf(process.pid)}\n`);
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        linkSync(mine, lock);
        const ino = statSync(lock).ino;
        // Released only while it is still this lock (a writer that found this process gone may have taken it over).
        return () => {
          if (readHolder(lock)?.ino === ino) rmSync(lock, { force: true });
        };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const holder = readHolder(lock);
      if (!holder) continue;
      if (holderAlive(holder)) return holder;
      // Left by a process that is gone (killed; its id maybe given to another since): taken over.
      takeOver(lock, holder.ino);
    }
  } finally {
    rmSync(mine, { force: true });
  }
  throw new Error(`catalog ${path}: its lock file ${lock} could not be taken`);
}

/**
 * Take the writer lock of the catalog at `path` (a `.lock` file beside it holding this process's id),
 * waiting up to `waitMs` for a live holder to end, else throw CatalogLockedError naming it. A lock
 * left by a process that is gone (killed) is taken over. Returns the release function.
 */
export async function lockCatalog(path: string, waitMs = 0): Promise<() => void> {
  const started = Date.now();
  for (;;) {
    const got = tryLock(path);
    if (typeof got === 'function') return got;
    const left = started + waitMs - Date.now();
    if (left <= 0) throw new CatalogLockedError(path, got.pid, got.since, waitMs);
    await new Promise((resolve) => setTimeout(resolve, Math.min(200, left)));
  }
}

/** A SQLite busy error, said with the catalog's name. */
export function explainBusy(err: unknown, path: string): unknown {
  if (err instanceof Error && /SQLITE_BUSY|database is locked/.test(`${(err as { code?: string }).code} ${err.message}`)) {
    return new Error(`catalog ${path} is locked by another process (SQLite: ${err.message}); nothing was written`, { cause: err });
  }
  return err;
}

/** Temporary catalogs (`<db>.tmp-<pid>`) left beside `path` by writers that are gone (killed mid-build): removed. */
export function removeStaleTemps(path: string): string[] {
  const prefix = `${basename(path)}.tmp-`;
  const removed: string[] = [];
  for (const name of readdirSync(dirname(path))) {
    if (!name.startsWith(prefix)) continue;
    // Its SQLite files too (a writer killed while it closed its temporary catalog).
    const pid = Number(/^(\d+)(-wal|-shm|-journal)?$/.exec(name.slice(prefix.length))?.[1]);
    if (!Number.isInteger(pid) || pid <= 0 || (pid !== process.pid && alive(pid))) continue;
    rmSync(join(dirname(path), name), { force: true });
    removed.push(name);
  }
  return removed;
}

/** Removed by the bin once its heap-capped child died by a signal: what that writer leaves, its temporary catalog and its lock. */
export function removeWriterLeftovers(path: string, pid: number): void {
  if (alive(pid)) return;
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${path}.tmp-${pid}${suffix}`, { force: true });
  rmSync(`${path}.lock.${pid}`, { force: true });
  const holder = readHolder(`${path}.lock`);
  if (holder?.pid === pid) takeOver(`${path}.lock`, holder.ino);
}

/**
 * Make way for a new catalog file renamed to `path` (under the writer lock): what SQLite keeps beside
 * the old one must not be taken for the new one's. The old catalog's -wal is checkpointed (for a
 * reader opening it until the rename), a hot journal of an older ruleatlas rolled back; then the
 * -wal, -shm and -journal are removed: readers that have the old catalog open keep theirs (open
 * files), and the new catalog starts without any.
 */
export function clearForReplace(path: string): void {
  if (existsSync(path)) {
    const old = openDatabase(path, { fileMustExist: true });
    try {
      old.prepare('SELECT count(*) FROM sqlite_master').get();
      old.pragma('wal_checkpoint(PASSIVE)');
    } finally {
      old.close();
    }
  }
  for (const suffix of ['-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true });
}

/** Run `cleanup` if the process exits (process.exit, as the bin's child does when its parent is gone) before the returned function is called. */
export function untilDone(cleanup: () => void): () => void {
  process.on('exit', cleanup);
  return () => process.off('exit', cleanup);
}

/** The writer was started by a bin process that is gone (killed): what it would write is no longer wanted. */
class WriterOrphanedError extends Error {
  constructor() {
    super('the ruleatlas process that started this write is gone; the write was abandoned and the catalog left as it was');
  }
}

/** The write in progress: its step count, the test hook, and the process it must not outlive (read once per write). */
const steps = { count: 0, hook: undefined as [string, NodeJS.Signals] | undefined, parent: 0 };

/** Steps of a write are counted from here (the hook below). */
export function resetSteps(): void {
  const [at, signal] = (process.env.RULEATLAS_TEST_STEP ?? '').split(':');
  steps.count = 0;
  steps.hook = at ? [at, (signal || 'SIGKILL') as NodeJS.Signals] : undefined;
  steps.parent = Number(process.env.RULEATLAS_PARENT_PID) || 0;
}

/**
 * A point in a write (`name`, and its number in the write) where it may stop: the bin's child
 * stops when the process that started it is gone (RULEATLAS_PARENT_PID is no longer its parent).
 * Tests stand a kill or a pause there with RULEATLAS_TEST_STEP=<number or name>:<signal>, the
 * signal sent by the writer to itself.
 */
export function writerStep(name: string, canStop = true): void {
  steps.count++;
  if (steps.hook && (steps.hook[0] === name || Number(steps.hook[0]) === steps.count)) process.kill(process.pid, steps.hook[1]);
  if (canStop && steps.parent && process.ppid !== steps.parent) throw new WriterOrphanedError();
}
