// Opening a catalog to serve, saying what happens meanwhile: on the whole shared corpus reading the
// rules and building the indexes a server needs before it listens took seconds with nothing printed,
// and a silent command looks hung. Progress goes to stderr; the address stays the one line on stdout.
import { statSync } from 'node:fs';
import { exploreIndex } from '../explore/index.js';
import { CatalogStore } from '../store/read.js';
import { warmCoverage } from '../web/coverage-routes.js';
import { warmedFireIndexOf } from '../web/evaluate-routes.js';
import { formatCount } from '../web/components.js';
import type { Output } from './output.js';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * The catalog at `db`, read, with Explore's, the coverage views' and the fire index built, the fire
 * index's regexes compiled (the server
 * would build them before listening, or the fire index on the first POST /api/fire: about 1 s on the
 * whole corpus, paid by that request; built here, each step is announced and timed). A store's
 * indexes are kept per store, so the server finds them ready.
 */
export function openForServing(db: string, io: Output, now: () => number = () => performance.now()): CatalogStore {
  const started = now();
  let size = '';
  try {
    size = ` (${(statSync(db).size / 1024 / 1024).toFixed(1)} MB)`;
  } catch {
    // CatalogStore.open says what is wrong with the path.
  }
  io.err(`ruleatlas: reading the catalog ${db}${size}…`);
  const store = CatalogStore.open(db);
  const read = now();
  io.err(
    `ruleatlas: ${formatCount(store.rules.length)} rules read in ${seconds(read - started)}; indexing them for Explore (stored tests run once), the coverage views and the fire index…`,
  );
  exploreIndex(store);
  warmCoverage(store);
  warmedFireIndexOf(store);
  io.err(`ruleatlas: indexed in ${seconds(now() - read)}; starting the server`);
  return store;
}
