// Presentation-only syntax highlighting: one scanner, driven by what each language declares in its
// folder (`QueryLanguage.highlight`) and each container (YAML, TOML) in formats/, wraps strings,
// numbers, comments, keywords, operators and keys in <span class="hl-…">. Every piece of text goes
// through the `html` tag, so the output is escaped whatever the input holds.
//
// The scanner is a loop, not a set of regexes: each character is looked at a bounded number of
// times (an unclosed string or comment runs to the end of its line or of the text instead of being
// tried again from the next character), so a hostile 8 MB query costs linear time and no stack.
import { containerSyntax } from '../formats/container-syntax.js';
import type { Container } from '../formats/types.js';
import { languages } from '../languages/registry.js';
import type { HighlightSyntax, StringSyntax } from '../model/highlight.js';
import type { TextRange } from '../model/types.js';
import { html, type HtmlValue, type SafeHtml } from './html.js';

type TokenClass = 'c' | 's' | 'n' | 'k' | 'o' | 'f' | 'p' | 'h';

interface Token {
  start: number;
  end: number;
  cls: TokenClass;
}

/** A syntax prepared for scanning: sets and first-character tables instead of lists. */
interface Scanner {
  syntax: HighlightSyntax;
  keywords: Set<string>;
  /** How many `-` a keyword holds at most: a word is extended over that many hyphens when that makes a keyword. */
  hyphens: number;
  strings: Map<string, StringSyntax[]>;
  operators: Map<string, string[]>;
  lineComments: Map<string, string[]>;
  blockComments: Map<string, (readonly [string, string])[]>;
  wordStart: Set<string>;
  wordPart: Set<string>;
  fieldMarkers: Set<string>;
  /** What each ASCII character may be or start (the `starts` bits): the scan passes over plain characters without a lookup. */
  ascii: Uint8Array;
}

/** Bits of `Scanner.ascii`. */
const starts = { lineComment: 1, blockComment: 2, string: 4, operator: 8, word: 16, digit: 32 } as const;
const wordPartBit = 64;
/** Any bit but `wordPartBit`: the character may begin a token. */
const tokenBits = 63;

/** The `starts` bits of each ASCII character for a scanner's sets and first-character tables. */
function asciiTable(s: Omit<Scanner, 'ascii'>): Uint8Array {
  const table = new Uint8Array(128);
  for (let code = 0; code < 128; code++) {
    const ch = String.fromCharCode(code);
    const word = isLetter(code) || s.wordStart.has(ch);
    table[code] =
      (s.lineComments.has(ch) ? starts.lineComment : 0) |
      (s.blockComments.has(ch) ? starts.blockComment : 0) |
      (s.strings.has(ch) ? starts.string : 0) |
      (s.operators.has(ch) ? starts.operator : 0) |
      (word ? starts.word : 0) |
      (isDigit(code) ? starts.digit : 0) |
      (word || isDigit(code) || s.wordPart.has(ch) ? wordPartBit : 0);
  }
  return table;
}

/** Items grouped by their first character, longest first (`'''` before `'`, `==` before `=`). */
function byFirstChar<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of [...items].sort((a, b) => key(b).length - key(a).length)) {
    const k = key(item);
    if (k === '') continue;
    const list = out.get(k[0]!) ?? [];
    list.push(item);
    out.set(k[0]!, list);
  }
  return out;
}

const scanners = new WeakMap<HighlightSyntax, Scanner>();

function scannerOf(syntax: HighlightSyntax): Scanner {
  let scanner = scanners.get(syntax);
  if (scanner) return scanner;
  const fold = (w: string) => (syntax.caseInsensitive ? w.toLowerCase() : w);
  const keywords = new Set(syntax.keywords.map(fold));
  const prepared = {
    syntax,
    keywords,
    hyphens: Math.max(0, ...[...keywords].map((k) => k.split('-').length - 1)),
    strings: byFirstChar(syntax.strings ?? [], (s) => s.open),
    operators: byFirstChar(syntax.operators ?? [], (o) => o),
    lineComments: byFirstChar(syntax.lineComments ?? [], (c) => c),
    blockComments: byFirstChar(syntax.blockComments ?? [], (c) => c[0]),
    wordStart: new Set(syntax.wordStart ?? ''),
    wordPart: new Set(syntax.wordChars ?? ''),
    fieldMarkers: new Set(syntax.fieldMarkers ?? ''),
  };
  scanner = { ...prepared, ascii: asciiTable(prepared) };
  scanners.set(syntax, scanner);
  return scanner;
}

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isBlank(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t';
}

