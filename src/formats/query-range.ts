// Where a rule's query sits in its file, as the format that read it knows (RawRule.queryRange, like
// prettier's locStart / locEnd): the rule page highlights that span in the query's language and the
// rest in the container's, and diagnostics point at file lines, without searching the text again.
import type { TextRange } from '../model/types.js';

/** Offset of the end of the line holding `offset` (its `\n`, or the text's end). */
function endOfLine(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl;
}

/** The line's text without a trailing `\r` and blanks: its end offset. */
function contentEnd(text: string, from: number, to: number): number {
  while (to > from && /[ \t\r]/.test(text[to - 1]!)) to--;
  return to;
}

/** 1-based line of an offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Offset of the first line that starts with `prefix`, or undefined. */
function lineStarting(text: string, prefix: string): number | undefined {
  for (let at = 0; at <= text.length;) {
    if (text.startsWith(prefix, at)) return at;
    const nl = text.indexOf('\n', at);
    if (nl < 0) return undefined;
    at = nl + 1;
  }
  return undefined;
}

/** Offset after the lines following `from` that are indented or blank (a top-level key's value), trailing blanks left out. */
function indentedEnd(text: string, lineAfter: number, end: number): number {
  for (let at = lineAfter; at < text.length;) {
    const eol = endOfLine(text, at);
    const first = text[at];
    const blank = text.slice(at, eol).trim() === '';
    if (!blank && first !== ' ' && first !== '\t') break;
    if (!blank) end = contentEnd(text, at, eol);
    at = eol + 1;
  }
  return end;
}

/**
 * The value of a top-level YAML key (`query:` at the start of a line): a block scalar's lines after
 * the key line (`query: |`), or an inline scalar from its first character, continuation lines included.
 */
export function yamlValueRange(text: string, key: string): TextRange | undefined {
  const at = lineStarting(text, `${key}:`);
  if (at === undefined) return undefined;
  const keyEnd = endOfLine(text, at);
  let value = at + key.length + 1;
  while (text[value] === ' ' || text[value] === '\t') value++;
  const rest = text.slice(value, contentEnd(text, value, keyEnd));
  if (rest === '') {
    // The value on the next lines: a quoted scalar, or plain lines.
    let next = keyEnd;
    while (next < text.length && /\s/.test(text[next]!)) next++;
    if (text[next] !== '"' && text[next] !== "'") return linesAfter(text, keyEnd);
    value = next;
  } else if (/^[|>][-+]?\d?[ \t]*(#.*)?$/.test(rest)) {
    return linesAfter(text, keyEnd);
  }
  const quote = text[value];
  if (quote === '"' || quote === "'") {
    // A quoted scalar, which may run over lines (at any indentation): the query is what the quotes hold.
    const close = closingQuote(text, value + 1, quote);
    return close === undefined ? undefined : { start: value + 1, end: close };
  }
  return { start: value, end: indentedEnd(text, keyEnd + 1, value + rest.length) };
}

/** The indented lines after a key's line (a block scalar's). */
function linesAfter(text: string, keyEnd: number): TextRange {
  const start = Math.min(keyEnd + 1, text.length);
  return { start, end: Math.max(start, indentedEnd(text, start, start)) };
}

/** Offset of the quote closing a YAML quoted scalar: `''` stands for `'`, `\` escapes in double quotes. */
function closingQuote(text: string, from: number, quote: string): number | undefined {
  for (let i = from; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i++;
    else if (text[i] === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return undefined;
}

/**
 * The text of a TOML string `key = '''…'''` (or `"""`, `'`, `"`) in the table `table` (`[rule]`):
 * between the quotes, the newline that may follow an opening triple quote left out.
 */
export function tomlStringRange(text: string, table: string, key: string): TextRange | undefined {
  let current = '';
  for (let at = 0; at < text.length;) {
    const eol = endOfLine(text, at);
    const line = text.slice(at, eol);
    const header = /^[ \t]*\[\[?([^\]]*)\]/.exec(line);
    if (header) current = header[1]!.trim();
    const assignment = header ? null : /^[ \t]*([\w-]+)[ \t]*=[ \t]*/.exec(line);
    const open = at + (assignment?.[0].length ?? 0);
    const quote = assignment ? ['"""', "'''", '"', "'"].find((q) => text.startsWith(q, open)) : undefined;
    if (assignment && current === table && assignment[1] === key) return quote ? tomlStringBody(text, open, quote) : undefined;
    // Another key's multi-line string: its lines (a `[link](…)` in a note, say) are no headers or keys.
    const skipped = quote?.length === 3 ? tomlStringBody(text, open, quote) : undefined;
    at = skipped ? endOfLine(text, skipped.end) + 1 : eol + 1;
  }
  return undefined;
}

function tomlStringBody(text: string, open: number, quote: string): TextRange | undefined {
  let start = open + quote.length;
  if (quote.length === 3) {
    if (text.startsWith('\r\n', start)) start += 2;
    else if (text[start] === '\n') start += 1;
  }
  for (let i = start; i < text.length; i++) {
    if (quote[0] === '"' && text[i] === '\\') i++;
    else if (text.startsWith(quote, i)) return { start, end: i };
    else if (quote.length === 1 && text[i] === '\n') return undefined;
  }
  return undefined;
}

/** Offsets of line starts, for formats that count lines (markdown fences). */
export function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
}

/** The lines `first` to `last` (0-based, included) of a text, without the last line's newline. */
export function linesRange(starts: readonly number[], text: string, first: number, last: number): TextRange {
  const start = starts[first] ?? text.length;
  if (last < first) return { start, end: start };
  const next = starts[last + 1];
  const end = next === undefined ? text.length : next - 1;
  return { start, end: Math.max(start, text[end - 1] === '\r' ? end - 1 : end) };
}
