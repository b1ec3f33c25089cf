// Test support: an MCP client talking to our server over the SDK's in-memory transport pair, beside a
// web server on the same catalog, so that each tool's answer can be checked against the JSON API's.
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { CatalogStore } from '../store/read.js';
import type { ServerPythonTests } from '../web/python-tests.js';
import { type RunningServer, startServer } from '../web/server.js';
import { createMcpServer } from './server.js';

type Json = Record<string, unknown>;

export interface McpTestClient {
  client: Client;
  web: RunningServer;
  /** A tool's raw result. */
  result(name: string, args: Json): Promise<CallToolResult>;
  /** A tool's structured answer; its text content must be the same JSON. */
  call<T>(name: string, args?: Json): Promise<T>;
  /** The error text of a call that must fail. */
  failure(name: string, args: Json): Promise<string>;
  /** The JSON API's answer (status 200 required). */
  api<T>(path: string): Promise<T>;
  close(): Promise<void>;
}

/** `python`: the runner of Panther Python tests for `test_rule` (the caller closes it). */
export async function connectMcpClient(store: CatalogStore, python?: ServerPythonTests): Promise<McpTestClient> {
  const web = await startServer(store, { port: 0, host: '127.0.0.1' });
  const server = createMcpServer(() => store, python);
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'ruleatlas-test', version: '1.0.0' });
  await client.connect(clientSide);

  const result = async (name: string, args: Json) => (await client.callTool({ name, arguments: args })) as CallToolResult;
  return {
    client,
    web,
    result,
    async call<T>(name: string, args: Json = {}) {
      const r = await result(name, args);
      assert.ok(!r.isError, `${name} failed: ${JSON.stringify(r.content)}`);
      const text = r.content[0];
      assert.equal(text?.type, 'text');
      assert.deepEqual(JSON.parse((text as { text: string }).text), r.structuredContent, `${name}: text and structured content differ`);
      return r.structuredContent as T;
    },
    async failure(name: string, args: Json) {
      const r = await result(name, args);
      assert.equal(r.isError, true, `${name} ${JSON.stringify(args)} should fail`);
      return (r.content[0] as { text: string }).text;
    },
    async api<T>(path: string) {
      const res = await fetch(new URL(path, web.url));
      assert.equal(res.status, 200, path);
      return (await res.json()) as T;
    },
    async close() {
      await client.close();
      await web.close();
    },
  };
}
