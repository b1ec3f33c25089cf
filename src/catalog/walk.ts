import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ignoredDirs = new Set(['.git', 'node_modules', '.github']);

/** A folder as last listed: its mtime, and its entries sorted by name, folders ending with `/`. */
export interface FolderListing {
  mtime: number;
  entries: string[];
}

/** Every file below `root`, as paths relative to it with forward slashes, in a stable order. */
export function listFiles(root: string): string[] {
  return listFilesSince(root, undefined, new Map());
}

/**
 * listFiles, reusing the listing of each folder whose mtime is as `known` has it (a folder's mtime
 * changes when an entry is added, removed or renamed in it, not when a file's content changes, so
 * an unchanged folder is stat'ed, not read). Every folder's listing is put in `listed`.
 */
export function listFilesSince(
  root: string,
  known: ReadonlyMap<string, FolderListing> | undefined,
  listed: Map<string, FolderListing>,
): string[] {
  const out: string[] = [];
  const visit = (rel: string) => {
    const dir = join(root, rel);
    // Stat before reading: an entry added after the stat shows as a new mtime next time.
    const mtime = known ? statSync(dir).mtimeMs : 0;
    let listing = known?.get(rel);
    if (!listing || listing.mtime !== mtime) {
      const entries: string[] = [];
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) {
          if (!ignoredDirs.has(entry.name)) entries.push(`${entry.name}/`);
        } else if (entry.isFile()) entries.push(entry.name);
      }
      // By name, as a folder's name without its slash.
      const name = (e: string) => (e.endsWith('/') ? e.slice(0, -1) : e);
      entries.sort((a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
      listing = { mtime, entries };
    }
    listed.set(rel, listing);
    for (const entry of listing.entries) {
      if (entry.endsWith('/')) visit(rel ? `${rel}/${entry.slice(0, -1)}` : entry.slice(0, -1));
      else out.push(rel ? `${rel}/${entry}` : entry);
    }
  };
  visit('');
  return out;
}
