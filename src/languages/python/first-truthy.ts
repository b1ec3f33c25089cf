// A helper returning the first truthy of several paths of the event:
//
//     for path in [("a", "b"), ("c",)]:
//         value = event.deep_get(*path)
//         if value:
//             return value
//     return None
//
// is `event.deep_get("a", "b") or event.deep_get("c")`, which the model reads as one of those
// fields (a test on the value is a test on any of them, conditions.ts `firstOfFields`). A guarded
// `if c: return <field>` before the loop adds its field, the value being one of those fields too.
// Only this shape is read: constant paths (a literal list or tuple of at most 8 literal tuples of
// strings, in the helper or the module), a call spreading the loop variable, and `None` after the
// loop (or nothing); anything else leaves the helper to the other readers.
import type { Node } from 'web-tree-sitter';
import { field, named, unwrap } from './values.js';

/** At most this many paths are read (the loop is unrolled into one field each). */
const maxPaths = 8;

/** The parts of a first-truthy helper: the paths its loop spreads into `call`, and its guarded returns. */
export interface FirstTruthy {
  /** The call spreading the loop variable: `event.deep_get(*path)` or `deep_get(event, *path)`. */
  call: Node;
  paths: string[][];
  /** `return X` under an `if` before the loop: X. */
  guarded: Node[];
  /** The statements before the loop, for the helper's names (`endpoint = ...`). */
  before: Node[];
}

/** The first-truthy shape of a function's body, or undefined. `literal`: a module constant's literal; `text`: a constant string's value. */
export function firstTruthyOf(
  def: Node,
  literal: (name: Node) => Node | undefined,
  text: (n: Node) => string | undefined,
): FirstTruthy | undefined {
  const body = field(def, 'body');
  const stmts = body ? named(body).filter((s) => s.type !== 'comment') : [];
  // Falling off the end after the loop returns None too.
  const end = stmts[stmts.length - 1]?.type === 'for_statement' ? stmts.length : stmts.length - 1;
  const loop = stmts[end - 1];
  if (end < stmts.length && !returnsNone(stmts[end]!)) return undefined;
  if (loop?.type !== 'for_statement' || field(loop, 'alternative')) return undefined;
  const before = stmts.slice(0, end - 1);
  const locals = new Map<string, Node>();
  const guarded: Node[] = [];
  for (const s of before) {
    if (s.type === 'expression_statement') {
      const a = named(s)[0];
      const left = a?.type === 'assignment' ? field(a, 'left') : undefined;
      const right = a && field(a, 'right');
      if (left?.type === 'identifier' && right) locals.set(left.text, right);
      else if (left?.type === 'identifier') locals.delete(left.text);
      continue;
    }
    const returned = guardedReturn(s);
    if (!returned) return undefined;
    guarded.push(returned);
  }
  const variable = field(loop, 'left');
  const right = field(loop, 'right');
  if (variable?.type !== 'identifier' || !right) return undefined;
  const r = unwrap(right);
  const collection = r.type === 'identifier' ? (locals.has(r.text) ? locals.get(r.text) : literal(r)) : r;
  const paths = collection && constantPaths(unwrap(collection), text);
  const call = paths && spreadReturned(field(loop, 'body'), variable.text);
  return paths && call ? { call, paths, guarded, before } : undefined;
}

/** `return`, `return None`. */
function returnsNone(s: Node): boolean {
  const e = s.type === 'return_statement' ? named(s)[0] : undefined;
  return s.type === 'return_statement' && (!e || unwrap(e).type === 'none');
}

/** `if c: return X` with no other branch: X. */
function guardedReturn(s: Node): Node | undefined {
  if (s.type !== 'if_statement' || s.childrenForFieldName('alternative').some((a) => a !== null)) return undefined;
  const consequence = field(s, 'consequence');
  const only = consequence ? named(consequence).filter((c) => c.type !== 'comment') : [];
  const e = only.length === 1 && only[0]!.type === 'return_statement' ? named(only[0]!)[0] : undefined;
  return e;
}

/** A literal list or tuple of a few literal tuples (or lists) of constant strings: those paths. */
function constantPaths(n: Node, text: (n: Node) => string | undefined): string[][] | undefined {
  if (n.type !== 'list' && n.type !== 'tuple') return undefined;
  const elements = named(n);
  if (elements.length === 0 || elements.length > maxPaths) return undefined;
  const paths: string[][] = [];
  for (const e of elements) {
    const u = unwrap(e);
    if (u.type !== 'tuple' && u.type !== 'list') return undefined;
    const keys = named(u).map((k) => text(k));
    if (keys.length === 0 || keys.some((k) => k === undefined)) return undefined;
    paths.push(keys as string[]);
  }
  return paths;
}

/** The loop body `v = CALL(*variable); if v: return v` (or `if v := CALL(*variable): return v`): CALL. */
function spreadReturned(body: Node | undefined, variable: string): Node | undefined {
  const stmts = body ? named(body).filter((s) => s.type !== 'comment') : [];
  let value: Node | undefined;
  let name: string | undefined;
  let test: Node | undefined;
  if (stmts.length === 2 && stmts[0]!.type === 'expression_statement') {
    const a = named(stmts[0]!)[0];
    const left = a?.type === 'assignment' ? field(a, 'left') : undefined;
    if (left?.type !== 'identifier') return undefined;
    [value, name, test] = [field(a!, 'right'), left.text, stmts[1]];
  } else if (stmts.length === 1) {
    test = stmts[0];
    const c = test?.type === 'if_statement' ? field(test, 'condition') : undefined;
    const walrus = c && unwrap(c).type === 'named_expression' ? unwrap(c) : undefined;
    [value, name] = [walrus && field(walrus, 'value'), walrus && field(walrus, 'name')?.text];
  }
  if (!value || name === undefined || test?.type !== 'if_statement') return undefined;
  const condition = field(test, 'condition');
  const tested = condition && unwrap(condition);
  if (
    !tested ||
    (tested.type === 'identifier' ? tested.text : tested.type === 'named_expression' ? field(tested, 'name')?.text : '') !== name
  )
    return undefined;
  const returned = guardedReturn(test);
  if (!returned || unwrap(returned).type !== 'identifier' || unwrap(returned).text !== name) return undefined;
  const call = unwrap(value);
  if (call.type !== 'call') return undefined;
  const args = field(call, 'arguments');
  const spread = args ? named(args).filter((a) => a.type === 'list_splat') : [];
  const inner = spread.length === 1 ? named(spread[0]!)[0] : undefined;
  return inner?.type === 'identifier' && inner.text === variable ? call : undefined;
}
