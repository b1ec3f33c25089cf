// SQL conditions (WHERE, HAVING, QUALIFY, JOIN ... ON) to the shared and/or/not predicate tree.
import { likeToWildcard } from '../../model/like.js';
import {
  casesCondition,
  conditionColumn,
  filterOnColumn,
  noteOnce,
  requiredRows,
  valueTest,
  type ColumnDefinition,
  type ComputedColumns,
} from '../../model/computed.js';
import { lineColumn } from '../../model/diagnostics.js';
import { combine, negate, other, predicate } from '../../model/predicates.js';
import type { Diagnostic, Operator, PredicateNode, Scalar } from '../../model/types.js';
import type { Call, Expr, PathPart } from './ast.js';

export interface ConditionContext {
  query: string;
  /**
   * Lower-cased names that qualify columns in this SELECT (table names, aliases, CTE names):
   * `pr.admin_email` is column `admin_email`.
   */
  qualifiers: ReadonlySet<string>;
  /**
   * Columns computed by name, lower-cased: those of the CTEs and subqueries this SELECT reads
   * (`WITH t AS (SELECT lower(x) AS y ...) SELECT ... FROM t WHERE y = 'z'`), and in its WHERE,
   * HAVING and QUALIFY its own select list's aliases, which Snowflake lets them name.
   */
  computed?: ComputedColumns;
  /** Where info diagnostics about untraced computed columns go. */
  notes?: Diagnostic[];
}

interface FieldRef {
  /** Column or variant path: `actor:alternateId` -> `actor.alternateId`, qualifiers dropped. */
  text: string;
  /** Wrapped in lower() / upper(): the comparison ignores case. */
  caseFolded: boolean;
}

/** Values an expression stands for; `list` when it is an array. */
interface Resolved {
  values: Scalar[];
  list: boolean;
}

/** Conversions that do not change which column is compared (`to_varchar(x) = 'a'`). */
const TRANSPARENT_FUNCTIONS = new Set([
  'to_varchar',
  'to_char',
  'as_varchar',
  'as_char',
  'to_variant',
  'to_number',
  'to_numeric',
  'to_decimal',
  'to_double',
  'to_boolean',
  'as_integer',
  'as_number',
  'as_double',
  'as_boolean',
  'try_to_number',
  'try_to_boolean',
]);

const CASE_FOLDING_FUNCTIONS = new Set(['lower', 'upper', 'lcase', 'ucase']);

/**
 * Functions that read their first argument with constant extra arguments: `coalesce(x, '')`,
 * `array_to_string(x, ',')` still test column x.
 */
const FIRST_ARGUMENT_FUNCTIONS = new Set(['coalesce', 'nvl', 'ifnull', 'array_to_string']);

/** `parse_json(x):a` reads path `a` of the JSON text in column x. */
const JSON_PARSERS = new Set(['parse_json', 'try_parse_json']);

/** Snowflake string tests `f(subject, value)`, all case-sensitive. */
const STRING_FUNCTIONS = new Map<string, Operator>([
  ['contains', 'contains'],
  ['startswith', 'startswith'],
  ['endswith', 'endswith'],
]);

const COMPARISONS: Record<string, { op: Operator; negated: boolean }> = {
  '=': { op: 'eq', negated: false },
  '!=': { op: 'eq', negated: true },
  '<>': { op: 'eq', negated: true },
  '<': { op: 'lt', negated: false },
  '<=': { op: 'lte', negated: false },
  '>': { op: 'gt', negated: false },
  '>=': { op: 'gte', negated: false },
};

/** Operators that still hold with their operands swapped (after flipping the direction). */
const SWAPPED: Partial<Record<Operator, Operator>> = { eq: 'eq', lt: 'gt', lte: 'gte', gt: 'lt', gte: 'lte' };

export function textOf(ctx: { query: string }, node: { s: number; e: number }): string {
  return ctx.query.slice(node.s, node.e);
}

function functionName(call: Call): string {
  return call.name.toLowerCase();
}

