// Columns a KQL pipeline computes (`extend` / `project` of `name = expr`) and what a later filter
// on them stands for: `iff` / `iif` / `case` with literal values and bare conditions become
// conditional columns, `tolower(x)` and copies become the field (model/computed has the shared
// substitution). A summarize aggregate over the rows where a condition holds (`countif(c)`) keeps
// that condition for a later filter requiring it non-zero. Operators that drop, rename or replace
// columns edit the definitions.
import {
  computedValue,
  conditionColumn,
  filterOnColumn,
  noteOnce,
  rowsRequiredBy,
  valueTest,
  type ColumnDefinition,
} from '../../model/computed.js';
import { lineColumn } from '../../model/diagnostics.js';
import { predicate } from '../../model/predicates.js';
import type { Operator, OutputField, PredicateNode, Scalar } from '../../model/types.js';
import { kindOf, type SyntaxElement } from './loader.js';
import { listItems, member, simpleName, textOf } from './syntax.js';
import { callArguments, fieldRef, resolveValue, type ExpressionContext } from './values.js';

/** Reads a condition: predicates.ts's toCondition, passed in to keep the modules acyclic. */
type ConditionReader = (expr: SyntaxElement, ctx: ExpressionContext) => PredicateNode;

/** One literal value (`1`, `"admin"`, a let-bound scalar); undefined otherwise. */
function scalarOf(expr: SyntaxElement, ctx: ExpressionContext): { value: Scalar } | undefined {
  const resolved = resolveValue(expr, ctx);
  return resolved && !resolved.list && resolved.values.length === 1 ? { value: resolved.values[0]! } : undefined;
}

/** What `name = expr` defines, read with the columns computed before it; undefined for a constant. */
function columnDefinition(expr: SyntaxElement, ctx: ExpressionContext, toCondition: ConditionReader): ColumnDefinition | undefined {
  const kind = kindOf(expr);
  if (kind === 'ParenthesizedExpression') {
    const inner = member(expr, 'Expression');
    return inner ? columnDefinition(inner, ctx, toCondition) : undefined;
  }
  if (kind === 'NameReference') {
    const copied = ctx.computed?.get(simpleName(expr) ?? '');
    if (copied) return copied;
  }
  if (scalarOf(expr, ctx)) return undefined;
  const field = fieldRef(expr, ctx);
  // A column path (`tolower(Account)`, `tostring(AdditionalFields.Name)`); not `parse_json(x).y`, no column's name.
  if (field && field.text !== '*' && !field.text.includes('(')) return { kind: 'field', field: field.text, caseFolded: field.caseFolded };
  if (kind === 'FunctionCallExpression') {
    const name = simpleName(member(expr, 'Name'))?.toLowerCase();
    if (name === 'iff' || name === 'iif' || name === 'case') return casesColumn(expr, ctx, toCondition);
  }
  const condition = toCondition(expr, ctx);
  if (condition.kind !== 'other') return conditionColumn(condition);
  return { kind: 'opaque', text: textOf(ctx.query, expr) };
}

/** `iff(c, a, b)`, `case(c1, v1, c2, v2, ..., else)`: traced when every value is a literal. */
function casesColumn(call: SyntaxElement, ctx: ExpressionContext, toCondition: ConditionReader): ColumnDefinition {
  const args = callArguments(call);
  const opaque: ColumnDefinition = { kind: 'opaque', text: textOf(ctx.query, call) };
  if (args.length < 3 || args.length % 2 === 0) return opaque;
  const branches: { when: PredicateNode; value: Scalar }[] = [];
  for (let i = 0; i + 1 < args.length; i += 2) {
    const value = scalarOf(args[i + 1]!, ctx);
    if (!value) return opaque;
    branches.push({ when: toCondition(args[i]!, ctx), value: value.value });
  }
  const otherwise = scalarOf(args[args.length - 1]!, ctx);
  return otherwise ? { kind: 'cases', branches, otherwise: otherwise.value } : opaque;
}

/**
 * A filter on a computed column (`IsAdmin == 1`, `isnotempty(Flag)`, a bare `IsAdmin`): the
 * conditions where the column takes a value the filter passes. Undefined when `column` is no
 * conditional column; an untraced one is reported (info) and left to the caller.
 */
