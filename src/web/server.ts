// The web UI and JSON API on node:http: routing, content types, security headers, errors.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { explore, parseExploreQuery } from '../explore/explore.js';
import type { CatalogStore } from '../store/read.js';
import type { ExportStream } from '../export/export.js';
import {
  apiChanges,
  apiError,
  apiExport,
  apiReport,
  apiRule,
  apiRules,
  type JsonResponse,
  RuleJsonCache,
  SummaryJsonCache,
} from './api.js';
import { LruCache } from './cache.js';
import type { WebContext } from './context.js';
import { coverageRoute, warmCoverage } from './coverage-routes.js';
import { threatRoute } from './threat-routes.js';
import { cveRoute } from './cve-routes.js';
import { dataComponentRoute } from './data-component-routes.js';
import { isThreatReportPost, threatReportPost, threatReportRoute } from './threat-report-routes.js';
import { evaluateRoute, isEvaluateRoute } from './evaluate-routes.js';
import { ServerPythonTests } from './python-tests.js';
import { createPythonRunner } from '../languages/python/runtime/runner.js';
import { exploreIndex } from '../explore/index.js';
import { exactMatches } from '../explore/search-fields.js';
import { Labels } from './labels.js';
import { exploreOptions, renderExplore } from './pages/explore.js';
import { parseChangesPaging, renderChanges } from './pages/changes.js';
import { renderMine } from './pages/mine.js';
import { catalogMineReport } from './pages/mine.js';
import { renderError, renderNotFound } from './pages/not-found.js';
import { renderReport } from './pages/report.js';
import { ruleAnswer, warmRuleMarkdown } from './pages/rule.js';
import { warmRuleParts } from './pages/rule-kept.js';
import { renderFire } from './pages/evaluation.js';
import { streamExport } from './export-stream.js';
import { defaultAllowedHosts, HostCheck } from './host-check.js';
import { loadStaticAssets, type StaticAsset } from './static-assets.js';
import { exploreParams, ruleUrl } from './urls.js';
import type { SafeHtml } from './html.js';
import { McpEndpoint, type McpEndpointOptions } from '../mcp/http.js';
import { collectGarbage } from './heap.js';
import { pooledUtf8, type PooledBytes } from './reply-bytes.js';

export interface RunningServer {
  url: string;
  server: Server;
  /** Serve another catalog from now on (watch mode); open pages reload themselves when live. */
  reload(store: CatalogStore): void;
  close(): Promise<void>;
}

const securityHeaders: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

const htmlType = 'text/html; charset=utf-8';
const jsonType = 'application/json; charset=utf-8';

interface Reply {
  status: number;
  contentType: string;
  body: Buffer;
  /** The body's bytes are a pooled slab (reply-bytes.ts): handed back once the response is written. */
  release?: () => void;
  headers?: Record<string, string>;
  /** An export: sent as it is serialized (chunked), `body` unused. */
  stream?: ExportStream;
}

/** Characters of Explore result rows kept (WebContext.resultRows): a few thousand rows. */
const resultRowBytes = 8 * 1024 * 1024;

/** Characters of rendered rule markdown kept (WebContext.ruleMarkdown, filled before listening): the whole corpus's guides and set-up notes take about 11.5 M. */
const ruleMarkdownChars = 16 * 1024 * 1024;

/** Exports streamed at once; more wait for one of them to end (503): each holds a core while it serializes. */
const maxConcurrentExports = 2;

function htmlReply(status: number, body: string): Reply {
  return htmlBytesReply(status, pooledUtf8(body));
}

function htmlBytesReply(status: number, { bytes, release }: PooledBytes): Reply {
  return release ? { status, contentType: htmlType, body: bytes, release } : { status, contentType: htmlType, body: bytes };
}

function jsonReply(r: JsonResponse): Reply {
  return r.release
    ? { status: r.status, contentType: jsonType, body: r.json, release: r.release }
    : { status: r.status, contentType: jsonType, body: r.json };
}

