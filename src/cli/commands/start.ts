import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openForServing } from '../open-for-serving.js';
import { startServer } from '../../web/server.js';
import { type Command, type CommandOptions, parseOptions } from '../command.js';
import { summarise, runBuild } from './build.js';
import { parsePort } from './serve.js';
import type { Output } from '../output.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const exampleRules = join(repoRoot, 'examples', 'rules');

const options = {
  source: { type: 'string', multiple: true },
  db: { type: 'string' },
  port: { type: 'string' },
  'build-only': { type: 'boolean' },
  'serve-only': { type: 'boolean' },
} as const satisfies CommandOptions;

export const startCommand: Command = {
  name: 'start',
  options,
  summary: 'build a catalog and serve it (what `npm start` runs)',
  help: `Usage: ruleatlas start [--source DIR ...] [--db FILE] [--port N]

Builds a catalog from the given folders (the shipped example rules when none is
given) into .ruleatlas/catalog.db and serves Explore on 127.0.0.1.
Example with the shared corpus:
  npm start -- --source ../shared/corpus/sentinel --source ../shared/corpus/elastic

The command runs its two halves as two processes (the build under a heap cap, the
server with a server's memory settings): --build-only builds and ends, --serve-only
serves the catalog the build left (at --db, or the default) without building.`,
  async run(argv, io) {
    const { values } = parseOptions(argv, options);
    if (values.help) return (io.out(this.help), 0);
    const sources = values.source?.length ? values.source : [exampleRules];
    const db = values.db ?? join(repoRoot, '.ruleatlas', 'catalog.db');
    if (values['build-only'] && values['serve-only']) return (io.err('--build-only and --serve-only exclude each other'), 1);
    if (values['serve-only']) return serve(db, values.port, io);
    if (!values.source?.length) {
      io.out('No --source given: using the example rules shipped in examples/rules.');
      io.out('Point ruleatlas at real rule folders with, for example:');
      io.out('  npm start -- --source ../shared/corpus/sentinel --source ../shared/corpus/elastic');
    }
    mkdirSync(dirname(db), { recursive: true });
    const report = await runBuild({ sources, db }, io);
    if (!report) {
      io.err('no rules found in the given sources; nothing to serve');
      return 1;
    }
    io.out(summarise(report));
    io.out(`Catalog kept in ${db} (delete it to start afresh; --db FILE puts it elsewhere).`);
    return values['build-only'] ? 0 : serve(db, values.port, io);
  },
};

/** Serve the catalog at `db` on 127.0.0.1 until the process ends. */
async function serve(db: string, port: string | undefined, io: Output): Promise<number> {
  const store = openForServing(db, io);
  const { url } = await startServer(store, { port: parsePort(port, 4173), host: '127.0.0.1' });
  io.out(`\nExplore ${store.rules.length} rules at ${url}`);
  return await new Promise<number>(() => {});
}
