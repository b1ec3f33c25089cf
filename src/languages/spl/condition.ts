// Search-language and eval-language expressions → the shared PredicateNode tree.
// Conventions are listed in index.ts.

import { likeToWildcard } from '../../model/like.js';
import {
  conditionColumn,
  filterOnColumn,
  noteOnce,
  rowsRequiredBy,
  valueTest,
  type ColumnDefinition,
  type ComputedColumns,
} from '../../model/computed.js';
import { lineColumn } from '../../model/diagnostics.js';
import { combine, negate, other, predicate } from '../../model/predicates.js';
import type { Diagnostic, Operator, PredicateNode, Scalar } from '../../model/types.js';
import type { EvalExpr, MacroNode, SearchExpr, SubsearchNode, Val } from './ast.js';
import { CONDITION_MACROS, LIST_MACROS, SOURCE_MACROS } from './macros.js';
import { parse } from './spl.parser.js';

/**
 * Default fields that name where events come from: their values are sources. Field names are
 * case-sensitive (`eventType` is Okta's field, not Splunk's `eventtype`).
 */
const SOURCE_FIELDS = new Set(['index', 'sourcetype', 'source', 'eventtype']);

/** Time modifiers look like comparisons but bound the time range: kept as `other`. */
const TIME_FIELDS = new Set(['earliest', 'latest', '_index_earliest', '_index_latest', 'starttime', 'endtime']);

const RANGE_OPS: Record<string, Operator> = { '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' };

/** What converting a search expression collects besides its tree. */
export interface SearchContext {
  /** Exact source text of a node. */
  text(node: { s: number; e: number }): string;
  /** Sources stated by positive terms and source macros, in order. */
  sources: string[];
  /** Subsearches met in the expression, to be analysed as deeper stages. */
  subsearches: Subsearch[];
  /** Columns an `eval` before this search computed (`| eval f=if(...) | search f=1`). */
  computed?: Computed;
}

/** The columns computed so far, and where info about untraced ones goes. */
export interface Computed {
  columns: ComputedColumns;
  notes: Diagnostic[];
  query: string;
}

/**
 * A filter on a computed column: the conditions where the column takes a value the test passes.
 * Undefined when `name` is no conditional column; an untraced one is reported (info).
 */
function computedFilter(
  computed: Computed | undefined,
  name: string,
  at: { s: number },
  test: Parameters<typeof valueTest>,
  text: string,
): PredicateNode | undefined {
  if (!computed) return undefined;
  const where = lineColumn(computed.query, at.s);
  return filterOnColumn(computed.columns, name, valueTest(...test), text, (message) => noteOnce(computed.notes, message, where));
}

/** `stats count(eval(c)) as n | search n>0`: the threshold as written, and c held on some row. */
function withRows(written: PredicateNode, computed: Computed | undefined, name: string, test: Parameters<typeof valueTest>): PredicateNode {
  const rows = rowsRequiredBy(computed?.columns, name, valueTest(...test));
  return rows ? combine('and', [written, rows]) : written;
}

/** A field read through the computed columns: `eval c=lower(CommandLine)` makes `c` CommandLine, case-folded. */
function resolvedField(computed: Computed | undefined, name: string): { name: string; caseFolded: boolean } {
  const definition = computed?.columns.get(name);
  return definition?.kind === 'field' ? { name: definition.field, caseFolded: definition.caseFolded } : { name, caseFolded: false };
}

/** A subsearch to analyse; `excluded` under an odd number of NOTs (`NOT [| inputlookup ...]`). */
export interface Subsearch {
  node: SubsearchNode;
  excluded: boolean;
}

function addSource(ctx: SearchContext, source: string): void {
  if (!ctx.sources.includes(source)) ctx.sources.push(source);
}

function hasWildcard(value: string): boolean {
  return value.includes('*');
}

// ---------------------------------------------------------------------------------------------
// Search language

export function searchCondition(expr: SearchExpr, ctx: SearchContext): PredicateNode {
  return convertSearch(expr, ctx, false);
}

