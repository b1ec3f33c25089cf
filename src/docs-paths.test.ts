// The architecture docs name code by path: every such path must exist, so that a move or a rename
// updates the map in the same commit instead of leaving it pointing at nothing.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const src = join(root, 'src');

/** The top-level folders of src/: a backticked `store/rows` or `web/pages/rule.ts` names code below one. */
const srcFolders = new Set(
  readdirSync(src, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name),
);

/** Every file and folder name below src/, for bare names (`write.ts`) that name a module of the section's folder. */
function namesBelow(dir: string, out = new Set<string>()): Set<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    out.add(e.name);
    if (e.isDirectory()) namesBelow(join(dir, e.name), out);
  }
  return out;
}

/** Whether a path below src/ names a file or folder, written with or without its `.ts`, or as the compiled `.js`. */
function existsInSrc(path: string): boolean {
  const at = join(src, path.replace(/\/$/, ''));
  return [at, `${at}.ts`, at.replace(/\.js$/, '.ts')].some((p) => existsSync(p));
}

/** The code paths a markdown text names in backticks that do not exist. Placeholders (`<id>`, `*`) are left out. */
function missingPaths(markdown: string, names: ReadonlySet<string>): string[] {
  const missing: string[] = [];
  for (const [, code] of markdown.matchAll(/`([^`\n]+)`/g)) {
    for (const word of code!.split(/[\s,()]+/)) {
      if (!word || /[<>*{}]|\.\.\.|:\/\//.test(word)) continue;
      const path = word.startsWith('src/') ? word.slice(4) : word;
      const first = path.split('/')[0]!;
      if (path.includes('/') && (word.startsWith('src/') || srcFolders.has(first))) {
        if (!existsInSrc(path)) missing.push(word);
      } else if (!path.includes('/') && /^[\w.-]+\.(ts|peggy)$/.test(path) && !names.has(path)) missing.push(word);
    }
  }
  return missing;
}

test('the checker finds a path that does not exist, and takes the forms the docs use', () => {
  const names = namesBelow(src);
  assert.deepEqual(missingPaths('`src/store/no-such-module.ts`, `web/nowhere/`, `gone.ts`', names), [
    'src/store/no-such-module.ts',
    'web/nowhere/',
    'gone.ts',
  ]);
  assert.deepEqual(missingPaths('`store/rows` `src/pipeline/write.ts` `languages/<id>/` `catalog/walk.js` `walk.ts`', names), []);
});

test('every code path the architecture docs name exists', () => {
  const names = namesBelow(src);
  const docs = [join(root, 'docs', 'ARCHITECTURE.md')];
  const detail = join(root, 'docs', 'architecture');
  if (existsSync(detail)) for (const f of readdirSync(detail).sort()) if (f.endsWith('.md')) docs.push(join(detail, f));
  const problems = docs.flatMap((doc) => missingPaths(readFileSync(doc, 'utf8'), names).map((p) => `${doc.slice(root.length)}: ${p}`));
  assert.deepEqual(problems, [], 'paths named in the docs that do not exist');
});
