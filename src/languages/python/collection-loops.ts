// A loop over a collection built from the event (`for s in listify(f)`, `for r in set(f)`,
// `for n in [x["k"] for x in f]`): its variable is one element of the collection, which is one of
// the values found at the collection's field, as a loop over the field itself has it. Order and
// repeats (what `set()` drops) do not change which elements some test holds on.
import type { Node } from 'web-tree-sitter';
import { negate, someElement } from '../../model/predicates.js';
import type { PredicateNode } from '../../model/types.js';
import type { Binding } from './conditions.js';
import { named, unwrap } from './values.js';

/**
 * The binding a loop walks: an `elements` collection as its field (element by element), a Policy's
 * `statements` as one Statement of them (policy-documents.ts), anything else as it is.
 */
export function walkedElements(iter: Binding): Binding {
  if (iter.kind === 'elements') return { kind: 'field', ref: iter.ref };
  if (iter.kind === 'policyObject' && iter.wrapper === 'statements') return { ...iter, wrapper: 'statement' };
  return iter;
}

/**
 * `x if c else [x]` (or `[x] if c else x`), a listify written inline: the two values, the one
 * alone first. Whatever c tests, the list's elements are x's values (x itself or its elements).
 */
export function inlineListify(n: Node): [Node, Node] | undefined {
  if (n.type !== 'conditional_expression') return undefined;
  const [a, , b] = named(n);
  if (!a || !b) return undefined;
  const alone = (x: Node) => {
    const u = unwrap(x);
    return u.type === 'list' && named(u).length === 1 && named(u)[0]!.type !== 'list_splat' ? named(u)[0]! : undefined;
  };
  const [fromA, fromB] = [alone(a), alone(b)];
  if (fromB && !fromA) return [a, fromB];
  if (fromA && !fromB) return [b, fromA];
  return undefined;
}

/**
 * `any(c for x in L)` / `all(c for x in L)` over the elements of a list field: one element holding c
 * (a `some` node), or no element failing it; `json` where the list is inside a parsed JSON text.
 */
export function elementsHold(name: 'any' | 'all', scoped: { list: string; json: boolean }, c: PredicateNode): PredicateNode {
  return name === 'any' ? someElement(scoped.list, c, scoped.json) : negate(someElement(scoped.list, negate(c), scoped.json));
}