function convertSearch(node: SearchExpr, ctx: SearchContext, underNot: boolean): PredicateNode {
  switch (node.t) {
    case 'and':
    case 'or':
      return combine(
        node.t,
        node.items.map((x) => convertSearch(x, ctx, underNot)),
      );
    case 'not':
      return negate(convertSearch(node.x, ctx, !underNot));
    case 'group':
      return convertSearch(node.x, ctx, underNot);
    case 'cmp': {
      const op = RANGE_OPS[node.op] ?? (node.value.v === '*' ? 'exists' : 'eq');
      const test: Parameters<typeof valueTest> = [op, op === 'exists' ? [] : [node.value.v], node.op === '!=', false];
      const traced =
        hasWildcard(node.value.v) && op !== 'exists' ? undefined : computedFilter(ctx.computed, node.field.v, node, test, ctx.text(node));
      return (
        traced ?? withRows(comparison(node.field.v, node.op, node.value, ctx.text(node), ctx, underNot), ctx.computed, node.field.v, test)
      );
    }
    case 'in': {
      const values = node.values.every((v) => !('t' in v) && !hasWildcard(v.v)) ? node.values.map((v) => (v as Val).v) : undefined;
      const traced = values ? computedFilter(ctx.computed, node.field.v, node, ['in', values, false, false], ctx.text(node)) : undefined;
      return traced ?? membership(node.field.v, node.values, ctx.text(node), ctx, underNot);
    }
    case 'term':
      return term(node.value, node.fn, ctx.text(node));
    case 'macro':
      return macroCondition(node, ctx, underNot);
    case 'sub':
      ctx.subsearches.push({ node, excluded: underNot });
      return other(ctx.text(node));
  }
}

/** An IPv4 or IPv6 address block (`10.0.0.0/8`, `fe80::/10`): the search command matches it as one. */
const CIDR_BLOCK = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]*:[0-9a-f:.]*)\/\d{1,3}$/i;

function valuePredicate(field: string, value: string, negated: boolean, nativeOp: string, text: string): PredicateNode {
  if (value === '*') return predicate(field, 'exists', [], { negated, nativeOp, text });
  // `src_ip=10.0.0.0/8` in a search matches every address in the block, as cidrmatch() does.
  if (CIDR_BLOCK.test(value)) return predicate(field, 'cidr', [value], { negated, nativeOp, text });
  return predicate(field, hasWildcard(value) ? 'wildcard' : 'eq', [value], { negated, nativeOp, text });
}

function comparison(column: string, op: string, value: Val, text: string, ctx: SearchContext, underNot: boolean): PredicateNode {
  // Search-language values match without case anyway: a case-folded copy is its field.
  const field = resolvedField(ctx.computed, column).name;
  if (TIME_FIELDS.has(field)) return other(text);
  const range = RANGE_OPS[op];
  if (range) return predicate(field, range, [value.v], { nativeOp: op, text });
  const negated = op === '!=';
  if (!negated && !underNot && SOURCE_FIELDS.has(field) && value.v) addSource(ctx, `${field}:${value.v}`);
  return valuePredicate(field, value.v, negated, op, text);
}

function membership(column: string, items: (Val | MacroNode)[], text: string, ctx: SearchContext, underNot: boolean): PredicateNode {
  const field = resolvedField(ctx.computed, column).name;
  const values: Val[] = [];
  for (const item of items) {
    if (!('t' in item)) values.push(item);
    else {
      // A list macro stands for its values; an unknown one leaves the list unknown.
      const listed = LIST_MACROS[item.name];
      if (!listed) return other(text);
      values.push(...listed.map((v) => ({ v, q: false })));
    }
  }
  if (!underNot && SOURCE_FIELDS.has(field)) for (const v of values) if (v.v) addSource(ctx, `${field}:${v.v}`);
  if (values.some((v) => hasWildcard(v.v))) {
    return combine(
      'or',
      values.map((v) => valuePredicate(field, v.v, false, 'IN', text)),
    );
  }
  return predicate(
    field,
    'in',
    values.map((v) => v.v),
    { nativeOp: 'IN', text },
  );
}