export function computedFilter(
  column: SyntaxElement,
  ctx: ExpressionContext,
  test: { op: Operator; values: Scalar[]; negated: boolean; caseSensitive: boolean },
  text: string,
): PredicateNode | undefined {
  if (kindOf(column) !== 'NameReference') return undefined;
  const where = lineColumn(ctx.query, column.TextStart);
  const valueFilter = valueTest(test.op, test.values, test.negated, test.caseSensitive);
  return filterOnColumn(ctx.computed, simpleName(column) ?? '', valueFilter, text, (message) => {
    if (ctx.notes) noteOnce(ctx.notes, message, where);
  });
}

/**
 * What a filter on an aggregate over selected rows (`countif(c)`, `sumif(x, c)` ..., or `sum` / `max`
 * of such an aggregate) asks of those rows: that one held `c`, when no empty aggregate passes it.
 */
export function requiredRows(
  column: SyntaxElement,
  ctx: ExpressionContext,
  test: { op: Operator; values: Scalar[]; negated: boolean; caseSensitive: boolean },
): PredicateNode | undefined {
  if (kindOf(column) !== 'NameReference') return undefined;
  return rowsRequiredBy(ctx.computed, simpleName(column) ?? '', valueTest(test.op, test.values, test.negated, test.caseSensitive));
}

/** Aggregates of the rows where a condition holds, by where the condition is among their arguments. */
const CONDITIONAL_AGGREGATES: Record<string, number> = {
  countif: 0,
  dcountif: 1,
  sumif: 1,
  avgif: 1,
  maxif: 1,
  minif: 1,
  take_anyif: 1,
  anyif: 1,
  make_set_if: 1,
  make_list_if: 1,
};
/** Aggregates that are empty (0 or null) when every value they read is: a sum of counts is not 0 when one is not. */
const CARRYING_AGGREGATES = new Set(['sum', 'max', 'min', 'take_any', 'any', 'make_set', 'make_list']);

/** The rows a summarize aggregate reads, when it reads only the rows where a condition holds. */
function aggregateRows(expr: SyntaxElement, ctx: ExpressionContext, toCondition: ConditionReader): PredicateNode | undefined {
  if (kindOf(expr) !== 'FunctionCallExpression') return undefined;
  const name = simpleName(member(expr, 'Name'))?.toLowerCase() ?? '';
  const args = callArguments(expr);
  const at = CONDITIONAL_AGGREGATES[name];
  if (at !== undefined) {
    const condition = args[at] ? toCondition(args[at], ctx) : undefined;
    return condition && condition.kind !== 'other' ? condition : undefined;
  }
  if (!CARRYING_AGGREGATES.has(name) || args.length !== 1 || kindOf(args[0]!) !== 'NameReference') return undefined;
  const definition = ctx.computed?.get(simpleName(args[0]) ?? '');
  return definition?.kind === 'rows' ? definition.rows : undefined;
}

/** The plain column names of a list of items (`by A, B`, `project A, B`), and the `name = expr` ones apart. */
function itemsOf(list: SyntaxElement | undefined): { names: string[]; named: [string, SyntaxElement][] } {
  const names: string[] = [];
  const named: [string, SyntaxElement][] = [];
  for (const item of listItems(list)) {
    if (kindOf(item) === 'NameReference') names.push(simpleName(item) ?? '');
    if (kindOf(item) === 'SimpleNamedExpression') {
      const name = simpleName(member(item, 'Name'));
      const expr = member(item, 'Expression');
      if (name !== undefined && expr) named.push([name, expr]);
    }
  }
  return { names, named };
}

/** `evaluate ipv4_lookup(T, ip, range_column [, return_unmatched = true])` over a one-column table of ranges. */
export interface IpLookup {
  /** Rows whose address is in one of the ranges. */
  inRange: PredicateNode;
  /** The table's column the lookup adds, null on an unmatched row. */
  column: string;
  /** Whether unmatched rows are kept (`return_unmatched = true`); else the lookup filters them out. */
  unmatched: boolean;
}

