// `m = PATTERN.match(f)` / `re.search(p, f)`: a match object, or None where the pattern does not
// match. A match object is always true, so `m is not None` is the match itself and `m is None` its
// negation, as `if m:` reads it. A name bound to another condition (a helper's bool) is never None:
// its `is None` stays unread.
import type { Node } from 'web-tree-sitter';
import { field, unwrap } from './values.js';

const matchMethods = new Set(['match', 'search', 'fullmatch']);

/** Whether the expression is a regex match call: `re.match(p, f)`, `PATTERN.search(f)`, ... */
export function isMatchCall(node: Node): boolean {
  const n = unwrap(node);
  if (n.type !== 'call') return false;
  const fn = field(n, 'function');
  const method = fn?.type === 'attribute' ? field(fn, 'attribute')?.text : undefined;
  return method !== undefined && matchMethods.has(method);
}

/** `x is None` / `x is not None` with one side None: the other side, else undefined. */
export function comparedWithNone(left: Node, op: string, right: Node): Node | undefined {
  if (op !== 'is' && op !== 'is not') return undefined;
  if (unwrap(right).type === 'none') return left;
  if (unwrap(left).type === 'none') return right;
  return undefined;
}
