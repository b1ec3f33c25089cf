import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const ignoredDirs = new Set(['.git', 'node_modules', '.github']);

/** Every file below `root`, as paths relative to it with forward slashes, in a stable order. */
export function listFiles(root: string): string[] {
  const out: string[] = [];
  const visit = (rel: string) => {
    const entries = readdirSync(join(root, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!ignoredDirs.has(entry.name)) visit(child);
      } else if (entry.isFile()) {
        out.push(child);
      }
    }
  };
  visit('');
  return out;
}
