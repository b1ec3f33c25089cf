// Calls whose value is a constant: a helper run on constant arguments (`rule_groups =
// normalise(rule_groups)` with a constant string) and `isinstance` of a constant. The analysis
// reads such a call as the constant it gives, so that what the caller does with it (loop over it,
// test membership) has values; anything it cannot decide leaves the call unread.
import type { Node } from 'web-tree-sitter';
import type { Scalar } from '../../model/types.js';
import { type ConstValue, field, named, unwrap } from './values.js';

/** What the statement walk needs of the analyser, in the called function's module and scope. */
export interface ConstReader {
  /** An expression read for its truth: true / false when decided. */
  truth(node: Node): boolean | undefined;
  value(node: Node): ConstValue | undefined;
  /** Binds the names an expression statement assigns. */
  assign(stmt: Node): void;
}

/** How a statement sequence ends when every branch taken is decided. */
type Outcome = { returned: ConstValue | undefined } | 'on' | 'unknown';

/** Past this many statements run, a function is not read as a constant (loops are not run at all). */
const maxSteps = 200;

/**
 * The constant a function body returns, when every `if` on its way is decided and every statement
 * it runs is an assignment, a docstring, an `if` or a `return` of a constant; falling off the end
 * returns None. Undefined when any of that is not so.
 */
export function constantReturn(body: Node[], reader: ConstReader): ConstValue | undefined {
  let steps = 0;
  const run = (stmts: Node[]): Outcome => {
    for (const s of stmts) {
      if (++steps > maxSteps) return 'unknown';
      const outcome = statement(s);
      if (outcome !== 'on') return outcome;
    }
    return 'on';
  };
  const statement = (s: Node): Outcome => {
    switch (s.type) {
      case 'expression_statement':
        if (named(s).some((e) => e.type === 'call' || e.type === 'augmented_assignment')) return 'unknown';
        reader.assign(s);
        return 'on';
      case 'return_statement': {
        const expr = named(s)[0];
        const returned = expr ? reader.value(expr) : { kind: 'scalar' as const, value: null };
        return returned ? { returned } : 'unknown';
      }
      case 'if_statement':
        return branch(field(s, 'condition'), field(s, 'consequence'), s.childrenForFieldName('alternative'));
      case 'pass_statement':
        return 'on';
      default:
        return 'unknown';
    }
  };
  const branch = (condition: Node | undefined, consequence: Node | undefined, alternatives: (Node | null)[]): Outcome => {
    const taken = condition ? reader.truth(condition) : undefined;
    if (taken === undefined) return 'unknown';
    if (taken) return consequence ? run(named(consequence)) : 'on';
    const [first, ...rest] = alternatives.filter((a): a is Node => a !== null);
    if (first?.type === 'elif_clause') return branch(field(first, 'condition'), field(first, 'consequence'), rest);
    const elseBody = first?.type === 'else_clause' ? field(first, 'body') : undefined;
    return elseBody ? run(named(elseBody)) : 'on';
  };
  const outcome = run(body);
  if (outcome === 'unknown') return undefined;
  return outcome === 'on' ? { kind: 'scalar', value: null } : outcome.returned;
}

/** Python's built-in type names a constant scalar is an instance of. */
function scalarTypes(value: Scalar): string[] {
  if (value === null) return [];
  if (typeof value === 'string') return ['str'];
  if (typeof value === 'boolean') return ['bool', 'int'];
  return Number.isInteger(value) ? ['int'] : ['float'];
}

const collectionTypes = new Set(['list', 'tuple', 'set', 'frozenset', 'dict']);
const knownTypes = new Set([...collectionTypes, 'str', 'int', 'float', 'bool']);

/**
 * `isinstance(C, T)` of a constant: decided when T is built-in type names and the constant's
 * kind settles it (a string is a `str`, a collection is not one; which collection it is, a list
 * or a set, is not known, so a test among collection types is not decided).
 */
export function constIsinstance(value: ConstValue, typesNode: Node): boolean | undefined {
  const t = unwrap(typesNode);
  const nodes = t.type === 'tuple' ? named(t) : [t];
  const names = nodes.map((n) => (n.type === 'identifier' ? n.text : ''));
  if (names.some((n) => !knownTypes.has(n))) return undefined;
  if (value.kind === 'scalar') {
    const types = scalarTypes(value.value);
    return names.some((n) => types.includes(n));
  }
  if (names.some((n) => collectionTypes.has(n))) return undefined;
  return false;
}
