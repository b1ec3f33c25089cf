// A method's `*args`: the positional arguments left after its named parameters, a tuple (`def
// _lookup(self, key, *keys)`), and that tuple spread into `deep_get(d, key, *keys)`: the keys the
// caller gave, in order. A spread whose elements are not all constant keys is not read.
import type { Node } from 'web-tree-sitter';
import type { Binding, Scope } from './conditions.js';
import { named } from './values.js';

/** The name a `*args` parameter binds, or undefined for any other parameter. */
export function gatheredName(p: Node): string | undefined {
  if (p.type !== 'list_splat_pattern') return undefined;
  const inner = named(p)[0];
  return inner?.type === 'identifier' ? inner.text : undefined;
}

/** The tuple `*args` gathers: the positional arguments past the named ones. */
export function gathered(rest: Binding[]): Binding {
  return { kind: 'items', items: rest };
}

/** A constant key, as `deep_get` reads one (a text, or a number turned to text). */
function constantKey(b: Binding): string | undefined {
  if (b.kind !== 'const' || b.value.kind !== 'scalar') return undefined;
  const v = b.value.value;
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

/** `*keys` in a call, `keys` a gathered tuple of constant keys: those keys; undefined otherwise. */
export function spreadKeys(node: Node, scope: Scope): string[] | undefined {
  if (node.type !== 'list_splat') return undefined;
  const inner = named(node)[0];
  const b = inner?.type === 'identifier' ? scope.get(inner.text) : undefined;
  if (b?.kind !== 'items') return undefined;
  const keys = b.items.map(constantKey);
  return keys.every((k) => k !== undefined) ? keys : undefined;
}