function term(value: Val, fn: 'TERM' | 'CASE' | undefined, text: string): PredicateNode {
  if (value.v === '*') return other(text);
  return predicate('_raw', hasWildcard(value.v) ? 'wildcard' : 'has', [value.v], {
    caseSensitive: fn === 'CASE',
    nativeOp: fn ?? 'term',
    text,
  });
}

/** Definitions of condition macros, parsed once. */
const macroTrees = new Map<string, SearchExpr | null>();

function macroTree(name: string): SearchExpr | null {
  let tree = macroTrees.get(name);
  if (tree === undefined) {
    tree = null;
    const definition = CONDITION_MACROS[name];
    if (definition !== undefined) {
      const ast = parse(definition) as { commands: { cmd: string; expr?: SearchExpr | null }[] };
      tree = ast.commands[0]?.expr ?? null;
    }
    macroTrees.set(name, tree);
  }
  return tree;
}

function macroCondition(node: MacroNode, ctx: SearchContext, underNot: boolean): PredicateNode {
  if (!underNot) for (const s of SOURCE_MACROS[node.name] ?? []) addSource(ctx, s);
  const tree = macroTree(node.name);
  if (!tree) return other(node.text);
  // The definition's predicates stand where the macro is called: their text is the call.
  const inner: SearchContext = { text: () => node.text, sources: [], subsearches: [], ...(ctx.computed ? { computed: ctx.computed } : {}) };
  const condition = convertSearch(tree, inner, underNot);
  if (!underNot) for (const s of inner.sources) addSource(ctx, s);
  return condition;
}

// ---------------------------------------------------------------------------------------------
// Eval language (where): comparisons are case-sensitive unless wrapped in lower()/upper().

interface FieldRef {
  name: string;
  caseSensitive: boolean;
}

function fieldOf(e: EvalExpr, computed?: Computed): FieldRef | null {
  if (e.t === 'field') {
    const field = resolvedField(computed, e.name);
    return { name: field.name, caseSensitive: !field.caseFolded };
  }
  if (e.t === 'group') return fieldOf(e.x, computed);
  if (e.t === 'call' && e.args.length === 1 && /^(lower|upper)$/i.test(e.name)) {
    const inner = fieldOf(e.args[0]!, computed);
    return inner && { name: inner.name, caseSensitive: false };
  }
  return null;
}

/** The literal an expression stands for; undefined when it is not a literal. */
function literalOf(e: EvalExpr): Scalar | undefined {
  switch (e.t) {
    case 'str':
    case 'num':
      return e.v;
    case 'group':
      return literalOf(e.x);
    case 'arith': {
      const x = e.items[0];
      if (e.op === 'neg' && x?.t === 'num') return -x.v;
      return undefined;
    }
    case 'call': {
      if (e.args.length > 0) return undefined;
      const name = e.name.toLowerCase();
      if (name === 'true') return true;
      if (name === 'false') return false;
      if (name === 'null') return null;
      return undefined;
    }
    default:
      return undefined;
  }
}

const FLIPPED: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

export function evalCondition(expr: EvalExpr, text: (node: { s: number; e: number }) => string, computed?: Computed): PredicateNode {
  const convert = (node: EvalExpr): PredicateNode => {
    switch (node.t) {
      case 'and':
      case 'or':
        return combine(node.t, node.items.map(convert));
      case 'not':
        return negate(convert(node.x));
      case 'group':
        return convert(node.x);
      case 'cmp':
        return evalComparison(node.op, node.l, node.r, text(node), computed);
      case 'like':
        return patternPredicate(node.l, node.r, 'wildcard', 'LIKE', text(node), computed);
      case 'in':
        return evalMembership(node.l, node.values, node.neg, 'IN', text(node), computed);
      case 'call':
        return callPredicate(node.name, node.args, text(node), computed);
      case 'field':
        // A bare boolean column: true where its definition holds.
        return computedFilter(computed, node.name, node, ['eq', [true], false, true], text(node)) ?? other(text(node));
      default:
        return other(text(node));
    }
  };
  return convert(expr);
}