function send(req: IncomingMessage, res: ServerResponse, reply: Reply): void {
  const body = reply.body;
  const bodiless = reply.status === 304 || reply.status === 204;
  res.writeHead(reply.status, {
    ...securityHeaders,
    ...(bodiless ? {} : { 'content-type': reply.contentType, 'content-length': String(body.length) }),
    ...reply.headers,
  });
  if (req.method === 'HEAD' || bodiless) {
    res.end();
    reply.release?.();
  } else {
    res.end(body);
    // Written out: the socket reads the slab no more. A response that never finishes keeps its slab (left to the GC).
    if (reply.release) res.once('finish', reply.release);
  }
}

/** The id part of `/rules/<id>`; undefined when it is empty or not valid percent-encoding. */
function decodeId(encoded: string): string | undefined {
  if (!encoded) return undefined;
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}

/**
 * Where `/rules/<name>` leads when the name is not a rule id but names rules exactly (a native id,
 * a file name, a path): the rule, when one current copy is named; else Explore listing them.
 */
function ruleNamed(store: CatalogStore, name: string): string | undefined {
  const named = exactMatches(store, name).map((i) => store.rules[i]!);
  if (!named.length) return undefined;
  const current = named.filter((r) => !r.removed && (!r.duplicates || r.duplicates.newest));
  if (current.length === 1) return ruleUrl(current[0]!.id);
  return `/?${new URLSearchParams({ q: name }).toString()}`;
}

export interface ServerOptions {
  port: number;
  host: string;
  /** Bytes of rendered pages kept; 0 renders every request. */
  cacheBytes?: number;
  /** Watch mode: pages reload when the catalog is reloaded. */
  live?: boolean;
  /** Host names (and Origin hosts) served besides the listening host, localhost, 127.0.0.1 and [::1]; `*`: any. */
  allowedHosts?: readonly string[];
  /** Bytes an /api/export answer stops at (default 64 MiB). */
  exportBytes?: number;
  /** What rule links in Navigator layers begin with; absent: `http://` and the request's (checked) Host. */
  baseUrl?: string;
  /** Serve the MCP server (Streamable HTTP) at /mcp; absent: no /mcp. */
  mcp?: McpEndpointOptions;
  /** Milliseconds an evaluation request (POST /api/fire, /api/rules/<id>/test) may run before it stops between events (default 2,000). */
  evaluateMs?: number;
  /** "My log sources" (the config file's `logSources`): the visibility view's default. */
  logSources?: readonly string[];
}

class App {
  ctx: WebContext;
  private exportsRunning = 0;
  private readonly assets: Map<string, StaticAsset>;
  private readonly assetVersion: string;
  /** Rendered pages and API answers, keyed by route and canonical parameters. */
  private cache: LruCache<Reply>;
  private ruleJson = new RuleJsonCache();
  private summaries = new SummaryJsonCache();
  private reloads = 0;
  private readonly mcp?: McpEndpoint;
  /** Panther Python rules' stored tests run for real (python-tests.ts): its runner starts on first need. */
  readonly python: ServerPythonTests;

  constructor(
    store: CatalogStore,
    private readonly cacheBytes: number,
    private readonly live: boolean,
    private readonly hosts: HostCheck,
    private readonly exportBytes: number,
    private readonly evaluateMs: number,
    mcp?: McpEndpointOptions,
    private readonly baseUrl?: string,
    private readonly logSources?: readonly string[],
  ) {
    this.cache = new LruCache<Reply>(5000, cacheBytes, (r) => r.body.length);
    const { assets, version } = loadStaticAssets();
    this.assets = assets;
    this.assetVersion = version;
    this.ctx = this.contextOf(store);
    // Each request reads the catalog served at that moment (watch mode swaps it).
    this.python = new ServerPythonTests(
      () => this.ctx.store,
      () => createPythonRunner(),
    );
    if (mcp) this.mcp = new McpEndpoint(() => this.ctx.store, mcp, this.python);
  }

