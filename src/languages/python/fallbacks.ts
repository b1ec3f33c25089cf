// A value with a constant fallback compared in order with a number: `int(attempts if attempts else
// 0) > MAX`, `(event.get("count") or 0) >= 5`. The value is the field where the condition holds
// (for `or`: where the field is truthy) and the constant elsewhere, so the comparison is the field's
// test where it holds, or-ed with the constant's decided test where it does not (conditions.ts
// reads the branches). `int()` / `float()` around it are kept out of the way: an ordering test
// already compares a number written as text as the number (evaluate.ts), which is what they do.
import type { Node } from 'web-tree-sitter';
import { field, named, unwrap } from './values.js';

/** The branches of a value with a fallback: `value if condition else fallback` or `value or fallback`. */
export interface Fallback {
  value: Node;
  /** The condition under which the value is taken; undefined for `or` (the value's own truth). */
  condition: Node | undefined;
  fallback: Node;
}

const conversions = new Set(['int', 'float']);

/**
 * The branches of `X`, `int(X)` or `float(X)` with X `a if c else b` or `a or b`; undefined for
 * anything else. `shadowed`: the module or scope defines the name (it is then no conversion).
 */
export function fallbackOf(node: Node, shadowed: (name: string) => boolean): Fallback | undefined {
  let n = unwrap(node);
  if (n.type === 'call') {
    const fn = field(n, 'function');
    const args = field(n, 'arguments');
    const inner = args ? named(args) : [];
    if (fn?.type !== 'identifier' || !conversions.has(fn.text) || shadowed(fn.text) || inner.length !== 1) return undefined;
    if (inner[0]!.type === 'keyword_argument' || inner[0]!.type === 'list_splat') return undefined;
    n = unwrap(inner[0]!);
  }
  if (n.type === 'conditional_expression') {
    const [value, condition, fallback] = named(n);
    return value && condition && fallback ? { value, condition, fallback } : undefined;
  }
  if (n.type === 'boolean_operator' && n.children.find((c) => c && !c.isNamed)?.type === 'or') {
    const value = field(n, 'left');
    const fallback = field(n, 'right');
    return value && fallback ? { value, condition: undefined, fallback } : undefined;
  }
  return undefined;
}

/** Python's `a op b` on two numbers. */
export function ordered(op: '<' | '<=' | '>' | '>=', a: number, b: number): boolean {
  return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
}
