// EQL condition AST -> the shared and/or/not predicate tree.
//
// Mapping (field on either side of a comparison; a literal on the left is swapped to the right):
//   f == v            eq        caseSensitive       f != v     eq, negated
//   f == null         exists, negated               f != null  exists   (also `?f`)
//   f < <= > >= v     lt lte gt gte
//   f : "v"           eq, case-insensitive; `wildcard` when v holds `*` or `?`
//   f : ("a", "b*")   `in` with the plain values and/or `wildcard` with the patterns; when the
//                     list mixes both, an `or` of the two predicates (both carry the same text)
//   f like / like~    wildcard  (case-sensitive / insensitive) for the patterns, eq / in for values
//                     without wildcards, exists for `*` alone
//   f regex / regex~  regex
//   f in / in~ (..)   in        (`not in` -> negated, nativeOp "not in")
//   startsWith(f, v..) startswith, endsWith endswith, stringContains contains,
//   cidrMatch cidr, wildcard wildcard; a `~` after the name makes them case-insensitive.
// EQL has no escape for wildcard characters (Elasticsearch turns `*`/`?` into LIKE wildcards
// whatever precedes them), so any `*` or `?` in a `:` value makes it a wildcard.
// Anything else (arithmetic, length(f) > 3, field against field, bare booleans, process
// relationships like `descendant of [...]`) becomes an `other` node holding its source text.

import { combine, negate, other, predicate } from '../../model/predicates.js';
import type { Operator, PredicateNode, Scalar } from '../../model/types.js';
import type { Expr, Literal } from './ast.js';

type FieldNode = Extract<Expr, { t: 'field' }>;

const COMPARE: Record<string, Operator> = { '==': 'eq', '!=': 'eq', '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' };
const FLIP: Record<string, '==' | '!=' | '<' | '<=' | '>' | '>='> = {
  '==': '==',
  '!=': '!=',
  '<': '>',
  '<=': '>=',
  '>': '<',
  '>=': '<=',
};
const FUNCTIONS = new Map<string, Operator>([
  ['startswith', 'startswith'],
  ['endswith', 'endswith'],
  ['stringcontains', 'contains'],
  ['cidrmatch', 'cidr'],
  ['wildcard', 'wildcard'],
]);

export function toCondition(e: Expr, query: string): PredicateNode {
  switch (e.t) {
    case 'or':
    case 'and':
      return combine(
        e.t,
        e.items.map((x) => toCondition(x, query)),
      );
    case 'not':
      return negate(toCondition(e.x, query));
    case 'cmp':
      return comparison(e, query.slice(e.s, e.e));
    case 'in':
      return membership(e, query.slice(e.s, e.e));
    case 'match':
      return matching(e, query.slice(e.s, e.e));
    case 'call':
      return call(e, query.slice(e.s, e.e));
    default:
      return other(query.slice(e.s, e.e));
  }
}

function asField(e: Expr | undefined): FieldNode | null {
  return e !== undefined && e.t === 'field' ? e : null;
}

function literals(values: Expr[]): Literal[] | null {
  const out: Literal[] = [];
  for (const v of values) {
    if (v.t !== 'lit') return null;
    out.push(v);
  }
  return out.length > 0 ? out : null;
}

function hasWildcard(v: Scalar): boolean {
  return typeof v === 'string' && (v.includes('*') || v.includes('?'));
}

function comparison(e: Extract<Expr, { t: 'cmp' }>, text: string): PredicateNode {
  let field = asField(e.l);
  let value = e.r.t === 'lit' ? e.r : null;
  let op = e.op;
  if (field === null || value === null) {
    field = asField(e.r);
    value = e.l.t === 'lit' ? e.l : null;
    op = FLIP[op]!;
    if (field === null || value === null) return other(text);
  }
  if (value.kind === 'null') {
    if (op !== '==' && op !== '!=') return other(text);
    return predicate(field.name, 'exists', [], { negated: op === '==', caseSensitive: true, nativeOp: e.op, text });
  }
  return predicate(field.name, COMPARE[op]!, [value.v], { negated: op === '!=', caseSensitive: true, nativeOp: e.op, text });
}

function membership(e: Extract<Expr, { t: 'in' }>, text: string): PredicateNode {
  const field = asField(e.l);
  const values = literals(e.values);
  if (field === null || values === null) return other(text);
  return predicate(
    field.name,
    'in',
    values.map((v) => v.v),
    { negated: e.neg, caseSensitive: e.op === 'in', nativeOp: e.neg ? `not ${e.op}` : e.op, text },
  );
}

function matching(e: Extract<Expr, { t: 'match' }>, text: string): PredicateNode {
  const field = asField(e.l);
  const lits = literals(e.values);
  if (field === null || lits === null) return other(text);
  const values = lits.map((v) => v.v);
  const nativeOp = e.op;
  switch (e.op) {
    case 'like':
    case 'like~': {
      // A pattern without wildcards matches its value alone, and `*` alone any value: the same
      // predicates (and indicators) as `==` / `in` and `!= null`, not patterns of their own.
      const caseSensitive = e.op === 'like';
      if (values.length === 1 && values[0] === '*') return predicate(field.name, 'exists', [], { caseSensitive, nativeOp, text });
      const plain = values.filter((v) => !hasWildcard(v));
      const patterns = values.filter(hasWildcard);
      const parts: PredicateNode[] = [];
      if (plain.length > 0) parts.push(predicate(field.name, plain.length === 1 ? 'eq' : 'in', plain, { caseSensitive, nativeOp, text }));
      if (patterns.length > 0) parts.push(predicate(field.name, 'wildcard', patterns, { caseSensitive, nativeOp, text }));
      return combine('or', parts);
    }
    case 'regex':
    case 'regex~':
      return predicate(field.name, 'regex', values, { caseSensitive: e.op === 'regex', nativeOp, text });
    case ':': {
      if (!e.list) {
        const v = values[0]!;
        if (v === null) return predicate(field.name, 'exists', [], { negated: true, nativeOp, text });
        return predicate(field.name, hasWildcard(v) ? 'wildcard' : 'eq', [v], { nativeOp, text });
      }
      const plain = values.filter((v) => !hasWildcard(v));
      const patterns = values.filter(hasWildcard);
      const parts: PredicateNode[] = [];
      if (plain.length > 0) parts.push(predicate(field.name, 'in', plain, { nativeOp, text }));
      if (patterns.length > 0) parts.push(predicate(field.name, 'wildcard', patterns, { nativeOp, text }));
      return combine('or', parts);
    }
  }
}

function call(e: Extract<Expr, { t: 'call' }>, text: string): PredicateNode {
  const tilde = e.name.endsWith('~');
  const op = FUNCTIONS.get((tilde ? e.name.slice(0, -1) : e.name).toLowerCase());
  const field = asField(e.args[0]);
  const lits = literals(e.args.slice(1));
  if (op === undefined || field === null || lits === null) return other(text);
  if (lits.some((v) => v.kind !== 'string')) return other(text);
  return predicate(
    field.name,
    op,
    lits.map((v) => v.v),
    { caseSensitive: !tilde, nativeOp: e.name, text },
  );
}
