// A name bound to one of two constants by a condition, then used as a key (`f = "a_created" if
// event.get("type") == "created" else "a_updated"`, then `event.deep_get(f, "scopes")`): the rest
// of the block is read once per branch, so that each reading names its own field. Read once, the
// name would be no one constant and the field not read (as for loop-keys.ts).
import type { Node } from 'web-tree-sitter';
import type { Scalar } from '../../model/types.js';
import { namesKey } from './loop-keys.js';
import type { ConstValue } from './values.js';
import { field, named, unwrap } from './values.js';

export interface ConstantChoice {
  name: string;
  condition: Node;
  /** The value where the condition holds, and where it does not. */
  values: [Scalar, Scalar];
}

/** `name = A if C else B` (A, B constants) whose name the statements after it read as a key. */
export function constantChoice(
  stmt: Node,
  rest: readonly Node[],
  constOf: (n: Node) => ConstValue | undefined,
): ConstantChoice | undefined {
  if (stmt.type !== 'expression_statement') return undefined;
  const [expr, ...more] = named(stmt);
  if (expr?.type !== 'assignment' || more.length > 0) return undefined;
  const left = field(expr, 'left');
  const right = field(expr, 'right');
  if (left?.type !== 'identifier' || !right || unwrap(right).type !== 'conditional_expression') return undefined;
  // `A if C else B`: the named children in order.
  const [whenTrue, condition, whenFalse, ...extra] = named(unwrap(right));
  if (!whenTrue || !condition || !whenFalse || extra.length > 0) return undefined;
  const a = constOf(whenTrue);
  const b = constOf(whenFalse);
  if (a?.kind !== 'scalar' || b?.kind !== 'scalar') return undefined;
  if (!rest.some((s) => namesKey(s, left.text))) return undefined;
  return { name: left.text, condition, values: [a.value, b.value] };
}
