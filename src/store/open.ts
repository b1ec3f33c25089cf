// Opening a catalog file. Catalogs are in WAL mode (pipeline/write.ts sets it): a writer killed
// mid-write leaves a -wal whose uncommitted frames every connection ignores, read-only ones too
// (they rebuild the -shm index themselves), so a reader always sees the last committed state.
import Database from 'better-sqlite3';

/** How long a connection waits for another process's lock before it fails (ms; RULEATLAS_BUSY_MS). */
const busyTimeoutMs = () => Number(process.env.RULEATLAS_BUSY_MS) || 10_000;

/** A connection with the busy timeout set (readers and writers alike). */
export function openDatabase(path: string, opts: Database.Options = {}): Database.Database {
  const db = new Database(path, opts);
  db.pragma(`busy_timeout = ${busyTimeoutMs()}`);
  return db;
}

/** SQLite's answer to a read-only connection that finds a hot rollback journal, which only a writer may roll back. */
const isHotJournal = (err: unknown) =>
  err instanceof Error && ((err as { code?: string }).code === 'SQLITE_READONLY_ROLLBACK' || /readonly database/.test(err.message));

/**
 * A read-only connection to the catalog at `path`. A catalog written before WAL mode, by a writer
 * killed mid-transaction, has a hot rollback journal that a read-only connection cannot roll back:
 * a read-write connection is opened once to let SQLite roll it back (under its own locks), then
 * the catalog is opened read-only again, as it was before that write.
 */
export function openReadOnly(path: string): Database.Database {
  const open = () => {
    const db = openDatabase(path, { readonly: true, fileMustExist: true });
    try {
      // The first read is where SQLite looks for a hot journal or a -wal to recover.
      db.prepare('SELECT count(*) FROM sqlite_master').get();
      return db;
    } catch (err) {
      db.close();
      throw err;
    }
  };
  try {
    return open();
  } catch (err) {
    if (!isHotJournal(err)) throw err;
  }
  const recover = openDatabase(path, { fileMustExist: true });
  try {
    recover.prepare('SELECT count(*) FROM sqlite_master').get();
  } finally {
    recover.close();
  }
  return open();
}
