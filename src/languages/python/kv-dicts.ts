// A dict built from a list of key/value records: `{item[K]: item[V] for item in L}` (panther's
// `key_value_list_to_dict(L, "Key", "Value")`), read at a constant key: `d.get("k")`,
// `d.get("k", default)`. The entry is the value of the LAST element whose K is "k" (a later one
// overwrites an earlier one); without one, `.get`'s default. The model has no order of elements, so
// a test P of the entry reads:
// - true where some element with that key passes P and none fails it (the last passes too);
// - false where some fails and none passes;
// - P(default) where no element has the key;
// - unknown where elements with the key disagree (which one is last decides).
// An element without K or V raises a KeyError building the dict: unknown there too.
import type { Node } from 'web-tree-sitter';
import { combine, negate, predicate, someElement } from '../../model/predicates.js';
import type { PredicateNode, Scalar } from '../../model/types.js';
import { keyPresentOp } from './evaluate.js';
import { field, named, unwrap } from './values.js';

/** `{x[K]: x[V] for x in L}` without filters: L's node, and K's and V's nodes. */
export function keyValueComprehension(node: Node): { list: Node; key: Node; value: Node } | undefined {
  const n = unwrap(node);
  if (n.type !== 'dictionary_comprehension') return undefined;
  const clauses = named(n).filter((c) => c.type === 'for_in_clause');
  if (clauses.length !== 1 || named(n).some((c) => c.type === 'if_clause')) return undefined;
  const name = field(clauses[0]!, 'left');
  const list = field(clauses[0]!, 'right');
  const pair = field(n, 'body');
  const k = pair?.type === 'pair' ? field(pair, 'key') : undefined;
  const v = pair?.type === 'pair' ? field(pair, 'value') : undefined;
  if (name?.type !== 'identifier' || !list || !k || !v) return undefined;
  const subscriptOf = (x: Node): Node | undefined => {
    const s = unwrap(x);
    const subs = s.type === 'subscript' ? s.childrenForFieldName('subscript').filter((c): c is Node => c !== null) : [];
    return s.type === 'subscript' && field(s, 'value')?.text === name.text && subs.length === 1 ? subs[0] : undefined;
  };
  const key = subscriptOf(k);
  const value = subscriptOf(v);
  return key && value ? { list, key, value } : undefined;
}

/** `d.get(k)` / `d.get(k, default)` with positional arguments: d, k and the default (None when not given). */
export function getCall(node: Node): { dict: Node; key: Node; fallback: Node | undefined } | undefined {
  const n = unwrap(node);
  const fn = n.type === 'call' ? field(n, 'function') : undefined;
  const args = n.type === 'call' ? field(n, 'arguments') : undefined;
  if (fn?.type !== 'attribute' || field(fn, 'attribute')?.text !== 'get' || args?.type !== 'argument_list') return undefined;
  const given = named(args);
  const dict = field(fn, 'object');
  if (!dict || given.length < 1 || given.length > 2 || given.some((a) => a.type.endsWith('argument') || a.type.endsWith('splat')))
    return undefined;
  return { dict, key: given[0]!, fallback: given[1] };
}

/** The list field and its elements' key and value fields (full paths, as element predicates name them). */
export interface KeyValueList {
  list: string;
  keyField: string;
  valueField: string;
}

type Cond = PredicateNode | boolean;

/**
 * The test `passes` (of a value read at the element's value field) of the entry at `key`, as the
 * header says; `onDefault` is that test of `.get`'s default; `text` the expression, for what stays unknown.
 */
export function entryTest(
  kv: KeyValueList,
  key: Scalar,
  passes: (negated: boolean) => PredicateNode,
  onDefault: boolean,
  text: string,
): Cond {
  const hasKey = predicate(kv.keyField, 'eq', [key], { caseSensitive: true, nativeOp: '==', text });
  const passing = someElement(kv.list, combine('and', [hasKey, passes(false)]));
  const failing = someElement(kv.list, combine('and', [hasKey, passes(true)]));
  const unknown: PredicateNode = { kind: 'other', text };
  const noKey = negate(someElement(kv.list, hasKey));
  // An element without the key or value field raises building the dict.
  const missing = (f: string) =>
    someElement(kv.list, predicate(f, 'exists', [], { negated: true, caseSensitive: false, nativeOp: keyPresentOp, text }));
  const raises = combine('or', [missing(kv.keyField), missing(kv.valueField)]);
  const decided: PredicateNode[] = [combine('and', [passing, negate(failing)]), combine('and', [passing, failing, unknown])];
  if (onDefault) decided.push(noKey);
  return combine('or', [combine('and', [raises, unknown]), combine('and', [negate(raises), combine('or', decided)])]);
}
