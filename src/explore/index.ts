import { catalogTests } from '../evaluate/catalog-tests.js';
import type { Rule } from '../model/types.js';
import type { CatalogStore } from '../store/read.js';
import { day, type FacetName, facetNames, facetValues, lastChanged } from './facets.js';

/**
 * What explore() needs per rule, computed once per catalog: facet values as small integer codes
 * (so counting is array increments), and each rule's place in name order (so sorting is numeric).
 */
export interface ExploreIndex {
  /** Per facet, the distinct values; a code is an index into this list. */
  dictionary: Record<FacetName, string[]>;
  codeOf: Record<FacetName, Map<string, number>>;
  /** Per facet, each code's place in value order (`order` the inverse): ties of counts break on it without comparing strings. */
  valueRank: Record<FacetName, { rank: Int32Array; order: Int32Array }>;
  /**
   * Per facet, the codes of every rule's values in one array: rule i's codes are
   * `values[offsets[i]]` up to `values[offsets[i + 1]]` (one allocation, tight loops).
   */
  codes: Record<FacetName, { offsets: Int32Array; values: Int32Array }>;
  /**
   * Per facet, the other way round: the rules holding each code, ascending, code c's rules being
   * `rules[offsets[c]]` up to `rules[offsets[c + 1]]`. A filter's rules are read from here, not
   * found by testing every rule's values.
   */
  rulesOf: Record<FacetName, { offsets: Int32Array; rules: Int32Array }>;
  /**
   * Every facet's codes of a rule in one run, each facet's codes shifted by `facetBase[f]` (f its
   * place in facetNames): counting a rule's facets is one loop into one array.
   */
  all: { offsets: Int32Array; values: Int32Array };
  facetBase: Int32Array;
  nameRank: Int32Array;
  /** Rule positions in name order: the default listing, already sorted. */
  nameOrder: Int32Array;
  /** Rule positions (and each rule's place) in the other sort orders, ties in name order. */
  updatedOrder: Int32Array;
  updatedRank: Int32Array;
  severityOrder: Int32Array;
  severityRank: Int32Array;
  /**
   * The same orders the other way round (name Z to A, oldest first, least severe first), ties still in
   * name order and rules without a date or severity still last: not the lists above reversed.
   */
  reversed: Record<'name' | 'updated' | 'severity', { order: Int32Array; rank: Int32Array }>;
  /** Per rule: 1 an older copy of a repeated native id, 2 removed upstream (both hidden unless asked). */
  hidden: Uint8Array;
  /** Whether any rule is removed upstream (Explore offers to list them only then). */
  anyRemoved: boolean;
  /** Per rule, `lastChanged` (YYYY-MM-DD or ''). */
  lastChanged: string[];
}

const severityRank: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3, informational: 4 };
const unknownSeverityRank = 9;

/** Each position's place in an order. */
function rankOf(order: Int32Array): Int32Array {
  const rank = new Int32Array(order.length);
  order.forEach((position, i) => (rank[position] = i));
  return rank;
}

/** The rules of each code (ExploreIndex.rulesOf) from the codes of each rule. */
function rulesByCode(codes: { offsets: Int32Array; values: Int32Array }, size: number): { offsets: Int32Array; rules: Int32Array } {
  const offsets = new Int32Array(size + 1);
  for (const code of codes.values) offsets[code + 1]!++;
  for (let c = 0; c < size; c++) offsets[c + 1]! += offsets[c]!;
  const next = offsets.slice(0, size);
  const rules = new Int32Array(codes.values.length);
  for (let i = 0; i + 1 < codes.offsets.length; i++)
    for (let j = codes.offsets[i]!; j < codes.offsets[i + 1]!; j++) rules[next[codes.values[j]!]!++] = i;
  return { offsets, rules };
}

/** Codes in value order (as strings compare), and each code's place in it. */
function valueOrder(dict: readonly string[]): { rank: Int32Array; order: Int32Array } {
  const order = Int32Array.from(dict.keys()).sort((a, b) => (dict[a]! < dict[b]! ? -1 : dict[a]! > dict[b]! ? 1 : 0));
  const rank = new Int32Array(dict.length);
  order.forEach((code, i) => (rank[code] = i));
  return { rank, order };
}

const cache = new WeakMap<CatalogStore, ExploreIndex>();

