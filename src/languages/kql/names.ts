// The names Kusto gives to columns computed without an explicit `name =`.
import { builtinFunction, kindOf, type SyntaxElement } from './loader.js';
import { member, simpleName } from './syntax.js';
import { callArguments, literalValue } from './values.js';

/** Stands for "every input column" (`arg_max(TimeGenerated, *)`, `take_any(*)`). */
export const ALL_COLUMNS = '*';

/** Aggregates whose result columns are their arguments (`arg_max(T, a, b)` -> T, a, b). */
const ARGUMENT_COLUMNS = new Set(['arg_max', 'arg_min', 'take_any']);

/**
 * Column names an unnamed expression produces, following Kusto's rules: a column keeps its
 * name, `a.b` becomes `a_b`, built-in functions follow their ResultNameKind (`count()` ->
 * `count_`, `make_set(x)` -> `set_x`, `bin(T, 1h)` -> `T`). Empty when Kusto would invent
 * `Column1`-style names; may contain ALL_COLUMNS.
 */
export function resultNames(expr: SyntaxElement, aggregate: boolean): string[] {
  switch (kindOf(expr)) {
    case 'NameReference': {
      const name = simpleName(expr);
      return name === undefined ? [] : [name];
    }
    case 'StarExpression':
      return [ALL_COLUMNS];
    case 'ParenthesizedExpression': {
      const inner = member(expr, 'Expression');
      return inner ? resultNames(inner, aggregate) : [];
    }
    case 'PathExpression': {
      const base = single(member(expr, 'Expression'));
      const key = simpleName(member(expr, 'Selector'));
      return base !== undefined && key !== undefined ? [`${base}_${key}`] : [];
    }
    case 'ElementExpression': {
      const base = single(member(expr, 'Expression'));
      const index = member(member(expr, 'Selector'), 'Expression');
      const key = index ? literalValue(index)?.value : undefined;
      return base !== undefined && key !== undefined && key !== null ? [`${base}_${String(key)}`] : [];
    }
    case 'FunctionCallExpression':
      return functionResultNames(expr, aggregate);
    default:
      return [];
  }
}

function single(expr: SyntaxElement | undefined): string | undefined {
  if (!expr) return undefined;
  const names = resultNames(expr, false);
  return names.length === 1 && names[0] !== ALL_COLUMNS ? names[0] : undefined;
}

function functionResultNames(call: SyntaxElement, aggregate: boolean): string[] {
  const name = simpleName(member(call, 'Name'));
  if (name === undefined) return [];
  const args = callArguments(call);
  const first = args[0];

  if (aggregate && ARGUMENT_COLUMNS.has(name)) return args.flatMap((arg) => resultNames(arg, false));
  if (aggregate && name === 'take_anyif') return first ? resultNames(first, false) : [];
  if (aggregate && (name === 'percentile' || name === 'percentiles' || name === 'percentilew' || name === 'percentilesw')) {
    return percentileNames(name, args);
  }

  const naming = builtinFunction(name, aggregate);
  if (!naming) return [];
  const argument = single(first);
  const prefix = naming.prefix ?? name;
  switch (naming.kind) {
    case 'NameAndFirstArgument':
      return [`${name}_${argument ?? ''}`];
    case 'NameAndOnlyArgument':
      return args.length === 1 ? [`${name}_${argument ?? ''}`] : [];
    case 'PrefixAndFirstArgument':
      return [`${prefix}_${argument ?? ''}`];
    case 'PrefixAndOnlyArgument':
      return args.length <= 1 ? [`${prefix}_${argument ?? ''}`] : [];
    case 'FirstArgumentValueIfColumn':
      return argument !== undefined && first && kindOf(first) === 'NameReference' ? [argument] : [];
    case 'PrefixOnly':
      return [prefix];
    case 'FirstArgument':
      return argument !== undefined ? [argument] : [];
    case 'OnlyArgument':
      return args.length === 1 && argument !== undefined ? [argument] : [];
    case 'None':
      return [];
  }
}

/** `percentile(x, 95)` -> `percentile_x_95`; `percentiles(x, 5, 99.5)` -> one column per value. */
function percentileNames(name: string, args: SyntaxElement[]): string[] {
  const [value, ...rest] = args;
  const column = single(value);
  if (column === undefined) return [];
  // The weighted forms take the weight as their second argument.
  const points = name.endsWith('w') ? rest.slice(1) : rest;
  return points.map((point) => `percentile_${column}_${String(literalValue(point)?.value ?? '').replace('.', '_')}`);
}
