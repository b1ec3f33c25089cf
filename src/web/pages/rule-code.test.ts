import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openTestCatalog } from '../../explore/test-catalog.js';
import { fixtureRule } from '../fixture-catalog.js';
import { perCatalogMemory } from '../per-catalog.js';
import { startServer } from '../server.js';

const query = 'SigninLogs\n| where ResultType == "50126" // a comment — with a dash';

test('a rule page’s code is highlighted once per catalog: its requests read no file and show the same markup', async () => {
  const rule = fixtureRule({ nativeId: 'code', name: 'Code', query, body: `name: Code\nquery: |\n  ${query.replace('\n', '\n  ')}\n` });
  const fixture = openTestCatalog([rule]);
  let reads = 0;
  const bodyOf = fixture.store.bodyOf.bind(fixture.store);
  fixture.store.bodyOf = (r) => {
    reads++;
    return bodyOf(r);
  };
  const server = await startServer(fixture.store, { port: 0, host: '127.0.0.1', cacheBytes: 0 });
  try {
    assert.ok(perCatalogMemory(fixture.store).keys.includes('rule parts'), 'packed before the server listens');
    const readsBeforeRequests = reads;
    const get = async () => (await fetch(new URL(`/rules/${encodeURIComponent(rule.id)}`, server.url))).text();
    const first = await get();
    const second = await get();
    assert.equal(reads, readsBeforeRequests, 'the rule pages read no file text from the catalog');
    assert.equal(second, first);
    // The query block and the file block, highlighted, the dash as a reference.
    assert.match(first, /<pre class="code" tabindex="0" aria-label="Detection query"><code>SigninLogs/);
    assert.match(first, /<span class="hl-s">&quot;50126&quot;<\/span>/);
    assert.match(first, /<span class="hl-c">\/\/ a comment &#8212; with a dash<\/span>/);
    assert.match(first, /<pre class="code body" tabindex="0" aria-label="Rule file"><code><span class="hl-[a-z]">name<\/span>/);
  } finally {
    await server.close();
    fixture.cleanup();
  }
});