function isWordStart(s: Scanner, text: string, i: number): boolean {
  if (i >= text.length) return false;
  const code = text.charCodeAt(i);
  return code < 128 ? (s.ascii[code]! & starts.word) !== 0 : s.wordStart.has(text[i]!);
}

function isWordPart(s: Scanner, text: string, i: number): boolean {
  if (i >= text.length) return false;
  const code = text.charCodeAt(i);
  return code < 128 ? (s.ascii[code]! & wordPartBit) !== 0 : s.wordStart.has(text[i]!) || s.wordPart.has(text[i]!);
}

function wordEnd(s: Scanner, text: string, i: number): number {
  while (isWordPart(s, text, i)) i++;
  return i;
}

function skipBlanks(text: string, i: number): number {
  while (isBlank(text[i])) i++;
  return i;
}

function lineEnd(text: string, i: number): number {
  const nl = text.indexOf('\n', i);
  return nl < 0 ? text.length : nl;
}

/** End of a string opened at `i`; an unclosed one ends at its line's end (or the text's, if multiline). */
function stringEnd(text: string, i: number, str: StringSyntax): number {
  const close = str.close ?? str.open;
  let j = i + str.open.length;
  while (j < text.length) {
    const ch = text[j];
    if (ch === '\n' && !str.multiline) return j;
    if (ch === '\\' && (str.escape === 'backslash' || str.escape === 'both')) {
      j += text[j + 1] === '\n' && !str.multiline ? 1 : 2;
      continue;
    }
    if (text.startsWith(close, j)) {
      if ((str.escape === 'double' || str.escape === 'both') && text.startsWith(close, j + close.length)) {
        j += 2 * close.length;
        continue;
      }
      return j + close.length;
    }
    j++;
  }
  return text.length;
}

/** End of a number at `i`, or undefined when the digits run into a word (`1abc`). */
function numberEnd(s: Scanner, text: string, i: number): number | undefined {
  let j = i;
  while (isDigit(text.charCodeAt(j))) j++;
  if (text[j] === '.' && isDigit(text.charCodeAt(j + 1))) {
    j += 2;
    while (isDigit(text.charCodeAt(j))) j++;
  }
  if (
    (text[j] === 'e' || text[j] === 'E') &&
    (isDigit(text.charCodeAt(j + 1)) || (/[+-]/.test(text[j + 1] ?? '') && isDigit(text.charCodeAt(j + 2))))
  ) {
    j += 2;
    while (isDigit(text.charCodeAt(j))) j++;
  }
  const suffix = s.syntax.numberSuffixes?.find((u) => text.startsWith(u, j) && !isWordPart(s, text, j + u.length));
  if (suffix) j += suffix.length;
  return isWordPart(s, text, j) || text[j] === '.' ? undefined : j;
}

/**
 * Tokens at the start of a line: list dashes, a key before its separator, a block scalar marker
 * after it, or a table header. Scans the line at most once.
 */
function lineStartTokens(s: Scanner, text: string, i: number): Token[] {
  const { lineKeys, tableHeaders } = s.syntax;
  const out: Token[] = [];
  let j = skipBlanks(text, i);
  const end = lineEnd(text, j);
  if (tableHeaders && text[j] === '[') {
    // Searched on this line only: an unclosed `[` on every line must not send each search to the end.
    const close = text.slice(j, end).indexOf(']') + j;
    if (close >= j) {
      out.push({ start: j, end: text[close + 1] === ']' ? close + 2 : close + 1, cls: 'h' });
      return out;
    }
  }
  if (lineKeys === ':') {
    while (text[j] === '-' && (isBlank(text[j + 1]) || j + 1 >= end)) {
      out.push({ start: j, end: j + 1, cls: 'o' });
      j = skipBlanks(text, j + 1);
    }
    if (j >= end || `#'"[]{},\r`.includes(text[j]!)) return out;
    for (let k = j; k < end; k++) {
      if (text[k] === '#' && isBlank(text[k - 1])) return out;
      if (text[k] !== ':' || !(k + 1 >= end || isBlank(text[k + 1]) || text[k + 1] === '\r')) continue;
      let keyEnd = k;
      while (isBlank(text[keyEnd - 1])) keyEnd--;
      out.push({ start: j, end: keyEnd, cls: 'p' });
      // `key: |` or `key: >-`: the marker alone on the line (a comment may follow).
      const v = skipBlanks(text, k + 1);
      const marker = /^[|>][-+]?\d?/.exec(text.slice(v, v + 3))?.[0];
      const after = marker ? skipBlanks(text, v + marker.length) : v;
      if (marker && (after >= end || text[after] === '\r' || text[after] === '#')) {
        out.push({ start: v, end: v + marker.length, cls: 'o' });
      }
      return out;
    }
  } else if (lineKeys === '=') {
    let k = j;
    while (k < end && (isWordPart(s, text, k) || text[k] === '-' || text[k] === '"' || text[k] === '.')) k++;
    if (k > j && text[skipBlanks(text, k)] === '=') out.push({ start: j, end: k, cls: 'p' });
  }
  return out;
}

