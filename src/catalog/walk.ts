// Listing the files of a source folder. Every entry is accounted for: a plain file is listed, a
// folder walked, and anything else (a link, a pipe, a device) is looked at on every walk: a link is
// followed only when it resolves to a file inside the source; every other entry, and every folder
// that cannot be listed, is returned with the reason, for the build report.
import { lstatSync, readdirSync, readlinkSync, realpathSync, type Stats, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FileError } from '../model/types.js';
import { ignoredDirs, ignoredFolderOf, isInside, readError } from './source-file.js';

/**
 * A folder as last listed: its mtime, and its entries sorted by name, folders ending with `/`.
 * `others`: the entries that are neither a plain file nor a folder (links, pipes, sockets,
 * devices), looked at again on every walk, since where a link leads can change while its folder does not.
 */
export interface FolderListing {
  mtime: number;
  entries: string[];
  others: string[];
}

/** What a walk found below a source folder; paths are relative to it, with forward slashes. */
export interface Walk {
  /** Files to read, in a stable order: plain files, and links that resolve to a file inside the source. */
  files: string[];
  /** Entries not read, and why: links that leave the source or name a folder or nothing; pipes, sockets, devices. */
  skipped: FileError[];
  /** Folders that could not be listed (paths ending with `/`), and why. */
  unlisted: FileError[];
}

/** Every file below `root` (see Walk). */
export function listFiles(root: string): Walk {
  return listFilesSince(root, undefined, new Map());
}

/** A listing as the catalog's `folders` table keeps it. */
export const listingJson = (l: FolderListing) => JSON.stringify({ entries: l.entries, others: l.others });

/**
 * A stored listing. One stored before other entries were listed (a plain array) lacks them: it
 * takes an mtime no folder has (NaN), so that its folder is read again.
 */
export function storedListing(mtime: number, json: string): FolderListing {
  const stored = JSON.parse(json) as Partial<FolderListing> | string[];
  if (Array.isArray(stored) || !Array.isArray(stored.entries) || !Array.isArray(stored.others))
    return { mtime: NaN, entries: [], others: [] };
  return { mtime, entries: stored.entries, others: stored.others };
}

function kindOf(stat: Stats): string {
  if (stat.isFIFO()) return 'a named pipe';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isDirectory()) return 'a folder';
  return 'not a regular file';
}

/** Why an entry that is neither a plain file nor a folder when listed is not read; undefined when it is a link to be followed. */
function whyNotRead(root: string, realRoot: string, rel: string): string | undefined {
  const full = join(root, rel);
  let stat: Stats;
  try {
    stat = lstatSync(full);
  } catch (err) {
    return `cannot be looked at: ${readError(err)}`;
  }
  if (stat.isFile()) return undefined;
  if (!stat.isSymbolicLink()) return `${kindOf(stat)}, not a file: not read`;
  const to = readlinkSync(full);
  let real: string;
  try {
    real = realpathSync.native(full);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'which does not exist' : code === 'ELOOP' ? 'which loops' : `which cannot be resolved (${readError(err)})`;
    return `symbolic link to ${to}, ${why}: not read`;
  }
  if (!isInside(realRoot, real)) return `symbolic link to ${to}, outside the source: not read`;
  const ignored = ignoredFolderOf(realRoot, real);
  if (ignored) return `symbolic link to ${to}, into ${ignored}/, which is never read`;
  const target = statSync(real);
  if (target.isFile()) return undefined;
  // Its files inside the source are read where they are; following it could loop or read them twice.
  if (target.isDirectory()) return `symbolic link to the folder ${to}: not followed`;
  return `symbolic link to ${to}, ${kindOf(target)}: not read`;
}

/** A folder's listing: `known` when its mtime is as known (`useMtime`), else read. */
function listFolder(dir: string, known: FolderListing | undefined, useMtime: boolean): FolderListing {
  // Stat before reading: an entry added after the stat shows as a new mtime next time.
  const mtime = useMtime ? statSync(dir).mtimeMs : 0;
  if (known && known.mtime === mtime) return known;
  const entries: string[] = [];
  const others: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!ignoredDirs.has(entry.name)) entries.push(`${entry.name}/`);
    } else {
      entries.push(entry.name);
      if (!entry.isFile()) others.push(entry.name);
    }
  }
  // By name, as a folder's name without its slash.
  const name = (e: string) => (e.endsWith('/') ? e.slice(0, -1) : e);
  entries.sort((a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
  return { mtime, entries, others };
}

/**
 * listFiles, reusing the listing of each folder whose mtime is as `known` has it (a folder's mtime
 * changes when an entry is added, removed or renamed in it, not when a file's content changes, so
 * an unchanged folder is stat'ed, not read). Every folder's listing is put in `listed`. Throws only
 * when the source folder itself cannot be listed.
 */
export function listFilesSince(
  root: string,
  known: ReadonlyMap<string, FolderListing> | undefined,
  listed: Map<string, FolderListing>,
): Walk {
  const walk: Walk = { files: [], skipped: [], unlisted: [] };
  const realRoot = realpathSync.native(root);
  const visit = (rel: string) => {
    let listing: FolderListing;
    try {
      listing = listFolder(join(root, rel), known?.get(rel), !!known);
    } catch (err) {
      if (!rel) throw err;
      walk.unlisted.push({ path: `${rel}/`, reason: `folder cannot be listed: ${readError(err)}` });
      return;
    }
    listed.set(rel, listing);
    const others = new Set(listing.others);
    for (const entry of listing.entries) {
      const path = rel ? `${rel}/${entry}` : entry;
      if (entry.endsWith('/')) visit(path.slice(0, -1));
      else if (!others.has(entry)) walk.files.push(path);
      else {
        let reason: string | undefined;
        try {
          reason = whyNotRead(root, realRoot, path);
        } catch (err) {
          // Gone or changed while being looked at: the next walk sees it as it is then.
          reason = `cannot be looked at: ${readError(err)}`;
        }
        if (reason) walk.skipped.push({ path, reason });
        else walk.files.push(path);
      }
    }
  };
  visit('');
  return walk;
}
