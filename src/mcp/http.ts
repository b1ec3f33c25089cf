// The MCP server over Streamable HTTP at `serve`'s /mcp: stateless (a transport per request, no session
// kept between them), JSON responses, an optional bearer token. The web server's Host/Origin checks
// (web/host-check.ts) run before a request gets here. Building a server (its tools' schemas) took 12-40 ms,
// more than most answers: servers are kept when their request ends and reused, one per request in flight.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CatalogStore } from '../store/read.js';
import { createMcpServer } from './server.js';
import type { ServerPythonTests } from '../web/python-tests.js';

/** A request body larger than this is refused (analyze_rule_text takes a file of up to 1 MB, escaped in JSON). */
const maxBodyBytes = 4 * 1024 * 1024;

/** The environment variable `serve` takes the token from when `--mcp-token` is not given. */
export const mcpTokenVariable = 'RULEATLAS_MCP_TOKEN';

export interface McpEndpointOptions {
  /** Requests must carry `Authorization: Bearer <token>`; none: no token asked (loopback use). */
  token?: string;
  /** How a server is made (tests count them). */
  create?: (catalog: () => CatalogStore) => McpServer;
}

/** Idle servers kept for the next requests: as many as requests were in flight at once, up to this. */
const maxIdleServers = 8;

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

function jsonRpcError(res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export class McpEndpoint {
  private readonly token?: Buffer;
  private readonly create: (catalog: () => CatalogStore) => McpServer;
  /** Servers whose request ended, and the catalog they were made over (their instructions describe it). */
  private idle: McpServer[] = [];
  private idleCatalog?: CatalogStore;

  /** `python`: the web server's runner, for test_rule's Panther Python tests. */
  constructor(
    private readonly catalog: () => CatalogStore,
    opts: McpEndpointOptions = {},
    python?: ServerPythonTests,
  ) {
    // Compared as digests: equal lengths, and a constant-time comparison.
    this.token = opts.token ? digest(opts.token) : undefined;
    this.create = opts.create ?? ((c) => createMcpServer(c, python));
  }

  /** An idle server over the current catalog, or a new one (a watching server swaps catalogs: the old ones go). */
  private takeServer(): McpServer {
    const current = this.catalog();
    if (this.idleCatalog !== current) {
      this.idle = [];
      this.idleCatalog = current;
    }
    return this.idle.pop() ?? this.create(() => current);
  }

  private async giveBack(server: McpServer, over: CatalogStore): Promise<void> {
    await server.close();
    if (over === this.idleCatalog && this.idle.length < maxIdleServers) this.idle.push(server);
  }

  private authorised(req: IncomingMessage): boolean {
    if (!this.token) return true;
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    return !!match && timingSafeEqual(digest(match[1]!), this.token);
  }

  /** Answer one request to /mcp; never throws (an error is a JSON-RPC error answer). */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if (!this.authorised(req)) {
        jsonRpcError(res, 401, -32001, 'a valid bearer token is required', { 'www-authenticate': 'Bearer realm="ruleatlas"' });
        return;
      }
      // Stateless: no session to resume (GET) or end (DELETE).
      if (req.method !== 'POST') {
        jsonRpcError(res, 405, -32000, 'only POST is served: this endpoint is stateless', { allow: 'POST' });
        return;
      }
      const body = await readBody(req);
      if (body === undefined) {
        jsonRpcError(res, 413, -32000, `the request is larger than ${maxBodyBytes} bytes`);
        return;
      }
      let message: unknown;
      try {
        message = JSON.parse(body.toString('utf8'));
      } catch {
        jsonRpcError(res, 400, -32700, 'the request body is not JSON');
        return;
      }
      const server = this.takeServer();
      const over = this.idleCatalog!;
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      res.on('close', () => {
        void transport.close();
        void this.giveBack(server, over);
      });
      await server.connect(transport);
      await transport.handleRequest(req, res, message);
    } catch (err) {
      console.error('ruleatlas: error serving /mcp:', err);
      if (!res.headersSent) jsonRpcError(res, 500, -32603, 'internal server error');
      else res.destroy();
    }
  }
}
