// The registries agree with each other: ids are unique, what one names the others hold, and each
// rule file is claimed by exactly one format (detection is first-match, so a second claim would go
// unnoticed in a build).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { canonicalFieldMaps } from './canonical/registry.js';
import { logSourceKinds } from './coverage/log-sources.js';
import { containerOf, parseContainer } from './formats/containers.js';
import { formats } from './formats/registry.js';
import type { RuleFormat, SourceFile } from './formats/types.js';
import { languages } from './languages/registry.js';
import type { RawRule } from './model/types.js';
import { platformInfo, platforms } from './platforms/registry.js';
import { providers } from './providers/registry.js';

/** The shared corpus beside the checkout (RULEATLAS_CORPUS names another, from a worktree). */
const corpus = process.env.RULEATLAS_CORPUS ?? fileURLToPath(new URL('../../shared/corpus/', import.meta.url));
const formatsDir = fileURLToPath(new URL('./formats/', import.meta.url));
/** Files read per corpus folder, spread over its sorted list. */
const samplePerFolder = 300;

function duplicates(ids: readonly string[]): string[] {
  return ids.filter((id, i) => ids.indexOf(id) !== i);
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else out.push(path);
  }
  return out;
}

/** A file's text and its document as the build parses it, or undefined when no format reads its kind or it does not parse. */
function parsed(path: string, root: string): { file: SourceFile; doc: unknown; candidates: RuleFormat[] } | undefined {
  const container = containerOf(path);
  const candidates = formats.filter((f) => f.container === container);
  if (candidates.length === 0) return undefined;
  const text = readFileSync(path, 'utf8');
  try {
    return { file: { path: relative(root, path).split('\\').join('/'), text }, doc: parseContainer(container, text), candidates };
  } catch {
    return undefined;
  }
}

/** Formats of the file's container that claim it (only those are asked in a build). */
function claims(found: NonNullable<ReturnType<typeof parsed>>): string[] {
  return found.candidates.filter((f) => f.detect(found.doc, found.file)).map((f) => f.id);
}

/**
 * Text compared without blanks (block scalars keep their indentation in the file, folded ones their
 * line breaks), backslashes and doubled single quotes (escapes, line continuations the file has and the query has not).
 */
const loose = (text: string) => text.replace(/\\/g, '').replace(/''/g, "'").replace(/\s+/g, '');

/** What a format read from a file names what the registries hold, and its query range holds its query. */
function checkRules(format: RuleFormat, rules: RawRule[], text: string, where: string): string[] {
  const problems: string[] = [];
  const own = new Set([format.platform, ...(format.otherPlatforms ?? [])]);
  for (const rule of rules) {
    if (rule.format !== format.id) problems.push(`${where}: format ${rule.format}`);
    if (!own.has(rule.platform)) problems.push(`${where}: platform ${rule.platform} is not one of ${format.id}'s`);
    if (rule.language !== 'none' && !format.languages.includes(rule.language)) {
      problems.push(`${where}: language ${rule.language} not declared by ${format.id}`);
    }
    const range = rule.queryRange;
    if (!range) continue;
    if (!(range.start >= 0 && range.start <= range.end && range.end <= text.length))
      problems.push(`${where}: range ${JSON.stringify(range)} outside the file`);
    else if (loose(text.slice(range.start, range.end)) !== loose(rule.query))
      problems.push(`${where}: the query range does not hold the query`);
  }
  return problems;
}

describe('registries', () => {
  test('ids are unique in every registry', () => {
    assert.deepEqual(duplicates(formats.map((f) => f.id)), [], 'formats');
    assert.deepEqual(duplicates(languages.map((l) => l.id)), [], 'languages');
    assert.deepEqual(duplicates(platforms.map((p) => p.id)), [], 'platforms');
    assert.deepEqual(duplicates(providers.map((p) => p.id)), [], 'providers');
    assert.deepEqual(duplicates(canonicalFieldMaps.map((m) => m.schema)), [], 'canonical maps');
  });

  test('formats name registered languages and platforms; every platform has a format', () => {
    const languageIds = new Set(languages.map((l) => l.id));
    for (const format of formats) {
      // A format of tests alone (regression samples) reads no rules, so no language.
      assert.ok(format.languages.length > 0 || format.readTests !== undefined, `${format.id} declares no language`);
      for (const id of format.languages) assert.ok(languageIds.has(id), `${format.id} names language ${id}`);
      for (const id of [format.platform, ...(format.otherPlatforms ?? [])])
        assert.ok(platformInfo(id), `${format.id} names platform ${id}`);
    }
    const named = new Set(formats.flatMap((f) => [f.platform, ...(f.otherPlatforms ?? [])]));
    assert.deepEqual(
      platforms.filter((p) => !named.has(p.id)).map((p) => p.id),
      [],
      'platforms no format reads',
    );
    const analysed = new Set(formats.flatMap((f) => f.languages));
    assert.deepEqual(
      languages.filter((l) => !analysed.has(l.id)).map((l) => l.id),
      [],
      'languages no format reads',
    );
  });

  test('every platform is its folder and declares how its rules name the log sources you collect', async () => {
    const kinds = new Set<string>(logSourceKinds);
    for (const platform of platforms) {
      // A platform is one folder and a registry line: the folder named by its id exports it.
      const folder: Record<string, unknown> = await import(`./platforms/${platform.id}/index.js`);
      assert.ok(Object.values(folder).includes(platform), `platforms/${platform.id}/index.ts exports ${platform.id}`);
      assert.ok(Array.isArray(platform.logSources), `${platform.id} declares logSources (empty: judged by providers only)`);
      for (const reading of platform.logSources) {
        assert.ok(kinds.has(reading.kind) && reading.kind !== 'dataset', `${platform.id}: log source kind ${reading.kind}`);
        assert.ok(['every', 'prefixed', 'index-pattern'].includes(reading.written), `${platform.id}: written ${reading.written}`);
        if (reading.dataset) assert.equal(reading.kind, 'index', `${platform.id}: only indexes are named by datasets`);
      }
    }
  });

  test('provider selectors and canonical maps name the schemas of platforms', () => {
    const schemas = new Set(platforms.map((p) => p.schema));
    for (const provider of providers) {
      for (const schema of Object.keys(provider.selectors))
        assert.ok(schemas.has(schema), `provider ${provider.id} selects on unknown schema ${schema}`);
    }
    for (const map of canonicalFieldMaps) assert.ok(schemas.has(map.schema), `canonical map for unknown schema ${map.schema}`);
  });
});

