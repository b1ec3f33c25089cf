// Explore's search syntax (search-syntax.peggy) turned into what explore() runs: one FTS5
// expression for the words a rule must match (ranked by the full-text index), and a test for the
// rest (field terms, negations, OR across fields). Every FTS5 expression is written here from words
// the tokenizer's own rules picked out, each quoted: nothing a person types reaches FTS5 as syntax.
import { prefixable, searchWords, type CatalogStore } from '../store/read.js';
import { corpusEventMatches, hasCorpusEvents } from './search-events.js';
import { exactMatches, fieldMatches, searchFields } from './search-fields.js';
import { parse, SyntaxError as PeggySyntaxError } from './search-syntax.parser.js';

/** A parsed search. */
export type SearchNode =
  | { k: 'text'; text: string; phrase: boolean }
  | { k: 'field'; field: string; value: string; s?: number }
  | { k: 'and' | 'or'; of: SearchNode[] }
  | { k: 'not'; of: SearchNode };

/** A search read: its tree (null: nothing to search for), or why it cannot be read. */
export type ParsedSearch = { node: SearchNode | null } | { error: string };

/** A text term as FTS5: its words as one quoted phrase, the last word a prefix unless quoted or short. */
function textFts(node: { text: string; phrase: boolean }): string | undefined {
  const words = searchWords(node.text);
  if (!words.length) return undefined;
  const last = words.at(-1)!;
  return `"${words.join(' ')}"${!node.phrase && prefixable(last) ? '*' : ''}`;
}

/**
 * The tree without terms that hold no word (`&`, `"*"`): the full-text index could not find them,
 * so they are dropped as a search for punctuation always was. Null when nothing is left.
 */
function withoutEmptyTerms(node: SearchNode): SearchNode | null {
  switch (node.k) {
    case 'text':
      return textFts(node) === undefined ? null : node;
    case 'field':
      return node;
    case 'not': {
      const of = withoutEmptyTerms(node.of);
      return of && { k: 'not', of };
    }
    default: {
      const of = node.of.map(withoutEmptyTerms).filter((n): n is SearchNode => n !== null);
      return of.length === 0 ? null : of.length === 1 ? of[0]! : { k: node.k, of };
    }
  }
}

/** A keyword at the start or end, or beside another keyword or a bracket it cannot take. */
const misplacedKeyword = /^\s*(OR|AND)(?![^\s()"])|(?<![^\s()"])(OR|AND|NOT)\s*(\)|$|(OR|AND)(?![^\s()"]))|\(\s*(OR|AND)(?![^\s()"])/;

