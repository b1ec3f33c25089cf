// Golden fixtures of the conformance suite: `<language>/fixtures/<name>.query` in, the analysis
// as `<name>.snapshot.json` beside it out. `error-*` fixtures are queries that must not parse.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { correlationsOf, indicatorsOf } from '../analysis/indicators.js';
import type { QueryAnalysis } from '../model/types.js';

export interface Fixture {
  name: string;
  query: string;
  /** The checked-in snapshot, parsed; undefined when there is none yet. */
  snapshot: unknown;
  /** Where an update writes the snapshot: under src/, also when the tests run from dist/. */
  snapshotPath: string;
  /** Named `error-*`: the query must not parse. */
  invalid: boolean;
}

const here = dirname(fileURLToPath(import.meta.url));
/** The languages folder the fixtures are read from (dist/ carries copies made by the build). */
const languagesDir = here;
/** The languages folder under src/, where updated snapshots are written. */
const sourceLanguagesDir = basename(dirname(here)) === 'dist' ? join(dirname(dirname(here)), 'src', basename(here)) : here;

const queryExtension = '.query';
const snapshotExtension = '.snapshot.json';

function fixturesDir(languageId: string, root = languagesDir): string {
  return join(root, languageId, 'fixtures');
}

/** The fixtures of a language in name order; none when its folder is missing. */
export function readFixtures(languageId: string): Fixture[] {
  const dir = fixturesDir(languageId);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(queryExtension))
    .sort()
    .map((file) => {
      const name = file.slice(0, -queryExtension.length);
      const snapshotFile = join(dir, name + snapshotExtension);
      return {
        name,
        query: readFileSync(join(dir, file), 'utf8'),
        snapshot: existsSync(snapshotFile) ? (JSON.parse(readFileSync(snapshotFile, 'utf8')) as unknown) : undefined,
        snapshotPath: join(fixturesDir(languageId, sourceLanguagesDir), name + snapshotExtension),
        invalid: name.startsWith('error-'),
      };
    });
}

/** Snapshots whose fixture is gone (a renamed fixture leaves its old snapshot behind). */
export function orphanSnapshots(languageId: string): string[] {
  const dir = fixturesDir(languageId);
  if (!existsSync(dir)) return [];
  const files = new Set(readdirSync(dir));
  return [...files].filter((f) => f.endsWith(snapshotExtension) && !files.has(f.slice(0, -snapshotExtension.length) + queryExtension));
}

/**
 * What a snapshot records of an analysis: stages, the indicators derived from them as the catalog
 * derives them, outputs, sources, diagnostics and the parse outcome. JSON round trip: absent
 * members are absent, as in the file.
 */
export function snapshotOf(analysis: QueryAnalysis): unknown {
  const { parsed, stages, outputFields, sources, diagnostics } = analysis;
  return JSON.parse(
    JSON.stringify({
      parsed,
      stages,
      indicators: indicatorsOf(stages),
      correlations: correlationsOf(stages),
      outputFields,
      sources,
      diagnostics,
    }),
  ) as unknown;
}

export function writeSnapshot(path: string, snapshot: unknown): void {
  writeFileSync(path, `${JSON.stringify(snapshot, null, 2)}\n`);
}

export const updatingSnapshots = process.env.UPDATE_SNAPSHOTS === '1';
