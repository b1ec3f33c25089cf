// KQL conditions (where, search, join ... on) to the shared and/or/not predicate tree.
import { combine, negate, other, predicate } from '../../model/predicates.js';
import type { Operator, PredicateNode, Scalar } from '../../model/types.js';
import { kindOf, type SyntaxElement, type SyntaxToken } from './loader.js';
import { isEmpty, listItems, member, simpleName, textOf } from './syntax.js';
import { computedFilter, requiredRows } from './computed.js';
import { callArguments, fieldRef, resolveList, resolveValue, type ExpressionContext, type FieldRef } from './values.js';

/** `scalar`: one value on the right; `list`: a parenthesised list; `range`: `(a .. b)`. */
type Shape = 'scalar' | 'list' | 'range';

interface Comparison {
  op: Operator;
  negated: boolean;
  caseSensitive: boolean;
  shape: Shape;
}

function cmp(op: Operator, negated: boolean, caseSensitive: boolean, shape: Shape = 'scalar'): Comparison {
  return { op, negated, caseSensitive, shape };
}

/**
 * Comparison expression kinds. Kusto's own kind names are not a reliable guide to case
 * sensitivity (`in~` parses as InCsExpression), so each kind is spelled out here.
 * Ordering comparisons are not text matches: they are marked case-insensitive.
 */
const COMPARISONS = new Map<string, Comparison>(
  Object.entries({
    EqualExpression: cmp('eq', false, true),
    NotEqualExpression: cmp('eq', true, true),
    EqualTildeExpression: cmp('eq', false, false),
    BangTildeExpression: cmp('eq', true, false),
    InExpression: cmp('in', false, true, 'list'),
    InCsExpression: cmp('in', false, false, 'list'),
    NotInExpression: cmp('in', true, true, 'list'),
    NotInCsExpression: cmp('in', true, false, 'list'),
    HasAnyExpression: cmp('has_any', false, false, 'list'),
    HasAllExpression: cmp('has_all', false, false, 'list'),
    HasExpression: cmp('has', false, false),
    HasCsExpression: cmp('has', false, true),
    NotHasExpression: cmp('has', true, false),
    NotHasCsExpression: cmp('has', true, true),
    HasPrefixExpression: cmp('hasprefix', false, false),
    HasPrefixCsExpression: cmp('hasprefix', false, true),
    NotHasPrefixExpression: cmp('hasprefix', true, false),
    NotHasPrefixCsExpression: cmp('hasprefix', true, true),
    HasSuffixExpression: cmp('hassuffix', false, false),
    HasSuffixCsExpression: cmp('hassuffix', false, true),
    NotHasSuffixExpression: cmp('hassuffix', true, false),
    NotHasSuffixCsExpression: cmp('hassuffix', true, true),
    ContainsExpression: cmp('contains', false, false),
    ContainsCsExpression: cmp('contains', false, true),
    NotContainsExpression: cmp('contains', true, false),
    NotContainsCsExpression: cmp('contains', true, true),
    StartsWithExpression: cmp('startswith', false, false),
    StartsWithCsExpression: cmp('startswith', false, true),
    NotStartsWithExpression: cmp('startswith', true, false),
    NotStartsWithCsExpression: cmp('startswith', true, true),
    EndsWithExpression: cmp('endswith', false, false),
    EndsWithCsExpression: cmp('endswith', false, true),
    NotEndsWithExpression: cmp('endswith', true, false),
    NotEndsWithCsExpression: cmp('endswith', true, true),
    LikeExpression: cmp('wildcard', false, false),
    LikeCsExpression: cmp('wildcard', false, true),
    NotLikeExpression: cmp('wildcard', true, false),
    NotLikeCsExpression: cmp('wildcard', true, true),
    MatchesRegexExpression: cmp('regex', false, true),
    BetweenExpression: cmp('range', false, false, 'range'),
    NotBetweenExpression: cmp('range', true, false, 'range'),
    LessThanExpression: cmp('lt', false, false),
    LessThanOrEqualExpression: cmp('lte', false, false),
    GreaterThanExpression: cmp('gt', false, false),
    GreaterThanOrEqualExpression: cmp('gte', false, false),
    // search's `Column:"term"` is a `has` on that column.
    SearchExpression: cmp('has', false, false),
  }),
);

/** Operators that still hold with their operands swapped (after flipping the direction). */
const SWAPPED: Partial<Record<Operator, Operator>> = { eq: 'eq', lt: 'gt', lte: 'gte', gt: 'lt', gte: 'lte' };

