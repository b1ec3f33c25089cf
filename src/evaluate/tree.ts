// A predicate tree evaluated on one event, in three-valued (Kleene) logic: `and` is false as soon as
// one child is false, `or` true as soon as one is true, and `unknown` otherwise when any child is;
// `not unknown` is unknown. A condition kept as text (`other`) is unknown.
import type { PredicateNode } from '../model/types.js';
import type { PredicateTrace, Truth } from './types.js';

/** Kleene `and` over values (sequence and multi-event evaluators join their parts with it). */
export function and(values: Iterable<Truth>): Truth {
  let out: Truth = true;
  for (const v of values) {
    if (v === false) return false;
    if (v === 'unknown') out = 'unknown';
  }
  return out;
}

function not(value: Truth): Truth {
  return value === 'unknown' ? 'unknown' : !value;
}

export type TestPredicate = (node: Extract<PredicateNode, { kind: 'pred' }>) => Omit<PredicateTrace, 'field' | 'op' | 'values' | 'negated'>;

/**
 * The scopes a `some` node opens on the event: one per element of the list at `field` (each with the
 * tests that read that one element there), or undefined when the language cannot split the list.
 */
export type ElementScopes = (field: string, json?: boolean) => { test: TestPredicate; elements?: ElementScopes }[] | undefined;

/**
 * The tree's truth. With `trace`, every predicate is tested and traced (no short cut), in source
 * order; without, `and`/`or` stop at the first child that decides them. A `some` node holds when its
 * child holds in one element's scope (Kleene `or` over them), or in `atLeast` of them; without
 * `elements` it is unknown.
 */
export function evaluateTree(node: PredicateNode, test: TestPredicate, trace?: PredicateTrace[], elements?: ElementScopes): Truth {
  switch (node.kind) {
    case 'pred': {
      const result = test(node);
      const p = node.predicate;
      trace?.push({ field: p.field, op: p.nativeOp || p.op, values: p.values, negated: p.negated, ...result });
      return result.matched;
    }
    case 'not':
      return not(evaluateTree(node.child, test, trace, elements));
    case 'some': {
      const scopes = elements?.(node.field, node.json);
      if (!scopes) return 'unknown';
      // At least `need` elements hold: true once that many are true, false once too few are left undecided.
      const need = node.atLeast ?? 1;
      let holding = 0;
      let undecided = 0;
      for (const scope of scopes) {
        const v = evaluateTree(node.child, scope.test, trace, scope.elements);
        if (v === true) {
          holding++;
          if (holding >= need && !trace) return true;
        } else if (v === 'unknown') undecided++;
      }
      return holding >= need ? true : holding + undecided >= need ? 'unknown' : false;
    }
    case 'other':
      return 'unknown';
    case 'and':
    case 'or': {
      // Kleene: `and` is false at a false child, `or` true at a true one; else unknown when any child is.
      const decides = node.kind === 'or';
      let out: Truth = !decides;
      for (const child of node.children) {
        const v = evaluateTree(child, test, trace, elements);
        if (v === decides) {
          out = decides;
          if (!trace) return out;
        } else if (v === 'unknown' && out !== decides) out = 'unknown';
      }
      return out;
    }
  }
}

/**
 * A condition with its `other` nodes (text the parser kept) read by `read`: a node standing for them, or
 * `true` for text that holds for any event (a search's bare `*`, a time window relative to the run),
 * which drops out of an `and` and decides an `or`. `true` when nothing else is left.
 */
export function readOtherNodes(
  node: PredicateNode,
  read: (other: Extract<PredicateNode, { kind: 'other' }>) => PredicateNode | true,
): PredicateNode | true {
  switch (node.kind) {
    case 'other':
      return read(node);
    case 'and': {
      const children = node.children.map((c) => readOtherNodes(c, read)).filter((c): c is PredicateNode => c !== true);
      if (children.length === 0) return true;
      return children.length === 1 ? children[0]! : { kind: 'and', children };
    }
    case 'or': {
      const children = node.children.map((c) => readOtherNodes(c, read));
      return children.includes(true) ? true : { kind: 'or', children: children as PredicateNode[] };
    }
    default:
      return node;
  }
}
