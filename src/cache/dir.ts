// Where derived data is kept between processes (compiled Kusto code, the ATT&CK names of a bundle):
// RULEATLAS_CACHE_DIR, else node_modules/.cache/ruleatlas beside the package. Anything there can be
// deleted; it is made again.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cacheDir = () =>
  process.env.RULEATLAS_CACHE_DIR || join(fileURLToPath(new URL('../../', import.meta.url)), 'node_modules', '.cache', 'ruleatlas');

/** A cached file's content, or undefined. */
export function readCached(name: string): Buffer | undefined {
  try {
    return readFileSync(join(cacheDir(), name));
  } catch {
    return undefined;
  }
}

/** Keep `data` under `name`, written aside and renamed (processes writing at once never leave half a file); failures only cost time later. */
export function writeCached(name: string, data: string | Uint8Array): void {
  try {
    const dir = cacheDir();
    mkdirSync(dir, { recursive: true });
    const temp = join(dir, `${name}.${process.pid}-${Math.random().toString(36).slice(2)}`);
    writeFileSync(temp, data);
    renameSync(temp, join(dir, name));
  } catch {
    // A cache that cannot be written only means a slower start next time.
  }
}
