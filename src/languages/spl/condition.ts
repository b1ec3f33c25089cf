// Search-language and eval-language expressions → the shared PredicateNode tree.
// Conventions are listed in index.ts.

import { likeToWildcard } from '../../model/like.js';
import { combine, negate, other, predicate } from '../../model/predicates.js';
import type { Operator, PredicateNode, Scalar } from '../../model/types.js';
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
    case 'cmp':
      return comparison(node.field.v, node.op, node.value, ctx.text(node), ctx, underNot);
    case 'in':
      return membership(node.field.v, node.values, ctx.text(node), ctx, underNot);
    case 'term':
      return term(node.value, node.fn, ctx.text(node));
    case 'macro':
      return macroCondition(node, ctx, underNot);
    case 'sub':
      ctx.subsearches.push({ node, excluded: underNot });
      return other(ctx.text(node));
  }
}

function valuePredicate(field: string, value: string, negated: boolean, nativeOp: string, text: string): PredicateNode {
  if (value === '*') return predicate(field, 'exists', [], { negated, nativeOp, text });
  return predicate(field, hasWildcard(value) ? 'wildcard' : 'eq', [value], { negated, nativeOp, text });
}

function comparison(field: string, op: string, value: Val, text: string, ctx: SearchContext, underNot: boolean): PredicateNode {
  if (TIME_FIELDS.has(field)) return other(text);
  const range = RANGE_OPS[op];
  if (range) return predicate(field, range, [value.v], { nativeOp: op, text });
  const negated = op === '!=';
  if (!negated && !underNot && SOURCE_FIELDS.has(field) && value.v) addSource(ctx, `${field}:${value.v}`);
  return valuePredicate(field, value.v, negated, op, text);
}

function membership(field: string, items: (Val | MacroNode)[], text: string, ctx: SearchContext, underNot: boolean): PredicateNode {
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
  const inner: SearchContext = { text: () => node.text, sources: [], subsearches: [] };
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

function fieldOf(e: EvalExpr): FieldRef | null {
  if (e.t === 'field') return { name: e.name, caseSensitive: true };
  if (e.t === 'group') return fieldOf(e.x);
  if (e.t === 'call' && e.args.length === 1 && /^(lower|upper)$/i.test(e.name)) {
    const inner = fieldOf(e.args[0]!);
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

export function evalCondition(expr: EvalExpr, text: (node: { s: number; e: number }) => string): PredicateNode {
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
        return evalComparison(node.op, node.l, node.r, text(node));
      case 'like':
        return patternPredicate(node.l, node.r, 'wildcard', 'LIKE', text(node));
      case 'in':
        return evalMembership(node.l, node.values, node.neg, 'IN', text(node));
      case 'call':
        return callPredicate(node.name, node.args, text(node));
      default:
        return other(text(node));
    }
  };
  return convert(expr);
}

function evalComparison(op: string, l: EvalExpr, r: EvalExpr, text: string): PredicateNode {
  let field = fieldOf(l);
  let value = literalOf(r);
  if (!field || value === undefined) {
    // `"x" = field` reads as `field = "x"`.
    const swapped = fieldOf(r);
    const swappedValue = literalOf(l);
    if (swapped && swappedValue !== undefined) {
      field = swapped;
      value = swappedValue;
      op = FLIPPED[op] ?? op;
    }
  }
  if (field && value !== undefined) {
    const range = RANGE_OPS[op];
    if (range) return predicate(field.name, range, [value], { caseSensitive: field.caseSensitive, nativeOp: op, text });
    return predicate(field.name, 'eq', [value], { negated: op === '!=', caseSensitive: field.caseSensitive, nativeOp: op, text });
  }
  const left = fieldOf(l);
  const right = fieldOf(r);
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
): PredicateNode {
  const field = l && fieldOf(l);
  const value = r && literalOf(r);
  if (!field || typeof value !== 'string') return other(text);
  // LIKE's `%` and `_` as the model's wildcards.
  const pattern = op === 'wildcard' ? likeToWildcard(value) : value;
  return predicate(field.name, op, [pattern], { caseSensitive: field.caseSensitive, nativeOp, text });
}

function evalMembership(l: EvalExpr | undefined, values: EvalExpr[], negated: boolean, nativeOp: string, text: string): PredicateNode {
  const field = l && fieldOf(l);
  const literals = values.map(literalOf);
  if (!field || literals.some((v) => v === undefined)) return other(text);
  return predicate(field.name, 'in', literals as Scalar[], { negated, caseSensitive: field.caseSensitive, nativeOp, text });
}

function callPredicate(name: string, args: EvalExpr[], text: string): PredicateNode {
  switch (name.toLowerCase()) {
    case 'like':
      return args.length === 2 ? patternPredicate(args[0], args[1], 'wildcard', 'like', text) : other(text);
    case 'match':
      return args.length === 2 ? patternPredicate(args[0], args[1], 'regex', 'match', text) : other(text);
    case 'in':
      return args.length >= 2 ? evalMembership(args[0], args.slice(1), false, 'in', text) : other(text);
    case 'isnull':
    case 'isnotnull': {
      const field = args.length === 1 ? fieldOf(args[0]!) : null;
      if (!field) return other(text);
      return predicate(field.name, 'exists', [], { negated: name.toLowerCase() === 'isnull', caseSensitive: true, nativeOp: name, text });
    }
    case 'cidrmatch': {
      const cidr = args[0] && literalOf(args[0]);
      const field = args[1] && fieldOf(args[1]);
      if (args.length !== 2 || typeof cidr !== 'string' || !field) return other(text);
      return predicate(field.name, 'cidr', [cidr], { caseSensitive: true, nativeOp: name, text });
    }
    default:
      return other(text);
  }
}
