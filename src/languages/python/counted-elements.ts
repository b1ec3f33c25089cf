// How many elements of a list field pass a filter: `len([t for t in f if c]) op n`, also as what a
// helper returns (`return len([...])` compared by its caller). Each comparison is "at least k elements
// hold c" (a `some` node with `atLeast`, which the evaluator counts over the list's elements), negated
// or not; `== n` is at least n and not at least n + 1. Only a list comprehension counts one entry per
// element (a set comprehension drops repeated values, which the model does not tell apart).
import type { Node } from 'web-tree-sitter';
import { elementsAtLeast } from '../../model/predicates.js';
import type { PredicateNode } from '../../model/types.js';
import { field, named, unwrap } from './values.js';

/** `[body for name in source if f1 if f2 ...]` with one `for` over a name and at least one filter: its parts. */
export function filteredList(node: Node): { name: string; source: Node; filters: Node[] } | undefined {
  const n = unwrap(node);
  if (n.type !== 'list_comprehension') return undefined;
  const clauses = named(n).filter((c) => c.type === 'for_in_clause');
  const filters = named(n)
    .filter((c) => c.type === 'if_clause')
    .map((c) => named(c)[0]);
  const name = clauses.length === 1 ? field(clauses[0]!, 'left') : undefined;
  const source = clauses.length === 1 ? field(clauses[0]!, 'right') : undefined;
  if (name?.type !== 'identifier' || !source || filters.length === 0 || filters.some((f) => f === undefined)) return undefined;
  return { name: name.text, source, filters: filters as Node[] };
}

const flipped: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' };

/**
 * `count op n` (`countOnLeft`; else `n op count`) over the elements of `list` that hold `c`, as
 * conditions "at least k of them"; undefined for another operator or a bound that is not a whole number.
 */
export function elementCount(
  list: { list: string; json: boolean },
  c: PredicateNode,
  op: string,
  n: number,
  countOnLeft: boolean,
): { atLeast: PredicateNode | boolean; notAtLeast?: PredicateNode | boolean; negated: boolean } | undefined {
  const o = countOnLeft ? op : flipped[op];
  if (o === undefined || !Number.isInteger(n)) return undefined;
  const atLeast = (k: number): PredicateNode | boolean => (k <= 0 ? true : elementsAtLeast(list.list, c, k, list.json));
  const low = o === '>' ? n + 1 : o === '>=' ? n : o === '<' ? n : o === '<=' ? n + 1 : n;
  if (o === '==' || o === '!=') return { atLeast: atLeast(n), notAtLeast: atLeast(n + 1), negated: o === '!=' };
  return { atLeast: atLeast(low), negated: o === '<' || o === '<=' };
}

/** `re.findall(...)` / `p.findall(...)`: a list that is empty exactly when the regex finds nothing. */
export function isFindall(node: Node): boolean {
  const n = unwrap(node);
  const fn = n.type === 'call' ? field(n, 'function') : undefined;
  return fn?.type === 'attribute' && field(fn, 'attribute')?.text === 'findall';
}

/**
 * `count op n` (`countOnLeft`; else `n op count`) when it only asks whether the count is 0: true
 * where a non-empty collection passes (`> 0`, `>= 1`, `!= 0`), false where an empty one does
 * (`== 0`, `< 1`); undefined for a bound that tells lengths from 1 on apart.
 */
export function nonEmptyAsked(op: string, n: number, countOnLeft: boolean): boolean | undefined {
  const o = countOnLeft ? op : flipped[op];
  const passes = (len: number): boolean | undefined =>
    o === '<'
      ? len < n
      : o === '<='
        ? len <= n
        : o === '>'
          ? len > n
          : o === '>='
            ? len >= n
            : o === '=='
              ? len === n
              : o === '!='
                ? len !== n
                : undefined;
  const [empty, one, two] = [passes(0), passes(1), passes(2)];
  if (empty === undefined || one !== two || empty === one || !Number.isInteger(n) || n > 1) return undefined;
  return one;
}