/** `isnotempty(x)` and friends: existence tests, negated for the empty/null forms. */
const EXISTENCE = new Map([
  ['isnotempty', false],
  ['isnotnull', false],
  ['isempty', true],
  ['isnull', true],
]);

/** IP range functions: argument 1 is a CIDR range (or, for the `any` forms, several). */
const CIDR_FUNCTIONS = new Set(['ipv4_is_in_range', 'ipv4_is_in_any_range', 'ipv6_is_in_range', 'ipv6_is_in_any_range']);

export interface ConditionContext extends ExpressionContext {
  /** In `search`, a bare string literal is a term looked up in every column. */
  search?: boolean;
}

export function toCondition(expr: SyntaxElement, ctx: ConditionContext): PredicateNode {
  const kind = kindOf(expr);
  switch (kind) {
    case 'AndExpression':
    case 'OrExpression': {
      const left = member(expr, 'Left');
      const right = member(expr, 'Right');
      if (!left || !right) return other(textOf(ctx.query, expr));
      return combine(kind === 'AndExpression' ? 'and' : 'or', [toCondition(left, ctx), toCondition(right, ctx)]);
    }
    case 'ParenthesizedExpression': {
      const inner = member(expr, 'Expression');
      return inner ? toCondition(inner, ctx) : other(textOf(ctx.query, expr));
    }
    case 'FunctionCallExpression':
      return functionCondition(expr, ctx);
    case 'NameReference': {
      // A bare boolean column: true where its definition holds.
      const test = { op: 'eq' as const, values: [true], negated: false, caseSensitive: true };
      return computedFilter(expr, ctx, test, textOf(ctx.query, expr)) ?? other(textOf(ctx.query, expr));
    }
    case 'StringLiteralExpression':
    case 'CompoundStringLiteralExpression':
      if (ctx.search) return searchTerm(expr, ctx);
      return other(textOf(ctx.query, expr));
  }
  const comparison = COMPARISONS.get(kind);
  return comparison ? comparisonCondition(expr, comparison, ctx) : other(textOf(ctx.query, expr));
}

function operatorText(expr: SyntaxElement): string {
  return (member(expr, 'Operator') as SyntaxToken | undefined)?.Text ?? '';
}

/** A column on the left that is a computed expression (`strlen(x) > 5`): kept as written. */
function computedField(expr: SyntaxElement, ctx: ExpressionContext): FieldRef | undefined {
  if (isValue(expr, ctx) || kindOf(expr) === 'NameReference') return undefined;
  return { text: textOf(ctx.query, expr), caseFolded: false };
}

/** A literal or a let-bound name: the value side of a comparison. */
function isValue(expr: SyntaxElement, ctx: ExpressionContext): boolean {
  if (resolveValue(expr, ctx)) return true;
  const name = kindOf(expr) === 'NameReference' ? simpleName(expr) : undefined;
  return name !== undefined && ctx.scope.lookup(name) !== undefined;
}

function comparisonCondition(expr: SyntaxElement, comparison: Comparison, ctx: ConditionContext): PredicateNode {
  const text = textOf(ctx.query, expr);
  const left = member(expr, 'Left');
  const right = member(expr, 'Right');
  if (!left || !right || isEmpty(right)) return other(text);

  let op = comparison.op;
  let field = fieldRef(left, ctx);
  let valueSide = right;
  let fieldSide = left;
  // `"x" == Column`, `5 < Column`: read as `Column == "x"`, `Column > 5`.
  const swapped = SWAPPED[op];
  if (!field && swapped && comparison.shape === 'scalar' && isValue(left, ctx)) {
    const rightField = fieldRef(right, ctx);
    if (rightField) {
      field = rightField;
      valueSide = left;
      fieldSide = right;
      op = swapped;
    }
  }
  field ??= computedField(left, ctx);
  if (!field) return other(text);

  const values = comparisonValues(valueSide, comparison.shape, ctx);
  const opts = {
    negated: comparison.negated,
    caseSensitive: comparison.caseSensitive && !field.caseFolded,
    nativeOp: kindOf(expr) === 'SearchExpression' ? ':' : operatorText(expr),
    text,
  };
  if (values) {
    const test = { op, values, negated: opts.negated, caseSensitive: opts.caseSensitive };
    const traced = computedFilter(fieldSide, ctx, test, text);
    if (traced) return traced;
    const written = predicate(field.text, op, values, opts);
    // `summarize n = countif(c) | where n > 0`: the threshold, and c held on some row.
    const rows = requiredRows(fieldSide, ctx, test);
    return rows ? combine('and', [written, rows]) : written;
  }
  // The right side is another column: the comparison relates two fields.
  const otherField = comparison.shape === 'scalar' ? fieldRef(valueSide, ctx) : undefined;
  if (otherField) return predicate(field.text, 'fieldref', [otherField.text], opts);
  return other(text);
}

