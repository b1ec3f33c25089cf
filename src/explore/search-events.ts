// Event names a rule watches that the corpus pass added: an event pattern expanded against the
// provider's known names (`eventType: user.session.*`), a correlation's members' events; each marked
// `via`. A rule's full-text row is written from its file alone, before that pass, so these names are
// not in it: a search finds them here, word for word as the full-text index reads the names it holds.
import { prefixable, searchWords, type CatalogStore } from '../store/read.js';

/** Each (rule, corpus-level event) once: the rule's position and the event's words, folded, spaced on both sides. */
interface CorpusEvents {
  rules: number[];
  texts: string[];
}

const kept = new WeakMap<CatalogStore, CorpusEvents>();

/** A word as the tokenizer (unicode61) compares it: lower case, diacritics removed. */
const fold = (word: string) => word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

function corpusEvents(store: CatalogStore): CorpusEvents {
  let found = kept.get(store);
  if (found) return found;
  const events: CorpusEvents = { rules: [], texts: [] };
  store.rules.forEach((rule, i) => {
    for (const e of rule.events) {
      if (e.via === undefined) continue;
      events.rules.push(i);
      // As the full-text row writes a literal event: provider, then name.
      events.texts.push(` ${searchWords(`${e.provider} ${e.event}`).map(fold).join(' ')} `);
    }
  });
  found = events;
  kept.set(store, found);
  return found;
}

/**
 * The positions (ascending, each once) of the rules with a corpus-level event the text term names:
 * its words in a row, the last one a prefix as the full-text query takes it.
 */
export function corpusEventMatches(store: CatalogStore, term: { text: string; phrase: boolean }): number[] {
  const events = corpusEvents(store);
  if (!events.texts.length) return [];
  const words = searchWords(term.text).map(fold);
  if (!words.length) return [];
  const prefix = !term.phrase && prefixable(words.at(-1)!);
  const needle = ` ${words.join(' ')}${prefix ? '' : ' '}`;
  const out: number[] = [];
  for (let k = 0; k < events.texts.length; k++) {
    const i = events.rules[k]!;
    if (out.at(-1) !== i && events.texts[k]!.includes(needle)) out.push(i);
  }
  return out;
}

/** Whether the catalog has any corpus-level event (else a search needs no second look). */
export function hasCorpusEvents(store: CatalogStore): boolean {
  return corpusEvents(store).texts.length > 0;
}
