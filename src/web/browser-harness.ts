// What the browser tests share: Debian's chromium driven by playwright-core, skipped with a
// message when it is missing unless CI is set (then the tests must run), and a watch on the page.
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';

/** The skip reason of a browser test suite, printed once, or false when chromium is there (or under CI). */
export function noBrowser(suite: string): string | false {
  if (existsSync(chromiumPath) || process.env.CI) return false;
  const reason = `skipped: no browser at ${chromiumPath} (install it with \`apt-get install -y chromium\`; under CI this test runs and fails instead)`;
  console.log(`# ${suite} ${reason}`);
  return reason;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
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
