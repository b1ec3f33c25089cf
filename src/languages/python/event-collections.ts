// Collections the code builds from the event, and what it asks of them: `set(f)`, `list(f)`,
// `[r["Name"] for r in f]`, `{g["GroupName"] for g in f or []}`, a helper that returns its argument or
// `[argument]` (a "listify"), and their intersection with constants (`ADMIN & set(roles)`,
// `set(C).intersection(roles)`). Their elements are the values found at one field (a list walked
// element by element, as the evaluator reads it), so:
// - `C in L` / `C not in L` is the field holding C as a whole value or an element (`==` on each
//   element, never a substring of a text: `"all" in ["xall"]` is false);
// - `L & C` read for its truth is some element one of C; `len(L & C) > n` is at least n + 1 of C's
//   values among the elements, an `or` over the ways to pick them (C of at most 8 values);
// - a loop over a few constants whose variable is sought in such a collection (`for r in REQUIRED:
//   if r not in L: return False`) is read once per constant: read once for "any of them", `not in`
//   would ask that none be there rather than each.
// - two sets built from the event compared (`set(f) != set(g)`) is a `fieldref` with transform `set`:
//   the evaluator compares the values found at each field as sets.
// - `any(f)` / `all(f)` of a list field: some element truthy (a `some` node), no element falsy;
//   `if f is None: f = []` before leaves the field, which reads as missing as `[]` does.
// - `f == []` / `f == {}`: f a list (a mapping) of no element, or missing where the read's default is
//   that empty collection (`.get("Condition", {}) == {}`); a type test and the field's falsity.
// - `len(f if c else []) op n`: the field's length where c holds, an empty collection's elsewhere.
// - `any(d.values())` of a mapping field: one value truthy (a truthy test with transform `values`).
// Elements of a text (`set("abc")` is its characters) are not told from the text: the model reads
// the field's value as one element.
import type { Node } from 'web-tree-sitter';
import { combine, negate, predicate, someElement } from '../../model/predicates.js';
import type { PredicateNode, Scalar } from '../../model/types.js';
import type { Binding, Cond, Scope } from './conditions.js';
import { field, named, unwrap } from './values.js';

/** Built-ins that make a collection of their argument's elements. */
const collectionBuiltins = new Set(['set', 'list', 'frozenset', 'tuple', 'sorted']);

/** `set(x)`, `list(x)` ... of one positional argument, the built-in not redefined (`shadowed`): x. */
export function collectionArgument(node: Node, shadowed: (name: string) => boolean): Node | undefined {
  const n = unwrap(node);
  const fn = n.type === 'call' ? field(n, 'function') : undefined;
  const args = n.type === 'call' ? field(n, 'arguments') : undefined;
  if (fn?.type !== 'identifier' || !collectionBuiltins.has(fn.text) || shadowed(fn.text) || args?.type !== 'argument_list')
    return undefined;
  const given = named(args);
  return given.length === 1 && given[0]!.type !== 'keyword_argument' && given[0]!.type !== 'list_splat' ? given[0] : undefined;
}

/** `set(x)` / `frozenset(x)` of one value (x's own elements, a text's characters): compared as sets, not in order. */
export function builtSet(node: Node): boolean {
  const n = unwrap(node);
  const fn = n.type === 'call' ? field(n, 'function') : undefined;
  const args = n.type === 'call' ? field(n, 'arguments') : undefined;
  const arg = args ? named(args)[0] : undefined;
  return (
    fn?.type === 'identifier' && (fn.text === 'set' || fn.text === 'frozenset') && arg !== undefined && !arg.type.endsWith('comprehension')
  );
}

/** `[body for name in source]` / `{body for name in source}` without filters: its parts. */
export function comprehensionParts(node: Node): { body: Node; name: Node; source: Node } | undefined {
  const n = unwrap(node);
  if (n.type !== 'list_comprehension' && n.type !== 'set_comprehension') return undefined;
  const clauses = named(n).filter((c) => c.type === 'for_in_clause');
  if (clauses.length !== 1 || named(n).some((c) => c.type === 'if_clause')) return undefined;
  const body = field(n, 'body');
  const name = field(clauses[0]!, 'left');
  const source = field(clauses[0]!, 'right');
  return body && name?.type === 'identifier' && source ? { body, name, source } : undefined;
}

/**
 * `a & b` or `a.intersection(b)`: the two sides, and whether b is a method's argument (any iterable,
 * where `&` takes sets only).
 */
