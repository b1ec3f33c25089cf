// `for key, value in D.items():` over a module's constant dict: each entry is known, so the loop is
// read once per entry with both names bound to constants (conditions.ts `unrolled`), as a loop over a
// literal list is. Read once "for some element" instead, `key` and `value` would be unknown and every
// test on them a predicate without values. A dict with an entry whose value is not a constant, or too
// many entries to read one by one, keeps the general reading.
import type { Node } from 'web-tree-sitter';
import type { Binding } from './conditions.js';
import { type ConstValue, field, named, unwrap } from './values.js';

/**
 * The names a `for k, v in D.items()` loop binds, per entry of D in order; undefined when the loop
 * is not of that form, D is not a constant dict with every value known, or it has more than `max` entries.
 */
export function entryBindings(
  left: Node,
  right: Node,
  max: number,
  constOf: (n: Node) => ConstValue | undefined,
): Map<string, Binding>[] | undefined {
  const targets = left.type === 'pattern_list' || left.type === 'tuple_pattern' ? named(left) : [];
  if (targets.length !== 2 || targets.some((t) => t.type !== 'identifier')) return undefined;
  const call = unwrap(right);
  const fn = call.type === 'call' ? field(call, 'function') : undefined;
  const args = call.type === 'call' ? field(call, 'arguments') : undefined;
  const obj = fn?.type === 'attribute' && field(fn, 'attribute')?.text === 'items' ? field(fn, 'object') : undefined;
  if (!obj || !args || named(args).length > 0) return undefined;
  const dict = constOf(obj);
  const entries = dict?.kind === 'collection' && !dict.partial ? dict.entries : undefined;
  if (!entries || entries.length > max || entries.some(([, v]) => v === undefined)) return undefined;
  const [k, v] = targets.map((t) => t.text) as [string, string];
  return entries.map(
    ([key, value]) =>
      new Map<string, Binding>([
        [k, { kind: 'const', value: { kind: 'scalar', value: key } }],
        [v, { kind: 'const', value: value! }],
      ]),
  );
}
