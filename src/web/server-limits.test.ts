// The server under hostile requests: foreign Host and Origin headers (DNS rebinding, other sites),
// exports larger than their limit, and a rule with an 8 MB string.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { openTestCatalog } from '../explore/test-catalog.js';
import type { Rule } from '../model/types.js';
import type { CatalogStore } from '../store/read.js';
import { fixtureRule } from './fixture-catalog.js';
import { type RunningServer, startServer } from './server.js';

/** A GET with the headers given as they are (fetch sets Host itself and forbids changing it). */
function get(url: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(new URL(path, url), { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

const hugeString = 'A'.repeat(8 * 1024 * 1024);
const hugeQuery = `SecurityEvent | where CommandLine has "${hugeString}"`;

function rules(): Rule[] {
  const many = Array.from({ length: 300 }, (_, i) =>
    fixtureRule({ nativeId: `r${i}`, name: `Rule ${String(i).padStart(3, '0')}`, description: 'x'.repeat(2000) }),
  );
  return [
    ...many,
    fixtureRule({
      nativeId: 'huge',
      name: 'Rule with an 8 MB string',
      query: hugeQuery,
      queryRange: { start: 7, end: 7 + hugeQuery.length },
      body: `query: ${hugeQuery}\n`,
      description: hugeString,
      indicators: [{ field: 'CommandLine', op: 'contains', value: hugeString, negated: false, caseSensitive: false }],
    }),
  ];
}

let fixture: { store: CatalogStore; cleanup(): void };
let server: RunningServer;
let url: string;

before(async () => {
  fixture = openTestCatalog(rules());
  server = await startServer(fixture.store, {
    port: 0,
    host: '127.0.0.1',
    cacheBytes: 0,
    exportBytes: 100_000,
    allowedHosts: ['atlas.example'],
  });
  url = server.url;
});

after(async () => {
  await server.close();
  fixture.cleanup();
});

describe('Host and Origin', () => {
  const port = () => new URL(url).port;

  test('a foreign Host is refused (421) on every route, pages and API alike', async () => {
    for (const path of ['/', '/api/rules', '/rules/x', '/api/export?format=json', '/static/app.css']) {
      const res = await get(url, path, { host: `rebind.attacker.example:${port()}` });
      assert.equal(res.status, 421, path);
      assert.ok(!res.body.includes('Rule 000'), `${path}: no catalog content`);
    }
  });

  test('the listening host, localhost, 127.0.0.1, [::1] and allow-listed names are served', async () => {
    for (const host of [
      `127.0.0.1:${port()}`,
      `localhost:${port()}`,
      'LOCALHOST',
      `[::1]:${port()}`,
      'atlas.example',
      `atlas.example:${port()}`,
    ]) {
      assert.equal((await get(url, '/api/rules', { host })).status, 200, host);
    }
  });

  test('an Origin of another site is refused (403); the server’s own origin is served', async () => {
    const host = `127.0.0.1:${port()}`;
    assert.equal((await get(url, '/api/rules', { host, origin: 'https://attacker.example' })).status, 403);
    assert.equal((await get(url, '/api/rules', { host, origin: 'null' })).status, 403);
    assert.equal((await get(url, '/api/rules', { host, origin: `http://127.0.0.1:${port()}` })).status, 200);
  });
});

describe('export limit', () => {
  test('an export larger than the limit streams up to it and ends with a message', async () => {
    const res = await get(url, '/api/export?format=json');
    assert.equal(res.status, 200);
    assert.ok(Buffer.byteLength(res.body) <= 100_000 + 300, `${Buffer.byteLength(res.body)} bytes`);
    assert.match(res.body, /ruleatlas: export stopped at the 0\.10 MB limit after \d+ of 301 rules; narrow the filters/);
  });

  test('an export under the limit is whole and parses', async () => {
    const res = await get(url, '/api/export?format=json&q=Rule%20007');
    assert.equal(res.status, 200);
    const parsed = JSON.parse(res.body) as { nativeId: string }[];
    assert.ok(parsed.some((r) => r.nativeId === 'r7'));
    // A CSV row is small: every rule fits.
    const csv = await get(url, '/api/export?format=csv');
    assert.equal(csv.body.trimEnd().split('\r\n').length, 302);
    assert.ok(!csv.body.includes('export stopped'));
  });
});

test('the page of a rule with an 8 MB string renders, each text cut to what a page shows', async () => {
  const res = await get(url, `/rules/${encodeURIComponent(fixture.store.rules.find((r) => r.nativeId === 'huge')!.id)}`);
  assert.equal(res.status, 200);
  assert.ok(res.body.includes('Rule with an 8 MB string'));
  // Each text is cut to what a page shows, with the count of what is left out: not 58 MB of page.
  assert.ok(res.body.length < 2_000_000, `${res.body.length} characters`);
  assert.ok(res.body.includes(`${'A'.repeat(1_000)}`));
  assert.match(res.body, /more characters/);
});
