// What version of the analyser read a file: a digest of the code of its format, of its rules'
// languages, and of the code every analysis shares. A catalog keeps it per file (files.analyser), so
// that after an upgrade a sync re-analyses exactly the files whose analysis code changed, and says so.
// Digests of the running code, not version numbers bumped by hand: a change nobody remembered to
// bump still re-analyses.
import { hash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface AnalyserVersions {
  /** Code every analysis runs: rule assembly, model, platforms (their log schemas), providers, canonical maps, ATT&CK, file reading, registries. */
  common: string;
  formats: Readonly<Record<string, string>>;
  languages: Readonly<Record<string, string>>;
}

/** Folders (and single files) below the code root whose code every analysis runs. */
const commonParts = ['analysis', 'model', 'platforms', 'providers', 'canonical', 'attack', 'catalog/read-file', 'formats/*', 'languages/*'];

// A language's evaluator (`evaluate*.ts`, languages/evaluate.ts) changes no analysis: not part of the digest.
const isCode = (name: string) =>
  /\.(js|ts|peggy|json)$/.test(name) &&
  !/\.test\.(js|ts)$/.test(name) &&
  !name.endsWith('.d.ts') &&
  !/^evaluate[\w-]*\.(js|ts)$/.test(name);

/** Every code file below `dir` (recursively unless `flat`), sorted, as path + content digests. */
function digestFolder(dir: string, flat = false): string {
  const parts: string[] = [];
  const walk = (at: string, rel: string) => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) {
        if (!flat && name !== 'fixtures') walk(path, `${rel}${name}/`);
      } else if (isCode(name)) parts.push(`${rel}${name}\u0000${hash('sha1', readFileSync(path), 'hex')}`);
    }
  };
  walk(dir, '');
  return hash('sha1', parts.join('\n'), 'base64').slice(0, 16);
}

function digestPart(root: string, part: string): string {
  if (part.endsWith('/*')) return digestFolder(join(root, part.slice(0, -2)), true);
  const folder = join(root, part);
  try {
    if (statSync(folder).isDirectory()) return digestFolder(folder);
  } catch {
    // Not a folder: a single module, compiled (.js) or not (.ts, under tsx).
  }
  for (const ext of ['.js', '.ts']) {
    try {
      return hash('sha1', readFileSync(folder + ext), 'base64').slice(0, 16);
    } catch {
      // Try the other extension.
    }
  }
  return 'absent';
}

const subfolders = (dir: string) => readdirSync(dir).filter((name) => statSync(join(dir, name)).isDirectory());

/** The versions of the code under `root` (the compiled dist/ folder, or src/ under tsx). */
export function versionsOf(root: string): AnalyserVersions {
  // The parsers' packages count too (the Kusto parser, tree-sitter, the YAML and TOML readers).
  let dependencies = '';
  try {
    dependencies = JSON.stringify(
      (JSON.parse(readFileSync(join(root, '..', 'package.json'), 'utf8')) as { dependencies?: unknown }).dependencies ?? {},
    );
  } catch {
    // No package.json beside the code: the code alone decides.
  }
  const common = hash('sha1', [...commonParts.map((p) => digestPart(root, p)), dependencies].join(','), 'base64').slice(0, 16);
  const byFolder = (dir: string) => Object.fromEntries(subfolders(join(root, dir)).map((id) => [id, digestFolder(join(root, dir, id))]));
  return { common, formats: byFolder('formats'), languages: byFolder('languages') };
}

let current: AnalyserVersions | undefined;

/**
 * The running analyser's versions: as the build wrote them beside the compiled code
 * (scripts/build.mjs), else worked out from the code here (~15 ms; under tsx, from src/).
 */
export function currentVersions(): AnalyserVersions {
  if (current) return current;
  const root = fileURLToPath(new URL('..', import.meta.url));
  try {
    current = JSON.parse(readFileSync(join(root, 'analyser-versions.json'), 'utf8')) as AnalyserVersions;
  } catch {
    current = versionsOf(root);
  }
  return current;
}

/** What read a file: its format (none for a file no format claimed) and its rules' languages. */
export interface AnalysedBy {
  format?: string;
  languages: readonly string[];
}

/**
 * The analyser key of a file: which code read it and that code's versions. A file no format claimed
 * depends on every format (a new or changed one may claim it).
 */
export function analyserKey(by: AnalysedBy, v: AnalyserVersions): string {
  const formats = by.format ? [by.format] : Object.keys(v.formats).sort();
  const languages = [...new Set(by.languages)].sort();
  const parts = [
    `common:${v.common}`,
    ...formats.map((f) => `f:${f}:${v.formats[f] ?? '?'}`),
    ...languages.map((l) => `l:${l}:${v.languages[l] ?? '?'}`),
  ];
  return parts.join(' ');
}

/** What read a file, from its analyser key (the inverse of analyserKey's naming part). */
export function analysedByOf(key: string): AnalysedBy & { all: boolean } {
  const formats: string[] = [];
  const languages: string[] = [];
  for (const part of key.split(' ')) {
    const [kind, id] = part.split(':');
    if (kind === 'f' && id) formats.push(id);
    else if (kind === 'l' && id) languages.push(id);
  }
  return { format: formats.length === 1 ? formats[0] : undefined, languages, all: formats.length !== 1 };
}

/** The parts of two analyser keys that differ, for the report ("sigma language", "common code"). */
export function changedParts(before: string, after: string): string[] {
  const a = new Set(before.split(' '));
  const out: string[] = [];
  for (const part of after.split(' ')) {
    if (a.has(part)) continue;
    const [kind, id] = part.split(':');
    out.push(kind === 'common' ? 'common analysis code' : kind === 'f' ? `${id} format` : `${id} language`);
  }
  return out;
}