export function intersectionSides(node: Node): { sides: [Node, Node]; method: boolean } | undefined {
  const n = unwrap(node);
  if (n.type === 'binary_operator' && field(n, 'operator')?.text === '&') {
    const l = field(n, 'left');
    const r = field(n, 'right');
    return l && r ? { sides: [l, r], method: false } : undefined;
  }
  const fn = n.type === 'call' ? field(n, 'function') : undefined;
  const args = n.type === 'call' ? field(n, 'arguments') : undefined;
  if (fn?.type !== 'attribute' || field(fn, 'attribute')?.text !== 'intersection' || args?.type !== 'argument_list') return undefined;
  const obj = field(fn, 'object');
  const given = named(args);
  return obj && given.length === 1 && given[0]!.type !== 'keyword_argument' ? { sides: [obj, given[0]!], method: true } : undefined;
}

/** Past this many ways to pick the values a count needs, the count is not read. */
const maxPicks = 64;

/** Every way to pick `k` of `values`, in order; undefined past `maxPicks`. */
function picks(values: readonly Scalar[], k: number): Scalar[][] | undefined {
  const out: Scalar[][] = [];
  const walk = (from: number, chosen: Scalar[]): boolean => {
    if (chosen.length === k) {
      out.push(chosen);
      return out.length <= maxPicks;
    }
    for (let i = from; i <= values.length - (k - chosen.length); i++) if (!walk(i + 1, [...chosen, values[i]!])) return false;
    return true;
  };
  return walk(0, []) ? out : undefined;
}

/** At least `k` of `values` are elements (`member(vs)`: one of vs is): true for k <= 0, false past their number. */
function atLeast(k: number, values: readonly Scalar[], member: (vs: Scalar[]) => PredicateNode): PredicateNode | boolean | undefined {
  if (k <= 0) return true;
  if (k > values.length) return false;
  if (k === 1) return member([...values]);
  const ways = picks(values, k);
  if (!ways) return undefined;
  return combine(
    'or',
    ways.map((way) =>
      combine(
        'and',
        way.map((v) => member([v])),
      ),
    ),
  );
}

/**
 * `len(L & C) op n` (`lenOnLeft`; else `n op len(...)`): how many of C's distinct values are
 * elements, as tests of "at least k of them"; undefined for another operator or too many picks.
 */
export function commonCount(
  values: readonly Scalar[],
  op: string,
  n: number,
  lenOnLeft: boolean,
  member: (vs: Scalar[]) => PredicateNode,
): { atLeast: PredicateNode | boolean; notAtLeast?: PredicateNode | boolean; negated: boolean } | undefined {
  const distinct = [...new Set(values)];
  const o = lenOnLeft ? op : ({ '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' } as Record<string, string>)[op];
  if (!Number.isInteger(n)) return undefined;
  const count = (k: number) => atLeast(k, distinct, member);
  // Each comparison as "at least k", negated or not; `==` is at least n and not at least n + 1.
  const low = o === '>' ? n + 1 : o === '>=' ? n : o === '<' ? n : o === '<=' ? n + 1 : o === '==' || o === '!=' ? n : undefined;
  if (low === undefined) return undefined;
  const a = count(low);
  if (a === undefined) return undefined;
  if (o === '==' || o === '!=') {
    const b = count(n + 1);
    return b === undefined ? undefined : { atLeast: a, notAtLeast: b, negated: o === '!=' };
  }
  return { atLeast: a, negated: o === '<' || o === '<=' };
}

/** Whether `name` is sought in a collection in `body`: the left side of `in` / `not in` whose right side `isCollection`. */
export function soughtIn(body: Node, name: string, isCollection: (n: Node) => boolean): boolean {
  const visit = (n: Node): boolean => {
    if (n.type === 'function_definition' || n.type === 'lambda') return false;
    if (n.type === 'comparison_operator') {
      const operands = named(n);
      const ops = n.children.filter((c): c is Node => c !== null && !c.isNamed).map((c) => c.type);
      if (
        operands.length === 2 &&
        (ops.join(' ') === 'in' || ops.join(' ') === 'not in') &&
        unwrap(operands[0]!).type === 'identifier' &&
        unwrap(operands[0]!).text === name &&
        isCollection(operands[1]!)
      )
        return true;
    }
    return named(n).some(visit);
  };
  return visit(body);
}

