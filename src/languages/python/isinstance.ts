// `isinstance(f, T)` of a field: a test of the type of the field's value, which a helper makes before
// comparing (`if not isinstance(code, int): return False`). It is a predicate with transform `type`
// whose values are the type names (evaluate.ts reads the value's Python type; `json|type` for a field
// of a parsed JSON text, typed as the parse gives it); op `other`, so that no event or canonical value
// is taken from the names, and no indicator (analysis/indicators.ts).
// T: built-in scalar types (`str`, `int`, `float`, `bool`), `list` and `dict`, the abstract `Mapping`
// and `Sequence` (collections.abc, typing) and Panther's own `ImmutableList` and
// `ImmutableCaseInsensitiveDict` (panther_core.immutable), or a tuple of them. Which a list or a
// mapping of the event is depends on how it was read: `event.get` / `deep_get` give Panther's
// immutable types (not `list` or `dict`); `json.loads` gives `list` and `dict`; `deep_walk` gives a
// list as a Python `list` and several values found as one (nativeOp `isinstance(deep_walk)`).
import type { Node } from 'web-tree-sitter';
import { named, unwrap } from './values.js';

const scalarTypes = new Set(['str', 'int', 'float', 'bool']);
const builtinCollections = new Set(['list', 'dict']);
/** Type names a module imports, by the last part of the module's name that defines them (modules.ts keys): collections.abc, typing, panther_core.immutable. */
const importedTypes = new Map<string, Set<string>>([
  ['abc', new Set(['Mapping', 'Sequence'])],
  ['typing', new Set(['Mapping', 'Sequence'])],
  ['immutable', new Set(['ImmutableList', 'ImmutableCaseInsensitiveDict'])],
]);

/** The native operator of a type test on a value `deep_walk` read. */
export const walkedIsinstance = 'isinstance(deep_walk)';

/** A field read by `deep_walk` (`getter`), marked so (FieldRef.walked); other getters leave it as it is. */
export function walkedBy<T extends { walked?: boolean }>(getter: string, ref: T | undefined): T | undefined {
  return ref && getter === 'deep_walk' ? { ...ref, walked: true } : ref;
}

/**
 * The type names `isinstance`'s second argument lists: built-ins the module does not redefine
 * (`shadowed`), or names imported from the modules that define them (`imported`); undefined
 * when one is neither.
 */
export function typeNames(
  node: Node,
  shadowed: (name: string) => boolean,
  imported: (name: string) => { module: string; name?: string } | undefined,
): string[] | undefined {
  const n = unwrap(node);
  const names = n.type === 'tuple' ? named(n).map(unwrap) : [n];
  if (names.length === 0) return undefined;
  const out: string[] = [];
  for (const t of names) {
    if (t.type !== 'identifier') return undefined;
    const from = imported(t.text);
    // `from collections.abc import Mapping as M`: the type's own name.
    const name = from ? from.name : t.text;
    const known = from
      ? name !== undefined && importedTypes.get(from.module)?.has(name) === true
      : (scalarTypes.has(t.text) || builtinCollections.has(t.text)) && !shadowed(t.text);
    if (!known || name === undefined) return undefined;
    out.push(name);
  }
  return out;
}