/** Called with each token in order; returning false stops the scan. */
type Emit = (start: number, end: number, cls: TokenClass) => boolean | void;

/** The tokens of `text` from `from` on, in order. Plain text (words that are nothing special) is no token. */
function scan(s: Scanner, text: string, from: number, emit: Emit): void {
  const { syntax } = s;
  const lineAware = syntax.lineKeys !== undefined || syntax.tableHeaders === true;
  const { ascii } = s;
  let i = from;
  while (i < text.length) {
    if (lineAware && (i === 0 || text.charCodeAt(i - 1) === 10)) {
      const tokens = lineStartTokens(s, text, i);
      if (tokens.length) {
        for (const t of tokens) if (emit(t.start, t.end, t.cls) === false) return;
        i = tokens.at(-1)!.end;
        continue;
      }
    }
    const code = text.charCodeAt(i);
    // What an ASCII character may start, from the table (other characters are looked up).
    const bits = code < 128 ? ascii[code]! & tokenBits : tokenBits;
    // A plain character (space, most punctuation) starts nothing.
    if (bits === 0) {
      i++;
      continue;
    }
    const ch = text[i]!;
    const afterSpace = i === 0 || isBlank(text[i - 1]) || text[i - 1] === '\n' || text[i - 1] === '\r';
    if (bits & (starts.lineComment | starts.blockComment) && (!syntax.commentsAfterSpace || afterSpace)) {
      const line = s.lineComments.get(ch)?.find((c) => text.startsWith(c, i));
      if (line) {
        const end = lineEnd(text, i);
        if (emit(i, end, 'c') === false) return;
        i = end;
        continue;
      }
      const block = s.blockComments.get(ch)?.find(([open]) => text.startsWith(open, i));
      if (block) {
        const close = text.indexOf(block[1], i + block[0].length);
        const end = close < 0 ? text.length : close + block[1].length;
        if (emit(i, end, 'c') === false) return;
        i = end;
        continue;
      }
    }
    const quoteAllowed =
      syntax.quotesAfterWord !== false || i === 0 || !(isLetter(text.charCodeAt(i - 1)) || isDigit(text.charCodeAt(i - 1)));
    const str = quoteAllowed && bits & starts.string ? s.strings.get(ch)?.find((c) => text.startsWith(c.open, i)) : undefined;
    if (str) {
      const end = stringEnd(text, i, str);
      if (emit(i, end, 's') === false) return;
      i = end;
      continue;
    }
    if (isWordStart(s, text, i)) {
      const token = wordToken(s, text, i);
      if (token && emit(token.start, token.end, token.cls) === false) return;
      i = token?.end ?? wordEnd(s, text, i);
      continue;
    }
    if (isDigit(text.charCodeAt(i))) {
      const end = syntax.noNumbers ? undefined : numberEnd(s, text, i);
      if (end !== undefined && emit(i, end, 'n') === false) return;
      // Digits that run into a word are one plain word.
      i = end ?? Math.max(i + 1, wordEnd(s, text, i));
      continue;
    }
    const op = bits & starts.operator ? s.operators.get(ch)?.find((o) => text.startsWith(o, i)) : undefined;
    if (op) {
      if (emit(i, i + op.length, 'o') === false) return;
      i += op.length;
      continue;
    }
    i++;
  }
}

/** A word at `i`: field (before a field marker), keyword, function (before `(`), or undefined when plain. */
function wordToken(s: Scanner, text: string, i: number): Token | undefined {
  const fold = (w: string) => (s.syntax.caseInsensitive ? w.toLowerCase() : w);
  let end = wordEnd(s, text, i);
  // `mv-expand`, `project-away`: a keyword across hyphens, tried only as far as the longest keyword needs.
  for (let h = 0; h < s.hyphens && text[end] === '-' && isWordStart(s, text, end + 1); h++) {
    const longer = wordEnd(s, text, end + 1);
    if (!s.keywords.has(fold(text.slice(i, longer)))) break;
    end = longer;
  }
  const next = text[skipBlanks(text, end)];
  if (next !== undefined && s.fieldMarkers.has(next)) return { start: i, end, cls: 'p' };
  if (s.keywords.has(fold(text.slice(i, end)))) return { start: i, end, cls: 'k' };
  if (next === '(' && !s.syntax.noFunctions) return { start: i, end, cls: 'f' };
  return undefined;
}

