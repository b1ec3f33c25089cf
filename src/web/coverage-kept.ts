// The parts of the heavy coverage pages that no request changes (the indicators page's field tables, the
// matrix's tactic columns, in a view's default state over the whole catalog), rendered once per catalog and
// kept as UTF-8 bytes (per-catalog.ts, within its budget); a request renders the page around them with a
// placeholder and splices the bytes in. Rendering those rows was most of the pages' CPU (2,000 rows of
// templates and escaping per request for ~300 KB), and encoding the joined text to UTF-8 most of the rest.
import type { CatalogStore } from '../store/read.js';
import { html, type SafeHtml } from './html.js';
import { perCatalog } from './per-catalog.js';
import { utf8Bytes } from './utf8.js';
import { pooledConcat, type PooledBytes } from './reply-bytes.js';

/** Markup as UTF-8 bytes; made only from SafeHtml, so what a page splices in is what `html` made. */
export class KeptHtml {
  private constructor(readonly bytes: Buffer) {}

  static of(markup: SafeHtml): KeptHtml {
    return new KeptHtml(utf8Bytes(markup.toString()));
  }
}

/**
 * Where a page's spliced parts go: a comment, which no text on the page can spell (every `<` that is not
 * a template's own is escaped), and no template writes.
 */
const placeholderText = '<!--ruleatlas:parts-->';
export const partsHere: SafeHtml = html`<!--ruleatlas:parts-->`;

/** A page's bytes: its text with `parts` in place of the placeholder, which the text holds once. */
export function splicedPage(text: string, parts: readonly KeptHtml[]): PooledBytes {
  const at = text.indexOf(placeholderText);
  if (at < 0 || text.includes(placeholderText, at + 1)) throw new Error('a spliced page holds its placeholder once');
  return pooledConcat([utf8Bytes(text.slice(0, at)), ...parts.map((p) => p.bytes), utf8Bytes(text.slice(at + placeholderText.length))]);
}

/** How a page gets a part: rendered now, or kept per catalog under a key. */
export type PartSource = (key: string, render: () => SafeHtml) => KeptHtml;

export const renderedNow: PartSource = (_key, render) => KeptHtml.of(render());

/** Parts kept per catalog under `prefix` and the part's key; only for a bounded set of prefixes (a view's default states). */
export function keptPerCatalog(store: CatalogStore, prefix: string): PartSource {
  return (key, render) => perCatalog(store, `${prefix} ${key}`, () => KeptHtml.of(render()));
}

/** A value's JSON as UTF-8 bytes, kept per catalog under `prefix` and its key (as keptPerCatalog). */
export function keptJsonPerCatalog(store: CatalogStore, prefix: string): (key: string, value: () => unknown) => Buffer {
  return (key, value) => perCatalog(store, `${prefix} ${key}`, () => utf8Bytes(JSON.stringify(value())));
}

/**
 * The JSON of `value` with its array `key` written from `items`, each an item's JSON bytes (the JSON API's
 * twin of splicedPage). The first `"key":[]` of the text is the value's own: no value before it may hold
 * that key (in JSON text an unescaped `"` only opens or closes a string, so no string spells it).
 */
export function splicedJson(value: object, key: string, items: readonly Buffer[]): PooledBytes {
  const text = JSON.stringify({ ...value, [key]: [] });
  const empty = `${JSON.stringify(key)}:[]`;
  const at = text.indexOf(empty) + empty.length - 1;
  const parts: Buffer[] = [utf8Bytes(text.slice(0, at))];
  items.forEach((item, i) => parts.push(...(i ? [comma, item] : [item])));
  parts.push(utf8Bytes(text.slice(at)));
  return pooledConcat(parts);
}

const comma = Buffer.from(',');
