import { CatalogStore } from '../../store/read.js';
import { startServer } from '../../web/server.js';
import { type Command, parseOptions, UsageError } from '../command.js';

export function parsePort(raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0-65535, got ${raw}`);
  return port;
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the Explore UI and JSON API for a catalog',
  help: `Usage: ruleatlas serve --db FILE [--port N] [--host ADDR] [--cache-mb N]

Serves Explore (/), rule pages (/rules/<id>), coverage views (/coverage/matrix,
/coverage/providers, /coverage/indicators, /coverage/compare) and the JSON API (/api/rules,
/api/rules/<id>, /api/report, /api/coverage/*) on 127.0.0.1 (port 4173 unless given; 0 picks a free one).
Rendered pages are kept in memory (64 MB unless --cache-mb says otherwise; 0 renders every request).`,
  async run(argv, io) {
    const { values } = parseOptions(argv, {
      db: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'cache-mb': { type: 'string' },
    });
    if (values.help) return io.out(this.help), 0;
    if (!values.db) throw new UsageError('--db FILE is required');
    const store = CatalogStore.open(values.db);
    const cacheMb = values['cache-mb'] === undefined ? 64 : Number(values['cache-mb']);
    if (!Number.isFinite(cacheMb) || cacheMb < 0) throw new UsageError(`--cache-mb must be a number of megabytes, got ${values['cache-mb']}`);
    const { url } = await startServer(store, {
      port: parsePort(values.port, 4173),
      host: values.host ?? '127.0.0.1',
      cacheBytes: Math.round(cacheMb * 1024 * 1024),
    });
    io.out(`ruleatlas: ${store.rules.length} rules at ${url}`);
    return await new Promise<number>(() => {});
  },
};
