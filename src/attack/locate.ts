import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const bundleName = 'enterprise-attack.json';

/**
 * Where to find the ATT&CK bundle when none is named: in a source folder or one of its
 * ancestors, directly or in an `attack/` folder (the layout of a corpus such as ../shared/corpus).
 */
export function locateAttackBundle(paths: string[]): string | undefined {
  for (const path of paths) {
    let dir = resolve(path);
    for (;;) {
      for (const candidate of [join(dir, bundleName), join(dir, 'attack', bundleName)]) {
        if (existsSync(candidate)) return candidate;
      }
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return undefined;
}
