// A name a loop assigns on its way to `break` (`for r in rs: if C: key = r["arn"]; break`). The path
// that breaks leaves the loop with that value, but reading the body for what runs past it keeps
// only the paths that fall through, so after the loop the name would still read as before it: a
// test of it would be answered for the old value only. Such a name is not read after the loop
// (flags.ts and accumulators.ts read the names they know how to: `found = True; break`).
import type { Node } from 'web-tree-sitter';
import { field, named } from './values.js';

/** The names bound (assigned, walked by a `for`, a walrus) anywhere in `n`, nested functions aside. */
function boundNames(n: Node, out: Set<string>): void {
  if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return;
  const target =
    n.type === 'assignment' || n.type === 'augmented_assignment' || n.type === 'for_statement'
      ? field(n, 'left')
      : n.type === 'named_expression'
        ? field(n, 'name')
        : null;
  if (target) for (const id of identifiersIn(target)) out.add(id.text);
  for (const c of named(n)) boundNames(c, out);
}

function identifiersIn(n: Node): Node[] {
  return n.type === 'identifier' ? [n] : n.type === 'subscript' || n.type === 'attribute' ? [] : named(n).flatMap(identifiersIn);
}

/** Whether `n` can break out of the loop whose body holds it (a nested loop's `break` is its own). */
function breaks(n: Node): boolean {
  if (n.type === 'break_statement') return true;
  if (n.type === 'for_statement' || n.type === 'while_statement') {
    // Only the `else:` of a nested loop runs in this loop's body.
    const alternative = field(n, 'alternative');
    return alternative !== undefined && breaks(alternative);
  }
  if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return false;
  return named(n).some(breaks);
}

/** The names the loop body assigns in a statement run before a `break` of the same loop, in any block. */
export function assignedBeforeBreak(body: Node): Set<string> {
  const out = new Set<string>();
  const visit = (block: Node): void => {
    const statements = named(block);
    // Statements before the last one that can break run before some `break`.
    let last = statements.length - 1;
    while (last >= 0 && !breaks(statements[last]!)) last--;
    for (const s of statements.slice(0, Math.max(last, 0))) boundNames(s, out);
    for (const s of statements) {
      if (s.type === 'for_statement' || s.type === 'while_statement') {
        const alternative = field(s, 'alternative');
        if (alternative) visit(alternative);
        continue;
      }
      if (s.type === 'function_definition' || s.type === 'class_definition') continue;
      for (const c of named(s)) if (c.type === 'block' || c.type.endsWith('_clause')) visit(c);
    }
  };
  visit(body);
  return out;
}
