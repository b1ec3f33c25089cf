import type { Operator, Predicate, PredicateNode, Scalar } from './types.js';

export function predicate(
  field: string,
  op: Operator,
  values: Scalar[],
  opts: { negated?: boolean; caseSensitive?: boolean; nativeOp: string; text: string; transform?: string; flags?: string },
): PredicateNode {
  return {
    kind: 'pred',
    predicate: {
      field,
      op,
      values,
      negated: opts.negated ?? false,
      caseSensitive: opts.caseSensitive ?? false,
      nativeOp: opts.nativeOp,
      text: opts.text,
      ...(opts.transform ? { transform: opts.transform } : {}),
      ...(opts.flags ? { flags: opts.flags } : {}),
    },
  };
}

/** and/or with flattening of nested nodes of the same kind; a single child is returned as is. */
export function combine(kind: 'and' | 'or', children: PredicateNode[]): PredicateNode {
  const flat: PredicateNode[] = [];
  for (const child of children) {
    if (child.kind === kind) flat.push(...child.children);
    else flat.push(child);
  }
  if (flat.length === 1) return flat[0]!;
  return { kind, children: flat };
}

export function negate(child: PredicateNode): PredicateNode {
  return { kind: 'not', child };
}

/** Some element of the list at `field` satisfies `child` (whose predicates name that element's keys by their full path). */
export function someElement(field: string, child: PredicateNode, json = false): PredicateNode {
  return json ? { kind: 'some', field, child, json } : { kind: 'some', field, child };
}

/** At least `n` elements of the list at `field` satisfy `child` (n >= 2; one is `someElement`). */
export function elementsAtLeast(field: string, child: PredicateNode, n: number, json = false): PredicateNode {
  if (n === 1) return someElement(field, child, json);
  return json ? { kind: 'some', field, child, json, atLeast: n } : { kind: 'some', field, child, atLeast: n };
}

export function other(text: string): PredicateNode {
  return { kind: 'other', text };
}

/**
 * Visit every predicate with its effective negation: its own `negated` flag flipped once
 * for each `not` above it.
 */
export function eachPredicate(
  node: PredicateNode | undefined,
  visit: (p: Predicate, effectiveNegated: boolean) => void,
  underNot = false,
): void {
  if (!node) return;
  switch (node.kind) {
    case 'pred':
      visit(node.predicate, node.predicate.negated !== underNot);
      return;
    case 'not':
      eachPredicate(node.child, visit, !underNot);
      return;
    case 'some':
      eachPredicate(node.child, visit, underNot);
      return;
    case 'and':
    case 'or':
      for (const c of node.children) eachPredicate(c, visit, underNot);
      return;
    case 'other':
      return;
  }
}

/** All predicates of a tree in source order. */
export function predicatesOf(node: PredicateNode | undefined): Predicate[] {
  const out: Predicate[] = [];
  eachPredicate(node, (p) => out.push(p));
  return out;
}