  /** Pages of a live server carry the catalog's version; the client script reloads them when /api/version moves on. */
  private contextOf(store: CatalogStore): WebContext {
    // The per-catalog indexes, built before the catalog is served: the first request of each kind waits for none.
    // The garbage of loading the catalog and of building them is collected before either holds memory for good (heap.ts).
    collectGarbage();
    exploreIndex(store);
    warmCoverage(store);
    const live = this.live ? `${store.lastSync || '0'}.${this.reloads}` : undefined;
    const ctx: WebContext = {
      store,
      labels: new Labels(store.rules),
      assets: { version: this.assetVersion, live },
      resultRows: new LruCache<SafeHtml>(Number.MAX_SAFE_INTEGER, resultRowBytes, (row) => row.toString().length),
      ruleMarkdown: new LruCache<SafeHtml>(Number.MAX_SAFE_INTEGER, ruleMarkdownChars, (text) => text.toString().length),
      ...(this.logSources?.length ? { logSources: this.logSources } : {}),
    };
    warmRuleMarkdown(ctx);
    warmRuleParts(store);
    collectGarbage();
    return ctx;
  }

  reload(store: CatalogStore): void {
    this.reloads++;
    this.ctx = this.contextOf(store);
    this.cache = new LruCache<Reply>(5000, this.cacheBytes, (r) => r.body.length);
    this.ruleJson = new RuleJsonCache();
    this.summaries = new SummaryJsonCache();
  }

  private cached(key: string, make: () => Reply): Reply {
    const hit = this.cache.get(key);
    if (hit) return hit;
    let reply = make();
    // Only successful answers are worth keeping; they never change while the server runs.
    if (reply.status === 200 && this.cacheBytes > 0) {
      // A kept answer owns its bytes: a pooled slab goes back to the pool once sent.
      if (reply.release) {
        const { release, ...owned } = reply;
        reply = { ...owned, body: Buffer.from(reply.body) };
        release();
      }
      this.cache.set(key, reply);
    }
    return reply;
  }

  route(req: IncomingMessage): Reply {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      return {
        ...htmlReply(405, renderError(this.ctx, 405, 'Method not allowed', 'Only GET and HEAD are served.')),
        headers: { allow: 'GET, HEAD' },
      };
    }
    const raw = req.url ?? '/';
    const mark = raw.indexOf('?');
    const path = mark === -1 ? raw : raw.slice(0, mark);
    const params = new URLSearchParams(mark === -1 ? '' : raw.slice(mark + 1));
    const { store } = this.ctx;
    if (isEvaluateRoute(path)) return { ...jsonReply(apiError(405, `${path} answers POST with a JSON body`)), headers: { allow: 'POST' } };