/** The arguments of a call when none is empty or named. */
function plainArgs(call: Call): Expr[] | undefined {
  const args: Expr[] = [];
  for (const a of call.args) {
    if (a === null || a.t === 'named') return undefined;
    args.push(a);
  }
  return args;
}

/** A column path as one dotted name: `a:b.c[0]` -> `a.b.c[0]`; `a['b']` -> `a.b`. */
export function pathText(parts: PathPart[]): string {
  let out = '';
  for (const [i, p] of parts.entries()) {
    if (p.k === 'index') out += typeof p.v === 'number' ? `[${p.v}]` : `.${p.v}`;
    else out += i === 0 ? String(p.v) : `.${String(p.v)}`;
  }
  return out;
}

/** Drop a leading table name or alias (`t.col`, `db.schema.table.col`) from a column path. */
function unqualified(parts: PathPart[], qualifiers: ReadonlySet<string>): PathPart[] {
  let names = 0;
  while (names < parts.length && parts[names]!.k === 'name') names++;
  for (let n = Math.min(names, parts.length - 1); n >= 1; n--) {
    const prefix = parts
      .slice(0, n)
      .map((p) => String(p.v).toLowerCase())
      .join('.');
    if (qualifiers.has(prefix)) return parts.slice(n);
  }
  return parts;
}

/** The column an expression reads: names, paths, casts, conversions and lower()/upper() around them. */
function fieldRef(expr: Expr, ctx: ConditionContext): FieldRef | undefined {
  switch (expr.t) {
    case 'ref': {
      const definition = ctx.computed?.get(columnName(expr, ctx) ?? '');
      if (definition?.kind === 'field') return { text: definition.field, caseFolded: definition.caseFolded };
      return { text: pathText(unqualified(expr.parts, ctx.qualifiers)), caseFolded: false };
    }
    case 'jinja':
      return { text: expr.text, caseFolded: false };
    case 'cast':
      return fieldRef(expr.x, ctx);
    case 'path': {
      const call = expr.x.t === 'call' && JSON_PARSERS.has(functionName(expr.x)) ? plainArgs(expr.x) : undefined;
      const inner = call?.length === 1 ? fieldRef(call[0]!, ctx) : undefined;
      if (!inner) return undefined;
      const tail = expr.parts.map((p) => (p.k === 'index' && typeof p.v === 'number' ? `[${p.v}]` : `.${String(p.v)}`)).join('');
      return { text: inner.text + tail, caseFolded: inner.caseFolded };
    }
    case 'call': {
      const name = functionName(expr);
      const args = plainArgs(expr);
      if (!args || args.length === 0) return undefined;
      if (FIRST_ARGUMENT_FUNCTIONS.has(name) && args.length >= 2 && args.slice(1).every((a) => resolveValue(a)))
        return fieldRef(args[0]!, ctx);
      if (args.length !== 1) return undefined;
      const folds = CASE_FOLDING_FUNCTIONS.has(name);
      if (!folds && !TRANSPARENT_FUNCTIONS.has(name)) return undefined;
      const inner = fieldRef(args[0]!, ctx);
      return inner ? { text: inner.text, caseFolded: inner.caseFolded || folds } : undefined;
    }
    default:
      return undefined;
  }
}

