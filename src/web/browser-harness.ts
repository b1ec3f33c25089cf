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