function comparisonValues(side: SyntaxElement, shape: Shape, ctx: ExpressionContext): Scalar[] | undefined {
  switch (shape) {
    case 'scalar': {
      const resolved = resolveValue(side, ctx);
      return resolved && !resolved.list && resolved.values.length === 1 ? resolved.values : undefined;
    }
    case 'list': {
      const values = resolveList(listItems(member(side, 'Expressions')), ctx);
      return values && values.length > 0 ? values : undefined;
    }
    case 'range': {
      const first = member(side, 'First');
      const second = member(side, 'Second');
      const low = first ? resolveValue(first, ctx) : undefined;
      const high = second ? resolveValue(second, ctx) : undefined;
      if (!low || !high || low.list || high.list) return undefined;
      return [...low.values, ...high.values];
    }
  }
}

function functionCondition(call: SyntaxElement, ctx: ConditionContext): PredicateNode {
  const text = textOf(ctx.query, call);
  const name = simpleName(member(call, 'Name'));
  const args = callArguments(call);
  const first = args[0];
  if (name === undefined || !first) return other(text);

  if (name === 'not' && args.length === 1) return negate(toCondition(first, ctx));

  const negated = EXISTENCE.get(name);
  if (negated !== undefined && args.length === 1) {
    const test = { op: 'exists' as const, values: [], negated, caseSensitive: true };
    const traced = computedFilter(first, ctx, test, text);
    if (traced) return traced;
    const field = fieldRef(first, ctx) ?? computedField(first, ctx);
    return field ? predicate(field.text, 'exists', [], { negated, nativeOp: name, text }) : other(text);
  }

  // `set_has_element(arr, "v")`: some element of the array is v (as ES|QL's MV_CONTAINS); against
  // another column, a relation between two fields.
  if (name === 'set_has_element' && args.length === 2) {
    const field = fieldRef(first, ctx) ?? computedField(first, ctx);
    const resolved = resolveValue(args[1]!, ctx);
    if (field && resolved && !resolved.list && resolved.values.length === 1)
      return predicate(field.text, 'eq', resolved.values, { caseSensitive: true, nativeOp: name, text });
    const otherField = fieldRef(args[1]!, ctx);
    if (field && otherField) return predicate(field.text, 'fieldref', [otherField.text], { caseSensitive: true, nativeOp: name, text });
  }

  if (CIDR_FUNCTIONS.has(name) && args.length >= 2) {
    const field = fieldRef(first, ctx);
    const ranges = resolveList(args.slice(1), ctx);
    if (field && ranges && ranges.length > 0) return predicate(field.text, 'cidr', ranges, { nativeOp: name, text });
  }
  return other(text);
}

/** A bare search term: `has` in every column, or a wildcard pattern when it holds `*`. */
function searchTerm(expr: SyntaxElement, ctx: ConditionContext): PredicateNode {
  const text = textOf(ctx.query, expr);
  const value = resolveValue(expr, ctx)?.values[0];
  if (typeof value !== 'string') return other(text);
  const op: Operator = value.includes('*') ? 'wildcard' : 'has';
  return predicate('*', op, [value], { nativeOp: 'search', text });
}

/** `join ... on a, $left.b == $right.c`: each key is a field-to-field equality. */
export function joinCondition(clause: SyntaxElement, ctx: ConditionContext): PredicateNode | undefined {
  if (kindOf(clause) === 'JoinWhereClause') {
    const expr = member(clause, 'Expression');
    return expr ? toCondition(expr, ctx) : undefined;
  }
  const keys: PredicateNode[] = [];
  for (const key of listItems(member(clause, 'Expressions'))) {
    const field = kindOf(key) === 'NameReference' ? fieldRef(key, ctx) : undefined;
    if (field) {
      keys.push(predicate(field.text, 'fieldref', [field.text], { caseSensitive: true, nativeOp: 'on', text: textOf(ctx.query, key) }));
    } else {
      keys.push(toCondition(key, ctx));
    }
  }
  return keys.length > 0 ? combine('and', keys) : undefined;
}
