// Values picked from a list field's elements under a test: `{e.get("id") for e in f if e.get("type")
// == "User"}`, or a helper growing a collection the same way (`out = set()`, `for e in items: if C:
// out.add(E)`, `return out`). A field sought in it (`x in picked`, `x not in picked`) is one element
// passing the test whose value equals x: a `some` node over the list holding the test and a
// `fieldref` between the element's value and x, evaluated on one element at a time (a missing value
// is None, equal to a missing x as Python's `None in {None}` is). Only a plain list field is read
// so, its element's value one plain key of the element read with `.get` (a subscript raises KeyError
// where the key is missing, which a `some` node cannot say); anything else is left to the other readers.
import type { Node } from 'web-tree-sitter';
import { combine, elementsAtLeast, negate, other, someElement } from '../../model/predicates.js';
import type { PredicateNode } from '../../model/types.js';
import type { Cond, FieldRef } from './conditions.js';
import { field, named, unwrap } from './values.js';

/** The parts of a pick: each `element` of `source` passing `test` gives `value`. */
export interface PickShape {
  element: string;
  source: Node;
  test: Node;
  value: Node;
}

/** A value read without raising where the key is missing: not a subscript. */
const readsSafely = (value: Node): boolean => unwrap(value).type !== 'subscript';

/** `{E for v in L if C}` / `[E for v in L if C]`: one loop, one test (without, it is event-collections.ts's). */
export function pickedComprehension(node: Node): PickShape | undefined {
  const n = unwrap(node);
  return n.type === 'list_comprehension' || n.type === 'set_comprehension' ? generatorParts(n) : undefined;
}

/** `next((E for v in L if C), None)`, `next` not redefined (`shadowed`): the generator's parts. */
export function firstPick(node: Node, shadowed: (name: string) => boolean): PickShape | undefined {
  const n = unwrap(node);
  const fn = n.type === 'call' ? field(n, 'function') : undefined;
  const args = n.type === 'call' ? field(n, 'arguments') : undefined;
  if (fn?.type !== 'identifier' || fn.text !== 'next' || shadowed('next') || args?.type !== 'argument_list') return undefined;
  const [generator, fallback, ...more] = named(args).filter((a) => a.type !== 'comment');
  if (!generator || fallback?.type !== 'none' || more.length > 0) return undefined;
  const g = unwrap(generator);
  return g.type === 'generator_expression' ? generatorParts(g) : undefined;
}

function generatorParts(n: Node): PickShape | undefined {
  const parts = named(n).filter((c) => c.type !== 'comment');
  const loops = parts.filter((c) => c.type === 'for_in_clause');
  const tests = parts.filter((c) => c.type === 'if_clause');
  if (loops.length !== 1 || tests.length !== 1) return undefined;
  const name = field(loops[0]!, 'left');
  const source = field(loops[0]!, 'right');
  const value = field(n, 'body');
  const test = tests[0] ? named(tests[0])[0] : undefined;
  if (name?.type !== 'identifier' || !source || !value || !readsSafely(value) || !test) return undefined;
  return { element: name.text, source, value, test };
}

const growing = new Set(['add', 'append']);

/** `acc.add(E)` / `acc.append(E)` as a statement: E. */
function grownWith(s: Node, acc: string): Node | undefined {
  const call = s.type === 'expression_statement' ? unwrap(named(s)[0] ?? s) : undefined;
  const fn = call?.type === 'call' ? field(call, 'function') : undefined;
  const args = call && field(call, 'arguments');
  if (fn?.type !== 'attribute' || field(fn, 'object')?.text !== acc || !growing.has(field(fn, 'attribute')?.text ?? '')) return undefined;
  const given = args ? named(args) : [];
  const value = given.length === 1 ? given[0]! : undefined;
  return value && value.type !== 'keyword_argument' && value.type !== 'list_splat' && readsSafely(value) ? value : undefined;
}

/** `acc = set()` / `acc = []`: the name given an empty collection to grow. */
function emptyStart(s: Node): string | undefined {
  const a = s.type === 'expression_statement' ? named(s)[0] : undefined;
  if (a?.type !== 'assignment') return undefined;
  const left = field(a, 'left');
  const right = a && field(a, 'right');
  if (left?.type !== 'identifier' || !right) return undefined;
  const r = unwrap(right);
  const emptyList = r.type === 'list' && named(r).length === 0;
  const args = r.type === 'call' ? field(r, 'arguments') : undefined;
  const emptySet = r.type === 'call' && field(r, 'function')?.text === 'set' && args !== undefined && named(args).length === 0;
  return emptyList || emptySet ? left.text : undefined;
}

/**
 * A function whose body is only `acc = set()` (or `[]`), `for v in L:` whose body is `if C:
 * acc.add(E)`, and `return acc` (a docstring first allowed): the pick it
 * returns, read as the comprehension `{E for v in L if C}` is.
 */