function evalComparison(op: string, l: EvalExpr, r: EvalExpr, text: string, computed?: Computed): PredicateNode {
  let field = fieldOf(l, computed);
  let value = literalOf(r);
  let column = l;
  if (!field || value === undefined) {
    // `"x" = field` reads as `field = "x"`.
    const swapped = fieldOf(r, computed);
    const swappedValue = literalOf(l);
    if (swapped && swappedValue !== undefined) {
      field = swapped;
      value = swappedValue;
      column = r;
      op = FLIPPED[op] ?? op;
    }
  }
  if (field && value !== undefined) {
    const range = RANGE_OPS[op];
    if (column.t === 'field') {
      const traced = computedFilter(computed, column.name, column, [range ?? 'eq', [value], op === '!=', true], text);
      if (traced) return traced;
    }
    const written = range
      ? predicate(field.name, range, [value], { caseSensitive: field.caseSensitive, nativeOp: op, text })
      : predicate(field.name, 'eq', [value], { negated: op === '!=', caseSensitive: field.caseSensitive, nativeOp: op, text });
    return column.t === 'field' ? withRows(written, computed, column.name, [range ?? 'eq', [value], op === '!=', true]) : written;
  }
  const left = fieldOf(l, computed);
  const right = fieldOf(r, computed);
  if (left && right && (op === '=' || op === '==' || op === '!=')) {
    return predicate(left.name, 'fieldref', [right.name], {
      negated: op === '!=',
      caseSensitive: left.caseSensitive && right.caseSensitive,
      nativeOp: op,
      text,
    });
  }
  return other(text);
}

function patternPredicate(
  l: EvalExpr | undefined,
  r: EvalExpr | undefined,
  op: 'wildcard' | 'regex',
  nativeOp: string,
  text: string,
  computed?: Computed,
): PredicateNode {
  const field = l && fieldOf(l, computed);
  const value = r && literalOf(r);
  if (!field || typeof value !== 'string') return other(text);
  // LIKE's `%` and `_` as the model's wildcards.
  const pattern = op === 'wildcard' ? likeToWildcard(value) : value;
  return predicate(field.name, op, [pattern], { caseSensitive: field.caseSensitive, nativeOp, text });
}

function evalMembership(
  l: EvalExpr | undefined,
  values: EvalExpr[],
  negated: boolean,
  nativeOp: string,
  text: string,
  computed?: Computed,
): PredicateNode {
  const field = l && fieldOf(l, computed);
  const literals = values.map(literalOf);
  if (!field || literals.some((v) => v === undefined)) return other(text);
  if (l?.t === 'field') {
    const traced = computedFilter(computed, l.name, l, ['in', literals as Scalar[], negated, true], text);
    if (traced) return traced;
  }
  return predicate(field.name, 'in', literals as Scalar[], { negated, caseSensitive: field.caseSensitive, nativeOp, text });
}

