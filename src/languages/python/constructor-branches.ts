// A constructor's `if` on one of its own arguments, as Panther's enrichment helpers are written
// (`def __init__(self, event, table=None): ... if table is None: table = pick(event)` then
// `if table: self._attach(event, table)`). Where the argument is a constant (given by the caller or
// its default), the branch is decided as Python decides it: the body runs or it does not. Any other
// test, an `elif` / `else`, or an argument that is not a constant is not decided: the constructor
// stays unread.
import type { Node } from 'web-tree-sitter';
import type { Scope } from './conditions.js';
import { field, named, unwrap } from './values.js';

/** A constant scalar's truth, as `bool(x)` gives it. */
function scalarTruth(value: unknown): boolean {
  return !(value === null || value === false || value === 0 || value === '');
}

/** The truth of `name` in `scope`, when it is bound to a constant scalar. */
function constantTruth(name: Node, scope: Scope): boolean | undefined {
  if (name.type !== 'identifier') return undefined;
  const b = scope.get(name.text);
  return b?.kind === 'const' && b.value.kind === 'scalar' ? scalarTruth(b.value.value) : undefined;
}

/** `x is None` / `x is not None` with x a constant scalar of `scope`. */
function noneTest(test: Node, scope: Scope): boolean | undefined {
  const operands = named(test).filter((c) => c.type !== 'comment');
  const ops = test.children.filter((c) => c && !c.isNamed).map((c) => c!.type);
  const [left, right] = operands;
  if (operands.length !== 2 || right?.type !== 'none' || left?.type !== 'identifier') return undefined;
  const b = scope.get(left.text);
  if (b?.kind !== 'const' || b.value.kind !== 'scalar') return undefined;
  const op = ops.join(' ');
  if (op === 'is') return b.value.value === null;
  if (op === 'is not') return b.value.value !== null;
  return undefined;
}

/** The truth of an `if` test on the constructor's constant arguments; undefined when not decided. */
function decidedTest(test: Node, scope: Scope): boolean | undefined {
  const t = unwrap(test);
  if (t.type === 'identifier') return constantTruth(t, scope);
  if (t.type === 'not_operator') {
    const arg = field(t, 'argument');
    const inner = arg && decidedTest(arg, scope);
    return inner === undefined ? undefined : !inner;
  }
  if (t.type === 'comparison_operator') return noneTest(t, scope);
  return undefined;
}

/**
 * The statements an `if` statement of a constructor runs, when its test is decided by constant
 * arguments: its body's statements, or none. Undefined when it is no such `if` (an `elif` or an
 * `else`, or a test the arguments do not decide).
 */
export function decidedBranch(stmt: Node, scope: Scope): Node[] | undefined {
  if (stmt.type !== 'if_statement' || field(stmt, 'alternative')) return undefined;
  const test = field(stmt, 'condition');
  const body = field(stmt, 'consequence');
  const taken = test && body ? decidedTest(test, scope) : undefined;
  if (taken === undefined) return undefined;
  return taken ? named(body!) : [];
}
