// Build: generate peggy parsers beside their grammars, compile TypeScript to dist/, copy assets.
// `--grammars-only` stops after the parsers (for running tests straight from src with a TypeScript loader such as `npx tsx`).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import peggy from 'peggy';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const dist = join(root, 'dist');

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else out.push(path);
  }
  return out;
}

const files = walk(src);
for (const grammar of files.filter((f) => f.endsWith('.peggy'))) {
  const target = grammar.replace(/\.peggy$/, '.parser.js');
  const text = readFileSync(grammar, 'utf8');
  const code = peggy.generate(text, {
    output: 'source',
    format: 'es',
    grammarSource: relative(root, grammar),
  });
  writeFileSync(target, code);
  writeFileSync(
    target.replace(/\.js$/, '.d.ts'),
    [
      'export interface PeggyLocation { start: { offset: number; line: number; column: number }; end: { offset: number; line: number; column: number } }',
      'export declare class SyntaxError extends Error { location: PeggyLocation; expected: unknown; found: string | null }',
      'export declare function parse(input: string, options?: { startRule?: string; grammarSource?: string }): any;',
      '',
    ].join('\n'),
  );
}
if (process.argv.includes('--grammars-only')) process.exit(0);

// A clean output folder: compiled files of deleted sources (and their tests) must not linger.
rmSync(dist, { recursive: true, force: true });
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
try {
  execFileSync(process.execPath, [tsc, '-p', root], { stdio: 'inherit' });
} catch {
  process.exit(1);
}
// Non-code assets (fixtures, css, client scripts) travel with the compiled modules.
mkdirSync(dist, { recursive: true });
for (const file of walk(src)) {
  if (/\.(ts|peggy)$/.test(file) || file.endsWith('.parser.js')) continue;
  const rel = relative(src, file);
  if (rel.endsWith('.js')) continue;
  mkdirSync(dirname(join(dist, rel)), { recursive: true });
  cpSync(file, join(dist, rel));
}
// The analyser's versions (digests of its code, analysis/versions.ts), worked out once here so that a
// sync reads one small file instead of hashing the code every run.
const { versionsOf } = await import(pathToFileURL(join(dist, 'analysis', 'versions.js')).href);
writeFileSync(join(dist, 'analyser-versions.json'), JSON.stringify(versionsOf(dist)));
