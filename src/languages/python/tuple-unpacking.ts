// `a, b = x, y` and `key, value = helper(event)` where the helper ends in `return x, y`: each name
// is bound to its own element (a field, a constant ...), as Python unpacks the tuple, so that
// `key in CRITICAL` later is a test of the field the helper read. A helper is read only when the
// statements before its final return always run on to it (assignments); a target or a value of
// another shape (a starred name, a count that does not match, a tuple held in a name) leaves every
// name unknown.
import type { Node } from 'web-tree-sitter';
import { field, named, unwrap } from './values.js';

const targetLists = new Set(['pattern_list', 'tuple_pattern', 'list_pattern']);

/** The names of an unpacking target `a, b` / `(a, b)` / `[a, b]`; undefined unless every one is a plain name. */
export function unpackedNames(target: Node): Node[] | undefined {
  if (!targetLists.has(target.type)) return undefined;
  const names = named(target);
  return names.length > 1 && names.every((n) => n.type === 'identifier') ? names : undefined;
}

/** The elements of a tuple written as a value: `x, y` or `(x, y)`; undefined for anything else. */
export function tupleLiteral(value: Node): Node[] | undefined {
  const n = unwrap(value);
  if (n.type !== 'expression_list' && n.type !== 'tuple') return undefined;
  const elements = named(n);
  return elements.some((e) => e.type === 'list_splat') ? undefined : elements;
}

/** A function whose body ends in `return x, y`: the statements before it, and the elements returned. */
export function returnedTuple(def: Node): { before: Node[]; elements: Node[] } | undefined {
  const body = field(def, 'body');
  const stmts = body ? named(body) : [];
  const last = stmts[stmts.length - 1];
  const expr = last?.type === 'return_statement' ? named(last)[0] : undefined;
  const elements = expr && tupleLiteral(expr);
  return elements ? { before: stmts.slice(0, -1), elements } : undefined;
}
