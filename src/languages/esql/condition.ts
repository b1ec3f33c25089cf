// ES|QL boolean expressions -> the shared and/or/not predicate tree.
//
// Mapping (a field on either side of a comparison; a literal on the left is swapped right):
//   f == v              eq, caseSensitive          f != v   eq, negated
//   f =~ v              eq, case-insensitive
//   f < <= > >= v       lt lte gt gte
//   f LIKE "p"          wildcard (one predicate for `LIKE ("a*", "b*")`); NOT LIKE -> negated. The
//                       pattern's own escapes are read: `\\` is one backslash, `\*` / `\?` a literal
//                       wildcard character (kept as `\*` / `\?`, as the other parsers write it)
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
import { lineColumn, queryError } from '../../model/diagnostics.js';
import {
  casesCondition,
  ComputedColumns,
  computedValue,
  conditionColumn,
  filterOnColumn,
  noteOnce,
  rowsRequiredBy,
  valueTest,
  type ColumnDefinition,
} from '../../model/computed.js';
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

/** Aggregates that read every non-null value of their column. */
const ROW_AGGREGATES = new Set(['count', 'count_distinct', 'values', 'min', 'max']);

/** Expressions that are conditions: an EVAL of one defines a boolean column. */
const BOOLEAN = new Set<Expr['t']>(['or', 'and', 'not', 'cmp', 'like', 'in', 'isnull', 'match']);
/** Functions that are conditions. */
const PREDICATE_CALLS = new Set([
  'starts_with',
  'ends_with',
  'contains',
  'cidr_match',
  'match',
  'match_phrase',
  'kql',
  'qstr',
  'mv_contains',
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

  /** The columns computed before the condition being built (EVAL ... before a WHERE). */
  private computed = new ComputedColumns();

  private text(e: Expr): string {
    return this.query.slice(e.s, e.e);
  }

  /** The condition of a WHERE (or aggregate filter), with the columns computed before it. */
  build(e: Expr, computed: ComputedColumns): PredicateNode {
    this.computed = computed;
    return this.node(e);
  }

  /**
   * What an EVAL expression defines, with the columns computed before it: a condition (`a == "x"`,
   * `CASE(c1, "v1", c2, "v2", "else")` with literal values), a field (`TO_LOWER(f)`, a copy), or an
   * untraced computation; undefined for a constant or anything no filter can be traced through.
   */
  define(e: Expr, computed: ComputedColumns): ColumnDefinition | undefined {
    this.computed = computed;
    if (e.t === 'field') {
      const copied = computed.get(e.name);
      if (copied) return copied;
    }
    const field = this.fieldOf(e);
    if (field) return { kind: 'field', field: field.name, caseFolded: !field.caseSensitive };
    if (BOOLEAN.has(e.t) || (e.t === 'call' && PREDICATE_CALLS.has(e.name.toLowerCase()))) return conditionColumn(this.node(e));
    if (e.t === 'call' && e.name.toLowerCase() === 'case') return this.caseColumn(e);
    if (e.t === 'lit' || e.t === 'list') return undefined;
    return { kind: 'opaque', text: this.text(e) };
  }

  /** `CASE(c1, v1, c2, v2 [, else])`: values compared when literals, else only told from null. */
  private caseColumn(e: Extract<Expr, { t: 'call' }>): ColumnDefinition {
    const branches: Extract<ColumnDefinition, { kind: 'cases' }>['branches'] = [];
    let otherwise: Extract<ColumnDefinition, { kind: 'cases' }>['otherwise'] = null;
    for (let i = 0; i < e.args.length; i += 2) {
      const isElse = i === e.args.length - 1;
      // A computed value (`CASE(c, source.ip, null)`): only whether it is null is traced.
      const literal = literalOf(e.args[isElse ? i : i + 1]!);
      const value = literal === undefined ? computedValue : literal;
      if (isElse) otherwise = value;
      else branches.push({ when: this.node(e.args[i]!), value });
    }
    return { kind: 'cases', branches, otherwise };
  }

  /**
   * The rows an aggregate of a conditional column reads: those where the column is not null
   * (COUNT, COUNT_DISTINCT, VALUES, MIN, MAX), or neither null nor 0 (SUM). Undefined for any
   * other aggregate, or when every row counts (`COUNT(f)` of a 1/0 flag).
   */
  aggregated(e: Expr, computed: ComputedColumns): PredicateNode | undefined {
    if (e.t !== 'call' || e.args.length !== 1 || e.args[0]!.t !== 'field') return undefined;
    const definition = computed.get(e.args[0]!.name);
    if (definition?.kind !== 'cases') return undefined;
    const name = e.name.toLowerCase();
    if (name === 'sum') return casesCondition(definition, valueTest('eq', [0], true, true)!);
    if (!ROW_AGGREGATES.has(name)) return undefined;
    return casesCondition(definition, valueTest('exists', [], false, true)!);
  }

  private node(e: Expr): PredicateNode {
    switch (e.t) {
      case 'or':
      case 'and':
        return combine(
          e.t,
          e.items.map((x) => this.node(x)),
        );
      case 'not':
        return negate(this.node(e.x));
      case 'field':
        // A bare boolean column: true where its definition holds.
        return this.computedFilter(e, (v) => v === true) ?? other(this.text(e));
      case 'cmp':
        return this.comparison(e);
      case 'like':
        return this.like(e);
      case 'in':
        return this.membership(e);
      case 'isnull': {
        const traced = this.computedFilter(e.l, valueTest('exists', [], !e.neg, true), this.text(e));
        if (traced) return traced;
        const field = this.fieldOf(e.l);
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

  /**
   * A filter on a column an EVAL computed from conditions: the conditions where the column takes a
   * value the test passes. Undefined when `e` is no such column (or the test is not traced); a
   * column computed in an untraced way is reported (info) and left to the caller.
   */
  private computedFilter(e: Expr, test: ReturnType<typeof valueTest>, text = this.text(e)): PredicateNode | undefined {
    if (e.t !== 'field') return undefined;
    return filterOnColumn(this.computed, e.name, test, text, (message) => noteOnce(this.diagnostics, message, lineColumn(this.query, e.s)));
  }

  private comparison(e: Extract<Expr, { t: 'cmp' }>): PredicateNode {
    const text = this.text(e);
    let field = this.fieldOf(e.l);
    let value = literalOf(e.r);
    let op = e.op;
    let column = e.l;
    if (field === null || value === undefined) {
      field = this.fieldOf(e.r);
      value = literalOf(e.l);
      op = FLIP[op]!;
      column = e.r;
      if (field === null || value === undefined) return other(text);
    }
    // `f == null` is never true in ES|QL (null compares as null): not a predicate to count.
    if (value === null) return other(text);
    const test = valueTest(COMPARE[op]!, [value], op === '!=', op !== '=~');
    const traced = this.computedFilter(column, test, text);
    if (traced) return traced;
    const written = predicate(field.name, COMPARE[op]!, [value], {
      negated: op === '!=',
      caseSensitive: field.caseSensitive && op !== '=~',
      nativeOp: e.op,
      text,
    });
    // `STATS n = COUNT(*) WHERE c | WHERE n >= 1`: the threshold, and c held on some row.
    const rows = column.t === 'field' ? rowsRequiredBy(this.computed, column.name, test) : undefined;
    return rows ? combine('and', [written, rows]) : written;
  }

  private like(e: Extract<Expr, { t: 'like' }>): PredicateNode {
    const text = this.text(e);
    const field = this.fieldOf(e.l);
    const literals = literalsOf(e.values);
    if (field === null || literals === null) return other(text);
    this.computedFilter(e.l, undefined, text);
    const word = e.rlike ? 'rlike' : 'like';
    const values = e.rlike ? literals : literals.map(likePattern);
    return predicate(field.name, e.rlike ? 'regex' : 'wildcard', values, {
      negated: e.neg,
      caseSensitive: field.caseSensitive,
      nativeOp: e.neg ? `not ${word}` : word,
      text,
    });
  }

  private membership(e: Extract<Expr, { t: 'in' }>): PredicateNode {
    const text = this.text(e);
    const field = this.fieldOf(e.l);
    const values = literalsOf(e.values);
    if (field === null || values === null) return other(text);
    const traced = this.computedFilter(e.l, valueTest('in', values, e.neg, true), text);
    if (traced) return traced;
    return predicate(field.name, 'in', values, {
      negated: e.neg,
      caseSensitive: field.caseSensitive,
      nativeOp: e.neg ? 'not in' : 'in',
      text,
    });
  }

  private fullText(l: Expr | undefined, r: Expr | undefined, nativeOp: string, text: string): PredicateNode {
    const field = l ? this.fieldOf(l) : null;
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
    const field = e.args[0] ? this.fieldOf(e.args[0]) : null;
    const values = literalsOf(e.args.slice(1));
    if (op === undefined || field === null || values === null) return other(text);
    if (values.some((v) => typeof v !== 'string')) return other(text);
    return predicate(field.name, op, values, { caseSensitive: field.caseSensitive, nativeOp: name, text });
  }

  /** `MV_CONTAINS(f, "x")`: some value of f is x; `MV_CONTAINS(f, ["x", "y"])`: f holds all of them. */
  private mvContains(e: Extract<Expr, { t: 'call' }>, text: string): PredicateNode {
    const field = e.args[0] ? this.fieldOf(e.args[0]) : null;
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

  /**
   * The field a value expression reads, unwrapping casts and TO_LOWER/TO_UPPER, and columns an
   * EVAL computed from a field (`EVAL cmd = TO_LOWER(process.command_line)`: cmd reads it case-folded).
   */
  private fieldOf(e: Expr): { name: string; caseSensitive: boolean } | null {
    switch (e.t) {
      case 'field': {
        const definition = this.computed.get(e.name);
        if (definition?.kind === 'field') return { name: definition.field, caseSensitive: !definition.caseFolded };
        return { name: e.name, caseSensitive: true };
      }
      case 'cast':
        return this.fieldOf(e.x);
      case 'call': {
        const name = e.name.toLowerCase();
        if (e.args.length !== 1) return null;
        if (name === 'to_lower' || name === 'to_upper') {
          const inner = this.fieldOf(e.args[0]!);
          return inner ? { name: inner.name, caseSensitive: false } : null;
        }
        return CONVERSIONS.has(name) ? this.fieldOf(e.args[0]!) : null;
      }
      default:
        return null;
    }
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

/**
 * A LIKE pattern as a `wildcard` value: LIKE escapes with a backslash (`"C:\\\\Windows\\\\*"` is the
 * string `C:\\Windows\\*`, the pattern `C:\Windows\*`), so `\\` is one backslash and `\*` / `\?` a
 * literal `*` / `?`, kept escaped; a backslash before any other character stands for that character.
 */
function likePattern(value: Scalar): Scalar {
  if (typeof value !== 'string' || !value.includes('\\')) return value;
  return value.replace(/\\([\s\S])?/g, (_, next: string | undefined) => (next === '*' || next === '?' ? `\\${next}` : (next ?? '\\')));
}
