// Literal values and column references in expressions, resolved through `let` bindings.
import type { ComputedColumns } from '../../model/computed.js';
import type { Diagnostic, Scalar } from '../../model/types.js';
import { kindOf, type SyntaxElement, type SyntaxToken } from './loader.js';
import type { Scope } from './scope.js';
import { listItems, member, simpleName, textOf } from './syntax.js';

export interface ExpressionContext {
  query: string;
  scope: Scope;
  /** Columns the pipeline computed before this expression (`extend f = iff(...)`). */
  computed?: ComputedColumns;
  /** Where info diagnostics about untraced computed columns go. */
  notes?: Diagnostic[];
}

/** Values an expression stands for; `list` when it is a list (dynamic array, one-column table). */
export interface Resolved {
  values: Scalar[];
  list: boolean;
}

/** Conversion wrappers that do not change which column is compared (`tostring(x.y) == "a"`). */
const TRANSPARENT_FUNCTIONS = new Set([
  'tostring',
  'toint',
  'tolong',
  'toreal',
  'todouble',
  'todecimal',
  'tobool',
  'toboolean',
  'todatetime',
  'totimespan',
  'toguid',
  'todynamic',
  'toobject',
  // parse_json is todynamic's other name: `parse_json(AdditionalFields).Name` reads AdditionalFields.Name.
  'parse_json',
  'parsejson',
]);

/** Case-folding wrappers: comparing `tolower(x)` is a case-insensitive comparison of `x`. */
const CASE_FOLDING_FUNCTIONS = new Set(['tolower', 'toupper']);

function numberValue(token: SyntaxToken): Scalar {
  const text = token.ValueText ?? token.Text;
  if (text === 'null') return null;
  const n = Number(text);
  // Longs beyond 2^53 would lose digits as numbers: keep them as written.
  if (Number.isNaN(n) || (Number.isInteger(n) && !Number.isSafeInteger(n))) return text;
  return n;
}

function literalToken(expr: SyntaxElement): SyntaxToken | undefined {
  return member(expr, 'Token') as SyntaxToken | undefined;
}

function stringTokens(node: SyntaxElement, out: string[]): void {
  if (node.IsToken) {
    const value = (node as SyntaxToken).Value;
    if (typeof value === 'string') out.push(value);
    return;
  }
  for (let i = 0; i < node.ChildCount; i++) {
    const child = node.GetChild(i);
    if (child) stringTokens(child, out);
  }
}

/** The value of a literal expression; undefined when the expression is not a literal. */
export function literalValue(expr: SyntaxElement): { value: Scalar } | undefined {
  const kind = kindOf(expr);
  switch (kind) {
    case 'StringLiteralExpression': {
      const value = literalToken(expr)?.Value;
      return typeof value === 'string' ? { value } : undefined;
    }
    case 'CompoundStringLiteralExpression': {
      // Adjacent string literals ("a" "b") concatenate.
      const parts: string[] = [];
      stringTokens(expr, parts);
      return { value: parts.join('') };
    }
    case 'LongLiteralExpression':
    case 'IntLiteralExpression':
    case 'RealLiteralExpression':
    case 'DecimalLiteralExpression': {
      const token = literalToken(expr);
      return token ? { value: numberValue(token) } : undefined;
    }
    case 'BooleanLiteralExpression':
      return { value: literalToken(expr)?.ValueText === 'true' };
    case 'NullLiteralExpression':
      return { value: null };
    case 'DateTimeLiteralExpression':
    case 'TimespanLiteralExpression':
    case 'GuidLiteralExpression': {
      // Kept as written (`datetime(2024-01-01)`, `1h`): their .NET values do not map to JSON scalars.
      const token = literalToken(expr);
      return token ? { value: token.Text } : undefined;
    }
    case 'UnaryMinusExpression': {
      const inner = member(expr, 'Expression');
      const operand = inner ? literalValue(inner) : undefined;
      return typeof operand?.value === 'number' ? { value: -operand.value } : undefined;
    }
    default:
      return undefined;
  }
}

/** Values inside `dynamic(...)`: a JSON array or a single JSON scalar. */
function dynamicValues(expr: SyntaxElement): Resolved | undefined {
  const inner = member(expr, 'Expression');
  if (!inner) return undefined;
  if (kindOf(inner) === 'JsonArrayExpression') {
    const values: Scalar[] = [];
    for (const item of listItems(member(inner, 'Values'))) {
      const literal = literalValue(item);
      if (!literal) return undefined;
      values.push(literal.value);
    }
    return { values, list: true };
  }
  const literal = literalValue(inner);
  return literal ? { values: [literal.value], list: false } : undefined;
}

function functionName(call: SyntaxElement): string | undefined {
  return simpleName(member(call, 'Name'));
}

export function callArguments(call: SyntaxElement): SyntaxElement[] {
  return listItems(member(member(call, 'ArgumentList'), 'Expressions'));
}

