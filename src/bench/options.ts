// The options of `npm run bench`, parsed apart from the run so that tests can read them: which parts,
// the corpus, the peer's checkout, and `--baseline DIR`, an older ruleatlas checkout, built, whose full
// build and one-file re-syncs are timed beside ours, interleaved, in the same run.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

export const allParts = ['build', 'resync', 'parse', 'latency', 'first', 'load', 'fire'];

export function parseBenchArgs(argv: string[], repo: string) {
  const { values } = parseArgs({
    args: argv,
    options: {
      corpus: { type: 'string', default: join(repo, '..', 'shared', 'corpus') },
      source: { type: 'string', multiple: true },
      runs: { type: 'string', default: '3' },
      'resync-runs': { type: 'string', default: '5' },
      requests: { type: 'string', default: '4000' },
      concurrency: { type: 'string', default: '8' },
      /** A built checkout of MHaggis/Security-Detections-MCP: its indexing is timed beside our build. */
      peer: { type: 'string' },
      /** A built checkout of an older ruleatlas: its full build and re-syncs are timed beside ours, interleaved. */
      baseline: { type: 'string' },
      /** Parts to run, comma-separated, of build, resync, parse, latency, load (the full build always runs unless --db: the others use it). */
      only: { type: 'string' },
      /** An existing catalog for the latency and load parts: no build runs. */
      db: { type: 'string' },
      'load-seconds': { type: 'string', default: '30' },
      'load-clients': { type: 'string', default: '50' },
      /** The fixed rate (req/s) each load route is also measured at. */
      'load-rate': { type: 'string', default: '1000' },
      /** Server processes for the load part (`serve --workers N`). */
      'load-workers': { type: 'string', default: '1' },
      'corpus-copies': { type: 'string' },
      /** How long the fire part runs the sample events through the catalog. */
      'fire-seconds': { type: 'string', default: '10' },
      /** Warm requests per kind of page after its first load (part `first`). */
      'first-warm': { type: 'string', default: '200' },
    },
  });
  return values;
}

/** An older ruleatlas, as the bench runs it: its own command, the way a user runs it. */
export interface Baseline {
  dir: string;
  bin: string;
}

/**
 * The checkout `--baseline` names (relative to the working folder), or why it cannot serve: it must
 * be built (its command imports dist/), and must not be this checkout (a ratio against itself says nothing).
 */
export function baselineCheckout(dir: string, repo: string): Baseline | { error: string } {
  const at = resolve(dir);
  const bin = join(at, 'bin', 'ruleatlas.js');
  if (!existsSync(bin)) return { error: `--baseline ${dir}: no bin/ruleatlas.js there (a ruleatlas checkout is needed)` };
  if (!existsSync(join(at, 'dist', 'cli', 'main.js')))
    return { error: `--baseline ${dir}: not built (no dist/cli/main.js; run npm install && npm run build in it)` };
  if (at === resolve(repo)) return { error: `--baseline ${dir}: this is the checkout being measured` };
  return { dir: at, bin };
}
