// `len(field)` compared with a number. A comparison that only asks whether the value is empty
// (`> 0`, `>= 1`, `!= 0`, `== 0`, `< 1`) is the field's truth, which every reader already knows;
// any other bound is a predicate on the value's length (`transform: 'len'`, evaluate.ts), never a
// test of the field's text. Of a field the code parsed (`len(json.loads(f))`), always the length of
// what the text holds (transform `json|len`), unknown where the text holds no list or mapping.
import type { Node } from 'web-tree-sitter';
import { combine, predicate } from '../../model/predicates.js';
import type { Operator, PredicateNode } from '../../model/types.js';
import type { FieldRef } from './conditions.js';
import { field, named, unwrap } from './values.js';

/** What `len(...)` is given, when the node is a call of the built-in (not a function of the module). */
export function lenArgument(node: Node, shadowed: (name: string) => boolean): Node | undefined {
  const n = unwrap(node);
  if (n.type !== 'call') return undefined;
  const fn = field(n, 'function');
  const args = field(n, 'arguments');
  if (fn?.type !== 'identifier' || fn.text !== 'len' || !args || args.type !== 'argument_list' || shadowed('len')) return undefined;
  const given = named(args);
  return given.length === 1 && given[0]!.type !== 'keyword_argument' && given[0]!.type !== 'list_splat' ? given[0] : undefined;
}

/** The fields read for their truth (a non-empty value), or for their falsity. */
function truthyOf(fields: string[], text: string, negated = false): PredicateNode {
  return combine(
    'or',
    fields.map((f) => predicate(f, 'exists', [], { nativeOp: 'truthy', text, negated })),
  );
}

/** `len(json.loads(f))` compared: the length of the list or mapping the field's JSON text holds. */
export const jsonLengthTransform = 'json|len';

const flipped: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' };
const operators: Record<string, Operator> = { '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte', '==': 'eq', '!=': 'eq' };

/**
 * `len(f) op n` (`lenOnLeft`) or `n op len(f)`, as a condition on the fields `f` names; undefined
 * for an operator that is not a comparison of numbers.
 */
export function lengthCondition(
  fields: string[],
  op: string,
  n: number,
  lenOnLeft: boolean,
  text: string,
  json = false,
): PredicateNode | boolean | undefined {
  const o = lenOnLeft ? op : flipped[op];
  const operator = o === undefined ? undefined : operators[o];
  if (o === undefined || operator === undefined) return undefined;
  const passes = (len: number) =>
    o === '<' ? len < n : o === '<=' ? len <= n : o === '>' ? len > n : o === '>=' ? len >= n : o === '==' ? len === n : len !== n;
  // Every length from 1 on passes alike: the comparison only asks whether the value is empty.
  const onlyEmptiness = ['>', '<=', '==', '!='].includes(o) ? n < 1 : n <= 1;
  // A parsed JSON text's emptiness is not the text's: always its length (transform `json|len`).
  if (onlyEmptiness && !json) {
    const empty = passes(0);
    const nonEmpty = passes(1);
    if (empty === nonEmpty) return empty;
    return truthyOf(fields, text, !nonEmpty);
  }
  return combine(
    'or',
    fields.map((f) =>
      predicate(f, operator, [n], { negated: o === '!=', nativeOp: `len ${o}`, text, transform: json ? jsonLengthTransform : 'len' }),
    ),
  );
}

/**
 * `f == ["x"]` where f names several fields (a data model's, each under its own log types) or one
 * the code parsed from JSON: some field holds a list of one element that `eq` (given that field
 * alone) accepts. Each field's length and value are tested together, under its log types.
 */
export function oneElementOfEach(ref: FieldRef, eq: (one: FieldRef) => PredicateNode, text: string): PredicateNode {
  const transform = ref.json ? jsonLengthTransform : 'len';
  return combine(
    'or',
    ref.fields.map((f) => {
      const types = ref.logTypes?.[f];
      const length: PredicateNode = {
        kind: 'pred',
        predicate: { field: f, op: 'eq', values: [1], negated: false, caseSensitive: false, nativeOp: 'len ==', text, transform },
      };
      if (types && length.kind === 'pred') length.predicate.logTypes = [...types];
      const one: FieldRef = { ...ref, fields: [f], logTypes: types ? { [f]: types } : {} };
      return combine('and', [length, eq(one)]);
    }),
  );
}
