// ES|QL boolean expressions -> the shared and/or/not predicate tree.
//
// Mapping (a field on either side of a comparison; a literal on the left is swapped right):
//   f == v              eq, caseSensitive          f != v   eq, negated
//   f =~ v              eq, case-insensitive
//   f < <= > >= v       lt lte gt gte
//   f LIKE "p"          wildcard (one predicate for `LIKE ("a*", "b*")`); NOT LIKE -> negated
//   f RLIKE "re"        regex; NOT RLIKE -> negated
//   f IN (a, b)         in; NOT IN -> negated, nativeOp `not in`
//   f IS NOT NULL       exists                     f IS NULL  exists, negated
//   f : "v"             eq, case-insensitive (a full-text match), nativeOp `:`
//   MATCH(f, "v"), MATCH_PHRASE(f, "v")            eq, case-insensitive
//   STARTS_WITH(f, "v") startswith, ENDS_WITH endswith, CONTAINS contains, CIDR_MATCH(f, ...)
//                       cidr; all case-sensitive
//   KQL("...")          the kuery analyser's condition for the inner query
//   QSTR("...")         the Lucene analyser's condition for the inner query
//   MV_CONTAINS(f, "v") eq (some value of f); MV_CONTAINS(f, ["a", "b"]) has_all
// The field may be wrapped: `TO_LOWER(f)` / `TO_UPPER(f)` make the predicate case-insensitive
// on f; casts (`f::keyword`) and conversions (`TO_STRING(f)`, `TO_IP(f)` ...) are dropped. Values are string, number, boolean or null literals
// (also `-1` and casts of literals); a time span (`1 hour`) is kept as written.
// Anything else (field against field, arithmetic, CASE, `f == null`, parameters, bare boolean
// columns) becomes an `other` node holding its source text.

import { combine, negate, other, predicate } from '../../model/predicates.js';
import type { Diagnostic, Operator, PredicateNode, QueryAnalysis, Scalar } from '../../model/types.js';
import { queryError } from '../../model/diagnostics.js';
import type { Expr } from './ast.js';

/** Analysers of the query languages ES|QL embeds (`KQL()`, `QSTR()`), passed in to keep this module free of the registry. */
export interface Embedded {
  kql?: (query: string) => QueryAnalysis;
  qstr?: (query: string) => QueryAnalysis;
}

