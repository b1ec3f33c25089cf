// Matched terms marked in search results: where a result's name or description holds a term of the
// search, as the full-text index matched it (a word, or a word starting so; a phrase's words in a
// row). The text is escaped by the `html` template piece by piece; only `<mark>` is markup.
import { type MarkTerm } from '../explore/search.js';
import { html, type SafeHtml } from './html.js';

/** A part of a text: [start, end). */
type Span = [number, number];

/** The words of a text with where each sits, as the full-text tokenizer splits them (store/read.ts searchWords). */
function wordsOf(text: string): { word: string; start: number; end: number }[] {
  const out: { word: string; start: number; end: number }[] = [];
  for (const m of text.matchAll(/[\p{L}\p{M}\p{N}_]+/gu))
    out.push({ word: m[0].toLowerCase(), start: m.index, end: m.index + m[0].length });
  return out;
}

/** The parts of a text a search's terms match, in order, overlaps joined. */
export function termSpans(text: string, terms: readonly MarkTerm[]): Span[] {
  if (!terms.length || !text) return [];
  const words = wordsOf(text);
  const spans: Span[] = [];
  for (const term of terms) {
    const n = term.words.length;
    for (let i = 0; i + n <= words.length; i++) {
      let hit = true;
      for (let j = 0; j < n && hit; j++) {
        const word = words[i + j]!.word;
        const want = term.words[j]!;
        hit = j === n - 1 && term.prefix ? word.startsWith(want) : word === want;
      }
      if (hit) spans.push([words[i]!.start, words[i + n - 1]!.end]);
    }
  }
  spans.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const joined: Span[] = [];
  for (const span of spans) {
    const last = joined.at(-1);
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else joined.push([...span]);
  }
  return joined;
}

/** The text with the parts a search's terms match in `<mark>`, every piece escaped. */
export function markedText(text: string, terms: readonly MarkTerm[]): SafeHtml {
  const spans = termSpans(text, terms);
  const pieces: SafeHtml[] = [];
  let at = 0;
  for (const [start, end] of spans) {
    pieces.push(html`${text.slice(at, start)}<mark>${text.slice(start, end)}</mark>`);
    at = end;
  }
  pieces.push(html`${text.slice(at)}`);
  return html`${pieces}`;
}

/**
 * A description cut to `max` characters around its first match: from the start when the match is in
 * the first `max` characters (as `snippet` cuts it), else from a word boundary shortly before it, so
 * that a result shows why it was found.
 */
export function snippetAround(flat: string, terms: readonly MarkTerm[], max = 240): string {
  if (flat.length <= max) return flat;
  const first = termSpans(flat, terms)[0];
  if (!first || first[1] <= max - 20) {
    const cut = flat.lastIndexOf(' ', max);
    return `${flat.slice(0, cut > max / 2 ? cut : max)}…`;
  }
  const lead = Math.max(0, flat.lastIndexOf(' ', Math.max(0, first[0] - 60)));
  const from = lead > 0 ? lead + 1 : 0;
  const end = from + max;
  if (end >= flat.length) return `${from ? '…' : ''}${flat.slice(from)}`;
  const cut = flat.lastIndexOf(' ', end);
  return `${from ? '…' : ''}${flat.slice(from, cut > from + max / 2 ? cut : end)}…`;
}