/** Why a search cannot be read, in words: unclosed quotes and brackets first, then the parser's own. */
function syntaxMessage(text: string, err: InstanceType<typeof PeggySyntaxError>): string {
  if ((text.match(/"/g)?.length ?? 0) % 2) return 'A quote (") is not closed: close it, or leave it out.';
  let depth = 0;
  for (const c of text.replace(/"[^"]*"/g, '')) {
    if (c === '(') depth++;
    if (c === ')' && --depth < 0) return 'A closing bracket “)” has no opening one.';
  }
  if (depth > 0) return 'A bracket “(” is not closed.';
  const at = err.location.start.offset;
  const near = text.slice(at, at + 20);
  if (text[at - 1] === '-') return 'A minus (-) leaves out the term right after it: write -word, with no space.';
  if (misplacedKeyword.test(text)) return 'OR and AND need a term on each side, NOT a term after it: “a OR b”, “a NOT b”.';
  return `The search cannot be read at “${near}” (character ${at + 1}).`;
}

function checkFields(node: SearchNode): string | undefined {
  switch (node.k) {
    case 'text':
      return undefined;
    case 'field':
      return searchFields.includes(node.field.toLowerCase())
        ? undefined
        : `There is no field “${node.field}:”. Fields: ${searchFields.map((f) => `${f}:`).join(' ')}. To search for text with a colon, put it in quotes.`;
    case 'not':
      return checkFields(node.of);
    default:
      for (const child of node.of) {
        const error = checkFields(child);
        if (error) return error;
      }
      return undefined;
  }
}

/** Read a search text. */
export function parseSearch(text: string): ParsedSearch {
  let tree: SearchNode | null;
  try {
    tree = parse(text) as SearchNode | null;
  } catch (err) {
    if (err instanceof PeggySyntaxError) return { error: syntaxMessage(text, err) };
    throw err;
  }
  const node = tree && withoutEmptyTerms(tree);
  const error = node ? checkFields(node) : undefined;
  if (error) return { error };
  return { node };
}

/**
 * A tree as one FTS5 expression, when FTS5 alone can answer it: words and phrases under AND, OR
 * and a NOT beside at least one term to keep (FTS5's NOT is binary). Undefined otherwise.
 */
export function toFts(node: SearchNode): string | undefined {
  switch (node.k) {
    case 'text':
      return textFts(node);
    case 'field':
    case 'not':
      return undefined;
    case 'or': {
      const parts = node.of.map(toFts);
      return parts.every((p) => p !== undefined) ? parts.map((p) => `(${p})`).join(' OR ') : undefined;
    }
    case 'and': {
      const keep = node.of.filter((n) => n.k !== 'not').map(toFts);
      const drop = node.of.flatMap((n) => (n.k === 'not' ? [toFts(n.of)] : []));
      if (!keep.length || [...keep, ...drop].some((p) => p === undefined)) return undefined;
      let out = keep.length === 1 ? keep[0]! : keep.map((p) => `(${p})`).join(' AND ');
      for (const p of drop) out = `(${out}) NOT (${p})`;
      return out;
    }
  }
}

/** What explore() runs for a search. */
export interface SearchPlan {
  /** Rules the whole text names exactly (id, native id, file name, path): first, whatever else the search says. */
  exact: readonly number[];
  /** The full-text hits the rest of the search is tested on (best first when ranked); undefined: every rule. */
  hits?: readonly number[];
  /** What a candidate must also satisfy. */
  test?: (i: number) => boolean;
  /** Why the search cannot be run; nothing is listed. */
  error?: string;
}

/** One byte per rule: 1 for the positions given. */
function marksOf(count: number, positions: readonly number[]): Uint8Array {
  const marks = new Uint8Array(count);
  for (const i of positions) marks[i] = 1;
  return marks;
}

/** A tree as a test of a rule's position (full-text terms looked up once, as marks). */
function testOf(store: CatalogStore, node: SearchNode): (i: number) => boolean {
  switch (node.k) {
    case 'text': {
      // What the full-text index holds, and the event names the corpus pass added (search-events.ts).
      const marks = marksOf(store.rules.length, store.matchFts(textFts(node)!, false));
      for (const i of corpusEventMatches(store, node)) marks[i] = 1;
      return (i) => marks[i] === 1;
    }
    case 'field': {
      const marks = fieldMatches(store, node.field.toLowerCase(), node.value);
      return (i) => marks[i] === 1;
    }
    case 'not': {
      const inner = testOf(store, node.of);
      return (i) => !inner(i);
    }
    case 'and': {
      const tests = node.of.map((n) => testOf(store, n));
      return (i) => tests.every((t) => t(i));
    }
    case 'or': {
      const tests = node.of.map((n) => testOf(store, n));
      return (i) => tests.some((t) => t(i));
    }
  }
}

/**
 * The plan of a search text; undefined when there is nothing to search for. The terms of a top-level
 * AND that FTS5 can answer become one ranked full-text query (the candidates); the others a test.
 */
export function planSearch(store: CatalogStore, text: string, ranked: boolean): SearchPlan | undefined {
  const exact = exactMatches(store, text);
  const parsed = parseSearch(text);
  // A text that names a rule exactly and reads as no valid search (`elastic:cdbebdc1-...`) is that rule.
  if ('error' in parsed) return exact.length ? { exact, hits: [] } : { exact, error: parsed.error };
  const node = parsed.node;
  if (!node) return exact.length ? { exact, hits: [] } : undefined;
  const terms = node.k === 'and' ? node.of : [node];
  const answered = terms.filter((t) => toFts(t.k === 'not' ? t.of : t) !== undefined);
  const rest = terms.filter((t) => !answered.includes(t));
  const fts = answered.some((t) => t.k !== 'not') ? toFts({ k: 'and', of: answered }) : undefined;
  if (fts === undefined) return { exact, test: testOf(store, node) };
  const hits = withCorpusEvents(store, node, store.matchFts(fts, ranked));
  return rest.length ? { exact, hits, test: testOf(store, rest.length === 1 ? rest[0]! : { k: 'and', of: rest }) } : { exact, hits };
}

/** The words and phrases of a tree, `positive`: outside any NOT (what a rule can be found by). */
function textTerms(node: SearchNode, positive: boolean): { text: string; phrase: boolean }[] {
  if (node.k === 'text') return [node];
  if (node.k === 'not') return positive ? [] : textTerms(node.of, positive);
  return node.k === 'and' || node.k === 'or' ? node.of.flatMap((n) => textTerms(n, positive)) : [];
}

/**
 * The full-text hits, and the rules the index missed because a word of the search is in an event
 * name only the corpus pass gave them (search-events.ts); when a word of the search is in such a
 * name, each is kept only if the whole search holds for it with those names (a NOT leaves it out).
 */
function withCorpusEvents(store: CatalogStore, node: SearchNode, hits: readonly number[]): readonly number[] {
  if (!hasCorpusEvents(store) || textTerms(node, false).every((term) => !corpusEventMatches(store, term).length)) return hits;
  const test = testOf(store, node);
  // The rules a corpus event adds are few (a set of them), the hits up to the whole catalog: the hits are not put in a set.
  const more = new Set(textTerms(node, true).flatMap((term) => corpusEventMatches(store, term)));
  const out: number[] = [];
  for (const i of hits) {
    more.delete(i);
    if (test(i)) out.push(i);
  }
  for (const i of [...more].sort((a, b) => a - b)) if (test(i)) out.push(i);
  return out;
}

/** Why a search text cannot be run (undefined: it can, or there is nothing to search for). */
export function searchError(store: CatalogStore, text: string): string | undefined {
  return text.trim() ? planSearch(store, text, false)?.error : undefined;
}

/** A text term of a search as results mark it: its words (lower case), the last one a prefix or whole. */
export interface MarkTerm {
  words: string[];
  prefix: boolean;
}

/**
 * The text terms a search looks for, to mark in its results: words and phrases outside any NOT
 * (what a rule was found by, not what it was kept clear of), each read as the full-text index reads
 * it (textFts). Fields are left out: their values are not in a result's name or description.
 * None for a text that cannot be read.
 */
export function markTerms(text: string): MarkTerm[] {
  const parsed = parseSearch(text);
  if ('error' in parsed || !parsed.node) return [];
  const out: MarkTerm[] = [];
  const walk = (node: SearchNode) => {
    if (node.k === 'text') {
      const words = searchWords(node.text).map((w) => w.toLowerCase());
      if (words.length) out.push({ words, prefix: !node.phrase && prefixable(words.at(-1)!) });
    } else if (node.k === 'and' || node.k === 'or') node.of.forEach(walk);
  };
  walk(parsed.node);
  return out;
}
