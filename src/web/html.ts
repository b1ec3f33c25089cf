// Escaping by default: the only way to put markup into a page is the `html` tag, which escapes
// every interpolated value unless it is SafeHtml that `html` itself produced.

import { deflateRawSync, inflateRawSync } from 'node:zlib';
import MarkdownIt from 'markdown-it';

const token = Symbol('SafeHtml');

/** Markup that is known to be safe because `html` built it. Cannot be constructed from outside. */
export class SafeHtml {
  readonly #value: string;

  constructor(secret: symbol, value: string) {
    if (secret !== token) throw new TypeError('SafeHtml is only produced by the html tag');
    this.#value = value;
  }

  toString(): string {
    return this.#value;
  }
}

/**
 * Pieces of markup kept deflated (a rule's highlighted code, rendered once per catalog: about a third of
 * a rule page's CPU, and 90 M characters for the whole corpus, 20 MB deflated). Made only from SafeHtml
 * by `packHtml`, so what `unpack` gives back is what `html` made. Latin-1 bytes: escaped markup holds no
 * character above U+00FF, and Latin-1 text reads back in V8's one-byte form with a plain copy.
 */
export class PackedHtml {
  constructor(
    secret: symbol,
    /** The pieces' characters as Latin-1, deflated. */
    readonly bytes: Buffer,
    /** Each piece's length in characters. */
    readonly lengths: readonly number[],
  ) {
    if (secret !== token) throw new TypeError('PackedHtml is only produced by packHtml');
  }

  /** The pieces, as they were packed. */
  unpack(): SafeHtml[] {
    const text = inflateRawSync(this.bytes).toString('latin1');
    const pieces: SafeHtml[] = [];
    let at = 0;
    for (const length of this.lengths) {
      pieces.push(new SafeHtml(token, text.slice(at, at + length)));
      at += length;
    }
    return pieces;
  }
}

/** The pieces packed; undefined when one holds a character above U+00FF (markdown-it's or a template's own), which Latin-1 cannot keep. */
export function packHtml(pieces: readonly SafeHtml[]): PackedHtml | undefined {
  const texts = pieces.map(String);
  const joined = texts.join('');
  if (/[\u0100-\uffff]/.test(joined)) return undefined;
  // A copy of exactly the deflated bytes: zlib's answer is a slice of its 16 KB output chunk, which it would keep whole.
  return new PackedHtml(
    token,
    Buffer.from(deflateRawSync(Buffer.from(joined, 'latin1'))),
    texts.map((t) => t.length),
  );
}

/** What a template may interpolate. Everything but SafeHtml is escaped; nullish and false render nothing. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

/** The HTML specials, and every character V8 cannot store one byte per character (above U+00FF). */
const special = /[&<>"'`\u0100-\uffff]/;

/**
 * The numeric reference of the character at `i` (a surrogate pair as one code point, a lone surrogate
 * as U+FFFD, which is what its UTF-8 bytes would have shown), and how many code units it took.
 */
function characterReference(text: string, i: number): [string, number] {
  const code = text.charCodeAt(i);
  if (code < 0xd800 || code > 0xdfff) return [`&#${code};`, 1];
  const next = text.charCodeAt(i + 1);
  if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) return [`&#${((code - 0xd800) << 10) + (next - 0xdc00) + 0x10000};`, 2];
  return ['&#65533;', 1];
}

/**
 * A text holding only characters up to U+00FF, in V8's one-byte form. Pieces cut from a two-byte text
 * stay two-byte even when they hold no wide character, and one two-byte piece makes the whole page
 * two-byte (twice the bytes to copy, and a slower UTF-8 encoding), so such a result is copied once.
 */
function oneByte(text: string): string {
  return Buffer.from(text, 'latin1').toString('latin1');
}

/**
 * Escape text for use in element content and in quoted attribute values; characters above U+00FF
 * become numeric references (`&#8212;`), which a browser reads as the same text, so that a page of
 * any content is held one byte per character. A loop over the characters from the first special
 * one on: a page escapes thousands of pieces, and `replace` with a callback per match was several
 * times slower.
 */