/** The lookup an `evaluate ipv4_lookup(...)` / `ipv6_lookup(...)` makes, when its table's ranges are literals. */
export function ipLookup(op: SyntaxElement, ctx: ExpressionContext): IpLookup | undefined {
  if (kindOf(op) !== 'EvaluateOperator') return undefined;
  const call = member(op, 'FunctionCall');
  const name = simpleName(member(call, 'Name'))?.toLowerCase();
  if (!call || (name !== 'ipv4_lookup' && name !== 'ipv6_lookup')) return undefined;
  const args = callArguments(call);
  const [table, ip, range] = args;
  const tableName = table && kindOf(table) === 'NameReference' ? simpleName(table) : undefined;
  const binding = tableName === undefined ? undefined : ctx.scope.lookup(tableName);
  const column = range && kindOf(range) === 'NameReference' ? simpleName(range) : undefined;
  const field = ip ? fieldRef(ip, ctx) : undefined;
  if (binding?.kind !== 'tabular' || !binding.values?.length || column === undefined || !field) return undefined;
  let unmatched = false;
  for (const arg of args.slice(3)) {
    if (kindOf(arg) !== 'SimpleNamedExpression' || simpleName(member(arg, 'Name'))?.toLowerCase() !== 'return_unmatched') continue;
    const value = member(arg, 'Expression');
    unmatched = value !== undefined && resolveValue(value, ctx)?.values[0] === true;
  }
  const inRange = predicate(field.text, 'cidr', binding.values, { nativeOp: name, text: textOf(ctx.query, op) });
  return { inRange, column, unmatched };
}

/**
 * How an operator changes the definitions: extend defines (each item sees the ones before it),
 * project keeps the columns it names and defines its `name = expr` ones, summarize keeps its
 * by-columns, project-rename renames; then every column the operator no longer outputs, or
 * outputs anew from something else, loses its definition.
 */
export function trackComputed(
  op: SyntaxElement,
  stageKind: string,
  ctx: ExpressionContext,
  toCondition: ConditionReader,
  outputs: OutputField[],
): void {
  const computed = ctx.computed;
  if (!computed) return;
  const define = (named: [string, SyntaxElement][]): string[] => {
    for (const [name, expr] of named) {
      const definition = columnDefinition(expr, ctx, toCondition);
      if (definition) computed.define(name, definition);
      else computed.forget(name);
    }
    return named.map(([name]) => name);
  };
  switch (kindOf(op)) {
    case 'ExtendOperator':
      define(itemsOf(member(op, 'Expressions')).named);
      break;
    case 'ProjectOperator': {
      // Every item reads the input columns: define from them before the others are dropped.
      const { names, named } = itemsOf(member(op, 'Expressions'));
      const definitions = named.map(([name, expr]) => [name, columnDefinition(expr, ctx, toCondition)] as const);
      computed.keepOnly(names);
      for (const [name, definition] of definitions) if (definition) computed.define(name, definition);
      break;
    }
    case 'SummarizeOperator': {
      // Read with the columns before it: `sum(p)` of an earlier `p = countif(c)` reads the rows c held on.
      const aggregates = itemsOf(member(op, 'Aggregates')).named.map(
        ([name, expr]) => [name, aggregateRows(expr, ctx, toCondition)] as const,
      );
      computed.keepOnly(itemsOf(member(member(op, 'ByClause'), 'Expressions')).names);
      for (const [name, rows] of aggregates) if (rows) computed.define(name, { kind: 'rows', rows });
      break;
    }
    case 'ProjectRenameOperator':
      for (const item of listItems(member(op, 'Expressions'))) {
        const to = simpleName(member(item, 'Name'));
        const from = simpleName(member(item, 'Expression'));
        if (to !== undefined && from !== undefined) computed.rename(from, to);
      }
      break;
    case 'UnionOperator':
      // Rows of the other legs never had the definitions.
      computed.keepOnly([]);
      break;
    case 'FilterOperator':
    case 'SortOperator':
    case 'TakeOperator':
    case 'TopOperator':
    case 'JoinOperator':
    case 'LookupOperator':
    case 'ProjectAwayOperator':
    case 'ProjectKeepOperator':
    case 'ProjectReorderOperator':
      break;
    case 'EvaluateOperator':
      break;
    default: {
      // parse, mv-expand ...: a column they output under their own name is theirs now.
      const redefined = new Set(outputs.filter((f) => f.source === stageKind).map((f) => f.field));
      for (const name of computed.names()) if (redefined.has(name)) computed.forget(name);
    }
  }
  const kept = new Set(outputs.map((f) => f.field));
  for (const name of computed.names()) if (!kept.has(name)) computed.forget(name);
  // `evaluate ipv4_lookup(Nets, ip, Net, return_unmatched = true) | where isempty(Net)`: Net is there
  // where the address is in one of the ranges.
  const lookup = ipLookup(op, ctx);
  if (lookup?.unmatched)
    computed.define(lookup.column, { kind: 'cases', branches: [{ when: lookup.inRange, value: computedValue }], otherwise: null });
}