    if (path === '/' || path === '/index.html') {
      const query = parseExploreQuery(params);
      return this.cached(`explore?${exploreParams(query).toString()}`, () =>
        htmlReply(200, renderExplore(this.ctx, query, explore(store, query, exploreOptions(query)))),
      );
    }
    if (path.startsWith('/rules/')) {
      const id = decodeId(path.slice('/rules/'.length));
      const rule = id === undefined ? undefined : store.byId.get(id);
      if (!rule) {
        const found = id === undefined ? undefined : ruleNamed(store, id);
        if (found) return { ...htmlReply(302, ''), headers: { location: found } };
        return htmlReply(404, renderNotFound(this.ctx, 'There is no rule with this id in the catalog.'));
      }
      return this.cached(`rule:${rule.id}`, () => htmlBytesReply(200, ruleAnswer(this.ctx, rule)));
    }
    if (path === '/fire') return this.cached('fire', () => htmlReply(200, renderFire(this.ctx)));
    if (path === '/report') return this.cached('report', () => htmlReply(200, renderReport(this.ctx)));
    if (path === '/changes') {
      const paging = parseChangesPaging(params);
      return this.cached(`changes?${paging.sync ?? ''}&${paging.page}`, () => htmlReply(200, renderChanges(this.ctx, paging)));
    }
    if (path === '/mine') return this.cached('mine', () => htmlReply(200, renderMine(this.ctx)));
    if (path === '/api/mine')
      return this.cached('api-mine', () => jsonReply({ status: 200, json: Buffer.from(JSON.stringify(catalogMineReport(store)), 'utf8') }));
    if (path === '/api/rules') {
      // facetLimit shapes the answer without being an Explore parameter: it belongs in the key.
      const key = `api?${exploreParams(parseExploreQuery(params)).toString()}&facetLimit=${params.get('facetLimit') ?? ''}`;
      return this.cached(key, () => jsonReply(apiRules(store, params, this.summaries)));
    }
    if (path.startsWith('/api/rules/')) {
      const id = decodeId(path.slice('/api/rules/'.length));
      if (id === undefined) return jsonReply(apiError(404, `no API route ${path}`));
      return jsonReply(apiRule(store, id, this.ruleJson));
    }
    if (path === '/api/changes') {
      const limit = params.get('limit') ?? '';
      return this.cached(`api-changes?${limit}`, () => jsonReply(apiChanges(store, params)));
    }
    if (path === '/api/export') {
      // Not cached: a whole-catalog export is large and rarely asked twice. Streamed, a few at a time.
      if (this.exportsRunning >= maxConcurrentExports)
        return { ...jsonReply(apiError(503, 'other exports are running; try again shortly')), headers: { 'retry-after': '5' } };
      // Layer links must be absolute to work once imported in Navigator; the Host was checked above.
      const r = apiExport(store, params, this.baseUrl ?? `http://${req.headers.host ?? ''}`);
      if ('json' in r) return jsonReply(r);
      return {
        status: 200,
        contentType: r.contentType,
        body: Buffer.alloc(0),
        stream: r,
        headers: { 'content-disposition': `attachment; filename="${r.filename}"`, 'x-ruleatlas-export-limit': String(this.exportBytes) },
      };
    }
    if (path === '/api/version')
      return {
        ...jsonReply({ status: 200, json: Buffer.from(JSON.stringify({ version: this.ctx.assets.live ?? store.lastSync })) }),
        headers: { 'cache-control': 'no-store' },
      };
    if (path === '/api/report') return this.cached('api-report', () => jsonReply(apiReport(store)));
    const coverage =
      coverageRoute(this.ctx, path, params) ??
      threatRoute(this.ctx, path, params) ??
      cveRoute(this.ctx, path, params) ??
      dataComponentRoute(this.ctx, path, params) ??
      threatReportRoute(this.ctx, path, params);
    if (coverage) return coverage.key ? this.cached(coverage.key, coverage.make) : coverage.make();
    if (path === '/api' || path.startsWith('/api/')) return jsonReply(apiError(404, `no API route ${path}`));
    const asset = this.assets.get(path);
    if (asset) {
      const fresh = req.headers['if-none-match'] === asset.etag;
      const versioned = params.get('v') === this.ctx.assets.version;
      return {
        status: fresh ? 304 : 200,
        contentType: asset.contentType,
        body: fresh ? Buffer.alloc(0) : asset.body,
        headers: { etag: asset.etag, 'cache-control': versioned ? 'public, max-age=31536000, immutable' : 'no-cache' },
      };
    }
    if (path === '/favicon.ico')
      return { status: 204, contentType: 'image/x-icon', body: Buffer.alloc(0), headers: { 'cache-control': 'public, max-age=86400' } };
    return htmlReply(404, renderNotFound(this.ctx, 'There is no page at this address.'));
  }

  /** A foreign Host (DNS rebinding) or Origin (another site's page) gets an error, nothing else. */
  private refused(req: IncomingMessage): Reply | undefined {
    if (!this.hosts.hostAllowed(req.headers.host))
      return htmlReply(421, renderError(this.ctx, 421, 'Misdirected request', 'This server does not answer for that host name.'));
    if (!this.hosts.originAllowed(req.headers.origin, req.headers['sec-fetch-site']))
      return htmlReply(403, renderError(this.ctx, 403, 'Forbidden', 'Requests from other sites are not served.'));
    return undefined;
  }

  /** A POST (an evaluation, a threat report): its body is read (up to a limit) before the answer. */
  private async post(req: IncomingMessage, res: ServerResponse, path: string, params: URLSearchParams): Promise<void> {
    let reply: Reply;
    try {
      const answer = isThreatReportPost(path)
        ? await threatReportPost(this.ctx, req, path, params)
        : jsonReply(await evaluateRoute(req, { store: this.ctx.store, path, params, limitMs: this.evaluateMs, python: this.python }));
      // A body refused for its size was not read to its end: the connection cannot serve another request.
      reply = {
        ...answer,
        headers: { ...answer.headers, 'cache-control': 'no-store', ...(answer.status === 413 ? { connection: 'close' } : {}) },
      };
    } catch (err) {
      console.error(`ruleatlas: error serving ${req.method} ${req.url}:`, err);
      reply = jsonReply(apiError(500, 'internal server error'));
    }
    try {
      send(req, res, reply);
    } catch (err) {
      console.error('ruleatlas: error writing a response:', err);
      res.destroy();
    }
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    let reply: Reply;
    try {
      const refused = this.refused(req);
      const raw = req.url ?? '/';
      const path = raw.split('?')[0]!;
      // MCP answers are written by the SDK's transport, after the same Host and Origin checks.
      if (!refused && this.mcp && path === '/mcp') {
        for (const [name, value] of Object.entries(securityHeaders)) res.setHeader(name, value);
        void this.mcp.handle(req, res);
        return;
      }
      if (!refused && req.method === 'POST' && (isEvaluateRoute(path) || isThreatReportPost(path))) {
        // Another site's page is refused by its Origin already, unless every host is allowed (`*`): then by what the browser says.
        if (req.headers['sec-fetch-site'] === 'cross-site') reply = jsonReply(apiError(403, 'requests from other sites are not served'));
        else return void this.post(req, res, path, new URLSearchParams(raw.slice(path.length + 1)));
      } else reply = refused ?? this.route(req);
    } catch (err) {
      // The details go to the server log, never to the client.
      console.error(`ruleatlas: error serving ${req.method} ${req.url}:`, err);
      const isApi = (req.url ?? '').startsWith('/api/');
      reply = isApi ? jsonReply(apiError(500, 'internal server error')) : htmlReply(500, safeErrorPage(this.ctx));
    }
    if (reply.stream && req.method !== 'HEAD') return this.sendStream(res, reply, reply.stream);
    try {
      send(req, res, reply);
    } catch (err) {
      console.error('ruleatlas: error writing a response:', err);
      res.destroy();
    }
  }

  private sendStream(res: ServerResponse, reply: Reply, stream: ExportStream): void {
    this.exportsRunning++;
    res.writeHead(reply.status, { ...securityHeaders, 'content-type': reply.contentType, ...reply.headers });
    streamExport(res, stream, this.exportBytes)
      .catch((err: unknown) => {
        // Headers are gone: the client sees a cut answer, the log says why.
        console.error('ruleatlas: error streaming an export:', err);
        res.destroy();
      })
      .finally(() => this.exportsRunning--);
  }
}

