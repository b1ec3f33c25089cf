// Constant keys all present in a mapping field: `REQUIRED.issubset(f.keys())`, and `"k" in f.keys()`.
// Each key is a test on the keys of the field's one mapping (transform `keys:some` with that key alone, mapping-keys.ts), so a
// value that is not one mapping (`.keys()` raises, or a list of them) is not evaluated. The constants
// may be the collection a field picks from a constant dict (`set(D[f])`, keyed-lists.ts): one case per
// entry, under the field holding its key; a key in none raises (KeyError) or is `.get`'s default.
import type { Node } from 'web-tree-sitter';
import { predicate } from '../../model/predicates.js';
import type { PredicateNode, Scalar } from '../../model/types.js';
import type { FieldRef } from './conditions.js';
import { refPredicates } from './log-types.js';
import { someKeyTransform } from './mapping-keys.js';
import { field, named, unwrap } from './values.js';

/**
 * Every key of `keys` is a key of the one mapping at `ref` (no keys: true). Where the code emptied the
 * field (`if not f: f = {}`, FieldRef.emptied) a value it replaced has no keys: the field must be
 * truthy (`falsy`) or not None (`none`) first.
 */
export function keysPresent(ref: FieldRef, keys: Scalar[], text: string): PredicateNode | true {
  if (keys.length === 0) return true;
  const tests = keys.map((k) =>
    refPredicates(ref, 'in', [k], { negated: false, caseSensitive: true, nativeOp: 'in keys', text, transform: someKeyTransform }),
  );
  // A field read in another way (parsed, a data model's, a piece) keeps its keys test alone: unknown where missing.
  const plain = ref.fields.length === 1 && !ref.json && !ref.logTypes && !ref.at && !ref.after && ref.item === undefined && !ref.guards;
  if (ref.emptied && plain) {
    const nativeOp = ref.emptied === 'falsy' ? 'truthy' : 'is not';
    tests.unshift(predicate(ref.fields[0]!, 'exists', [], { nativeOp, text }));
  }
  return tests.length === 1 ? tests[0]! : { kind: 'and', children: tests };
}

/**
 * `a.issubset(b)`: a and b. (`dict_keys` has no `issuperset`, and `<=` on it needs a set on the other
 * side, which a constant list is not: neither is read here.)
 */
export function subsetSides(n: Node): { smaller: Node; larger: Node } | undefined {
  const u = unwrap(n);
  const fn = u.type === 'call' ? field(u, 'function') : undefined;
  const args = u.type === 'call' ? field(u, 'arguments') : undefined;
  const given = args ? named(args) : [];
  const object = fn?.type === 'attribute' && field(fn, 'attribute')?.text === 'issubset' ? field(fn, 'object') : undefined;
  if (!object || given.length !== 1 || given[0]!.type === 'keyword_argument' || given[0]!.type === 'list_splat') return undefined;
  return { smaller: object, larger: given[0]! };
}

/** `set(x)` / `frozenset(x)` of one positional argument, the builtin (not a name the module or scope defines): x. */
export function setOf(n: Node, shadowed: (name: string) => boolean): Node | undefined {
  const u = unwrap(n);
  const fn = u.type === 'call' ? field(u, 'function') : undefined;
  const args = u.type === 'call' ? field(u, 'arguments') : undefined;
  const given = args ? named(args) : [];
  if (fn?.type !== 'identifier' || (fn.text !== 'set' && fn.text !== 'frozenset') || shadowed(fn.text)) return undefined;
  return given.length === 1 && given[0]!.type !== 'keyword_argument' && given[0]!.type !== 'list_splat' ? given[0] : undefined;
}
