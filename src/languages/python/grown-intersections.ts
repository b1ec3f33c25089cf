// A collection grown in a loop and then intersected with constants: `keys = set()`, then
// `for ...: keys.update(set(f))` (or `.add(x)`, `.append(x)`, `.extend(E)`), then `bool(keys & C)` /
// `if keys.intersection(C):`. The intersection is not empty where some pass reached adds one of C:
// the body is read again with each growing call standing for a return of that call's own share of
// C (`E & C` not empty, `x in C`), as accumulators.ts reads a list's truth. A call that adds what
// the model cannot intersect stays text.
import type { Node } from 'web-tree-sitter';
import type { Cond, Flow } from './conditions.js';
import { field, named } from './values.js';

/** How one growing call's share of the constants reads: `x in C` for one value, `E & C` for a collection. */
export interface SharedReaders {
  member: (value: Node) => Cond | undefined;
  common: (collection: Node) => Cond | undefined;
}

const addsOne = new Set(['add', 'append']);
const addsMany = new Set(['update', 'extend']);

/**
 * While a loop body is read for where it adds one of the constants to `name`: a growing call ends
 * the path as a return of its share would (the path running on otherwise); a `return` leaves the
 * function before the loop ends. Undefined for any other statement (read as usual).
 */
export function sharedStatement(s: Node, name: string, readers: SharedReaders, negate: (c: Cond) => Cond): Flow | undefined {
  if (s.type === 'return_statement') return { ret: false, fall: false, jump: false };
  if (s.type !== 'expression_statement') return undefined;
  const [call] = named(s);
  const fn = call?.type === 'call' ? field(call, 'function') : undefined;
  if (fn?.type !== 'attribute' || field(fn, 'object')?.text !== name) return undefined;
  const method = field(fn, 'attribute')?.text ?? '';
  const args = field(call!, 'arguments');
  const given = args ? named(args) : [];
  const arg = given.length === 1 ? given[0]! : undefined;
  const share = !arg ? undefined : addsOne.has(method) ? readers.member(arg) : addsMany.has(method) ? readers.common(arg) : undefined;
  if (share === undefined) return { ret: { kind: 'other', text: s.text }, fall: false, jump: false };
  return { ret: share, fall: negate(share), jump: false };
}
