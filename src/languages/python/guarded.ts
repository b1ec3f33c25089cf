// A helper that returns a field (often parsed: `json.loads(f)`) only under a condition on other
// fields, and None (or an empty value) otherwise:
//
//     def _parsed(event):
//         if event.get("category") != "audit": return None
//         return json.loads(event.get("log"))
//
// `x = _parsed(event)` binds x to the field guarded by that condition (a `guarded` binding). x read
// for its truth is the condition and the field's truth; where the code has tested x (`if x:`,
// `... if x else None`, `x and ...`, `if not x: return`), x is the field itself, so `x.get("k")`
// reads `log.k`. Elsewhere x is not read as the field: outside its guard it is None.
import type { Node } from 'web-tree-sitter';
import type { Binding, FieldRef, Scope } from './conditions.js';

type Guarded = Binding & { kind: 'guarded' };
import { field, named, unwrap } from './values.js';

/** The binding a guarded name takes where the code has tested it: the field itself. */
function asField(b: Binding | undefined): Binding | undefined {
  return b?.kind === 'guarded' ? { kind: 'field', ref: b.ref } : undefined;
}

/** `x is None` / `x is not None` with x a name: the name and whether the test is `is not`. */
function noneTest(n: Node): { name: Node; present: boolean } | undefined {
  if (n.type !== 'comparison_operator') return undefined;
  const [left, right, ...rest] = named(n);
  if (!left || !right || rest.length > 0 || unwrap(right).type !== 'none') return undefined;
  const op = n.children
    .filter((c): c is Node => c !== null && !c.isNamed)
    .map((c) => c.type)
    .join(' ');
  if (op !== 'is' && op !== 'is not') return undefined;
  const name = unwrap(left);
  return name.type === 'identifier' ? { name, present: op === 'is not' } : undefined;
}

/**
 * The scopes in which a condition's true and false branches run, with a guarded name the condition
 * tests (`x`, `not x`, `x is not None`, `x is None`) bound to its field on the side where it is set.
 * The scopes are the given one when the condition tests no such name.
 */
export function narrowed(condition: Node | undefined, scope: Scope): { then: Scope; else: Scope } {
  const plain = { then: scope, else: scope };
  if (!condition) return plain;
  let n = unwrap(condition);
  let flipped = false;
  while (n.type === 'not_operator') {
    const arg = field(n, 'argument');
    if (!arg) return plain;
    n = unwrap(arg);
    flipped = !flipped;
  }
  const none = noneTest(n);
  const name = none ? none.name : n.type === 'identifier' ? n : undefined;
  if (none && !none.present) flipped = !flipped;
  const set = name && asField(scope.get(name.text));
  if (!name || !set) return plain;
  const narrowedScope = new Map(scope).set(name.text, set);
  return flipped ? { then: scope, else: narrowedScope } : { then: narrowedScope, else: scope };
}

/** `x is None` / `x is not None` with x a guarded name: its binding, and whether the test is `is not`. */
export function guardedNoneTest(n: Node, scope: Scope): { guard: Guarded; present: boolean } | undefined {
  const none = noneTest(n);
  const b = none && scope.get(none.name.text);
  return none && b?.kind === 'guarded' ? { guard: b, present: none.present } : undefined;
}

/**
 * After branches: a name guarded in some and, where a branch tested it, the same field in others is
 * still guarded (the branch that tested it ran only when it was set).
 */
export function mergedGuard(values: (Binding | undefined)[]): Guarded | undefined {
  const guard = values.find((v): v is Guarded => v?.kind === 'guarded');
  if (!guard) return undefined;
  const key = (r: FieldRef) => `${r.fields.join('\0')}|${r.lowered}|${Boolean(r.json)}`;
  const same = values.every(
    (v) => v === guard || (v?.kind === 'guarded' && v.cond === guard.cond) || (v?.kind === 'field' && key(v.ref) === key(guard.ref)),
  );
  return same ? guard : undefined;
}
