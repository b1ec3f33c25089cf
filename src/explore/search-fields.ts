// The `field:value` terms of Explore's search syntax, and the exact names a search can be (ids,
// native ids, file names, paths). Each is an inverted index from a lower-cased key to the rules
// holding it, built once per catalog on first use: a query then costs a lookup, not a pass over rules.
import { catalogMatrix, matrixCellsOf } from '../coverage/catalog-matrix.js';
import { platformInfo } from '../platforms/registry.js';
import type { Rule } from '../model/types.js';
import { catalogTests } from '../evaluate/catalog-tests.js';
import type { CatalogStore } from '../store/read.js';
import { type FacetName, facetNames, facetValues } from './facets.js';

/** Fields with keys of their own; every other facet (`severity`, `source`, and any facet added later) is its facet values. */
const ownFields = ['author', 'platform', 'language', 'technique', 'tactic', 'provider', 'event', 'tag', 'field', 'id', 'matrix'] as const;

export const searchFields: readonly string[] = [...new Set<string>([...ownFields, ...facetNames])];

/**
 * How a value finds keys: `contains`, anywhere in a key (authors and tags are free text:
 * `author:roth` finds "Florian Roth (Nextron Systems)"); `exact`, the key itself. Everywhere a
 * value ending in `*` is a prefix.
 */
const containsFields = new Set(['author', 'tag']);

/** The keys of rule `i` for a field. */
function keysOf(store: CatalogStore, i: number, field: string): string[] {
  const rule = store.rules[i]!;
  switch (field) {
    case 'author':
      return rule.authors;
    case 'platform':
      return [rule.platform, platformInfo(rule.platform)?.name ?? ''];
    case 'language':
      return [rule.language];
    case 'technique':
      // A technique finds its sub-techniques too (T1059 finds T1059.001), as ATT&CK groups them.
      return rule.attack.techniques.flatMap((t) => [t.id, t.id.split('.')[0]!, t.name]);
    case 'tactic':
      return rule.attack.tactics.flatMap((t) => [t.id, t.name, t.name.replaceAll(' ', '-'), t.name.replaceAll(' ', '')]);
    case 'provider':
      return rule.events.map((e) => e.provider);
    case 'event':
      return rule.events.flatMap((e) => [`${e.provider}/${e.event}`, e.event]);
    case 'tag':
      return rule.tags;
    case 'field':
      return rule.indicators.flatMap((i) => (i.canonical ? [i.field, i.canonical.field] : [i.field]));
    case 'id':
      return [rule.id, rule.nativeId];
    case 'matrix':
      // The ATT&CK matrix cells the rule is counted in (`TA0004/T1134`): what a matrix cell links to.
      return matrixCellsOf(catalogMatrix(store), i);
    default:
      return (facetNames as readonly string[]).includes(field)
        ? facetValues(rule, field as FacetName, (r) => catalogTests(store).statusOf(r))
        : [];
  }
}

/** Lower-cased key → positions of the rules holding it (ascending), and the keys in order for prefixes. */
interface KeyIndex {
  rules: Map<string, number[]>;
  sorted: string[];
}

/** `fold`: keys lower-cased (search terms); else as given (indicator filters, which name one exact key). */
function buildIndex(rules: readonly Rule[], keys: (rule: Rule, i: number) => string[], fold: boolean): KeyIndex {
  const index = new Map<string, number[]>();
  rules.forEach((rule, i) => {
    for (const raw of keys(rule, i)) {
      const key = fold ? raw.toLowerCase() : raw;
      if (!key) continue;
      const list = index.get(key);
      if (!list) index.set(key, [i]);
      else if (list.at(-1) !== i) list.push(i);
    }
  });
  return { rules: index, sorted: [...index.keys()].sort() };
}

const indexes = new WeakMap<CatalogStore, Map<string, KeyIndex>>();

function indexOf(store: CatalogStore, name: string, keys: (rule: Rule, i: number) => string[], fold = true): KeyIndex {
  let byName = indexes.get(store);
  if (!byName) indexes.set(store, (byName = new Map<string, KeyIndex>()));
  let index = byName.get(name);
  if (!index) byName.set(name, (index = buildIndex(store.rules, keys, fold)));
  return index;
}

/** The keys of an index a value names: a prefix (`value*`), every key containing it, or the key itself. */
function matchingKeys(index: KeyIndex, value: string, contains: boolean): string[] {
  if (value.endsWith('*') && value.length > 1) {
    const prefix = value.slice(0, -1);
    const out: string[] = [];
    // Binary search for the first key at or after the prefix, then every key starting with it.
    let lo = 0;
    let hi = index.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (index.sorted[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < index.sorted.length && index.sorted[k]!.startsWith(prefix); k++) out.push(index.sorted[k]!);
    return out;
  }
  if (contains) return index.sorted.filter((k) => k.includes(value));
  return index.rules.has(value) ? [value] : [];
}

/** Marks (1) the rules whose `field` holds the value, in an array of one byte per rule. */
export function fieldMatches(store: CatalogStore, field: string, value: string): Uint8Array {
  const index = indexOf(store, `field:${field}`, (_, i) => keysOf(store, i, field));
  const marks = new Uint8Array(store.rules.length);
  for (const key of matchingKeys(index, value.toLowerCase(), containsFields.has(field)))
    for (const i of index.rules.get(key)!) marks[i] = 1;
  return marks;
}

/** A rule's file name: the last part of its path. */
function fileName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * The rules a whole search text names exactly, by id (`elastic:cdbebdc1-...`), native id, file
 * name, path, or source/path, ignoring case; in catalog order.
 */
export function exactMatches(store: CatalogStore, text: string): number[] {
  const index = indexOf(store, 'exact', (rule) => [
    rule.id,
    rule.nativeId,
    rule.path,
    fileName(rule.path),
    `${rule.sourceName}/${rule.path}`,
  ]);
  const key = text
    .trim()
    .replace(/^"(.*)"$/s, '$1')
    .toLowerCase();
  return index.rules.get(key) ?? [];
}

/** An indicator as an Explore filter names it: `field|op|value`, the op written `!op` when negated. */
export function indicatorFilter(ind: { field: string; op: string; value: string; negated: boolean }): string {
  return `${ind.field}|${ind.negated ? '!' : ''}${ind.op}|${ind.value}`;
}

/** The key of a filter text: its field and op as given, the value after the second `|` whole (it may hold `|`). */
function filterKey(text: string): string | undefined {
  const first = text.indexOf('|');
  const second = first === -1 ? -1 : text.indexOf('|', first + 1);
  return second === -1 ? undefined : text;
}

/**
 * Marks (1) the rules holding an indicator, as written (`indicator`) or in the shared vocabulary
 * (`canonical`), named as `indicatorFilter` writes it: exact, case and all, as the corpus counts
 * on the rule page count it. A text that is no `field|op|value` marks nothing.
 */
export function indicatorMatches(store: CatalogStore, kind: 'indicator' | 'canonical', text: string): Uint8Array {
  const index = indexOf(
    store,
    kind,
    (rule) =>
      rule.indicators.flatMap((i) =>
        kind === 'indicator' ? [indicatorFilter(i)] : i.canonical ? [indicatorFilter({ ...i.canonical, negated: i.negated })] : [],
      ),
    false,
  );
  const marks = new Uint8Array(store.rules.length);
  const key = filterKey(text);
  for (const i of (key !== undefined && index.rules.get(key)) || []) marks[i] = 1;
  return marks;
}