/** Literal values of an expression: literals, `dynamic(...)`, `pack_array(...)` and let names. */
export function resolveValue(expr: SyntaxElement, ctx: ExpressionContext): Resolved | undefined {
  const literal = literalValue(expr);
  if (literal) return { values: [literal.value], list: false };
  switch (kindOf(expr)) {
    case 'DynamicExpression':
      return dynamicValues(expr);
    case 'ParenthesizedExpression': {
      const inner = member(expr, 'Expression');
      return inner ? resolveValue(inner, ctx) : undefined;
    }
    case 'NameReference': {
      const name = simpleName(expr);
      const binding = name === undefined ? undefined : ctx.scope.lookup(name);
      if (binding?.kind === 'values') return { values: binding.values, list: binding.list };
      if (binding?.kind === 'tabular' && binding.values) return { values: binding.values, list: true };
      return undefined;
    }
    case 'FunctionCallExpression':
      return callValue(expr, ctx);
    default:
      return undefined;
  }
}

/** `pack_array(...)`, and `tolower(s)` / `toupper(s)` of a known value (`tolower(x) == tolower(letName)`). */
function callValue(call: SyntaxElement, ctx: ExpressionContext): Resolved | undefined {
  const name = functionName(call);
  const args = callArguments(call);
  if (name === 'pack_array') {
    const values = resolveList(args, ctx);
    return values ? { values, list: true } : undefined;
  }
  if ((name === 'tolower' || name === 'toupper') && args.length === 1) {
    const inner = resolveValue(args[0]!, ctx);
    if (!inner) return undefined;
    const fold = (v: Scalar): Scalar => (typeof v === 'string' ? (name === 'tolower' ? v.toLowerCase() : v.toUpperCase()) : v);
    return { values: inner.values.map(fold), list: inner.list };
  }
  return undefined;
}

/** Values of a list of expressions (the `(...)` of `in`, `has_any`), lists spread; undefined if any is unknown. */
export function resolveList(items: SyntaxElement[], ctx: ExpressionContext): Scalar[] | undefined {
  const values: Scalar[] = [];
  for (const item of items) {
    const resolved = resolveValue(item, ctx);
    if (!resolved) return undefined;
    values.push(...resolved.values);
  }
  return values;
}

export interface FieldRef {
  /** Column path as written, bracketed names unquoted, conversion wrappers removed. */
  text: string;
  /** The column is wrapped in tolower()/toupper(), so the comparison ignores case. */
  caseFolded: boolean;
}

/**
 * The column an expression refers to: `a`, `['a b']` (-> `a b`), `a.b`, `a["b"]` (-> `a.b`),
 * `tostring(a.b)` (-> `a.b`), `*` (search everywhere). Undefined for anything else, including
 * let-bound names, which are values rather than columns.
 */
export function fieldRef(expr: SyntaxElement, ctx: ExpressionContext): FieldRef | undefined {
  switch (kindOf(expr)) {
    case 'NameReference': {
      const name = simpleName(expr);
      if (name === undefined || ctx.scope.lookup(name)) return undefined;
      // `extend cmd = tolower(CommandLine)`: cmd reads CommandLine, case-folded.
      const computed = ctx.computed?.get(name);
      if (computed?.kind === 'field') return { text: computed.field, caseFolded: computed.caseFolded };
      return { text: name, caseFolded: false };
    }
    case 'StarExpression':
      return { text: '*', caseFolded: false };
    case 'ParenthesizedExpression': {
      const inner = member(expr, 'Expression');
      return inner ? fieldRef(inner, ctx) : undefined;
    }
    case 'PathExpression': {
      const base = member(expr, 'Expression');
      const selector = member(expr, 'Selector');
      if (!base || !selector) return undefined;
      const key = simpleName(selector) ?? textOf(ctx.query, selector);
      const baseName = simpleName(base);
      // Join keys: `$left.a` and `$right.a` are both column `a`.
      if (baseName === '$left' || baseName === '$right') return { text: key, caseFolded: false };
      const baseRef = fieldRef(base, ctx);
      return { text: `${baseRef?.text ?? textOf(ctx.query, base)}.${key}`, caseFolded: baseRef?.caseFolded ?? false };
    }
    case 'ElementExpression': {
      const base = member(expr, 'Expression');
      const index = member(member(expr, 'Selector'), 'Expression');
      const baseRef = base ? fieldRef(base, ctx) : undefined;
      const key = index ? literalValue(index) : undefined;
      if (!baseRef || !key) return { text: textOf(ctx.query, expr), caseFolded: false };
      const text = typeof key.value === 'number' ? `${baseRef.text}[${key.value}]` : `${baseRef.text}.${String(key.value)}`;
      return { text, caseFolded: baseRef.caseFolded };
    }
    case 'FunctionCallExpression': {
      const name = functionName(expr)?.toLowerCase();
      const args = callArguments(expr);
      // column_ifexists("Name", default) reads column Name when the table has it.
      if (name === 'column_ifexists' && args[0]) {
        const column = literalValue(args[0])?.value;
        return typeof column === 'string' ? { text: column, caseFolded: false } : undefined;
      }
      if (name === undefined || args.length !== 1) return undefined;
      const folds = CASE_FOLDING_FUNCTIONS.has(name);
      if (!folds && !TRANSPARENT_FUNCTIONS.has(name)) return undefined;
      const inner = fieldRef(args[0]!, ctx);
      return inner ? { text: inner.text, caseFolded: inner.caseFolded || folds } : undefined;
    }
    default:
      return undefined;
  }
}
