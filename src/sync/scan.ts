// Which files of the sources changed since the catalog was written: size and mtime first (no read),
// the content's sha1 only when they differ. Git sources fit too: a checkout rewrites changed files only.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type FolderListing, listFilesSince } from '../catalog/walk.js';
import type { FileError } from '../model/types.js';
import type { FileRow } from '../store/writer.js';
import { fileKey, type SyncedSource } from './keys.js';

/** A file whose content is new or changed: to analyse. */
export interface ChangedFile {
  src: SyncedSource;
  path: string;
  text: string;
  sha1: string;
  size: number;
  mtime: number;
}

export interface Scan {
  changed: ChangedFile[];
  /** Same content under a new size or mtime: only their files row is updated. */
  touched: FileRow[];
  /** Files a reachable source no longer has. */
  deleted: { source: string; path: string }[];
  unchanged: number;
  /** Files or folders that could not be read; what the catalog knew of them stays. */
  errors: FileError[];
  /** Each reachable source's folders as listed now (see listFilesSince). */
  folders: Map<string, Map<string, FolderListing>>;
}

export const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Compare every file of the reachable sources with the catalog's `files` rows (by fileKey);
 * `folders`: each source's folder listings as the last scan left them, if any.
 */
export function scanSources(sources: SyncedSource[], known: Map<string, FileRow>, folders?: ReadonlyMap<string, ReadonlyMap<string, FolderListing>>): Scan {
  const scan: Scan = { changed: [], touched: [], deleted: [], unchanged: 0, errors: [], folders: new Map() };
  for (const src of sources) {
    if (!src.root) continue;
    let paths: string[];
    try {
      const listed = new Map<string, FolderListing>();
      paths = listFilesSince(src.root, folders?.get(src.name) ?? new Map(), listed);
      scan.folders.set(src.name, listed);
    } catch (err) {
      scan.errors.push({ path: src.name, reason: `source folder cannot be read: ${reason(err)}` });
      continue;
    }
    const seen = new Set<string>();
    for (const path of paths) {
      const key = fileKey(src.name, path);
      seen.add(key);
      const before = known.get(key);
      try {
        // Stat before reading: a write after the stat shows as a new mtime next time.
        const stat = statSync(join(src.root, path));
        if (before && before.size === stat.size && before.mtime === stat.mtimeMs) {
          scan.unchanged++;
          continue;
        }
        const text = readFileSync(join(src.root, path), 'utf8');
        const sha = sha1(text);
        if (before && before.sha1 === sha) {
          scan.touched.push({ ...before, size: stat.size, mtime: stat.mtimeMs });
          scan.unchanged++;
        } else scan.changed.push({ src, path, text, sha1: sha, size: stat.size, mtime: stat.mtimeMs });
      } catch (err) {
        scan.errors.push({ path: `${src.name}/${path}`, reason: `file cannot be read: ${reason(err)}` });
        if (before) scan.unchanged++;
      }
    }
    for (const row of known.values()) if (row.source === src.name && !seen.has(fileKey(row.source, row.path))) scan.deleted.push({ source: row.source, path: row.path });
  }
  return scan;
}
