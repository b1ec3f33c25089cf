// `D.get(f, [])` / `D.get(f)` / `D[f]` with D a constant dict whose values are collections and f a
// field (`signatures = TOOLS.get(process_name, [])`): the collection of the entry whose key the
// field holds. A loop over it is read once per entry (at most 8), its variable any one of that
// entry's values, under the field holding that key; a field holding no key gives `.get`'s default
// (a constant collection: an empty one runs no loop), and None or a KeyError otherwise: the loop
// raises there (no truthy return, as a `raise` reads).
import type { Node } from 'web-tree-sitter';
import type { Scalar } from '../../model/types.js';
import { collectionEntries } from './keyed-collections.js';
import { type ConstValue, field, named, unwrap } from './values.js';

/** What the expression reads: the dict's entries, the key's node, and what a key not in the dict gives. */
export interface KeyedListAccess {
  entries: [Scalar, Scalar[]][];
  key: Node;
  /** The default's values (`.get(f, [])`), or `raises` (None iterated, a KeyError). */
  fallback: Scalar[] | 'raises';
}

/**
 * `D.get(k[, default])` or `D[k]` of a constant dict of collections (`constOf` reads D and the
 * default); undefined for any other expression, a default that is not a constant collection included.
 */
export function keyedListAccess(node: Node, constOf: (n: Node) => ConstValue | undefined): KeyedListAccess | undefined {
  const n = unwrap(node);
  if (n.type === 'subscript') {
    const value = field(n, 'value');
    const subs = n.childrenForFieldName('subscript').filter((s): s is Node => s !== null);
    const entries = value && subs.length === 1 ? collectionEntries(constOf(value)) : undefined;
    return entries ? { entries, key: subs[0]!, fallback: 'raises' } : undefined;
  }
  const fn = n.type === 'call' ? field(n, 'function') : undefined;
  const dict = fn?.type === 'attribute' && field(fn, 'attribute')?.text === 'get' ? field(fn, 'object') : undefined;
  const args = field(n, 'arguments');
  const given = args ? named(args) : [];
  if (!dict || given.length < 1 || given.length > 2 || !given.every(isPositional)) return undefined;
  const entries = collectionEntries(constOf(dict));
  if (!entries) return undefined;
  if (!given[1]) return { entries, key: given[0]!, fallback: 'raises' };
  const fallback = constOf(given[1]);
  return fallback?.kind === 'collection' && !fallback.partial ? { entries, key: given[0]!, fallback: fallback.values } : undefined;
}

/** A positional argument (dict.get takes no keywords or splats). */
function isPositional(a: Node): boolean {
  return a.type !== 'keyword_argument' && a.type !== 'list_splat' && a.type !== 'dictionary_splat';
}