const COMPARE: Record<string, Operator> = { '==': 'eq', '!=': 'eq', '=~': 'eq', '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' };
const FLIP: Record<string, string> = { '==': '==', '!=': '!=', '=~': '=~', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
/** Type conversions: `TO_STRING(f) == "x"` compares f like a cast does. */
const CONVERSIONS = new Set([
  'to_string',
  'to_str',
  'to_ip',
  'to_double',
  'to_dbl',
  'to_integer',
  'to_int',
  'to_long',
  'to_unsigned_long',
  'to_ul',
  'to_ulong',
  'to_boolean',
  'to_bool',
  'to_datetime',
  'to_dt',
  'to_date_nanos',
  'to_version',
  'to_ver',
]);

const FUNCTIONS = new Map<string, Operator>([
  ['starts_with', 'startswith'],
  ['ends_with', 'endswith'],
  ['contains', 'contains'],
  ['cidr_match', 'cidr'],
]);

export class ConditionBuilder {
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    private readonly query: string,
    private readonly embedded: Embedded,
  ) {}

  private text(e: Expr): string {
    return this.query.slice(e.s, e.e);
  }

  build(e: Expr): PredicateNode {
    switch (e.t) {
      case 'or':
      case 'and':
        return combine(
          e.t,
          e.items.map((x) => this.build(x)),
        );
      case 'not':
        return negate(this.build(e.x));
      case 'cmp':
        return this.comparison(e);
      case 'like':
        return this.like(e);
      case 'in':
        return this.membership(e);
      case 'isnull': {
        const field = fieldOf(e.l);
        if (!field) return other(this.text(e));
        return predicate(field.name, 'exists', [], {
          negated: !e.neg,
          caseSensitive: true,
          nativeOp: e.neg ? 'is not null' : 'is null',
          text: this.text(e),
        });
      }
      case 'match':
        return this.fullText(e.l, e.r, ':', this.text(e));
      case 'call':
        return this.call(e);
      default:
        return other(this.text(e));
    }
  }

  private comparison(e: Extract<Expr, { t: 'cmp' }>): PredicateNode {
    const text = this.text(e);
    let field = fieldOf(e.l);
    let value = literalOf(e.r);
    let op = e.op;
    if (field === null || value === undefined) {
      field = fieldOf(e.r);
      value = literalOf(e.l);
      op = FLIP[op]!;
      if (field === null || value === undefined) return other(text);
    }
    // `f == null` is never true in ES|QL (null compares as null): not a predicate to count.
    if (value === null) return other(text);
    return predicate(field.name, COMPARE[op]!, [value], {
      negated: op === '!=',
      caseSensitive: field.caseSensitive && op !== '=~',
      nativeOp: e.op,
      text,
    });
  }

  private like(e: Extract<Expr, { t: 'like' }>): PredicateNode {
    const text = this.text(e);
    const field = fieldOf(e.l);
    const values = literalsOf(e.values);
    if (field === null || values === null) return other(text);
    const word = e.rlike ? 'rlike' : 'like';
    return predicate(field.name, e.rlike ? 'regex' : 'wildcard', values, {
      negated: e.neg,
      caseSensitive: field.caseSensitive,
      nativeOp: e.neg ? `not ${word}` : word,
      text,
    });
  }

  private membership(e: Extract<Expr, { t: 'in' }>): PredicateNode {
    const text = this.text(e);
    const field = fieldOf(e.l);
    const values = literalsOf(e.values);
    if (field === null || values === null) return other(text);
    return predicate(field.name, 'in', values, {
      negated: e.neg,
      caseSensitive: field.caseSensitive,
      nativeOp: e.neg ? 'not in' : 'in',
      text,
    });
  }

  private fullText(l: Expr | undefined, r: Expr | undefined, nativeOp: string, text: string): PredicateNode {
    const field = l ? fieldOf(l) : null;
    const value = r ? literalOf(r) : undefined;
    if (field === null || value === undefined || value === null) return other(text);
    return predicate(field.name, 'eq', [value], { caseSensitive: false, nativeOp, text });
  }

  private call(e: Extract<Expr, { t: 'call' }>): PredicateNode {
    const text = this.text(e);
    const name = e.name.toLowerCase();
    if (name === 'match' || name === 'match_phrase') return this.fullText(e.args[0], e.args[1], name, text);
    if (name === 'kql' || name === 'qstr') return this.embeddedQuery(name, e);
    if (name === 'mv_contains') return this.mvContains(e, text);
    const op = FUNCTIONS.get(name);
    const field = e.args[0] ? fieldOf(e.args[0]) : null;
    const values = literalsOf(e.args.slice(1));
    if (op === undefined || field === null || values === null) return other(text);
    if (values.some((v) => typeof v !== 'string')) return other(text);
    return predicate(field.name, op, values, { caseSensitive: field.caseSensitive, nativeOp: name, text });
  }

  /** `MV_CONTAINS(f, "x")`: some value of f is x; `MV_CONTAINS(f, ["x", "y"])`: f holds all of them. */
  private mvContains(e: Extract<Expr, { t: 'call' }>, text: string): PredicateNode {
    const field = e.args[0] ? fieldOf(e.args[0]) : null;
    const arg = e.args[1];
    if (field === null || arg === undefined || e.args.length !== 2) return other(text);
    const list = arg.t === 'list' ? literalsOf(arg.items) : null;
    const single = literalOf(arg);
    if (list !== null) return predicate(field.name, 'has_all', list, { caseSensitive: field.caseSensitive, nativeOp: 'mv_contains', text });
    if (single === undefined || single === null) return other(text);
    return predicate(field.name, 'eq', [single], { caseSensitive: field.caseSensitive, nativeOp: 'mv_contains', text });
  }

  /** `KQL("...")` / `QSTR("...")`: the inner query's own condition, or `other` when it does not parse. */
  private embeddedQuery(name: 'kql' | 'qstr', e: Extract<Expr, { t: 'call' }>): PredicateNode {
    const text = this.text(e);
    const arg = e.args[0];
    const analyse = this.embedded[name];
    if (!analyse || e.args.length < 1 || arg?.t !== 'lit' || arg.kind !== 'string') return other(text);
    const inner = analyse(arg.v);
    if (!inner.parsed) {
      const why = inner.diagnostics.find((d) => d.severity === 'error')?.message ?? 'it does not parse';
      this.diagnostics.push({
        ...queryError(`the ${name.toUpperCase()}() query is kept as text: ${why}`, this.query, e.s),
        severity: 'warning',
      });
      return other(text);
    }
    const conditions = inner.stages.flatMap((s) => (s.condition ? [s.condition] : []));
    if (conditions.length === 0) return other(text);
    return combine('and', conditions);
  }
}

/** The field a value expression reads, unwrapping casts and TO_LOWER/TO_UPPER. */
function fieldOf(e: Expr): { name: string; caseSensitive: boolean } | null {
  switch (e.t) {
    case 'field':
      return { name: e.name, caseSensitive: true };
    case 'cast':
      return fieldOf(e.x);
    case 'call': {
      const name = e.name.toLowerCase();
      if (e.args.length !== 1) return null;
      if (name === 'to_lower' || name === 'to_upper') {
        const inner = fieldOf(e.args[0]!);
        return inner ? { name: inner.name, caseSensitive: false } : null;
      }
      return CONVERSIONS.has(name) ? fieldOf(e.args[0]!) : null;
    }
    default:
      return null;
  }
}

/** A literal's value; undefined when the expression is no literal. */
function literalOf(e: Expr): Scalar | undefined {
  switch (e.t) {
    case 'lit':
      return e.kind === 'param' ? undefined : e.v;
    case 'cast':
      return literalOf(e.x);
    case 'neg': {
      const inner = literalOf(e.x);
      return typeof inner === 'number' ? (e.op === '-' ? -inner : inner) : undefined;
    }
    default:
      return undefined;
  }
}

function literalsOf(values: Expr[]): Scalar[] | null {
  const out: Scalar[] = [];
  for (const v of values) {
    const lit = literalOf(v);
    if (lit === undefined) return null;
    out.push(lit);
  }
  return out.length > 0 ? out : null;
}