/**
 * Each class's opening tag and the closing tag, made once by `html`: a token costs no markup of its
 * own (a span per token was most of the time and garbage on large files), and its text stays a
 * string that `html` escapes.
 */
const openTag: Record<TokenClass, SafeHtml> = {
  c: html`<span class="hl-c">`,
  s: html`<span class="hl-s">`,
  n: html`<span class="hl-n">`,
  k: html`<span class="hl-k">`,
  o: html`<span class="hl-o">`,
  f: html`<span class="hl-f">`,
  p: html`<span class="hl-p">`,
  h: html`<span class="hl-h">`,
};
const closeTag = html`</span>`;

/** Pieces of `text` between `from` and `to` for the tokens given: plain text escaped by `html`, tokens as spans. */
class Pieces {
  private readonly out: SafeHtml[] = [];
  private batch: HtmlValue[] = [];
  private last: number;

  constructor(
    private readonly text: string,
    from: number,
  ) {
    this.last = from;
  }

  token(start: number, end: number, cls: TokenClass): void {
    this.plainTo(start);
    if (end > start) this.push(openTag[cls], this.text.slice(start, end), closeTag);
    this.last = Math.max(this.last, end);
  }

  plainTo(position: number): void {
    if (position > this.last) this.push(this.text.slice(this.last, position));
    this.last = Math.max(this.last, position);
  }

  embed(value: SafeHtml, end: number): void {
    this.push(value);
    this.last = end;
  }

  /** The pieces as one SafeHtml. */
  done(): SafeHtml {
    this.out.push(html`${this.batch}`);
    this.batch = [];
    return html`${this.out}`;
  }

  private push(...items: HtmlValue[]): void {
    this.batch.push(...items);
    // Pieces are rendered a few thousand at a time: millions of small live strings cost more in
    // garbage collection than the scan itself.
    if (this.batch.length >= 4096) {
      this.out.push(html`${this.batch}`);
      this.batch = [];
    }
  }
}

/** Syntax by id: every registered language that declares one, then the YAML and TOML containers. */
const syntaxes = new Map<string, HighlightSyntax>([
  ...Object.entries(containerSyntax).flatMap(([id, syntax]): [string, HighlightSyntax][] => (syntax ? [[id, syntax]] : [])),
  ...languages.flatMap((l): [string, HighlightSyntax][] => (l.highlight ? [[l.id, l.highlight]] : [])),
]);

/** Highlight text written in a language id (`kql`, `sigma` ...) or a container (`yaml`, `toml`); unknown ids stay plain. */
export function highlight(text: string, language: string): SafeHtml {
  const syntax = syntaxes.get(language);
  if (!syntax) return html`${text}`;
  const pieces = new Pieces(text, 0);
  scan(scannerOf(syntax), text, 0, (start, end, cls) => pieces.token(start, end, cls));
  pieces.plainTo(text.length);
  return pieces.done();
}

/** Whether a language or container id has a syntax to highlight with. */
export function hasHighlight(language: string): boolean {
  return syntaxes.has(language);
}

function validRange(range: TextRange | undefined, length: number): range is TextRange {
  if (range === undefined || !Number.isInteger(range.start) || !Number.isInteger(range.end)) return false;
  return range.start >= 0 && range.start <= range.end && range.end <= length;
}

/**
 * Highlight a whole rule file in its container's syntax, with the rule's query (`range`, as its
 * format reported it) in the query's language. A container token that holds the query (TOML's
 * `'''…'''`) keeps its class on both sides of it; container tokens that start inside the query are
 * the query's, and scanning the container resumes after it.
 */
export function highlightRuleBody(body: string, container: Container, language: string, range?: TextRange): SafeHtml {
  const outer = containerSyntax[container];
  if (!validRange(range, body.length)) return outer ? highlight(body, container) : html`${body}`;
  const pieces = new Pieces(body, 0);
  let resume = range.end;
  let tail: Token | undefined;
  if (outer) {
    scan(scannerOf(outer), body, 0, (start, end, cls) => {
      if (start >= range.start) return false;
      if (end <= range.start) return pieces.token(start, end, cls);
      pieces.token(start, range.start, cls);
      if (end > range.end) tail = { start: range.end, end, cls };
      resume = Math.max(resume, end);
      return false;
    });
  }
  pieces.plainTo(range.start);
  pieces.embed(highlight(body.slice(range.start, range.end), language), range.end);
  if (tail) pieces.token(tail.start, tail.end, tail.cls);
  if (outer) scan(scannerOf(outer), body, resume, (start, end, cls) => pieces.token(start, end, cls));
  pieces.plainTo(body.length);
  return pieces.done();
}
