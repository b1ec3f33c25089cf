// Test support: the coverage fixture's catalog (plus a test's own rules) and a web server on it, opened before
// a test file's tests and closed after them, with the requests those tests make. The web tests of the coverage,
// threat, story, data component and threat report views share it (as the MCP tests share mcp/test-client.ts).
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Rule } from '../model/types.js';
import type { CatalogStore } from '../store/read.js';
import { openCoverageStore } from './coverage-fixture.js';
import { type RunningServer, startServer } from './server.js';

export interface CoverageTestServer {
  /** The fixture's catalog, for answers computed in process to compare with the server's. */
  readonly store: CatalogStore;
  /** The server's address. */
  readonly url: string;
  /** A GET answer and its text; a redirect is answered, not followed. */
  get: (path: string) => Promise<{ res: Response; text: string }>;
  /** A JSON API answer: status 200 and JSON required. */
  api: <T>(path: string) => Promise<T>;
  /** A POST answer and its text. */
  post: (path: string, body: BodyInit, headers?: Record<string, string>) => Promise<{ res: Response; text: string }>;
}

/** Registers the hooks that open the fixture (with `extra` rules) and its server around the calling file's tests. */
export function coverageTestServer(extra: readonly Rule[] = []): CoverageTestServer {
  let fixture: ReturnType<typeof openCoverageStore> | undefined;
  let server: RunningServer | undefined;
  before(async () => {
    fixture = openCoverageStore(undefined, extra);
    server = await startServer(fixture.store, { port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    await server?.close();
    fixture?.cleanup();
  });
  const started = () => {
    assert.ok(fixture && server, 'the coverage test server is used before its tests started');
    return { fixture, server };
  };
  const get = async (path: string) => {
    const res = await fetch(new URL(path, started().server.url), { redirect: 'manual' });
    return { res, text: await res.text() };
  };
  return {
    get store() {
      return started().fixture.store;
    },
    get url() {
      return started().server.url;
    },
    get,
    api: async <T>(path: string): Promise<T> => {
      const { res, text } = await get(path);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8', path);
      return JSON.parse(text) as T;
    },
    post: async (path: string, body: BodyInit, headers: Record<string, string> = {}) => {
      const res = await fetch(new URL(path, started().server.url), { method: 'POST', body, headers });
      return { res, text: await res.text() };
    },
  };
}
