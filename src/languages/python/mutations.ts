// A collection changed in place: `found[k] = v`, `found.append(x)`, `found.update(d)`, `del found[k]`.
// A name bound to a constant (`found = []`, a module's `MATCHED = {}`) no longer holds that constant
// once a statement changes it in place, so the analysis must not read it as the constant (reading
// `return bool(found)` as `bool([])` would make a rule that alerts read as one that never does).
// The statement names the root of what it changes; the caller forgets what that name was bound to.
import type { Node } from 'web-tree-sitter';
import { field, named, unwrap } from './values.js';

/** Methods of Python's list, dict and set that change the object they are called on. */
const mutatingMethods = new Set([
  'append',
  'extend',
  'insert',
  'add',
  'update',
  'setdefault',
  'pop',
  'popitem',
  'remove',
  'discard',
  'clear',
  'sort',
  'reverse',
  'difference_update',
  'intersection_update',
  'symmetric_difference_update',
]);

/** The name at the root of `a[k].b`, `a.b`: `a` (undefined when the root is not a plain name). */
function rootName(target: Node): Node | undefined {
  let n: Node | undefined = unwrap(target);
  for (;;) {
    if (n?.type === 'subscript') n = field(n, 'value');
    else if (n?.type === 'attribute') n = field(n, 'object');
    // A method's result changed in place (`x.setdefault(k, []).append(v)`) is part of `x`.
    else if (n?.type === 'call' && field(n, 'function')?.type === 'attribute') n = field(n, 'function');
    else break;
  }
  return n?.type === 'identifier' ? n : undefined;
}

/** The targets one assignment writes, chained ones included (`a[k] = b[j] = v`). */
function assignedTargets(expr: Node): Node[] {
  const out: Node[] = [];
  let n: Node | undefined = expr;
  while (n?.type === 'assignment' || n?.type === 'augmented_assignment') {
    const left = field(n, 'left');
    if (left) out.push(...(['pattern_list', 'tuple_pattern', 'list_pattern'].includes(left.type) ? named(left) : [left]));
    n = field(n, 'right');
  }
  return out;
}

/**
 * The names a statement changes in place: the root of a subscript or attribute it assigns or
 * deletes, the object of a mutating method it calls (`x.append(v)`, `x.setdefault(k, []).append(v)`).
 */
export function mutatedNames(stmt: Node): Node[] {
  const out: Node[] = [];
  if (stmt.type === 'delete_statement') {
    for (const t of named(stmt).flatMap((n) => (n.type === 'expression_list' ? named(n) : [n])))
      if (t.type !== 'identifier') out.push(...[rootName(t)].filter((n): n is Node => n !== undefined));
    return out;
  }
  for (const expr of named(stmt)) {
    for (const t of assignedTargets(expr)) {
      const root = t.type === 'subscript' || t.type === 'attribute' ? rootName(t) : undefined;
      if (root) out.push(root);
    }
    const call = unwrap(expr);
    const fn = call.type === 'call' ? field(call, 'function') : undefined;
    if (fn?.type === 'attribute' && mutatingMethods.has(field(fn, 'attribute')?.text ?? '')) {
      const object = field(fn, 'object');
      const root = object ? rootName(object) : undefined;
      if (root) out.push(root);
    }
  }
  return out;
}