export function exploreIndex(store: CatalogStore): ExploreIndex {
  const known = cache.get(store);
  if (known) return known;
  const rules = store.rules;
  const dictionary = {} as ExploreIndex['dictionary'];
  const codeOf = {} as ExploreIndex['codeOf'];
  const codes = {} as ExploreIndex['codes'];
  const valueRank = {} as ExploreIndex['valueRank'];
  const rulesOf = {} as ExploreIndex['rulesOf'];
  // The tests facets: the catalog's stored tests, read and run now, once (bounded in time: evaluate/catalog-tests.ts).
  const tests = catalogTests(store);
  const testsStatus = (rule: Rule) => tests.statusOf(rule);
  for (const facet of facetNames) {
    const dict: string[] = [];
    const map = new Map<string, number>();
    const offsets = new Int32Array(rules.length + 1);
    const values: number[] = [];
    rules.forEach((rule, i) => {
      for (const value of facetValues(rule, facet, testsStatus)) {
        let code = map.get(value);
        if (code === undefined) {
          code = dict.length;
          dict.push(value);
          map.set(value, code);
        }
        values.push(code);
      }
      offsets[i + 1] = values.length;
    });
    codes[facet] = { offsets, values: Int32Array.from(values) };
    dictionary[facet] = dict;
    codeOf[facet] = map;
    valueRank[facet] = valueOrder(dict);
    rulesOf[facet] = rulesByCode(codes[facet], dict.length);
  }
  const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
  // Leading punctuation (`.Class ...`, `'File ...`, `[Deprecated] ...`) does not put a name first.
  const sortName = rules.map((r) => r.name.replace(/^[^\p{L}\p{N}]+/u, ''));
  const order = rules.map((_, i) => i).sort((a, b) => collator.compare(sortName[a]!, sortName[b]!) || a - b);
  const nameRank = new Int32Array(rules.length);
  order.forEach((ruleIndex, rank) => (nameRank[ruleIndex] = rank));
  const facetBase = new Int32Array(facetNames.length + 1);
  facetNames.forEach((f, k) => (facetBase[k + 1] = facetBase[k]! + dictionary[f].length));
  const allOffsets = new Int32Array(rules.length + 1);
  const allValues: number[] = [];
  for (let i = 0; i < rules.length; i++) {
    facetNames.forEach((f, k) => {
      const { offsets, values } = codes[f];
      for (let j = offsets[i]!; j < offsets[i + 1]!; j++) allValues.push(values[j]! + facetBase[k]!);
    });
    allOffsets[i + 1] = allValues.length;
  }
  const byName = (a: number, b: number) => nameRank[a]! - nameRank[b]!;
  // Newest first by the last upstream change (lastChanged), else `created`.
  const changed = rules.map(lastChanged);
  const date = rules.map((r, i) => changed[i] || day(r.created ?? ''));
  const updatedOrder = Int32Array.from(order).sort((a, b) => (date[a]! < date[b]! ? 1 : date[a]! > date[b]! ? -1 : byName(a, b)));
  const severity = rules.map((r) => severityRank[r.severity] ?? unknownSeverityRank);
  const severityOrder = Int32Array.from(order).sort((a, b) => severity[a]! - severity[b]! || byName(a, b));
  const nameDescOrder = Int32Array.from(order).reverse();
  const oldestOrder = Int32Array.from(order).sort((a, b) =>
    !date[a] !== !date[b] ? (date[a] ? -1 : 1) : date[a]! < date[b]! ? -1 : date[a]! > date[b]! ? 1 : byName(a, b),
  );
  const unknownSeverity = unknownSeverityRank;
  const leastSevereOrder = Int32Array.from(order).sort((a, b) =>
    (severity[a] === unknownSeverity) !== (severity[b] === unknownSeverity)
      ? severity[a] === unknownSeverity
        ? 1
        : -1
      : severity[b]! - severity[a]! || byName(a, b),
  );
  const hidden = Uint8Array.from(rules, (r) => (r.duplicates && !r.duplicates.newest ? 1 : 0) | (r.removed ? 2 : 0));
  const index: ExploreIndex = {
    dictionary,
    codeOf,
    codes,
    rulesOf,
    all: { offsets: allOffsets, values: Int32Array.from(allValues) },
    facetBase,
    valueRank,
    nameRank,
    nameOrder: Int32Array.from(order),
    updatedOrder,
    updatedRank: rankOf(updatedOrder),
    severityOrder,
    severityRank: rankOf(severityOrder),
    reversed: {
      name: { order: nameDescOrder, rank: rankOf(nameDescOrder) },
      updated: { order: oldestOrder, rank: rankOf(oldestOrder) },
      severity: { order: leastSevereOrder, rank: rankOf(leastSevereOrder) },
    },
    hidden,
    anyRemoved: hidden.some((h) => (h & 2) !== 0),
    lastChanged: changed,
  };
  cache.set(store, index);
  return index;
}