export function accumulatedPick(def: Node): PickShape | undefined {
  const body = field(def, 'body');
  const statements = body ? named(body).filter((s) => s.type !== 'comment') : [];
  const docstring = statements[0]?.type === 'expression_statement' && unwrap(named(statements[0])[0] ?? statements[0]).type === 'string';
  const [start, loop, ret, ...rest] = docstring ? statements.slice(1) : statements;
  const acc = start && emptyStart(start);
  if (!acc || loop?.type !== 'for_statement' || ret?.type !== 'return_statement' || rest.length > 0) return undefined;
  if (named(ret)[0]?.text !== acc || field(loop, 'alternative')) return undefined;
  const name = field(loop, 'left');
  const source = field(loop, 'right');
  const inner = field(loop, 'body');
  const steps = inner ? named(inner).filter((s) => s.type !== 'comment') : [];
  if (name?.type !== 'identifier' || !source || steps.length !== 1) return undefined;
  const step = steps[0]!;
  if (step.type !== 'if_statement' || field(step, 'alternative')) return undefined;
  const test = field(step, 'condition');
  const consequence = field(step, 'consequence');
  const grown = consequence ? named(consequence).filter((s) => s.type !== 'comment') : [];
  const value = grown.length === 1 ? grownWith(grown[0]!, acc) : undefined;
  return test && value ? { element: name.text, source, test, value } : undefined;
}

/** A pick read from the event: the list walked, the test on its element, the element's value picked. */
export interface Picked {
  /** `next(...)`: the value of the first element passing, None where none does (not a collection). */
  first?: true;
  list: string;
  json: boolean;
  filter: Cond;
  value: FieldRef;
}

/** A field read as its own plain value (no piece, default, case change or conversion). */
function plainField(ref: FieldRef): string | undefined {
  const [name, ...more] = ref.fields;
  if (name === undefined || more.length > 0 || ref.lowered || ref.json || ref.converted || ref.defaults || ref.orEmpty) return undefined;
  if (ref.after || ref.alsoAfter || ref.at || ref.trimmed || ref.guards || ref.logTypes || ref.item !== undefined) return undefined;
  if (ref.shlexed || ref.decoded || ref.unquoted || ref.emptied || name.startsWith('udm:')) return undefined;
  return name;
}

/**
 * `sought in picked` (`negated`: `not in`): one element of the list passing the filter with its
 * value equal to the sought field. Undefined when the sought field is not one plain field outside
 * the list or the picked value is not one key of the element.
 */
export function pickSought(
  picked: Picked,
  sought: FieldRef,
  negated: boolean,
  equal: (sought: FieldRef, other: string) => PredicateNode,
): Cond | undefined {
  const x = plainField(sought);
  const value = plainField(picked.value);
  if (picked.first) return undefined;
  const inList = (f: string) => f === picked.list || f.startsWith(`${picked.list}.`);
  if (x === undefined || value === undefined || inList(x) || !value.startsWith(`${picked.list}.`)) return undefined;
  if (picked.filter === false) return negated;
  const one = picked.filter === true ? equal(sought, value) : { kind: 'and' as const, children: [picked.filter, equal(sought, value)] };
  const some = someElement(picked.list, one, picked.json);
  return negated ? { kind: 'not', child: some } : some;
}

/** The filter as a node, and "at least two elements pass it"; undefined for a filter decided already. */
function passing(picked: Picked): { filter: PredicateNode; several: PredicateNode } | undefined {
  const f = picked.filter;
  return typeof f === 'boolean' ? undefined : { filter: f, several: elementsAtLeast(picked.list, f, 2, picked.json) };
}

/**
 * The first pick read for its truth: the one element passing has a truthy value. Where several
 * pass, which comes first is not read here (unknown); where none does, None is falsy.
 */
export function firstTruth(picked: Picked, truthy: (value: FieldRef) => PredicateNode, text: string): Cond | undefined {
  const p = passing(picked);
  if (!p) return undefined;
  const one = combine('and', [someElement(picked.list, combine('and', [p.filter, truthy(picked.value)]), picked.json), negate(p.several)]);
  return combine('or', [one, combine('and', [p.several, other(text)])]);
}

/**
 * The first pick compared with a field (`negated`: `!=`): the one element passing holds a value
 * equal to the field. Where several pass or none does (None against the field), not read here.
 */
export function firstCompared(
  picked: Picked,
  sought: FieldRef,
  negated: boolean,
  equal: (sought: FieldRef, other: string) => PredicateNode,
  text: string,
): Cond | undefined {
  const x = plainField(sought);
  const value = plainField(picked.value);
  const p = passing(picked);
  const inList = (f: string) => f === picked.list || f.startsWith(`${picked.list}.`);
  if (!p || x === undefined || value === undefined || inList(x) || !value.startsWith(`${picked.list}.`)) return undefined;
  const some = (child: PredicateNode) => someElement(picked.list, child, picked.json);
  const one = combine('and', [some(combine('and', [p.filter, equal(sought, value)])), negate(p.several)]);
  const unread = combine('and', [combine('or', [p.several, negate(some(p.filter))]), other(text)]);
  const eq = combine('or', [one, unread]);
  return negated ? negate(eq) : eq;
}