/** `any(f)` / `all(f)` of the list at `list`: one element truthy, or none falsy (each a `some` node of its elements). */
export function elementsTruth(name: 'any' | 'all', list: string, text: string): PredicateNode {
  const truthy = (negated: boolean) => predicate(list, 'exists', [], { nativeOp: 'truthy', text, negated });
  return name === 'any' ? someElement(list, truthy(false)) : negate(someElement(list, truthy(true)));
}

/**
 * `if f is None: f = []` (`{}`, `()`): a name the branch gives an empty collection where its field is
 * None keeps the field, which every test but `is None` reads as it reads an empty collection. So does
 * `if not f: f = {}` (every falsy value emptied). The field is marked (`FieldRef.emptied`) in both
 * branches, `otherBranch` the one that leaves it as it was, so that `.keys()` of it reads no key where
 * it was emptied (key-subsets.ts).
 */
export function keepFieldWhereEmptied(condition: Cond, branch: Scope, before: Scope, otherBranch?: Scope): void {
  if (typeof condition === 'boolean' || condition.kind !== 'pred') return;
  const p = condition.predicate;
  const tested = p.nativeOp === 'is' ? 'none' : p.nativeOp === 'truthy' ? 'falsy' : undefined;
  if (p.op !== 'exists' || !p.negated || !tested || p.transform) return;
  for (const [name, now] of branch) {
    const was: Binding | undefined = before.get(name);
    const emptied = now.kind === 'const' && now.value.kind === 'collection' && now.value.values.length === 0 && !now.value.partial;
    if (emptied && was?.kind === 'field' && was.ref.fields.length === 1 && was.ref.fields[0] === p.field && !was.ref.guards) {
      const kept: Binding = { kind: 'field', ref: { ...was.ref, emptied: tested } };
      branch.set(name, kept);
      if (otherBranch?.get(name) === was) otherBranch.set(name, kept);
    }
  }
}

/** `[]`, `()` or `{}` written as such: the kind of empty collection (a tuple equals a list here: Panther's list compares so). */
export function emptyLiteral(node: Node): 'list' | 'dict' | undefined {
  const n = unwrap(node);
  if (named(n).some((c) => c.type !== 'comment')) return undefined;
  return n.type === 'list' || n.type === 'tuple' ? 'list' : n.type === 'dictionary' ? 'dict' : undefined;
}

/** The default a read gives a missing field: `.get(k, d)`, `deep_get(..., default=d)`; undefined when none is written. */
export function defaultOf(node: Node): Node | undefined {
  const n = unwrap(node);
  const fn = n.type === 'call' ? field(n, 'function') : undefined;
  const args = n.type === 'call' ? field(n, 'arguments') : undefined;
  if (!fn || !args) return undefined;
  const given = named(args);
  const keyword = given.find((a) => a.type === 'keyword_argument' && field(a, 'name')?.text === 'default');
  if (keyword) return field(keyword, 'value');
  const method = fn.type === 'attribute' ? field(fn, 'attribute')?.text : undefined;
  const positional = given.filter((a) => a.type !== 'keyword_argument');
  return method === 'get' && positional.length === 2 ? positional[1] : undefined;
}

/** The type names of an empty collection's kind, as any reader gives it (isinstance.ts). */
export const emptyKinds: Record<'list' | 'dict', string[]> = {
  list: ['ImmutableList', 'list'],
  dict: ['ImmutableCaseInsensitiveDict', 'dict'],
};

/** `0 op n` (`lenOnLeft`; else `n op 0`): what a length comparison gives an empty collection. */
export function emptyLengthPasses(op: string, n: number, lenOnLeft: boolean): boolean | undefined {
  const [a, b] = lenOnLeft ? [0, n] : [n, 0];
  const results: Record<string, boolean> = { '<': a < b, '<=': a <= b, '>': a > b, '>=': a >= b, '==': a === b, '!=': a !== b };
  return results[op];
}

/** `d.values()` without arguments: d. */
export function mappingValuesOf(node: Node): Node | undefined {
  const n = unwrap(node);
  const fn = n.type === 'call' ? field(n, 'function') : undefined;
  const args = n.type === 'call' ? field(n, 'arguments') : undefined;
  if (fn?.type !== 'attribute' || field(fn, 'attribute')?.text !== 'values' || !args || named(args).length > 0) return undefined;
  return field(fn, 'object');
}
