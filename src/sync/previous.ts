// The catalog a sync replaces: what it knew of each file, each rule's history, the rules gone upstream.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import type { HistoryEntry } from '../model/types.js';
import type { FileRow } from '../store/writer.js';

export interface RemovedRule {
  key: string;
  json: string;
  body: string;
}

export const fileKey = (source: string, path: string) => `${source}\0${path}`;

export class PreviousCatalog {
  private constructor(private readonly db: Database.Database) {}

  /** The catalog at `path`, or undefined when there is none or it was not written by a sync-aware build. */
  static open(path: string): PreviousCatalog | undefined {
    if (!existsSync(path)) return undefined;
    const db = new Database(path, { readonly: true, fileMustExist: true });
    const has = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('files', 'history', 'removed_rules')").pluck().get();
    if (has !== 3) {
      db.close();
      return undefined;
    }
    return new PreviousCatalog(db);
  }

  /** sha1 of every known file, by fileKey. */
  fileShas(): Map<string, string> {
    const rows = this.db.prepare('SELECT source, path, sha1 FROM files').all() as { source: string; path: string; sha1: string }[];
    return new Map(rows.map((r) => [fileKey(r.source, r.path), r.sha1]));
  }

  /** Paths of a source's known files, in path order. */
  pathsOf(source: string): string[] {
    return this.db.prepare('SELECT path FROM files WHERE source = ? ORDER BY path').pluck().all(source) as string[];
  }

  fileRow(source: string, path: string): FileRow | undefined {
    return this.db.prepare('SELECT source, path, sha1, kind, reason, rules, body FROM files WHERE source = ? AND path = ?').get(source, path) as FileRow | undefined;
  }

  history(): Map<string, HistoryEntry[]> {
    const rows = this.db.prepare('SELECT key, change, git_commit AS "commit", date, sync FROM history ORDER BY rowid').all() as (HistoryEntry & { key: string })[];
    const out = new Map<string, HistoryEntry[]>();
    for (const { key, ...entry } of rows) {
      const list = out.get(key);
      if (list) list.push(entry);
      else out.set(key, [entry]);
    }
    return out;
  }

  removedRules(): RemovedRule[] {
    return this.db.prepare('SELECT key, json, body FROM removed_rules ORDER BY rowid').all() as RemovedRule[];
  }

  meta(key: string): string | undefined {
    return this.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined;
  }

  close(): void {
    this.db.close();
  }
}
