// Sigma condition AST (condition.peggy) → the shared and/or/not tree, with search identifiers
// replaced by their predicate trees.
//
//   name              the identifier's tree; an unknown name is an error diagnostic and an
//                     `other` node holding the name
//   not x             not
//   1 of p / any of p OR of the identifiers matching p (`*` is the only wildcard)
//   all of p          AND of them
//   N of p (N > 1)    OR of the AND of every N-combination (up to 20 combinations; beyond that
//                     an OR with an info diagnostic); N >= count → AND
//   them              every identifier not starting with `_` (as pySigma)
import { combine, negate, other } from '../../model/predicates.js';
import type { Diagnostic, PredicateNode } from '../../model/types.js';
import { compileGlob } from '../../model/glob.js';

export type ConditionAst =
  | { type: 'or' | 'and'; items: ConditionAst[] }
  | { type: 'not'; child: ConditionAst }
  | { type: 'id'; name: string; start: number; end: number }
  | { type: 'of'; quantifier: number | 'all' | 'any'; target: string | null; start: number; end: number };

type Aggregation =
  | {
      kind: 'count' | 'min' | 'max' | 'avg' | 'sum';
      field: string | null;
      groupBy: string | null;
      op: string;
      value: number;
      text: string;
      start: number;
    }
  | { kind: 'near' | 'other'; text: string; start: number };

export interface ParsedCondition {
  expr: ConditionAst;
  aggregation: Aggregation | null;
}

export interface ConditionContext {
  /** Search identifiers in detection order, with their trees. */
  identifiers: Map<string, PredicateNode>;
  diagnostics: Diagnostic[];
  /** Where a diagnostic at an offset of the condition sits in the query. */
  place(offset: number): { line?: number; column?: number };
  /** Identifiers the condition uses. */
  used: Set<string>;
}

const MAX_COMBINATIONS = 20;

function combinations<T>(items: T[], k: number): T[][] {
  const out: T[][] = [];
  const pick = (from: number, chosen: T[]) => {
    if (chosen.length === k) {
      out.push([...chosen]);
      return;
    }
    for (let i = from; i < items.length; i++) {
      chosen.push(items[i]!);
      pick(i + 1, chosen);
      chosen.pop();
    }
  };
  pick(0, []);
  return out;
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

export function conditionTree(ast: ConditionAst, ctx: ConditionContext): PredicateNode {
  switch (ast.type) {
    case 'or':
    case 'and':
      return combine(
        ast.type,
        ast.items.map((x) => conditionTree(x, ctx)),
      );
    case 'not':
      return negate(conditionTree(ast.child, ctx));
    case 'id': {
      const tree = ctx.identifiers.get(ast.name);
      if (!tree) {
        ctx.diagnostics.push({
          message: `the condition names an unknown search identifier '${ast.name}'`,
          severity: 'error',
          scope: 'query',
          ...ctx.place(ast.start),
        });
        return other(ast.name);
      }
      ctx.used.add(ast.name);
      return tree;
    }
    case 'of':
      return ofTree(ast, ctx);
  }
}

function ofTree(ast: Extract<ConditionAst, { type: 'of' }>, ctx: ConditionContext): PredicateNode {
  const names = [...ctx.identifiers.keys()].filter((name) =>
    ast.target === null ? !name.startsWith('_') : compileGlob(ast.target).test(name),
  );
  const label = `${ast.quantifier} of ${ast.target ?? 'them'}`;
  if (names.length === 0) {
    ctx.diagnostics.push({
      message: `'${label}' matches no search identifier`,
      severity: 'error',
      scope: 'query',
      ...ctx.place(ast.start),
    });
    return other(label);
  }
  for (const n of names) ctx.used.add(n);
  const trees = names.map((n) => ctx.identifiers.get(n)!);
  const q = ast.quantifier;
  if (q === 'all') return combine('and', trees);
  if (q === 'any' || q <= 1) {
    if (q === 0) {
      ctx.diagnostics.push({ message: `'${label}' is always true`, severity: 'warning', scope: 'query', ...ctx.place(ast.start) });
    }
    return combine('or', trees);
  }
  if (q >= trees.length) {
    if (q > trees.length) {
      ctx.diagnostics.push({
        message: `'${label}' asks for more identifiers than the ${trees.length} that match`,
        severity: 'warning',
        scope: 'query',
        ...ctx.place(ast.start),
      });
    }
    return combine('and', trees);
  }
  if (binomial(trees.length, q) > MAX_COMBINATIONS) {
    ctx.diagnostics.push({
      message: `'${label}' is kept as 'any of' (too many combinations to spell out)`,
      severity: 'info',
      scope: 'query',
      ...ctx.place(ast.start),
    });
    return combine('or', trees);
  }
  return combine(
    'or',
    combinations(trees, q).map((c) => combine('and', c)),
  );
}
