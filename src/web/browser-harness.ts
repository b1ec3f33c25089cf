// What the browser tests share: Debian's chromium driven by playwright-core, skipped with a
// message when it is missing unless CI is set (then the tests must run), a catalog served to it,
// and a watch on the page.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { captureOutput } from '../cli/capture-output.js';
import { type BuildOptions, runBuild } from '../cli/commands/build.js';
import { CatalogStore } from '../store/read.js';
import { type RunningServer, startServer } from './server.js';

const chromiumPath = '/usr/bin/chromium';

/** The skip reason of a browser test suite, printed once, or false when chromium is there (or under CI). */
export function noBrowser(suite: string): string | false {
  if (existsSync(chromiumPath) || process.env.CI) return false;
  const reason = `skipped: no browser at ${chromiumPath} (install it with \`apt-get install -y chromium\`; under CI this test runs and fails instead)`;
  console.log(`# ${suite} ${reason}`);
  return reason;
}

function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Console errors (CSP violations show up here) and dialogs opened by the page. */
export function watchPage(page: Page) {
  const seen = { errors: [] as string[], dialogs: [] as string[] };
  page.on('console', (msg) => {
    if (msg.type() === 'error') seen.errors.push(msg.text());
  });
  page.on('pageerror', (err) => seen.errors.push(err.message));
  page.on('dialog', async (dialog) => {
    seen.dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  return seen;
}

/** Markdown for a rule's guide and set-up that tries every way in: a script, an event handler, script links, an image beacon. */
export const hostileMarkdown = [
  '## Guide',
  '<script>window.__xss = 1</script>',
  '<img src=x onerror="window.__xss = 2">',
  '[click me](javascript:window.__xss=3) [data](data:text/html,<script>window.__xss=4</script>)',
  '![pixel](https://tracker.example.com/p.png)',
  '[Okta](https://help.okta.com/)',
].join('\n\n');

/**
 * The rule page at `url`, whose guide and set-up are `hostileMarkdown`: both rendered, no script run
 * (the links clicked too), nothing loaded, only http(s) links kept as links, no dialog, no error.
 */
export async function assertHostileMarkdownInert(browser: Browser, url: string): Promise<void> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const seen = watchPage(page);
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(url);
  for (const id of ['guide', 'setup']) {
    await page.locator(`#${id} summary`).click();
    const md = page.locator(`#${id} .markdown`);
    assert.equal(await md.locator('h2', { hasText: 'Guide' }).count(), 1, 'the markdown is rendered');
    assert.equal(await md.locator('script, img').count(), 0);
    const hrefs = await md.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    // An image is a link to it, never loaded.
    assert.deepEqual(hrefs, ['https://tracker.example.com/p.png', 'https://help.okta.com/']);
    assert.match(await md.innerText(), /<script>window\.__xss = 1<\/script>/, 'raw HTML shown as text');
    await md.getByText('click me').click();
  }
  assert.equal(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss), undefined);
  assert.ok(!requests.some((u) => u.includes('tracker.example.com')), 'no image fetched');
  assert.deepEqual(seen.dialogs, []);
  assert.deepEqual(seen.errors, []);
  await page.close();
}

/** A catalog served on a loopback port, and a browser to visit it; `close` stops both, then cleans up. */
export interface BrowserSession {
  server: RunningServer;
  browser: Browser;
  close(): Promise<void>;
}

/** Serve `store` (`live`: watch-mode pages) and launch chromium; `cleanup` runs on close (or at once if the launch fails). */
export async function serveInBrowser(store: CatalogStore, cleanup: () => void, live = false): Promise<BrowserSession> {
  const server = await startServer(store, { port: 0, host: '127.0.0.1', live });
  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (err) {
    await server.close();
    cleanup();
    throw err;
  }
  return {
    server,
    browser,
    async close() {
      await browser.close();
      await server.close();
      cleanup();
    },
  };
}

/** A catalog built in a temporary folder (`build` without its db), opened: `cleanup` closes it and removes the folder. */
export async function buildTempCatalog(
  prefix: string,
  build: Omit<BuildOptions, 'db'>,
): Promise<{ store: CatalogStore; cleanup: () => void }> {
  const work = mkdtempSync(join(tmpdir(), prefix));
  const db = join(work, 'catalog.db');
  try {
    assert.ok(await runBuild({ ...build, db }, captureOutput()), 'the catalog built');
  } catch (err) {
    rmSync(work, { recursive: true, force: true });
    throw err;
  }
  const store = CatalogStore.open(db);
  return {
    store,
    cleanup() {
      store.close();
      rmSync(work, { recursive: true, force: true });
    },
  };
}
