// Runs a large library script in this context with V8's code cache kept on disk: Kusto's two
// files (5 MB of JavaScript) cost ~60 ms to compile and more in functions compiled lazily as the
// first query is parsed, in every process that parses KQL (a sync of one changed rule included).
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Script } from 'node:vm';

export interface CachedScript {
  /** Keep the code compiled so far for the next process, unless the cache used was already current. */
  save(): void;
}

/** Run the script at `path` in this context, from the code cache in `cacheDir` when one matches it. */
export function runCached(path: string, cacheDir: string): CachedScript {
  const source = readFileSync(path, 'utf8');
  const { size, mtimeMs } = statSync(path);
  // V8 rejects a cache of another V8 or source; the name keeps one per version anyway.
  const cacheFile = join(cacheDir, `${basename(path)}-${size}-${Math.round(mtimeMs)}-${process.versions.v8}.bin`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // None yet.
  }
  const script = new Script(source, { filename: path, cachedData });
  script.runInThisContext();
  let current = cachedData !== undefined && !script.cachedDataRejected;
  return {
    save() {
      if (current) return;
      current = true;
      try {
        mkdirSync(cacheDir, { recursive: true });
        // Written aside and renamed: processes (or threads) saving at once never leave half a file.
        const temp = `${cacheFile}.${process.pid}-${Math.random().toString(36).slice(2)}`;
        writeFileSync(temp, script.createCachedData());
        renameSync(temp, cacheFile);
      } catch {
        // A cache that cannot be written only means a slower start next time.
      }
    },
  };
}
