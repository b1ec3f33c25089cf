// A flag set in a loop: `found = False`, then `for x in xs: if C: found = True; break`, then
// `return found`. After the loop the flag holds when the body reaches `found = True` for some
// element (the loop read once "for some element", as its returns are): the body is read a second
// time with that assignment standing for a return, and the flag becomes that condition. Only a
// flag the loop sets one way (to True from False, or to False from True) is read so: one set both
// ways depends on which element came last. A flag an earlier loop left a condition keeps it where
// this loop does not set it.
import type { Node } from 'web-tree-sitter';
import type { Binding, Cond, Flow, Scope } from './conditions.js';
import { field, named } from './values.js';

/** The value a name is bound to, when it is a constant True or False. */
function constantTruth(b: Binding | undefined): boolean | undefined {
  if (b?.kind === 'const' && b.value.kind === 'scalar' && typeof b.value.value === 'boolean') return b.value.value;
  if (b?.kind === 'cond' && typeof b.cond === 'boolean') return b.cond;
  return undefined;
}

/** Every way the body binds a name: `name = <literal>` (its text), or `*` for any other binding. */
function bindings(n: Node, out: Map<string, Set<string>>): void {
  if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition') return;
  const add = (name: string, how: string) => out.set(name, (out.get(name) ?? new Set()).add(how));
  if (n.type === 'assignment' || n.type === 'augmented_assignment') {
    const left = field(n, 'left');
    const right = field(n, 'right');
    const names = left?.type === 'identifier' ? [left] : left ? identifiersIn(left) : [];
    const literal = n.type === 'assignment' && left?.type === 'identifier' && (right?.type === 'true' || right?.type === 'false');
    for (const id of names) add(id.text, literal ? right.type : '*');
  } else if (n.type === 'named_expression') {
    const name = field(n, 'name');
    if (name) add(name.text, '*');
  } else if (n.type === 'for_statement' || n.type === 'for_in_clause') {
    const left = field(n, 'left');
    for (const id of left ? identifiersIn(left) : []) add(id.text, '*');
  } else if (n.type === 'global_statement' || n.type === 'nonlocal_statement') {
    for (const id of named(n)) add(id.text, '*');
  }
  for (const c of named(n)) bindings(c, out);
}

function identifiersIn(n: Node): Node[] {
  return n.type === 'identifier' ? [n] : named(n).flatMap(identifiersIn);
}

/**
 * The flags a loop body sets one way, each with the value it sets and the one it holds before the
 * loop: a constant, or the condition an earlier loop left it (`open = False`, a loop setting it
 * True, then another loop setting it True too: after both, the first's condition or the second's).
 */
export function loopFlags(body: Node, before: Scope): { name: string; setTo: boolean; initial: Cond }[] {
  const found = new Map<string, Set<string>>();
  bindings(body, found);
  const out: { name: string; setTo: boolean; initial: Cond }[] = [];
  for (const [name, hows] of found) {
    const bound = before.get(name);
    const truth = constantTruth(bound);
    const initial = truth ?? (bound?.kind === 'cond' && !bound.matchObject ? bound.cond : undefined);
    if (initial === undefined || hows.size !== 1) continue;
    const how = [...hows][0];
    if (truth !== undefined ? how === (truth ? 'false' : 'true') : how === 'true' || how === 'false')
      out.push({ name, setTo: how === 'true', initial });
  }
  return out;
}

/**
 * While the body is read for where it sets `flag`: that assignment ends the path as a return of
 * True would; a `return` leaves the function, so the flag after the loop is not reached from it.
 */
export function flagStatement(s: Node, flag: string): Flow | undefined {
  if (s.type === 'return_statement') return { ret: false, fall: false, jump: false };
  if (s.type !== 'expression_statement') return undefined;
  const sets = named(s).some((e) => e.type === 'assignment' && field(e, 'left')?.type === 'identifier' && field(e, 'left')?.text === flag);
  return sets ? { ret: true, fall: false, jump: false } : undefined;
}
