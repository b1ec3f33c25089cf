// Runs a large library script in this context with V8's code cache kept on disk: Kusto's two
// files (5 MB of JavaScript) cost ~60 ms to compile and more in functions compiled lazily as the
// first query is parsed, in every process that parses KQL (a sync of one changed rule included).
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Script } from 'node:vm';
import { readCached, writeCached } from '../../cache/dir.js';

export interface CachedScript {
  /** Keep the code compiled so far for the next process, unless the cache used was already current. */
  save(): void;
}

/** Run the script at `path` in this context, from the code cache when one matches it. */
export function runCached(path: string): CachedScript {
  const source = readFileSync(path, 'utf8');
  const { size, mtimeMs } = statSync(path);
  // V8 rejects a cache of another V8 or source; the name keeps one per version anyway.
  const name = `${basename(path)}-${size}-${Math.round(mtimeMs)}-${process.versions.v8}.bin`;
  const cachedData = readCached(name);
  const script = new Script(source, { filename: path, cachedData });
  script.runInThisContext();
  let current = cachedData !== undefined && !script.cachedDataRejected;
  return {
    save() {
      if (current) return;
      current = true;
      writeCached(name, script.createCachedData());
    },
  };
}
