// Which files of the sources changed since the catalog was written: size and mtime first (no read),
// the content's sha1 only when they differ. Git sources fit too: a checkout rewrites changed files only.
// Content is read only through readSourceFile (inside the source once resolved); a stat follows a
// link the walk followed, so a change to its target is seen.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { readError, readSourceFile, type SourceText } from '../catalog/source-file.js';
import { type FolderListing, listFilesSince, type Walk } from '../catalog/walk.js';
import { analysedByOf, analyserKey, type AnalyserVersions, changedParts } from '../analysis/versions.js';
import type { FileError } from '../model/types.js';
import type { FileRow } from '../store/writer.js';
import { fileKey, type SyncedSource } from './keys.js';

/** A file to analyse: new, its content changed, or what its analysis depends on changed. */
export interface ChangedFile {
  src: SyncedSource;
  path: string;
  /** The file as the scan read it (a file the catalog never had is read by its analysis). */
  read?: SourceText;
  /** Why it is analysed again when its content is as stored (the analyser changed, a file it reads changed). */
  why?: string;
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
  /** Entries of the sources not read, and why (links leaving the source, pipes ...: see Walk). */
  skipped: FileError[];
  /** Each reachable source's folders as listed now (see listFilesSince). */
  folders: Map<string, Map<string, FolderListing>>;
}

/**
 * Compare every file of the reachable sources with the catalog's `files` rows (by fileKey);
 * `folders`: each source's folder listings as the last scan left them, if any. A file whose content
 * is as stored is analysed again when the analyser that read it changed (`versions`) or when a file
 * its analysis read (files.related) changed, appeared or went.
 */
export function scanSources(
  sources: SyncedSource[],
  known: Map<string, FileRow>,
  folders: ReadonlyMap<string, ReadonlyMap<string, FolderListing>> | undefined,
  versions: AnalyserVersions,
): Scan {
  const scan: Scan = { changed: [], touched: [], deleted: [], unchanged: 0, errors: [], skipped: [], folders: new Map() };
  for (const src of sources) {
    if (!src.root) continue;
    let walk: Walk;
    try {
      const listed = new Map<string, FolderListing>();
      walk = listFilesSince(src.root, folders?.get(src.name) ?? new Map(), listed);
      scan.folders.set(src.name, listed);
    } catch (err) {
      scan.errors.push({ path: src.name, reason: `source folder cannot be read: ${readError(err)}` });
      continue;
    }
    const paths = walk.files;
    for (const s of walk.skipped) scan.skipped.push({ ...s, path: `${src.name}/${s.path}` });
    for (const u of walk.unlisted) {
      scan.errors.push({ path: `${src.name}/${u.path}`, reason: `${u.reason}; the catalog keeps what it had of its files` });
    }
    // Files of a folder that could not be listed are not known to be gone.
    const unlisted = walk.unlisted.map((u) => u.path);
    const underUnlisted = (path: string) => unlisted.some((folder) => path.startsWith(folder));
    const seen = new Set<string>();
    // Files whose content is as stored, to check against the analyser and the files they read.
    const same: FileRow[] = [];
    const moved = new Set<string>();
    for (const path of paths) {
      const key = fileKey(src.name, path);
      seen.add(key);
      const before = known.get(key);
      if (!before) {
        scan.changed.push({ src, path });
        moved.add(path);
        continue;
      }
      try {
        // Stat before reading: a write after the stat shows as a new mtime next time.
        const stat = statSync(join(src.root, path));
        if (before.size === stat.size && before.mtime === stat.mtimeMs) {
          same.push(before);
          continue;
        }
        const read = readSourceFile(src.root, path);
        if (before.sha1 === read.sha1) {
          const touched = { ...before, size: read.size, mtime: read.mtime };
          scan.touched.push(touched);
          same.push(touched);
        } else {
          scan.changed.push({ src, path, read });
          moved.add(path);
        }
      } catch (err) {
        scan.errors.push({ path: `${src.name}/${path}`, reason: `file cannot be read: ${readError(err)}` });
        scan.unchanged++;
      }
    }
    for (const row of known.values()) {
      if (row.source !== src.name || seen.has(fileKey(row.source, row.path))) continue;
      if (underUnlisted(row.path)) scan.unchanged++;
      else {
        scan.deleted.push({ source: row.source, path: row.path });
        moved.add(row.path);
      }
    }
    for (const row of same) {
      const why = staleBecause(row, moved, versions);
      if (!why) {
        scan.unchanged++;
        continue;
      }
      try {
        scan.changed.push({ src, path: row.path, read: readSourceFile(src.root, row.path), why });
      } catch (err) {
        scan.errors.push({ path: `${src.name}/${row.path}`, reason: `file cannot be read: ${readError(err)}` });
        scan.unchanged++;
      }
    }
  }
  return scan;
}

/**
 * Read a changed file the scan did not read (a file the catalog never had), so that an in-place
 * write knows its rules' languages before analysing it; one that cannot be read is left to the
 * analysis, which reports it.
 */
export function readChanged(f: ChangedFile): ChangedFile['read'] {
  if (f.read || !f.src.root) return f.read;
  try {
    f.read = readSourceFile(f.src.root, f.path);
  } catch {
    // Reported by the analysis, which reads it again.
  }
  return f.read;
}

/** Why a file whose content is as stored must be analysed again, if it must: `moved`, the paths of its source that are new, changed or gone. */
function staleBecause(row: FileRow, moved: ReadonlySet<string>, versions: AnalyserVersions): string | undefined {
  const now = currentKey(row.analyser, versions);
  if (now !== row.analyser) return `analyser changed (${changedParts(row.analyser, now).join(', ') || 'unknown'})`;
  if (row.related === '[]' || !row.related) return undefined;
  for (const [path] of JSON.parse(row.related) as [string, string][]) if (moved.has(path)) return `${path} changed`;
  return undefined;
}

// A corpus's files share a few dozen analyser keys: each is worked out once per set of versions.
let keysOf: { versions: AnalyserVersions; now: Map<string, string> } | undefined;
function currentKey(stored: string, versions: AnalyserVersions): string {
  if (keysOf?.versions !== versions) keysOf = { versions, now: new Map() };
  let now = keysOf.now.get(stored);
  if (now === undefined) keysOf.now.set(stored, (now = analyserKey(analysedByOf(stored), versions)));
  return now;
}
