// Event names a rule watches that the corpus pass added: an event pattern expanded against the
// provider's known names (`eventType: user.session.*`), a correlation's members' events; each marked
// `via`. A rule's full-text row is written from its file alone, before that pass, so these names are
// not in it: a search finds them here, word for word as the full-text index reads the names it holds.
import { prefixable, searchWords, type CatalogStore } from '../store/read.js';

/**
 * Each (rule, corpus-level event) once: the event's words, folded, spaced on both sides, one after
 * another in `text` (a line each), and per line its rule's position and where it starts. One text so
 * that a term is found by one native search through it, not one per event.
 */
interface CorpusEvents {
  rules: number[];
  starts: number[];
  text: string;
}

const kept = new WeakMap<CatalogStore, CorpusEvents>();

/** A word as the tokenizer (unicode61) compares it: lower case, diacritics removed. */
const fold = (word: string) => word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

function corpusEvents(store: CatalogStore): CorpusEvents {
  let found = kept.get(store);
  if (found) return found;
  const rules: number[] = [];
  const lines: string[] = [];
  store.rules.forEach((rule, i) => {
    for (const e of rule.events) {
      if (e.via === undefined) continue;
      rules.push(i);
      // As the full-text row writes a literal event: provider, then name. Words hold no line break.
      lines.push(` ${searchWords(`${e.provider} ${e.event}`).map(fold).join(' ')} `);
    }
  });
  const starts: number[] = [];
  let at = 0;
  for (const line of lines) {
    starts.push(at);
    at += line.length + 1;
  }
  found = { rules, starts, text: lines.join('\n') };
  kept.set(store, found);
  return found;
}

/** The line of `events` that holds the character at `at` (starts ascending). */
function lineAt(starts: readonly number[], at: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= at) low = mid;
    else high = mid - 1;
  }
  return low;
}

/**
 * The positions (ascending, each once) of the rules with a corpus-level event the text term names:
 * its words in a row, the last one a prefix as the full-text query takes it.
 */
export function corpusEventMatches(store: CatalogStore, term: { text: string; phrase: boolean }): number[] {
  const events = corpusEvents(store);
  if (!events.rules.length) return [];
  const words = searchWords(term.text).map(fold);
  if (!words.length) return [];
  const prefix = !term.phrase && prefixable(words.at(-1)!);
  // Starts and ends on a space: found within one line, never across two.
  const needle = ` ${words.join(' ')}${prefix ? '' : ' '}`;
  const out: number[] = [];
  for (let at = events.text.indexOf(needle); at !== -1;) {
    const line = lineAt(events.starts, at);
    const i = events.rules[line]!;
    if (out.at(-1) !== i) out.push(i);
    // On to the next line: a line names its rule once.
    const next = line + 1 < events.starts.length ? events.starts[line + 1]! : events.text.length;
    at = events.text.indexOf(needle, next);
  }
  return out;
}

/** Whether the catalog has any corpus-level event (else a search needs no second look). */
export function hasCorpusEvents(store: CatalogStore): boolean {
  return corpusEvents(store).rules.length > 0;
}
