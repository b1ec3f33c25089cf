// A loop over a few constants whose variable names a key (`for k in ["a", "b"]:
// event.deep_get("properties", k)`): read once per constant, so that each pass reads its own
// field. Read once "for some element" (the loop variable standing for any of the constants), the
// key would be no one name and the field not read.
import type { Node } from 'web-tree-sitter';
import { field, named, unwrap } from './values.js';

const keyMethods = new Set(['get', 'deep_get', 'deep_walk', 'udm']);

/** Whether `name` is a key of a read in `body`: an argument of `.get` / `deep_get` / `.udm`, or an index `x[name]`. */
export function namesKey(body: Node, name: string): boolean {
  const isName = (n: Node | undefined | null) =>
    n !== undefined && n !== null && unwrap(n).type === 'identifier' && unwrap(n).text === name;
  const visit = (n: Node): boolean => {
    if (n.type === 'function_definition' || n.type === 'lambda') return false;
    if (n.type === 'call') {
      const fn = field(n, 'function');
      const callee = fn?.type === 'attribute' ? field(fn, 'attribute')?.text : fn?.text;
      const args = field(n, 'arguments');
      if (callee && keyMethods.has(callee) && args && named(args).some((a) => isName(a))) return true;
    }
    if (n.type === 'subscript' && n.childrenForFieldName('subscript').some((s) => isName(s))) return true;
    return named(n).some(visit);
  };
  return visit(body);
}
