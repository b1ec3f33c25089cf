// The MCP server through the real binary: one stdio session (`ruleatlas mcp`), one Streamable HTTP
// session against `ruleatlas serve` at /mcp, and what /mcp refuses (another site's Origin, a
// missing or wrong bearer token, a stateless endpoint's GET).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { mcpTokenVariable } from './http.js';
import { buildMiniCatalog } from './test-catalog.js';

const bin = fileURLToPath(new URL('../../bin/ruleatlas.js', import.meta.url));
const elasticOkta = 'elastic:3f7c2d80-9e63-4a2c-9d31-000000000002';
const token = 'test-token-9f2c';

let db: string;
let cleanup: () => void;
const children: ChildProcess[] = [];

before(async () => {
  ({ db, cleanup } = await buildMiniCatalog());
});

after(() => {
  for (const child of children) if (child.exitCode === null) child.kill();
  cleanup();
});

/** Start `ruleatlas serve` on a free port; its URL once it listens. */
async function serve(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const child = spawn(process.execPath, [bin, 'serve', '--db', db, '--port', '0', ...args], {
    env: { ...process.env, [mcpTokenVariable]: '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  let out = '';
  for await (const chunk of child.stdout) {
    out += String(chunk);
    const url = /at (http:\/\/\S+)/.exec(out)?.[1];
    if (url) return url;
  }
  throw new Error(`serve ended without listening: ${out}`);
}

const initialize = (id = 1) =>
  JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
  });

/** The status of an initialize POST naming another Host (fetch does not let a caller set Host). */
function statusWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(new URL('mcp', url), { method: 'POST', headers: { host, 'content-type': 'application/json' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(initialize());
  });
}

function post(url: string, headers: Record<string, string>, body = initialize()): Promise<Response> {
  return fetch(new URL('mcp', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body,
  });
}

test('a stdio session through `ruleatlas mcp`', { timeout: 60_000 }, async () => {
  const transport = new StdioClientTransport({ command: process.execPath, args: [bin, 'mcp', '--db', db], stderr: 'pipe' });
  const client = new Client({ name: 'ruleatlas-test', version: '1.0.0' });
  await client.connect(transport);
  const pid = transport.pid;
  assert.ok(pid);
  try {
    const { tools } = await client.listTools();
    assert.equal(tools.length, 24);
    const answer = (await client.callTool({ name: 'find_equivalents', arguments: { rule: elasticOkta } })) as CallToolResult;
    const sameAction = (answer.structuredContent as { sameAction: Record<string, unknown> }).sameAction;
    assert.deepEqual(Object.keys(sameAction).sort(), ['panther', 'sigma']);
    const rule = await client.readResource({ uri: `ruleatlas://rules/${encodeURIComponent(elasticOkta)}` });
    assert.equal((JSON.parse((rule.contents[0] as { text: string }).text) as { id: string }).id, elasticOkta);
  } finally {
    await client.close();
  }
  // The client closing its pipe ends the server.
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && alive(pid)) await new Promise((r) => setTimeout(r, 50));
  assert.equal(alive(pid), false, 'ruleatlas mcp still runs after its client left');
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('an HTTP session against `ruleatlas serve` at /mcp, and what it refuses', { timeout: 60_000 }, async () => {
  const url = await serve(['--mcp-token', token]);
  const client = new Client({ name: 'ruleatlas-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL('mcp', url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
  );
  try {
    const search = (await client.callTool({ name: 'search_rules', arguments: { query: 'okta' } })) as CallToolResult;
    const api = (await (await fetch(new URL('/api/rules?q=okta&size=10', url))).json()) as { total: number; items: { id: string }[] };
    const got = search.structuredContent as { total: number; rules: { id: string }[] };
    assert.equal(got.total, api.total);
    assert.deepEqual(
      got.rules.map((r) => r.id),
      api.items.map((r) => r.id),
    );
    const coverage = (await client.callTool({ name: 'attack_coverage', arguments: { technique: 'T1134.003' } })) as CallToolResult;
    assert.equal(coverage.isError, undefined);
  } finally {
    await client.close();
  }

  const ok = await post(url, { authorization: `Bearer ${token}` });
  assert.equal(ok.status, 200);
  assert.match(ok.headers.get('content-type') ?? '', /application\/json/);
  assert.equal(ok.headers.get('mcp-session-id'), null, 'stateless: no session');
  assert.equal(ok.headers.get('x-content-type-options'), 'nosniff');

  const foreign = await post(url, { authorization: `Bearer ${token}`, origin: 'http://evil.example' });
  assert.equal(foreign.status, 403);
  assert.equal(await statusWithHost(url, 'evil.example'), 421);
  const wrong = await post(url, { authorization: 'Bearer nope' });
  assert.equal(wrong.status, 401);
  assert.match(wrong.headers.get('www-authenticate') ?? '', /^Bearer/);
  assert.equal((await post(url, {})).status, 401);
  const get = await fetch(new URL('mcp', url), { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } });
  assert.equal(get.status, 405);
  const notJson = await post(url, { authorization: `Bearer ${token}` }, '{');
  assert.equal(notJson.status, 400);

  const denied = new Client({ name: 'ruleatlas-test', version: '1.0.0' });
  await assert.rejects(
    denied.connect(new StreamableHTTPClientTransport(new URL('mcp', url), { requestInit: { headers: { authorization: 'Bearer nope' } } })),
  );
});

test('serve takes the token from the environment when --mcp-token is not given', { timeout: 60_000 }, async () => {
  const url = await serve([], { [mcpTokenVariable]: token });
  assert.equal((await post(url, {})).status, 401);
  assert.equal((await post(url, { authorization: `Bearer ${token}` })).status, 200);
  const open = await serve([]);
  assert.equal((await post(open, {})).status, 200, 'no token set: none asked');
  for (const child of children) child.kill();
  await Promise.all(children.filter((c) => c.exitCode === null).map((c) => once(c, 'exit')));
});
