import type { CatalogStore } from '../store/read.js';
import { type FacetName, facetNames, facetValues } from './facets.js';

/**
 * What explore() needs per rule, computed once per catalog: facet values as small integer codes
 * (so counting is array increments), and each rule's place in name order (so sorting is numeric).
 */
export interface ExploreIndex {
  /** Per facet, the distinct values; a code is an index into this list. */
  dictionary: Record<FacetName, string[]>;
  codeOf: Record<FacetName, Map<string, number>>;
  /**
   * Per facet, the codes of every rule's values in one array: rule i's codes are
   * `values[offsets[i]]` up to `values[offsets[i + 1]]` (one allocation, tight loops).
   */
  codes: Record<FacetName, { offsets: Int32Array; values: Int32Array }>;
  nameRank: Int32Array;
  /** Rule positions in name order: the default listing, already sorted. */
  nameOrder: Int32Array;
}

const cache = new WeakMap<CatalogStore, ExploreIndex>();

export function exploreIndex(store: CatalogStore): ExploreIndex {
  const known = cache.get(store);
  if (known) return known;
  const rules = store.rules;
  const dictionary = {} as ExploreIndex['dictionary'];
  const codeOf = {} as ExploreIndex['codeOf'];
  const codes = {} as ExploreIndex['codes'];
  for (const facet of facetNames) {
    const dict: string[] = [];
    const map = new Map<string, number>();
    const offsets = new Int32Array(rules.length + 1);
    const values: number[] = [];
    rules.forEach((rule, i) => {
      for (const value of facetValues(rule, facet)) {
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
  }
  const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
  const order = rules.map((_, i) => i).sort((a, b) => collator.compare(rules[a]!.name, rules[b]!.name) || a - b);
  const nameRank = new Int32Array(rules.length);
  order.forEach((ruleIndex, rank) => (nameRank[ruleIndex] = rank));
  const index: ExploreIndex = { dictionary, codeOf, codes, nameRank, nameOrder: Int32Array.from(order) };
  cache.set(store, index);
  return index;
}
