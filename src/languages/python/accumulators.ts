// A list grown in a loop: `found = []`, then `for x in xs: if C: found.append(x)`, then `if found:` /
// `return found`. After the loop the list is not empty where the body reaches a growing call for
// some element, as a flag set in a loop holds (flags.ts): the body is read a second time with that
// call standing for a return, and the name is bound to that condition, which only its truth reads.
// `append` / `add` always grow it; `extend(E)` / `update(E)` where E is not empty. A list the body
// also changes otherwise (reassigned, `remove`, `pop`, `x[k] = v`) is not read so.
import type { Node } from 'web-tree-sitter';
import type { Binding, Cond, Flow, Scope } from './conditions.js';
import { field, named } from './values.js';

const alwaysGrowing = new Set(['append', 'add']);
const growingByArgument = new Set(['extend', 'update']);

/** The method a statement calls on `name` (`name.m(...)`) and its one argument, or undefined. */
function callOn(s: Node, name: string): { method: string; arg: Node | undefined } | undefined {
  if (s.type !== 'expression_statement') return undefined;
  const [call] = named(s);
  const fn = call?.type === 'call' ? field(call, 'function') : undefined;
  if (fn?.type !== 'attribute' || field(fn, 'object')?.text !== name) return undefined;
  const args = field(call!, 'arguments');
  const given = args ? named(args) : [];
  return { method: field(fn, 'attribute')?.text ?? '', arg: given.length === 1 ? given[0] : undefined };
}

const isEmptyCollection = (b: Binding | undefined): boolean =>
  b?.kind === 'const' && b.value.kind === 'collection' && b.value.values.length === 0 && !b.value.partial && !b.value.entries;

/** Whether every use of `name` in `n` that changes it is a growing call with one argument (and there is one). */
function onlyGrown(n: Node, name: string, seen: { grown: boolean }): boolean {
  if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return true;
  if (n.type === 'attribute' && field(n, 'object')?.text === name) {
    const method = field(n, 'attribute')?.text ?? '';
    const call = n.parent;
    const args = call?.type === 'call' ? field(call, 'arguments') : undefined;
    if (!(alwaysGrowing.has(method) || growingByArgument.has(method)) || !args || named(args).length !== 1) return false;
    seen.grown = true;
  }
  // Bound anew, or changed through a subscript, anywhere in the body.
  if (n.type === 'assignment' || n.type === 'augmented_assignment' || n.type === 'delete_statement') {
    const target = n.type === 'delete_statement' ? n : field(n, 'left');
    if (target && mentions(target, name)) return false;
  }
  if ((n.type === 'for_statement' || n.type === 'for_in_clause' || n.type === 'named_expression') && mentions(n.child(1) ?? n, name))
    return false;
  if ((n.type === 'global_statement' || n.type === 'nonlocal_statement') && mentions(n, name)) return false;
  return named(n).every((c) => onlyGrown(c, name, seen));
}

function mentions(n: Node, name: string): boolean {
  return n.type === 'identifier' ? n.text === name : named(n).some((c) => mentions(c, name));
}

/** The names bound to an empty list or set before the loop that its body only grows. */
export function loopAccumulators(body: Node, before: Scope): string[] {
  const out: string[] = [];
  for (const [name, binding] of before) {
    if (!isEmptyCollection(binding)) continue;
    const seen = { grown: false };
    if (onlyGrown(body, name, seen) && seen.grown) out.push(name);
  }
  return out;
}

/**
 * What a reading of the body looks for: where it grows the list (`grown`: the list is not empty), or
 * where it appends a truthy value (`truthy`: `any(L)`) or a falsy one (`falsy`: not `all(L)`).
 */
export type AccumulatorMode = 'grown' | 'truthy' | 'falsy';

/**
 * While the body is read for what `mode` seeks: that call ends the path as a return of True
 * would (`extend(E)` where E is not empty; `append(E)` of a value as `mode` seeks it, the path
 * running on otherwise); a `return` leaves the function before the loop ends.
 */
export function accumulatorStatement(
  s: Node,
  name: string,
  truth: (n: Node) => Cond,
  negate: (c: Cond) => Cond,
  mode: AccumulatorMode = 'grown',
): Flow | undefined {
  if (s.type === 'return_statement') return { ret: false, fall: false, jump: false };
  const call = callOn(s, name);
  if (!call?.arg) return undefined;
  if (mode !== 'grown') {
    // The truth of what one call adds: `append` / `add` add the value; `extend` / `update` are not read so.
    if (!alwaysGrowing.has(call.method)) return { ret: { kind: 'other', text: s.text }, fall: false, jump: false };
    const held = truth(call.arg);
    const sought = mode === 'truthy' ? held : negate(held);
    return { ret: sought, fall: negate(sought), jump: false };
  }
  if (alwaysGrowing.has(call.method)) return { ret: true, fall: false, jump: false };
  if (!growingByArgument.has(call.method)) return undefined;
  const grows = truth(call.arg);
  return { ret: grows, fall: negate(grows), jump: false };
}
