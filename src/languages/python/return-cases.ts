// A helper that returns a dict on some paths and something else on others (`return
// json.loads(text)` where the text starts with "{", `return {"value": text}` otherwise): the name
// it is assigned to is bound to its cases, each return's value under the condition that the helper
// returns it (a `cases` binding). An expression reading that name is read once per case, under its
// condition (`description.get("status") == "Bypass"`: the parsed field's test where the helper
// parsed it, the dict literal's constant elsewhere), so that a case whose value decides the test
// drops out. Bounded: a helper of at most 8 returns, an expression reading at most 2 such names.
import type { Node } from 'web-tree-sitter';
import { field, named } from './values.js';

/** At most this many returns (the fall off the end included) make cases. */
export const maxCases = 8;
/** An expression reading more names bound to cases than this is not expanded (the cases multiply). */
export const maxCaseNames = 2;

/** The `return` statements of a function's own body (not of functions or lambdas defined in it). */
export function returnStatements(def: Node): Node[] {
  const out: Node[] = [];
  const walk = (n: Node) => {
    if (n.type === 'return_statement') out.push(n);
    else if (n.type !== 'function_definition' && n.type !== 'lambda' && n.type !== 'class_definition') for (const c of named(n)) walk(c);
  };
  const body = field(def, 'body');
  if (body) walk(body);
  return out;
}

/** The names an expression reads (not attribute names after a dot, keyword names, or names a lambda or comprehension binds). */
export function namesRead(expr: Node): string[] {
  const out = new Set<string>();
  const walk = (n: Node) => {
    switch (n.type) {
      case 'identifier':
        out.add(n.text);
        return;
      case 'attribute': {
        const obj = field(n, 'object');
        if (obj) walk(obj);
        return;
      }
      case 'keyword_argument': {
        const value = field(n, 'value');
        if (value) walk(value);
        return;
      }
      case 'lambda':
      case 'list_comprehension':
      case 'set_comprehension':
      case 'dictionary_comprehension':
      case 'generator_expression':
        // Their own names shadow the scope's: such an expression is read as it is.
        return;
      default:
        for (const c of named(n)) walk(c);
    }
  };
  walk(expr);
  return [...out];
}
