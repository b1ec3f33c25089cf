// `hasattr(f, "get")` of a field: whether the value has a mapping's methods, which a helper asks to
// tell one shape of log from another (a dict of parameters, or a list of them). Only a mapping has
// them: a dict parsed from JSON and Panther's ImmutableCaseInsensitiveDict are both `Mapping`s; a
// text, a list (Panther's ImmutableList too), a number or None has none. So the test is
// `isinstance(f, Mapping)` (isinstance.ts). Other attributes are not read.
import type { Node } from 'web-tree-sitter';

/** The methods every Mapping has and no text, list, number or None has. */
const mappingMethods = new Set(['get', 'keys', 'items', 'values']);

/** The attribute `hasattr`'s second argument names, when it is one of a mapping's own methods. */
export function mappingMethodAsked(args: Node[], texts: (n: Node) => string | undefined): boolean {
  const [obj, attr] = args;
  if (args.length !== 2 || !obj || !attr) return false;
  const name = texts(attr);
  return name !== undefined && mappingMethods.has(name);
}
