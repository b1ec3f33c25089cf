// policyuniverse's `Policy` and `Statement` read as the JSON they wrap. `Policy(doc).statements` is
// doc's "Statement" (a lone statement made a list of one, a missing one none: Policy's own
// `listify`), each element a `Statement`. A Statement attribute is read only through the table
// below, each a plain read of the statement's JSON as policyuniverse writes it:
//   .statement               the statement itself
//   .effect                  statement.get("Effect")
//   .uses_not_principal()    "NotPrincipal" in statement
// Everything else (`principals`, `condition_entries`, `actions`, `resources`, `action_summary()`,
// `is_internet_accessible()` ...) holds the library's own logic and stays unknown. The model takes
// the document to be one IAM accepts: a Statement is made eagerly (its principals, conditions and
// actions parsed), which raises only on shapes IAM refuses (a Condition operator holding no mapping).
import type { Node } from 'web-tree-sitter';
import type { ModuleContext } from './modules.js';
import { field, named, unwrap } from './values.js';

/** What a name holds of policyuniverse: a Policy, its statements, or one Statement. */
export type PolicyWrapper = 'policy' | 'statements' | 'statement';

/** The classes read, by the module policyuniverse defines them in. */
const classes = new Map<string, { module: string; wrapper: PolicyWrapper }>([
  ['Policy', { module: 'policyuniverse.policy', wrapper: 'policy' }],
  ['Statement', { module: 'policyuniverse.statement', wrapper: 'statement' }],
]);

/** `Policy(x)` / `Statement(x)` (imported by name, or through its module): which, and x. */
export function policyConstructor(
  node: Node,
  mod: ModuleContext,
  shadowed: (name: string) => boolean,
): { wrapper: PolicyWrapper; argument: Node } | undefined {
  const n = unwrap(node);
  const fn = n.type === 'call' ? field(n, 'function') : undefined;
  if (!fn) return undefined;
  let name: string | undefined;
  let module: string | undefined;
  if (fn.type === 'identifier' && !shadowed(fn.text)) {
    const imp = mod.imports.get(fn.text);
    if (imp?.kind === 'name') [name, module] = [imp.name, imp.dotted];
  } else if (fn.type === 'attribute') {
    const obj = field(fn, 'object');
    const imp = obj?.type === 'identifier' && !shadowed(obj.text) ? mod.imports.get(obj.text) : undefined;
    if (imp?.kind === 'module') [name, module] = [field(fn, 'attribute')?.text, imp.dotted];
  }
  const known = name !== undefined ? classes.get(name) : undefined;
  const args = field(n, 'arguments');
  const given = args?.type === 'argument_list' ? named(args) : [];
  if (!known || known.module !== module || given.length !== 1 || given[0]!.type === 'keyword_argument') return undefined;
  if (given[0]!.type === 'list_splat' || given[0]!.type === 'dictionary_splat') return undefined;
  return { wrapper: known.wrapper, argument: given[0]! };
}

/** What reading `attribute` of a wrapper gives: the wrapped JSON at `keys` (as a Statement, or its statements), or nothing known. */
export function wrapperAttribute(wrapper: PolicyWrapper, attribute: string): { keys: string[]; wrapper?: PolicyWrapper } | undefined {
  if (wrapper === 'policy' && attribute === 'statements') return { keys: ['Statement'], wrapper: 'statements' };
  if (wrapper !== 'statement') return undefined;
  if (attribute === 'statement') return { keys: [] };
  if (attribute === 'effect') return { keys: ['Effect'] };
  return undefined;
}

/** A Statement method that is a key test of the statement: the key. */
export function statementKeyTest(method: string): string | undefined {
  return method === 'uses_not_principal' ? 'NotPrincipal' : undefined;
}
