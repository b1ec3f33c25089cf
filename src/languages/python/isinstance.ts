// `isinstance(f, T)` of a field with T built-in scalar types (`str`, `int`, `float`, `bool`, or a
// tuple of them): a test of the type of the field's value, which a helper makes before comparing
// (`if not isinstance(code, int): return False`). It is a predicate with transform `type` whose
// values are the type names (evaluate.ts reads the value's Python type; `json|type` for a field of
// a parsed JSON text, typed as the parse gives it); op `other`, so that no
// event or canonical value is taken from the names, and no indicator (analysis/indicators.ts).
// Lists and mappings are left as text: Panther's event gives them as its own immutable types,
// which are not `list` or `dict`.
import type { Node } from 'web-tree-sitter';
import { named, unwrap } from './values.js';

const scalarTypes = new Set(['str', 'int', 'float', 'bool']);

/**
 * The type names `isinstance`'s second argument lists, when each is a built-in scalar type that
 * the module does not redefine (`shadowed`); undefined otherwise.
 */
export function scalarTypeNames(node: Node, shadowed: (name: string) => boolean): string[] | undefined {
  const n = unwrap(node);
  const names = n.type === 'tuple' ? named(n).map(unwrap) : [n];
  if (names.length === 0) return undefined;
  const out: string[] = [];
  for (const t of names) {
    if (t.type !== 'identifier' || !scalarTypes.has(t.text) || shadowed(t.text)) return undefined;
    out.push(t.text);
  }
  return out;
}
