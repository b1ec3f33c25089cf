// SQL conditions (WHERE, HAVING, QUALIFY, JOIN ... ON) to the shared and/or/not predicate tree.
import { likeToWildcard } from '../../model/like.js';
import { combine, negate, other, predicate } from '../../model/predicates.js';
import type { Operator, PredicateNode, Scalar } from '../../model/types.js';
import type { Call, Expr, PathPart } from './ast.js';

export interface ConditionContext {
  query: string;
  /**
   * Lower-cased names that qualify columns in this SELECT (table names, aliases, CTE names):
   * `pr.admin_email` is column `admin_email`.
   */
  qualifiers: ReadonlySet<string>;
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
    case 'ref':
      return { text: pathText(unqualified(expr.parts, ctx.qualifiers)), caseFolded: false };
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

export function toCondition(expr: Expr, ctx: ConditionContext): PredicateNode {
  const text = textOf(ctx, expr);
  switch (expr.t) {
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

function comparison(expr: Expr & { t: 'cmp' }, ctx: ConditionContext): PredicateNode {
  const text = textOf(ctx, expr);
  const cmp = COMPARISONS[expr.op];
  if (!cmp) return other(text);
  let op = cmp.op;
  let field = fieldRef(expr.l, ctx);
  let valueSide = expr.r;
  // `'x' = col`, `5 < col`: read as `col = 'x'`, `col > 5`.
  if (!field && resolveValue(expr.l)) {
    const right = fieldRef(expr.r, ctx);
    if (right) {
      field = right;
      valueSide = expr.l;
      op = SWAPPED[op] ?? op;
    }
  }
  field ??= subject(expr.l, ctx);
  if (!field) return other(text);
  // Ordering comparisons are not text matches: they are marked case-insensitive (as in KQL).
  const opts = { negated: cmp.negated, caseSensitive: op === 'eq' && !field.caseFolded, nativeOp: expr.op, text };
  const values = scalarValue(valueSide);
  if (values) return predicate(field.text, op, values, opts);
  // The other side is a column: the comparison relates two fields.
  const otherField = fieldRef(valueSide, ctx);
  if (otherField) return predicate(field.text, 'fieldref', [otherField.text], opts);
  return other(text);
}

function like(expr: Expr & { t: 'like' }, ctx: ConditionContext): PredicateNode {
  const text = textOf(ctx, expr);
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
  // Time filters (p_occurs_since ...) and anything else are kept as written.
  return other(text);
}

/** `JOIN ... USING (a, b)`: each column equals itself on both sides. */
export function usingCondition(columns: string[], text: string): PredicateNode | undefined {
  const keys = columns.map((c) => predicate(c, 'fieldref', [c], { caseSensitive: true, nativeOp: 'using', text }));
  return keys.length > 0 ? combine('and', keys) : undefined;
}
