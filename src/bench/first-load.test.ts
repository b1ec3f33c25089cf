// The first-load bench measures every GET route of the server: the pages a person reaches by following
// links from Explore, and each page's JSON twin under /api. Found by crawling a served catalog, so a new
// page or API route without a kind in first-load.ts fails here.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openCoverageStore } from '../web/coverage-fixture.js';
import { startServer } from '../web/server.js';
import { benchCovers } from './first-load.js';

/** The JSON twin of a page's path: Explore's is /api/rules, every other page's its path under /api. */
const twinOf = (path: string) => (path === '/' ? '/api/rules' : `/api${path}`);

test('bench first: every GET route reached from Explore, and every JSON twin of a page, has a kind', async () => {
  const fixture = openCoverageStore();
  const server = await startServer(fixture.store, { port: 0, host: '127.0.0.1' });
  try {
    const routes = new Set<string>();
    const seen = new Set<string>();
    const queue = ['/'];
    const get = (path: string) => fetch(new URL(path, server.url), { redirect: 'manual' });
    while (queue.length && seen.size < 1000) {
      const href = queue.shift()!;
      const url = new URL(href, server.url);
      if (seen.has(url.pathname)) continue;
      seen.add(url.pathname);
      const res = await get(href);
      const type = res.headers.get('content-type') ?? '';
      // Redirects, refusals (a POST-only path) and files (stylesheet, script, icon) are no pages.
      if (res.status !== 200 || !/^(text\/html|application\/json|text\/csv)/.test(type)) continue;
      routes.add(url.pathname);
      if (!type.startsWith('text/html')) continue;
      const twin = twinOf(url.pathname);
      if (!url.pathname.startsWith('/api/') && (await get(twin)).status === 200) routes.add(twin);
      for (const m of (await res.text()).matchAll(/href="([^"#]*)/g)) {
        const next = new URL(m[1]!.replaceAll('&amp;', '&'), url);
        if (next.origin === url.origin && !seen.has(next.pathname)) queue.push(next.pathname + next.search);
      }
    }
    // The crawl reached the kinds of page the fixture holds (a guard against a crawl that finds nothing).
    for (const path of ['/coverage/matrix', '/actors/G0016', '/api/actors/G0016', '/api/actors/G0016/layer', '/changes', '/api/export'])
      assert.ok(routes.has(path), `the crawl reached ${path}`);
    const missing = [...routes].filter((path) => !benchCovers(path)).sort();
    assert.deepEqual(missing, [], 'GET routes without a kind in bench/first-load.ts');
  } finally {
    await server.close();
    fixture.cleanup();
  }
});
