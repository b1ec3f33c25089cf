// /mcp keeps the servers of ended requests for the next ones (building one costs more than most
// answers), one per request in flight, and drops them when the catalog is swapped (serve --watch).
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { CatalogStore } from '../store/read.js';
import { openCoverageStore } from '../web/coverage-fixture.js';
import { McpEndpoint } from './http.js';
import { createMcpServer } from './server.js';
import { buildMiniCatalog } from './test-catalog.js';

let mini: CatalogStore;
let cleanupMini: () => void;
let other: ReturnType<typeof openCoverageStore>;
let current: CatalogStore;
let made: CatalogStore[] = [];
let http: Server;
let url: URL;

before(async () => {
  const built = await buildMiniCatalog();
  cleanupMini = built.cleanup;
  mini = CatalogStore.open(built.db);
  other = openCoverageStore();
  current = mini;
  const endpoint = new McpEndpoint(() => current, {
    create: (catalog): McpServer => {
      made.push(catalog());
      return createMcpServer(catalog);
    },
  });
  http = createServer((req, res) => void endpoint.handle(req, res));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = new URL(`http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`);
});

after(async () => {
  await new Promise((resolve) => http.close(resolve));
  mini.close();
  cleanupMini();
  other.cleanup();
});

async function connect(): Promise<Client> {
  const client = new Client({ name: 'ruleatlas-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(url));
  return client;
}

async function rulesInReport(client: Client): Promise<number> {
  const r = (await client.callTool({ name: 'catalog_report', arguments: {} })) as CallToolResult;
  assert.ok(!r.isError, JSON.stringify(r.content));
  return (r.structuredContent as { rules: number }).rules;
}

test('one server answers request after request; as many as are in flight at once', async () => {
  made = [];
  const client = await connect();
  for (let i = 0; i < 5; i++) assert.equal(await rulesInReport(client), mini.report.rules);
  assert.equal(made.length, 1, 'initialize, its notification and five calls: one server');
  const answers = await Promise.all([rulesInReport(client), rulesInReport(client), rulesInReport(client)]);
  assert.deepEqual(answers, [mini.report.rules, mini.report.rules, mini.report.rules]);
  assert.ok(made.length <= 3, `${made.length} servers for three requests at once`);
  const before = made.length;
  for (let i = 0; i < 3; i++) await rulesInReport(client);
  assert.equal(made.length, before, 'the kept servers serve what follows');
  await client.close();
});

test('a swapped catalog gets servers of its own: answers and instructions describe it', async () => {
  made = [];
  const first = await connect();
  assert.equal(await rulesInReport(first), mini.report.rules);
  current = other.store;
  const second = await connect();
  assert.equal(await rulesInReport(second), other.store.report.rules);
  assert.notEqual(other.store.report.rules, mini.report.rules);
  assert.match(second.getInstructions() ?? '', new RegExp(`catalog of ${other.store.rules.length} security detection rules`));
  assert.ok(made.includes(other.store), 'a server was made over the new catalog');
  assert.equal(made.at(-1), other.store);
  current = mini;
  await first.close();
  await second.close();
});
