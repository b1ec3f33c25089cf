// Opening a catalog to write it: one writer at a time (a lock file naming its process), a busy
// timeout on every connection, and errors that say what they are. Only "no catalog" and "a catalog of
// an older schema" are answers; every other failure (a locked, unreadable or damaged file) is thrown.
import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { HistoryEntry } from '../model/types.js';
import { schemaVersion } from '../store/schema.js';

/** How long a connection waits for another process's lock before it fails (ms; RULEATLAS_BUSY_MS). */
const busyTimeoutMs = () => Number(process.env.RULEATLAS_BUSY_MS) || 10_000;

/** A connection with the busy timeout set (readers and writers alike). */
export function openDatabase(path: string, opts: Database.Options = {}): Database.Database {
  const db = new Database(path, opts);
  db.pragma(`busy_timeout = ${busyTimeoutMs()}`);
  return db;
}

/** SQLite's answer when a catalog lacks a table this schema has: it was written by an older ruleatlas. */
const isOlderSchema = (err: unknown) => err instanceof Error && /no such (table|column)/.test(err.message);

/** The last sync number of the catalog at `path` when it can be updated in place; undefined when there is none or it has an older schema. */
export function updatableSync(path: string): number | undefined {
  if (!existsSync(path)) return undefined;
  const db = openDatabase(path, { readonly: true, fileMustExist: true });
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
  const db = openDatabase(path, { readonly: true, fileMustExist: true });
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
  ) {
    super(`catalog ${path} is being written by process ${pid} (since ${since}); try again when it ends`);
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

/**
 * Take the writer lock of the catalog at `path` (a `.lock` file beside it holding this process's id),
 * or throw CatalogLockedError naming the live process that holds it. A lock left by a process that
 * is gone (killed) is taken over. Returns the release function.
 */
export function lockCatalog(path: string): () => void {
  const lock = `${path}.lock`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, `${process.pid} ${new Date().toISOString()}\n`);
      closeSync(fd);
      return () => rmSync(lock, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let holder = '';
    try {
      holder = readFileSync(lock, 'utf8');
    } catch {
      continue;
    }
    const [pid, since] = holder.trim().split(' ');
    if (Number(pid) > 0 && alive(Number(pid))) throw new CatalogLockedError(path, Number(pid), since ?? 'unknown');
    rmSync(lock, { force: true });
  }
  throw new Error(`catalog ${path}: its lock file ${lock} could not be taken`);
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
    const pid = Number(name.slice(prefix.length));
    if (!Number.isInteger(pid) || pid <= 0 || (pid !== process.pid && alive(pid))) continue;
    rmSync(join(dirname(path), name), { force: true });
    removed.push(name);
  }
  return removed;
}
