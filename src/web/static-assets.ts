import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface StaticAsset {
  body: Buffer;
  contentType: string;
  etag: string;
}

const files: Record<string, string> = {
  'style.css': 'text/css; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
};

/**
 * Read the static files once, at start-up, from beside this module (src/web/static under tsx,
 * dist/web/static after the build). A missing file is simply not served.
 */
export function loadStaticAssets(): { assets: Map<string, StaticAsset>; version: string } {
  const assets = new Map<string, StaticAsset>();
  const hash = createHash('sha1');
  for (const [name, contentType] of Object.entries(files)) {
    let body: Buffer;
    try {
      body = readFileSync(new URL(`./static/${name}`, import.meta.url));
    } catch {
      continue;
    }
    const digest = createHash('sha1').update(body).digest('hex').slice(0, 12);
    hash.update(digest);
    assets.set(`/static/${name}`, { body, contentType, etag: `"${digest}"` });
  }
  return { assets, version: hash.digest('hex').slice(0, 10) };
}
