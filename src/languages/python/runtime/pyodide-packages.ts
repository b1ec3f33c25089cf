// Why a module a rule imports cannot be had offline, from what Pyodide says of its own packages:
// its npm package ships the interpreter and the standard library only, and lists in
// pyodide-lock.json the packages (wheels) it would otherwise download. The runner loads none.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

interface LockPackage {
  name: string;
  file_name: string;
  imports?: string[];
}

interface PyodidePackages {
  version: string;
  folder: string;
  byImport: Map<string, LockPackage>;
}

let known: PyodidePackages | null | undefined;

/** Pyodide's packages by the module names they provide, read once (null: Pyodide or its lock file not found). */
function pyodidePackages(): PyodidePackages | null {
  if (known !== undefined) return known;
  try {
    const folder = dirname(createRequire(import.meta.url).resolve('pyodide/package.json'));
    const { version } = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { version: string };
    const lock = JSON.parse(readFileSync(join(folder, 'pyodide-lock.json'), 'utf8')) as { packages: Record<string, LockPackage> };
    const byImport = new Map<string, LockPackage>();
    for (const p of Object.values(lock.packages)) for (const name of p.imports ?? []) byImport.set(name, p);
    known = { version, folder, byImport };
  } catch {
    known = null;
  }
  return known;
}

/** The end of a reason "imports X, …": why X is not available offline. */
export function whyNotOffline(module: string): string {
  const top = module.split('.')[0] ?? module;
  const pyodide = pyodidePackages();
  if (!pyodide) return 'which is neither in the source nor available offline';
  const p = pyodide.byImport.get(top);
  if (!p) return `which is neither in the source nor a package of Pyodide ${pyodide.version}`;
  return existsSync(join(pyodide.folder, p.file_name))
    ? `which Pyodide's npm package holds (${p.name}) but the runner does not load`
    : `a package of Pyodide ${pyodide.version} (${p.name}) that its npm package does not hold: it would be downloaded`;
}