function safeErrorPage(ctx: WebContext): string {
  try {
    return renderError(ctx, 500, 'Something went wrong', 'The page could not be rendered. The error was logged on the server.');
  } catch {
    return '<!doctype html><title>Error</title><h1>Something went wrong</h1>';
  }
}

function urlHost(host: string, address: AddressInfo): string {
  const h = host === '0.0.0.0' || host === '::' || host === '' ? (address.family === 'IPv6' ? '::1' : '127.0.0.1') : host;
  return h.includes(':') ? `[${h}]` : h;
}

/** Serve Explore, rule pages, the report and the JSON API for a catalog. */
export async function startServer(store: CatalogStore, opts: ServerOptions): Promise<RunningServer> {
  const hosts = new HostCheck([...defaultAllowedHosts(opts.host), ...(opts.allowedHosts ?? [])]);
  const app = new App(
    store,
    opts.cacheBytes ?? 64 * 1024 * 1024,
    opts.live ?? false,
    hosts,
    opts.exportBytes ?? 64 * 1024 * 1024,
    opts.evaluateMs ?? 2000,
    opts.mcp,
    opts.baseUrl,
    opts.logSources,
  );
  const server = createServer((req, res) => app.handle(req, res));
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const url = `http://${urlHost(opts.host, address)}:${address.port}/`;
  return {
    url,
    server,
    reload: (next) => app.reload(next),
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      await app.python.close();
    },
  };
}