function callPredicate(name: string, args: EvalExpr[], text: string, computed?: Computed): PredicateNode {
  switch (name.toLowerCase()) {
    case 'like':
      return args.length === 2 ? patternPredicate(args[0], args[1], 'wildcard', 'like', text, computed) : other(text);
    case 'match':
      return args.length === 2 ? patternPredicate(args[0], args[1], 'regex', 'match', text, computed) : other(text);
    case 'in':
      return args.length >= 2 ? evalMembership(args[0], args.slice(1), false, 'in', text, computed) : other(text);
    case 'isnull':
    case 'isnotnull': {
      const arg = args[0];
      if (arg?.t === 'field' && args.length === 1) {
        const traced = computedFilter(computed, arg.name, arg, ['exists', [], name.toLowerCase() === 'isnull', true], text);
        if (traced) return traced;
      }
      const field = args.length === 1 ? fieldOf(args[0]!, computed) : null;
      if (!field) return other(text);
      return predicate(field.name, 'exists', [], { negated: name.toLowerCase() === 'isnull', caseSensitive: true, nativeOp: name, text });
    }
    case 'cidrmatch': {
      const cidr = args[0] && literalOf(args[0]);
      const field = args[1] && fieldOf(args[1], computed);
      if (args.length !== 2 || typeof cidr !== 'string' || !field) return other(text);
      return predicate(field.name, 'cidr', [cidr], { caseSensitive: true, nativeOp: name, text });
    }
    default:
      return other(text);
  }
}

/** True for `true()` and `1==1`-style conditions: a `case` branch that always holds is its default. */
function alwaysTrue(e: EvalExpr): boolean {
  if (e.t === 'call') return e.name.toLowerCase() === 'true' && e.args.length === 0;
  if (e.t === 'cmp' && (e.op === '=' || e.op === '==')) {
    const l = literalOf(e.l);
    return l !== undefined && l === literalOf(e.r);
  }
  return e.t === 'group' && alwaysTrue(e.x);
}

/** Functions whose result is a condition: an eval of one defines a boolean column. */
const CONDITION_CALLS = new Set(['like', 'match', 'in', 'isnull', 'isnotnull', 'cidrmatch']);

/**
 * What `eval name = expr` defines, read with the columns computed before it: `if(c, a, b)` and
 * `case(c1, v1, ..., true(), v)` with literal values and bare conditions are conditional columns,
 * `lower(f)` and copies a field; a literal defines nothing to trace; anything else is untraced.
 */
export function evalDefinition(
  expr: EvalExpr,
  text: (node: { s: number; e: number }) => string,
  computed: Computed,
): ColumnDefinition | undefined {
  if (expr.t === 'group') return evalDefinition(expr.x, text, computed);
  if (literalOf(expr) !== undefined) return undefined;
  if (expr.t === 'field') {
    const copied = computed.columns.get(expr.name);
    if (copied) return copied;
  }
  const field = fieldOf(expr, computed);
  if (field) return { kind: 'field', field: field.name, caseFolded: !field.caseSensitive };
  const opaque: ColumnDefinition = { kind: 'opaque', text: text(expr) };
  if (expr.t === 'call') {
    const name = expr.name.toLowerCase();
    if (name === 'if' && expr.args.length === 3) return casesColumn([expr.args[0]!, expr.args[1]!], expr.args[2], text, computed) ?? opaque;
    if (name === 'case') return casesColumn(expr.args, undefined, text, computed) ?? opaque;
    if (!CONDITION_CALLS.has(name)) return opaque;
  } else if (!['and', 'or', 'not', 'cmp', 'like', 'in'].includes(expr.t)) {
    return opaque;
  }
  return conditionColumn(evalCondition(expr, text, computed));
}

/** Condition/value pairs and a default (`if`'s else, or `case`'s always-true branch); undefined when a value is no literal. */
function casesColumn(
  pairs: EvalExpr[],
  otherwise: EvalExpr | undefined,
  text: (node: { s: number; e: number }) => string,
  computed: Computed,
): ColumnDefinition | undefined {
  const branches: { when: PredicateNode; value: Scalar }[] = [];
  let fallback: Scalar = null;
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const value = literalOf(pairs[i + 1]!);
    if (value === undefined) return undefined;
    if (alwaysTrue(pairs[i]!)) {
      fallback = value;
      break;
    }
    branches.push({ when: evalCondition(pairs[i]!, text, computed), value });
  }
  if (pairs.length % 2 !== 0) return undefined;
  if (otherwise) {
    const value = literalOf(otherwise);
    if (value === undefined) return undefined;
    fallback = value;
  }
  return { kind: 'cases', branches, otherwise: fallback };
}
