// Reading a file of a source. Every read resolves its path (realpath: every link followed) and
// refuses what then lies outside the source's own folder (resolved too): a link committed to a
// repository (`env.py -> /proc/self/environ`) or a path a rule names (`Filename: ../../etc/hostname`)
// never brings another file of the machine into the catalog.
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { type DecodedText, decodeText } from './decode.js';

export const sha1 = (data: string | Uint8Array) => createHash('sha1').update(data).digest('hex');

/** Whether a resolved path is `realRoot` or below it (both real paths). */
export function isInside(realRoot: string, real: string): boolean {
  return real === realRoot || real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep);
}

/** Folders of a source never read, at any depth: a git checkout's own files (its remote may hold a token), dependencies. */
export const ignoredDirs: ReadonlySet<string> = new Set(['.git', 'node_modules', '.github']);

/** The ignored folder a real path inside `realRoot` passes through, if any. */
export function ignoredFolderOf(realRoot: string, real: string): string | undefined {
  return real
    .slice(realRoot.length + 1)
    .split(sep)
    .slice(0, -1)
    .find((name) => ignoredDirs.has(name));
}

/** The real path of `rel` (relative to the source folder `root`); throws when it resolves outside the source, into a folder never read, or to nothing. */
function resolveInside(root: string, rel: string): string {
  const real = realpathSync.native(join(root, rel));
  const realRoot = realpathSync.native(root);
  if (!isInside(realRoot, real)) throw new Error(`${rel} resolves to a path outside the source: not read`);
  const ignored = ignoredFolderOf(realRoot, real);
  if (ignored) throw new Error(`${rel} resolves into ${ignored}/, which is never read`);
  return real;
}

/**
 * The real paths of a source's folders, each resolved once: reading a file of a resolved folder opens
 * it by its real folder's path without following a link in its name (a file that is a link is resolved
 * whole, as without them). Make one per write and drop it after: a folder swapped for a link between
 * two writes (a pull) must be resolved again. Resolving the source and the file's every folder for
 * each file took about 0.5 CPU s of a whole-corpus build.
 */
export class RealFolders {
  private readonly roots = new Map<string, string>();
  private readonly folders = new Map<string, string | null>();

  /** The real path of folder `dir` of source `root`, when it lies inside the source and outside ignored folders (null: resolve the file whole). */
  realFolder(root: string, dir: string): string | null {
    const key = `${root}\u0000${dir}`;
    let real = this.folders.get(key);
    if (real === undefined) {
      real = null;
      try {
        let realRoot = this.roots.get(root);
        if (realRoot === undefined) this.roots.set(root, (realRoot = realpathSync.native(root)));
        const found = realpathSync.native(join(root, dir));
        if (isInside(realRoot, found) && !ignoredFolderOf(realRoot, join(found, 'file'))) real = found;
      } catch {
        // Not there, or not a folder: the file is resolved whole, which says why it is not read.
      }
      this.folders.set(key, real);
    }
    return real;
  }
}

/** A descriptor of `rel` open for reading, inside the source once resolved (see resolveInside, RealFolders). */
function openInside(root: string, rel: string, folders?: RealFolders): number {
  // Without O_NOFOLLOW (Windows), opening by the folder would follow a link: every file is resolved whole.
  const folder = constants.O_NOFOLLOW === undefined ? null : folders?.realFolder(root, dirname(rel));
  if (folder) {
    try {
      return openSync(join(folder, basename(rel)), openFlags);
    } catch (err) {
      // ELOOP: the file is a link (O_NOFOLLOW), resolved whole below.
      if ((err as NodeJS.ErrnoException).code !== 'ELOOP') throw err;
    }
  }
  return openSync(resolveInside(root, rel), openFlags);
}

/** A file of a source as read: its text (see decodeText), sha1, and size and mtime taken before reading (a later write shows). */
export interface SourceText extends DecodedText {
  sha1: string;
  size: number;
  mtime: number;
}

// Never wait on a pipe; a link swapped in after the path was resolved is refused (ELOOP).
const openFlags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

/**
 * The largest file read (bytes; `RULEATLAS_MAX_FILE_MB`, default 4): the shared corpus's largest
 * is 0.3 MB, and parsers' work grows with a file, some faster than linearly. Checked before a byte is
 * read, for rule files and the files they name alike (a Panther rule's `.py`).
 */
function maxFileBytes(): number {
  const mb = Number(process.env.RULEATLAS_MAX_FILE_MB);
  return Math.round((Number.isFinite(mb) && mb > 0 ? mb : 4) * 1024 * 1024);
}

/**
 * Read the file `rel` of the source folder `root`, only when it is a regular file inside the source
 * once resolved; throws otherwise (with a reason to report). The sha1 is of the text, or of the
 * bytes when they were not read as text. `folders`: the write's resolved folders, if it keeps them.
 */
export function readSourceFile(root: string, rel: string, folders?: RealFolders): SourceText {
  const fd = openInside(root, rel, folders);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new Error(`${rel} is not a regular file: not read`);
    const limit = maxFileBytes();
    if (stat.size > limit) {
      // Its size and time stand for its content: a sync sees it change without reading it.
      const refused = `file too large to read (${stat.size} bytes; limit ${limit})`;
      return { text: '', refused, sha1: sha1(`${refused} ${stat.mtimeMs}`), size: stat.size, mtime: stat.mtimeMs };
    }
    const bytes = readFileSync(fd);
    const decoded = decodeText(bytes);
    return { ...decoded, sha1: sha1(decoded.refused ? bytes : decoded.text), size: stat.size, mtime: stat.mtimeMs };
  } finally {
    closeSync(fd);
  }
}

/** Why a read failed, in a line for the report: without the machine's path a file system error names (it names the entry already). */
export const readError = (err: unknown) => (err instanceof Error ? err.message : String(err)).split('\n')[0]!.replace(/, [a-z_]+ '.*$/, '');