/** Literal values: literals, casts of them, Jinja placeholders (as written), arrays of literals. */
function resolveValue(expr: Expr): Resolved | undefined {
  switch (expr.t) {
    case 'lit':
      return { values: [expr.v], list: false };
    case 'jinja':
      return { values: [expr.text], list: false };
    case 'cast':
      return resolveValue(expr.x);
    case 'neg': {
      const inner = resolveValue(expr.x);
      const v = inner?.values[0];
      return inner && !inner.list && typeof v === 'number' ? { values: [-v], list: false } : undefined;
    }
    case 'array': {
      const values = resolveList(expr.items);
      return values ? { values, list: true } : undefined;
    }
    case 'call': {
      const name = functionName(expr);
      const args = plainArgs(expr);
      if (!args) return undefined;
      if (name === 'array_construct') {
        const values = resolveList(args);
        return values ? { values, list: true } : undefined;
      }
      if (CASE_FOLDING_FUNCTIONS.has(name) && args.length === 1) {
        const inner = resolveValue(args[0]!);
        if (!inner) return undefined;
        const upper = name === 'upper' || name === 'ucase';
        const fold = (v: Scalar): Scalar => (typeof v === 'string' ? (upper ? v.toUpperCase() : v.toLowerCase()) : v);
        return { values: inner.values.map(fold), list: inner.list };
      }
      if (TRANSPARENT_FUNCTIONS.has(name) && args.length === 1) return resolveValue(args[0]!);
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Values of a list of expressions, arrays spread; undefined if any is unknown. */
function resolveList(items: Expr[]): Scalar[] | undefined {
  const values: Scalar[] = [];
  for (const item of items) {
    const resolved = resolveValue(item);
    if (!resolved) return undefined;
    values.push(...resolved.values);
  }
  return values;
}

function scalarValue(expr: Expr): Scalar[] | undefined {
  const resolved = resolveValue(expr);
  return resolved && !resolved.list && resolved.values.length === 1 ? resolved.values : undefined;
}

/** Expressions that cannot stand for a column even as text: values and subqueries. */
function isOpaque(expr: Expr): boolean {
  return resolveValue(expr) !== undefined || expr.t === 'subquery' || expr.t === 'exists' || expr.t === 'star';
}

/** A column, or a computed expression kept as written (`count(*) > 5`, `array_size(x) > 0`). */
function subject(expr: Expr, ctx: ConditionContext): FieldRef | undefined {
  const field = fieldRef(expr, ctx);
  if (field) return field;
  if (isOpaque(expr)) return undefined;
  // lower(<computed>): the computed expression, compared ignoring case.
  const args = expr.t === 'call' && CASE_FOLDING_FUNCTIONS.has(functionName(expr)) ? plainArgs(expr) : undefined;
  if (args?.length === 1) {
    const inner = subject(args[0]!, ctx);
    if (inner) return { text: inner.text, caseFolded: true };
  }
  return { text: textOf(ctx, expr).replace(/\s+/g, ' '), caseFolded: false };
}

/** The lower-cased name of a plain column reference (`y`, `t.y`); undefined for a path or anything else. */
function columnName(expr: Expr, ctx: ConditionContext): string | undefined {
  if (expr.t !== 'ref') return undefined;
  const parts = unqualified(expr.parts, ctx.qualifiers);
  return parts.length === 1 && parts[0]!.k === 'name' ? String(parts[0]!.v).toLowerCase() : undefined;
}

/**
 * A filter on a computed column: the conditions where the column takes a value the test passes.
 * Undefined when `expr` is no conditional column; an untraced one is reported (info).
 */
function computedFilter(expr: Expr, ctx: ConditionContext, test: Parameters<typeof valueTest>, text: string): PredicateNode | undefined {
  const name = columnName(expr, ctx);
  if (name === undefined) return undefined;
  const where = lineColumn(ctx.query, expr.s);
  return filterOnColumn(ctx.computed, name, valueTest(...test), text, (message) => {
    if (ctx.notes) noteOnce(ctx.notes, message, where);
  });
}

/** Aggregate and window functions: a column they compute is per group or window, no row condition to trace. */
const AGGREGATES = new Set(
  (
    'count count_if sum min max avg median mode any_value array_agg array_unique_agg listagg object_agg approx_count_distinct ' +
    'hll stddev variance boolor_agg booland_agg bool_or bool_and row_number rank dense_rank lag lead first_value last_value ' +
    'nth_value ntile percent_rank cume_dist ratio_to_report'
  ).split(' '),
);

/** Expressions that are conditions: a select item of one defines a boolean column. */
const CONDITION_KINDS = new Set<Expr['t']>(['or', 'and', 'not', 'cmp', 'is', 'in', 'like', 'between']);

/**
 * What a select item defines, read with the columns computed before it: a field (`lower(x) AS y`,
 * `actor:name AS user`, a column passed on), a conditional column (`IFF(c, 1, 0)`, `CASE WHEN c
 * THEN 'a' ... END` with literal values, a bare condition), or an untraced computation; undefined
 * for a literal or an aggregate.
 */
export function columnDefinition(expr: Expr, ctx: ConditionContext): ColumnDefinition | undefined {
  const name = columnName(expr, ctx);
  const passed = name === undefined ? undefined : ctx.computed?.get(name);
  if (passed) return passed;
  if (resolveValue(expr)) return undefined;
  const field = fieldRef(expr, ctx);
  if (field) return { kind: 'field', field: field.text, caseFolded: field.caseFolded };
  if (CONDITION_KINDS.has(expr.t)) return conditionColumn(toCondition(expr, ctx));
  const opaque: ColumnDefinition = { kind: 'opaque', text: textOf(ctx, expr).replace(/\s+/g, ' ') };
  if (expr.t === 'case') return caseColumn(expr, ctx) ?? opaque;
  if (expr.t !== 'call') return opaque;
  const fn = functionName(expr);
  if (AGGREGATES.has(fn)) return aggregateRows(fn, expr, ctx);
  const args = plainArgs(expr);
  if ((fn === 'iff' || fn === 'iif') && args?.length === 3) {
    const [when, then, otherwise] = args as [Expr, Expr, Expr];
    const values = [scalarValue(then), scalarValue(otherwise)];
    if (!values[0] || !values[1]) return opaque;
    return { kind: 'cases', branches: [{ when: toCondition(when, ctx), value: values[0][0]! }], otherwise: values[1][0]! };
  }
  const condition = functionCondition(expr, ctx);
  return condition.kind === 'other' ? opaque : conditionColumn(condition);
}

/** Aggregates that are empty (0 or null) when every value they read is: a sum of counts is not 0 when one is not. */
const CARRYING = new Set(['sum', 'max', 'min', 'any_value']);

/**
 * An aggregate over only the rows where a condition holds (a `rows` column): `COUNT_IF(c)`,
 * `COUNT(CASE WHEN c THEN 1 END)` / `SUM(IFF(c, 1, 0))` (the rows where the value is there, or
 * not 0), and a sum or maximum of such a column read from a CTE. Undefined for any other aggregate.
 */
function aggregateRows(fn: string, call: Call, ctx: ConditionContext): ColumnDefinition | undefined {
  const args = plainArgs(call);
  if (args?.length !== 1) return undefined;
  const arg = args[0]!;
  if (fn === 'count_if') {
    const rows = toCondition(arg, ctx);
    return rows.kind === 'other' ? undefined : { kind: 'rows', rows };
  }
  if (fn !== 'count' && !CARRYING.has(fn)) return undefined;
  const definition = columnDefinition(arg, ctx);
  if (definition?.kind === 'rows') return fn === 'count' ? undefined : definition;
  if (definition?.kind !== 'cases') return undefined;
  const counted = fn === 'count' ? valueTest('exists', [], false, true) : valueTest('eq', [0], true, true);
  const rows = counted ? casesCondition(definition, counted) : undefined;
  return rows ? { kind: 'rows', rows } : undefined;
}

/** What an aggregate a filter compares stands for: a select alias, or the aggregate written out (`HAVING COUNT_IF(c) > 0`). */
function aggregateColumn(expr: Expr, ctx: ConditionContext): ColumnDefinition | undefined {
  if (expr.t === 'call') return AGGREGATES.has(functionName(expr)) ? columnDefinition(expr, ctx) : undefined;
  const name = columnName(expr, ctx);
  return name === undefined ? undefined : ctx.computed?.get(name);
}

/** `CASE [x] WHEN c THEN v ... [ELSE e] END` with literal values; undefined otherwise. */
function caseColumn(expr: Expr & { t: 'case' }, ctx: ConditionContext): ColumnDefinition | undefined {
  // The grammar lists [operand,] when, then, ... [, else]: whether an operand leads is read from the text.
  const hasOperand = !/^case\s+when\b/i.test(textOf(ctx, expr));
  const parts = hasOperand ? expr.parts.slice(1) : expr.parts;
  const operand = hasOperand ? expr.parts[0] : undefined;
  const branches: { when: PredicateNode; value: Scalar }[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const value = scalarValue(parts[i + 1]!);
    if (!value) return undefined;
    const when = parts[i]!;
    // `CASE x WHEN 'a' THEN ...`: the branch holds where x = 'a'.
    const test: Expr = operand ? { t: 'cmp', op: '=', l: operand, r: when, s: when.s, e: when.e } : when;
    branches.push({ when: toCondition(test, ctx), value: value[0]! });
  }
  const last = parts.length % 2 === 1 ? parts[parts.length - 1] : undefined;
  const otherwise = last ? scalarValue(last) : [null];
  return otherwise ? { kind: 'cases', branches, otherwise: otherwise[0]! } : undefined;
}

export function toCondition(expr: Expr, ctx: ConditionContext): PredicateNode {
  const text = textOf(ctx, expr);
  switch (expr.t) {
    case 'ref':
      // A bare boolean column: true where its definition holds.
      return computedFilter(expr, ctx, ['eq', [true], false, true], text) ?? other(text);
    case 'or':
    case 'and':
      return combine(
        expr.t,
        expr.items.map((x) => toCondition(x, ctx)),
      );
    case 'not':
      return negate(toCondition(expr.x, ctx));
    case 'cmp':
      return comparison(expr, ctx);
    case 'is': {
      if (expr.what !== 'distinct') {
        const test: Parameters<typeof valueTest> =
          expr.what === 'null' ? ['exists', [], !expr.neg, true] : ['eq', [expr.what === 'true'], expr.neg, true];
        const traced = computedFilter(expr.l, ctx, test, text);
        if (traced) return traced;
      }
      const field = subject(expr.l, ctx);
      if (!field) return other(text);
      const nativeOp = `is ${expr.neg ? 'not ' : ''}${expr.what === 'distinct' ? 'distinct from' : expr.what}`;
      if (expr.what === 'null') return predicate(field.text, 'exists', [], { negated: !expr.neg, nativeOp, text });
      if (expr.what === 'distinct') {
        const values = expr.r ? scalarValue(expr.r) : undefined;
        if (!values) return other(text);
        return predicate(field.text, 'eq', values, { negated: !expr.neg, caseSensitive: !field.caseFolded, nativeOp, text });
      }
      return predicate(field.text, 'eq', [expr.what === 'true'], { negated: expr.neg, caseSensitive: true, nativeOp, text });
    }
    case 'in': {
      const field = subject(expr.l, ctx);
      const values = expr.list ? resolveList(expr.list) : undefined;
      if (!field || !values || values.length === 0) return other(text);
      const traced = computedFilter(expr.l, ctx, ['in', values, expr.neg, !field.caseFolded], text);
      if (traced) return traced;
      return predicate(field.text, 'in', values, {
        negated: expr.neg,
        caseSensitive: !field.caseFolded,
        nativeOp: expr.neg ? 'not in' : 'in',
        text,
      });
    }
    case 'like':
      return like(expr, ctx);
    case 'between': {
      const field = subject(expr.l, ctx);
      const lo = scalarValue(expr.lo);
      const hi = scalarValue(expr.hi);
      if (!field || !lo || !hi) return other(text);
      return predicate(field.text, 'range', [...lo, ...hi], { negated: expr.neg, nativeOp: expr.neg ? 'not between' : 'between', text });
    }
    case 'call':
      return functionCondition(expr, ctx);
    default:
      return other(text);
  }
}

/** Panther's own time columns: a bound on them is the window a query looks at, not what it detects. */
const TIME_COLUMNS = new Set(['p_event_time', 'p_parse_time']);

/**
 * `ARRAYS_OVERLAP(col, ARRAY_CONSTRUCT('a', 'b'))`, `ARRAY_INTERSECTION(col, [...])`: the array
 * column holds one of the values (either argument order); undefined for anything else.
 */
function overlap(expr: Expr, ctx: ConditionContext, text: string, negated = false): PredicateNode | undefined {
  if (expr.t !== 'call') return undefined;
  const name = functionName(expr);
  const args = plainArgs(expr);
  if ((name !== 'arrays_overlap' && name !== 'array_intersection') || args?.length !== 2) return undefined;
  const [a, b] = args as [Expr, Expr];
  const listed = resolveValue(b)?.list ? b : resolveValue(a)?.list ? a : undefined;
  const column = listed === b ? a : b;
  const values = listed ? resolveValue(listed)!.values : undefined;
  const field = listed ? fieldRef(column, ctx) : undefined;
  return field && values?.length
    ? predicate(field.text, 'contains', values, { negated, caseSensitive: true, nativeOp: name, text })
    : undefined;
}

const isEmptyArray = (expr: Expr) => (expr.t === 'array' && expr.items.length === 0) || resolveValue(expr)?.values.length === 0;

function comparison(expr: Expr & { t: 'cmp' }, ctx: ConditionContext): PredicateNode {
  const text = textOf(ctx, expr);
  const cmp = COMPARISONS[expr.op];
  if (!cmp) return other(text);
  // ARRAY_INTERSECTION(col, [...]) != []: some value is in the column (= []: none is).
  if (cmp.op === 'eq' && isEmptyArray(expr.r)) {
    const found = overlap(expr.l, ctx, text, !cmp.negated);
    if (found) return found;
  }
  // ARRAY_SIZE(ARRAY_INTERSECTION(col, [...])) > 0.
  const sized = expr.l.t === 'call' && functionName(expr.l) === 'array_size' ? plainArgs(expr.l)?.[0] : undefined;
  const bound = scalarValue(expr.r)?.[0];
  if (sized && ((cmp.op === 'gt' && bound === 0) || (cmp.op === 'gte' && bound === 1))) {
    const found = overlap(sized, ctx, text);
    if (found) return found;
  }
  let op = cmp.op;
  let field = fieldRef(expr.l, ctx);
  let valueSide = expr.r;
  let fieldSide = expr.l;
  // `'x' = col`, `5 < col`: read as `col = 'x'`, `col > 5`.
  if (!field && resolveValue(expr.l)) {
    const right = fieldRef(expr.r, ctx);
    if (right) {
      field = right;
      valueSide = expr.l;
      fieldSide = expr.r;
      op = SWAPPED[op] ?? op;
    }
  }
  field ??= subject(expr.l, ctx);
  if (!field) return other(text);
  if (TIME_COLUMNS.has(field.text.toLowerCase())) return other(text);
  // Ordering comparisons are not text matches: they are marked case-insensitive (as in KQL).
  const opts = { negated: cmp.negated, caseSensitive: op === 'eq' && !field.caseFolded, nativeOp: expr.op, text };
  const values = scalarValue(valueSide);
  if (values) {
    const traced = computedFilter(fieldSide, ctx, [op, values, cmp.negated, !field.caseFolded], text);
    if (traced) return traced;
    const written = predicate(field.text, op, values, opts);
    // `COUNT_IF(c) AS n ... HAVING n > 0`: the threshold, and c held on some row.
    const rows = requiredRows(aggregateColumn(fieldSide, ctx), valueTest(op, values, cmp.negated, true));
    return rows ? combine('and', [written, rows]) : written;
  }
  // The other side is a column: the comparison relates two fields.
  const otherField = fieldRef(valueSide, ctx);
  if (otherField) return predicate(field.text, 'fieldref', [otherField.text], opts);
  return other(text);
}

function like(expr: Expr & { t: 'like' }, ctx: ConditionContext): PredicateNode {
  const text = textOf(ctx, expr);
  // A pattern on a conditional column is not traced (reported); on a computed field it reads the field.
  computedFilter(expr.l, ctx, ['regex', [], false, true], text);
  const field = subject(expr.l, ctx);
  if (!field) return other(text);
  // LIKE / ILIKE patterns become the model's wildcards (`%` `_` as `*` `?`); RLIKE / REGEXP are regular expressions.
  const op: Operator = expr.op === 'rlike' || expr.op === 'regexp' ? 'regex' : 'wildcard';
  const pattern = (v: Scalar): Scalar => (op === 'wildcard' && typeof v === 'string' ? likeToWildcard(v) : v);
  const opts = {
    negated: expr.neg,
    caseSensitive: expr.op !== 'ilike' && !field.caseFolded,
    nativeOp: `${expr.neg ? 'not ' : ''}${expr.op}${expr.quant ? ` ${expr.quant}` : ''}`,
    text,
  };
  if (expr.list) {
    const values = resolveList(expr.list);
    if (!values || values.length === 0) return other(text);
    // LIKE ALL: every pattern must match.
    if (expr.quant === 'all')
      return combine(
        'and',
        values.map((v) => predicate(field.text, op, [pattern(v)], opts)),
      );
    return predicate(field.text, op, values.map(pattern), opts);
  }
  const values = expr.r ? scalarValue(expr.r) : undefined;
  return values ? predicate(field.text, op, values.map(pattern), opts) : other(text);
}

function functionCondition(call: Call, ctx: ConditionContext): PredicateNode {
  const text = textOf(ctx, call);
  const name = functionName(call);
  const args = plainArgs(call);
  if (!args) return other(text);

  // ARRAY_CONTAINS(col, ['a', 'b']): the column's value is one of the listed values.
  const listed = name === 'array_contains' && args.length === 2 ? resolveValue(args[1]!) : undefined;
  if (listed?.list) {
    const field = fieldRef(args[0]!, ctx);
    if (field) return predicate(field.text, 'in', listed.values, { caseSensitive: true, nativeOp: name, text });
  }
  // ARRAY_CONTAINS('x'::variant, col): the array column contains the value.
  if (name === 'array_contains' && args.length === 2) {
    const field = subject(args[1]!, ctx);
    const values = scalarValue(args[0]!);
    if (field && values) return predicate(field.text, 'contains', values, { caseSensitive: true, nativeOp: name, text });
  }

  const stringOp = STRING_FUNCTIONS.get(name);
  if (stringOp && args.length === 2) {
    const field = subject(args[0]!, ctx);
    const values = scalarValue(args[1]!);
    if (field && values) return predicate(field.text, stringOp, values, { caseSensitive: !field.caseFolded, nativeOp: name, text });
  }

  // REGEXP_LIKE(subject, pattern [, parameters]); `i` in the parameters ignores case.
  if ((name === 'regexp_like' || name === 'rlike') && (args.length === 2 || args.length === 3)) {
    const field = subject(args[0]!, ctx);
    const values = scalarValue(args[1]!);
    const params = args[2] ? scalarValue(args[2]) : undefined;
    if (args[2] && !params) return other(text);
    const ignoreCase = typeof params?.[0] === 'string' && params[0].includes('i');
    if (field && values) {
      return predicate(field.text, 'regex', values, { caseSensitive: !field.caseFolded && !ignoreCase, nativeOp: name, text });
    }
  }
  const overlapping = overlap(call, ctx, text);
  if (overlapping) return overlapping;
  // Time filters (p_occurs_since ...) and anything else are kept as written.
  return other(text);
}

/** `JOIN ... USING (a, b)`: each column equals itself on both sides. */
export function usingCondition(columns: string[], text: string): PredicateNode | undefined {
  const keys = columns.map((c) => predicate(c, 'fieldref', [c], { caseSensitive: true, nativeOp: 'using', text }));
  return keys.length > 0 ? combine('and', keys) : undefined;
}
