// YARA-L events statements -> the shared and/or/not predicate tree.
//
// Field names are UDM paths without the event variable: `$e.metadata.event_type` gives
// `metadata.event_type`, `$e.about.labels["k"]` gives `about.labels["k"]` (the variable stays in
// the predicate's text). A literal or a placeholder on the left is swapped to the right.
//
//   f = "v"            eq, caseSensitive (false with `nocase`)     f != "v"   eq, negated
//   f = ""             exists, negated (UDM has no nulls: an unset field reads as "")
//   f != ""            exists
//   f = 5, f = true    eq                                          < <= > >=  lt lte gt gte
//   f = /re/           regex (value: the pattern as written)       f != /re/  regex, negated
//   f = $placeholder   fieldref, value `$placeholder` (the same for `$p = f` and `f = $e2.g`:
//                      value `$e2.g`); `!=` negates it
//   f in %list         in, value `%list`; `in regex %list` regex, `in cidr %list` cidr; the
//                      value is the reference list's name, not a value: transform `reference list`
//                      (its entries are compared, never the name); `not in` negates
//   re.regex(f, `re`)  regex      strings.contains(f, "x")  contains
//   strings.starts_with / ends_with   startswith / endswith   net.ip_in_range_cidr   cidr
//   `any` / `all` in front of a comparison go into nativeOp (`any =`), `nocase` too (`= nocase`).
//   A field wrapped in strings.to_lower / strings.to_upper counts as the field, compared without
//   case (`strings.to_lower(f) = "x"` is eq, caseSensitive false).
// Anything else (arithmetic, functions of fields compared with values, bare variables,
// comparisons between placeholders) becomes an `other` node holding its source text.

import { combine, negate, other, predicate } from '../../model/predicates.js';
import type { Operator, PredicateNode } from '../../model/types.js';
import type { CompareOp, Expr } from './ast.js';

type Node<T extends Expr['t']> = Extract<Expr, { t: T }>;

const COMPARE: Record<CompareOp, Operator> = { '=': 'eq', '!=': 'eq', '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' };
const FLIP: Record<CompareOp, CompareOp> = { '=': '=', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
const FUNCTIONS = new Map<string, Operator>([
  ['re.regex', 'regex'],
  ['strings.contains', 'contains'],
  ['strings.starts_with', 'startswith'],
  ['strings.ends_with', 'endswith'],
  ['net.ip_in_range_cidr', 'cidr'],
]);
const CASE_FOLDS = new Set(['strings.to_lower', 'strings.to_upper']);
/** The transform of a `%list` value: the list's entries are compared, not its name. */
const REFERENCE_LIST = 'reference list';

/** A UDM field, possibly inside strings.to_lower/to_upper. */
interface FieldRef {
  node: Node<'field'>;
  folded: boolean;
}

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
      return comparison(e, query);
    case 'in':
      return membership(e, query);
    case 'call':
      return call(e, query);
    default:
      return other(query.slice(e.s, e.e));
  }
}

function fieldOf(e: Expr): FieldRef | null {
  if (e.t === 'field') return { node: e, folded: false };
  if (e.t === 'call' && CASE_FOLDS.has(e.name.toLowerCase()) && e.args.length === 1 && e.args[0]!.t === 'field') {
    return { node: e.args[0]!, folded: true };
  }
  return null;
}

function nativeOp(op: string, quant: string | null, nocase: boolean): string {
  return `${quant ? `${quant} ` : ''}${op}${nocase ? ' nocase' : ''}`;
}

function comparison(e: Node<'cmp'>, query: string): PredicateNode {
  const text = query.slice(e.s, e.e);
  const left = fieldOf(e.l);
  const right = left === null ? fieldOf(e.r) : null;
  // A field on the right only: swap, so that `"x" = $e.f` and `$p = $e.f` read like their mirrors.
  const f = left ?? right;
  if (f === null) return other(text);
  const value = left !== null ? e.r : e.l;
  const op = left !== null ? e.op : FLIP[e.op];
  const native = nativeOp(e.op, e.quant, e.nocase);
  const caseSensitive = !e.nocase && !f.folded;
  const field = f.node.path;
  const negated = op === '!=';
  switch (value.t) {
    case 'str':
      if (value.v === '' && (op === '=' || op === '!=')) {
        return predicate(field, 'exists', [], { negated: op === '=', caseSensitive: true, nativeOp: native, text });
      }
      return predicate(field, COMPARE[op], [value.v], { negated, caseSensitive, nativeOp: native, text });
    case 'num':
    case 'bool':
      return predicate(field, COMPARE[op], [value.v], { negated, caseSensitive: true, nativeOp: native, text });
    case 'regex':
      if (op !== '=' && op !== '!=') return other(text);
      return predicate(field, 'regex', [value.v], { negated, caseSensitive, nativeOp: native, text });
    case 'var':
    case 'field':
      if (op !== '=' && op !== '!=') return other(text);
      return predicate(field, 'fieldref', [query.slice(value.s, value.e)], { negated, caseSensitive, nativeOp: native, text });
    default:
      return other(text);
  }
}

function membership(e: Node<'in'>, query: string): PredicateNode {
  const text = query.slice(e.s, e.e);
  const f = fieldOf(e.l);
  if (f === null) return other(text);
  const op: Operator = e.kind === 'in' ? 'in' : e.kind;
  const spelled = `${e.neg ? 'not ' : ''}in${e.kind === 'in' ? '' : ` ${e.kind}`}`;
  return predicate(f.node.path, op, [`%${e.list}`], {
    negated: e.neg,
    caseSensitive: !e.nocase && !f.folded,
    nativeOp: nativeOp(spelled, e.quant, e.nocase),
    text,
    transform: REFERENCE_LIST,
  });
}

function call(e: Node<'call'>, query: string): PredicateNode {
  const text = query.slice(e.s, e.e);
  const op = FUNCTIONS.get(e.name.toLowerCase());
  const f = e.args[0] === undefined ? null : fieldOf(e.args[0]);
  const values = e.args.slice(1);
  if (op === undefined || f === null || values.length === 0) return other(text);
  const strings: string[] = [];
  for (const v of values) {
    if (v.t !== 'str' && v.t !== 'regex') return other(text);
    strings.push(v.v);
  }
  return predicate(f.node.path, op, strings, {
    caseSensitive: !e.nocase && !f.folded,
    nativeOp: nativeOp(e.name, e.quant, e.nocase),
    text,
  });
}
