// `all(k in C for k in f.keys())` of a mapping field and a constant collection C (`not in` too):
// every key of the field's mapping is one of C's values (transform `keys:every`), or none is (`not
// in`: the negation of some key being one, transform `keys:some`), so that negating the predicate
// (its `negated` flag, as a `not` is pushed down) negates the whole test. The evaluator reads the
// keys (`keysTest`): all() of no keys holds, a value that is not one mapping is not evaluated
// (`.keys()` raises, or it is a list of them), and neither is a missing field, whose `.get()`
// default the predicate does not carry.
import type { Node } from 'web-tree-sitter';
import type { Predicate } from '../../model/types.js';
import { field, named, unwrap } from './values.js';

/** The transforms of `in` tests on the keys of the field's mapping: every key among the values, some key among them. */
export const everyKeyTransform = 'keys:every';
export const someKeyTransform = 'keys:some';

/** `X.keys()` with no arguments: X. */
export function keysReceiver(n: Node): Node | undefined {
  const u = unwrap(n);
  const fn = u.type === 'call' ? field(u, 'function') : undefined;
  const args = u.type === 'call' ? field(u, 'arguments') : undefined;
  if (fn?.type !== 'attribute' || field(fn, 'attribute')?.text !== 'keys' || (args && named(args).length > 0)) return undefined;
  return field(fn, 'object');
}

/** `v in C` / `v not in C` of the name `variable`: C, and whether the test is `not in`. */
export function variableMembership(body: Node, variable: string): { collection: Node; negated: boolean } | undefined {
  const b = unwrap(body);
  if (b.type !== 'comparison_operator') return undefined;
  const operands = named(b);
  const ops = b.children.filter((c) => c !== null && !c.isNamed);
  if (operands.length !== 2 || ops.length !== 1) return undefined;
  const [left, right] = operands;
  const op = ops[0]!.type;
  if (unwrap(left!).type !== 'identifier' || unwrap(left!).text !== variable || (op !== 'in' && op !== 'not in')) return undefined;
  return { collection: right!, negated: op === 'not in' };
}

type KeysOutcome = { matched: boolean | 'unknown'; note?: string };

/** Every key (or some key) of the one mapping in `values` (the field's values) is among `p.values`; negated, the opposite. */
export function keysTest(p: Predicate, values: unknown[] | undefined): KeysOutcome {
  if (!values) return { matched: 'unknown', note: 'the keys of a missing field: what the code defaults it to is not read' };
  const v = values.length === 1 ? values[0] : undefined;
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    return { matched: 'unknown', note: '.keys() of a value that is not one mapping' };
  const keys = Object.keys(v);
  const holds = p.transform === everyKeyTransform ? keys.every((k) => p.values.includes(k)) : keys.some((k) => p.values.includes(k));
  return { matched: holds !== p.negated };
}
