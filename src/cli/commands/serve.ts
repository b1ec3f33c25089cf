import { fileURLToPath } from 'node:url';
import { openForServing } from '../open-for-serving.js';
import { findConfig, loadConfig } from '../../sync/config.js';
import { runSync } from '../../sync/sync.js';
import { watchSources } from '../../sync/watch.js';
import { mcpTokenVariable } from '../../mcp/http.js';
import { startServer } from '../../web/server.js';
import { type Command, type CommandOptions, parseOptions, UsageError } from '../command.js';
import { isServeWorker, parseWorkers, reportsProgress, runWorkers, workerListening, workerStarting } from '../serve-workers.js';
import type { Output } from '../output.js';

const bin = fileURLToPath(new URL('../../../bin/ruleatlas.js', import.meta.url));

/** Output that drops progress lines: the workers but one would repeat them. */
const quietProgress = (io: Output): Output => ({ out: (text) => io.out(text), err: () => undefined, isTTY: io.isTTY });

export function parsePort(raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0-65535, got ${raw}`);
  return port;
}

const options = {
  db: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  'cache-mb': { type: 'string' },
  'allow-host': { type: 'string', multiple: true },
  'export-mb': { type: 'string' },
  'base-url': { type: 'string' },
  watch: { type: 'boolean' },
  config: { type: 'string' },
  'mcp-token': { type: 'string' },
  workers: { type: 'string' },
} as const satisfies CommandOptions;

export const serveCommand: Command = {
  name: 'serve',
  options,
  summary: 'serve the Explore UI and JSON API for a catalog',
  help: `Usage: ruleatlas serve --db FILE [--port N] [--host ADDR] [--cache-mb N] [--allow-host NAME ...] [--export-mb N] [--base-url URL] [--mcp-token TOKEN] [--workers N] [--watch] [--config FILE]

Serves Explore (/), rule pages (/rules/<id>), coverage views (/coverage/matrix,
/coverage/providers, /coverage/indicators, /coverage/compare), your rules (/mine) and the JSON API
(/api/rules, /api/rules/<id>, /api/report, /api/coverage/*, /api/mine), and the MCP server for AI
assistants (/mcp: Streamable HTTP, stateless, JSON answers; see \`ruleatlas mcp\`) on 127.0.0.1 (port 4173
unless given; 0 picks a free one). Rendered pages are kept in memory (64 MB unless --cache-mb says
otherwise; 0 renders every request).

--allow-host NAME  also answer requests whose Host (and Origin) is NAME (repeatable; \`*\` for any, behind
                   a proxy that checks it). Without it only the listening host, localhost, 127.0.0.1 and
                   [::1] are served: another name gets 421 (DNS rebinding), another site's Origin 403.
--export-mb N      /api/export stops after N MB (default 64) with a message at the end of the file.
--base-url URL     what rule links in Navigator layers begin with (http(s)://host[:port][/path]; default:
                   http:// and the Host the request was sent to), so that they work once imported.
--mcp-token TOKEN  /mcp answers only requests with \`Authorization: Bearer TOKEN\` (default: the
                   ${mcpTokenVariable} environment variable; unset, no token is asked).

--workers N   N server processes on one port (default 1), each with the catalog and its indexes in
              memory: N times the memory, for N times the cores. Signals to this process reach them,
              and they end with it. Not with --watch.

--config FILE  the sources config (default with --watch: ./ruleatlas.config.json or .yaml); its
               \`logSources\` list ("my log sources": provider ids, table:, index:, dataset:, sourcetype:,
               logtype: entries) is what /coverage/visibility shows when the address names none.

--watch  syncs the local folder sources of the sources config (./ruleatlas.config.json or .yaml,
         or --config FILE) into the catalog, then watches them: a saved rule file is analysed
         again, the catalog updated in place and open pages reload. Git sources are not fetched.`,
  async run(argv, io) {
    const { values } = parseOptions(argv, options);
    if (values.help) return (io.out(this.help), 0);
    if (!values.db) throw new UsageError('--db FILE is required');
    const cacheMb = values['cache-mb'] === undefined ? 64 : Number(values['cache-mb']);
    if (!Number.isFinite(cacheMb) || cacheMb < 0)
      throw new UsageError(`--cache-mb must be a number of megabytes, got ${values['cache-mb']}`);
    const exportMb = values['export-mb'] === undefined ? 64 : Number(values['export-mb']);
    if (!Number.isFinite(exportMb) || exportMb <= 0)
      throw new UsageError(`--export-mb must be a positive number of megabytes, got ${values['export-mb']}`);
    const baseUrl = values['base-url'];
    if (baseUrl !== undefined && !/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/i.test(baseUrl))
      throw new UsageError(`--base-url must be an http(s) URL without query or fragment, got ${baseUrl}`);
    const workers = parseWorkers(values.workers);
    if (workers > 1 && values.watch) throw new UsageError('--workers cannot be combined with --watch (one process writes and serves)');
    // The primary of `--workers` holds no catalog: it runs this command again in each worker (serve-workers.ts).
    if (workers > 1 && !isServeWorker()) {
      const { rules, url } = await runWorkers(workers, bin, ['serve', ...argv], io);
      io.out(`ruleatlas: ${rules} rules at ${url} (${workers} server processes)`);
      return await new Promise<number>(() => {});
    }
    if (isServeWorker()) workerStarting();
    // The config is read for --watch, or when given: its logSources are the visibility view's default.
    const settings = values.watch || values.config ? loadConfig(findConfig(values.config)) : undefined;
    const config = values.watch ? settings : undefined;
    if (config) await runSync({ config, db: values.db, offline: true }, { note: (text) => io.err(text) });
    let store = openForServing(values.db, reportsProgress() ? io : quietProgress(io));
    const server = await startServer(store, {
      port: parsePort(values.port, 4173),
      host: values.host ?? '127.0.0.1',
      cacheBytes: Math.round(cacheMb * 1024 * 1024),
      allowedHosts: values['allow-host'] ?? [],
      exportBytes: Math.round(exportMb * 1024 * 1024),
      baseUrl,
      live: Boolean(config),
      mcp: { token: values['mcp-token'] ?? (process.env[mcpTokenVariable] || undefined) },
      logSources: settings?.logSources,
    });
    if (config) {
      watchSources({
        config,
        db: values.db,
        notes: { note: (text) => io.err(text) },
        onReload: (next) => {
          const old = store;
          server.reload(next);
          store = next;
          old.close();
        },
      });
    }
    if (isServeWorker()) workerListening(store.rules.length, server.url);
    else io.out(`ruleatlas: ${store.rules.length} rules at ${server.url}${config ? ' (watching the local sources)' : ''}`);
    return await new Promise<number>(() => {});
  },
};