export function escapeHtml(text: string): string {
  const first = text.search(special);
  if (first === -1) return text;
  let out = text.slice(0, first);
  let last = first;
  let wide = false;
  for (let i = first; i < text.length; i++) {
    let entity: string;
    let units = 1;
    switch (text.charCodeAt(i)) {
      case 38:
        entity = '&amp;';
        break;
      case 60:
        entity = '&lt;';
        break;
      case 62:
        entity = '&gt;';
        break;
      case 34:
        entity = '&quot;';
        break;
      case 39:
        entity = '&#39;';
        break;
      case 96:
        entity = '&#96;';
        break;
      default:
        if (text.charCodeAt(i) < 0x100) continue;
        [entity, units] = characterReference(text, i);
        wide = true;
    }
    if (i > last) out += text.slice(last, i);
    out += entity;
    last = i + units;
    i += units - 1;
  }
  const escaped = last < text.length ? out + text.slice(last) : out;
  return wide ? oneByte(escaped) : escaped;
}

/**
 * Markup built from pieces cut out of a text that held characters above U+00FF, in one-byte form:
 * the references escapeHtml wrote hold none, but the pieces between them are two-byte (see oneByte).
 */
export function oneByteHtml(markup: SafeHtml): SafeHtml {
  const text = markup.toString();
  // Latin-1 cannot keep a character above U+00FF that a template wrote itself: such markup stays as it is.
  return /[\u0100-\uffff]/.test(text) ? markup : new SafeHtml(token, oneByte(text));
}

/** Markup with its characters above U+00FF as numeric references (see escapeHtml), one byte per character. */
function narrowMarkup(markup: string): string {
  const first = markup.search(/[\u0100-\uffff]/);
  if (first === -1) return markup;
  let out = markup.slice(0, first);
  let last = first;
  for (let i = first; i < markup.length; i++) {
    if (markup.charCodeAt(i) < 0x100) continue;
    const [entity, units] = characterReference(markup, i);
    out += markup.slice(last, i) + entity;
    last = i + units;
    i += units - 1;
  }
  return oneByte(last < markup.length ? out + markup.slice(last) : out);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.toString();
  if (value === null || value === undefined || value === false) return '';
  if (typeof value === 'string') return escapeHtml(value);
  if (typeof value === 'number' || value === true) return escapeHtml(String(value));
  // A list (of rows, options) is joined into one flat string: appended piece by piece it stayed a
  // rope (a tree of thousands of small strings) that cost more to turn into bytes than to render.
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('');
  // Anything else (objects smuggled past the types) is shown as text, never as markup.
  return escapeHtml(String(value));
}

/** Tagged template: `html\`<p title="${t}">${body}</p>\`` with every value escaped. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(token, out);
}

/** Join SafeHtml (or text, escaped) with a separator that is itself escaped unless SafeHtml. */
export function join(items: readonly HtmlValue[], separator: HtmlValue = ''): SafeHtml {
  const sep = render(separator);
  return new SafeHtml(token, items.map(render).join(sep));
}

/** A URL usable as an href for untrusted input: only absolute http(s) URLs, otherwise undefined. */
export function safeExternalUrl(url: string): string | undefined {
  const trimmed = url.trim();
  if (!/^https?:\/\//i.test(trimmed)) return undefined;
  try {
    const parsed = new URL(trimmed);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Markdown from rule files (investigation guides, set-up notes) as markup. markdown-it escapes text
 * itself; raw HTML is off (written as text), links and images only to http(s) URLs through the same
 * allow-list as references (others stay text), and images are not loaded (shown as their text);
 * characters above U+00FF become numeric references, as escapeHtml writes them.
 */
const markdownIt = new MarkdownIt({ html: false, linkify: false, typographer: false });
markdownIt.disable('image');
markdownIt.validateLink = (url) => safeExternalUrl(url) !== undefined;
markdownIt.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  tokens[idx]!.attrSet('rel', 'noopener noreferrer nofollow');
  tokens[idx]!.attrSet('target', '_blank');
  return self.renderToken(tokens, idx, options);
};

export function markdown(text: string): SafeHtml {
  return new SafeHtml(token, narrowMarkup(markdownIt.render(text)));
}