describe('format detection', () => {
  test('each format fixture is claimed by its own format alone, and reads as the registries expect', () => {
    const seen = new Set<string>();
    const problems: string[] = [];
    // Files a rule file names (Panther's Python beside its YAML) are not rule files of their own.
    const related = new Set<string>();
    const unclaimed: string[] = [];
    for (const format of formats) {
      const dir = join(formatsDir, format.id, 'fixtures');
      const files = existsSync(dir) ? walk(dir) : [];
      assert.ok(files.length > 0, `${format.id} has no fixture in ${relative(formatsDir, dir)}`);
      // Relative to the file's folder, as a build reads them.
      const relatedOf = (path: string) => (name: string) => {
        const target = join(dirname(path), name);
        related.add(target);
        return existsSync(target) ? readFileSync(target, 'utf8') : undefined;
      };
      for (const path of files) {
        const readRelated = relatedOf(path);
        const found = parsed(path, formatsDir);
        const claimed = found ? claims(found) : [];
        if (!found || claimed.length === 0) {
          unclaimed.push(path);
          continue;
        }
        assert.deepEqual(claimed, [format.id], found.file.path);
        const rules = format.read(found.doc, { ...found.file, readRelated });
        const tests = format.readTests?.(found.doc, { ...found.file, readRelated }) ?? [];
        assert.ok(rules.length > 0 || tests.some((t) => t.events.length > 0), `${found.file.path}: no rule, no test with events`);
        for (const rule of rules) {
          // A query in another file (Panther's Python) has no range in this one.
          const elsewhere = rule.language === 'python';
          assert.ok(elsewhere || rule.queryRange, `${found.file.path}: ${format.id} reports where the query sits`);
          seen.add(rule.language);
        }
        problems.push(...checkRules(format, rules, found.file.text, found.file.path));
      }
    }
    assert.deepEqual(problems, []);
    assert.deepEqual(
      unclaimed.filter((path) => !related.has(path)).map((path) => relative(formatsDir, path)),
      [],
      'fixtures no format claims',
    );
    assert.deepEqual(
      [...related].filter((path) => !existsSync(path)),
      [],
      'fixtures name files that are not there',
    );
    // Every language is read from at least one fixture.
    assert.deepEqual(
      languages.filter((l) => !seen.has(l.id)).map((l) => l.id),
      [],
      'languages no fixture has',
    );
  });

  test('a sample of each corpus folder: no file is claimed by two formats', (t) => {
    if (!existsSync(corpus)) return t.skip('../shared/corpus is not here');
    const problems: string[] = [];
    const tally: Record<string, Record<string, number>> = {};
    for (const folder of readdirSync(corpus).sort()) {
      const dir = join(corpus, folder);
      if (!statSync(dir).isDirectory()) continue;
      const candidates = walk(dir).filter((p) => formats.some((f) => f.container === containerOf(p)));
      const step = Math.max(1, Math.ceil(candidates.length / samplePerFolder));
      const counts: Record<string, number> = (tally[folder] = {});
      for (let i = 0; i < candidates.length; i += step) {
        const found = parsed(candidates[i]!, corpus);
        if (!found) continue;
        const claimed = claims(found);
        counts[claimed.join('+') || 'none'] = (counts[claimed.join('+') || 'none'] ?? 0) + 1;
        if (claimed.length > 1) problems.push(`${found.file.path}: claimed by ${claimed.join(', ')}`);
        if (claimed.length !== 1) continue;
        const format = formats.find((f) => f.id === claimed[0])!;
        let rules: RawRule[] = [];
        try {
          rules = format.read(found.doc, { ...found.file, readRelated: () => undefined });
        } catch {
          continue; // a claimed file that is unusable as a whole is the build's file error, not a registry problem
        }
        problems.push(...checkRules(format, rules, found.file.text, found.file.path));
      }
    }
    t.diagnostic(JSON.stringify(tally));
    assert.deepEqual(problems, []);
    // The sample did reach rule files: each format claimed some.
    const claimedBy = new Set(Object.values(tally).flatMap((c) => Object.keys(c)));
    for (const format of formats)
      if (existsSync(join(corpus, format.id))) assert.ok(claimedBy.has(format.id), `no ${format.id} file claimed`);
  });
});
