// Snowflake SQL analyser, for Panther scheduled and saved queries.
//
// Parsing is done by sql.peggy (see its header for why not node-sql-parser, and for the Panther
// and Jinja syntax it reads); this module turns the AST into the shared model:
//   stages   in source order, one per clause, text = the exact slice:
//              `with`      one per CTE (`name AS (...)`), at depth + 1; its clauses follow at
//                          depth + 1 too
//              `select`    SELECT through the end of the select list
//              `from`      FROM and its first table, with any comma-separated tables after it;
//                          carries `sources`
//              `join`      each explicit JOIN (and a comma item after one) with its ON condition
//              `where` `having` `qualify`  with `condition`
//              `group by` `order by` `limit` (`offset`, `fetch`)
//              `union` (also for UNION ALL) `minus` `except` `intersect`: the operator alone;
//                          the next SELECT follows at the same depth
//              `template`  a Jinja macro call ending the WITH list and standing for the final
//                          SELECT (`{{ new_unique_values('subquery', ...) }}`): reads the CTEs its
//                          arguments name
//              `macro`     one per `{% macro %}` of a macro library (a query file holding only
//                          macros); the macro's own query follows at depth 1
//            subqueries (derived tables, `IN (SELECT ...)`, EXISTS, scalar subqueries) follow
//            the stage they sit in, one depth deeper; the conditions of a subquery under an odd
//            number of negations (`NOT EXISTS (...)`, `x NOT IN (SELECT ...)`) are wrapped in a
//            `not` node, since the rows it finds are the ones kept out; so are those of an
//            anti-join, `a LEFT JOIN b ON ... WHERE b.k IS NULL` (a top-level conjunct): the join
//            stage's ON condition and the stages of b's derived table or ON subqueries (a CTE's
//            own stages are shared with its other readers and stay as they are)
//   sources  tables of FROM / JOIN as written (`panther_logs.public.okta_systemlog`), CTE names
//            resolved to the tables the CTE reads; table functions (FLATTEN, GENERATOR) are not
//            sources; Jinja table names (`{{ subquery }}`) neither
//   outputFields  the final SELECT list (first leg of a UNION): alias, else the column name, else
//            the expression as written (Snowflake's own column name); `*` expanded when every
//            table it covers is a CTE or subquery with known columns, else `*`; source `select`
//   conditions  see condition.ts: `actor:alternateId` is field `actor.alternateId`; `=` is a
//            case-sensitive `eq`; `lower(x) = 'a'` a case-insensitive one; time filters such as
//            `p_occurs_since('1 day')` are `other` nodes; a column a select list computed (`lower(x) AS y`,
//            `IFF(c, 1, 0) AS f`, `CASE WHEN ...`), named in the same SELECT's WHERE / HAVING /
//            QUALIFY or read from a CTE or subquery, stands for what computed it (model/computed)

import { lineColumn } from '../../model/diagnostics.js';
import { combine, negate } from '../../model/predicates.js';
import type { Diagnostic, OutputField, QueryAnalysis, Stage } from '../../model/types.js';
import type { QueryLanguage } from '../types.js';
import type { Expr, From, Query, Select, SelectItem, SetExpr, Source, Span, Statement } from './ast.js';
import { columnDefinition, pathText, textOf, toCondition, usingCondition, type ConditionContext } from './condition.js';
import { ComputedColumns } from '../../model/computed.js';
import { parse, SyntaxError as PeggySyntaxError } from './sql.parser.js';
import { failedAnalysis as failed } from '../failure.js';
import { type PeggyExpectation as Expectation, describeExpectation } from '../peggy-errors.js';
import { sqlHighlight } from './sql.keywords.js';
import { constructOf } from '../../model/diagnostics.js';

/** Table functions that generate rows rather than read a log table. */
const ROW_FUNCTIONS = new Set(['flatten', 'generator', 'split_to_table', 'strtok_split_to_table', 'result_scan']);

/** What a CTE or subquery stands for: the tables it reads and its columns (undefined: unknown). */
interface Binding {
  sources: string[];
  outputs: OutputField[] | undefined;
  /** What its computed columns stand for (`lower(x) AS y`, `IFF(c, 1, 0) AS flag`). */
  computed?: ComputedColumns;
}

class Scope {
  private readonly names = new Map<string, Binding>();

  constructor(private readonly parent?: Scope) {}

  define(name: string, binding: Binding): void {
    this.names.set(name.toLowerCase(), binding);
  }

  lookup(name: string): Binding | undefined {
    return this.names.get(name.toLowerCase()) ?? this.parent?.lookup(name);
  }
}

function unique(values: Iterable<string>): string[] {
  return [...new Set(values)];
}

/**
 * The DEFINE'd row variables a MATCH_RECOGNIZE PATTERN needs a row of (lower-cased): those it names
 * without a quantifier that allows none (`*`, `?`, `{0,`); with an alternation (`|`), any one of the
 * variables it names. No pattern read: none.
 */
function patternNeeds(pattern: string | null, defined: string[]): { names: Set<string>; any: boolean } {
  const names = new Set<string>();
  if (pattern === null) return { names, any: false };
  const known = new Set(defined.map((d) => d.toLowerCase()));
  const any = pattern.includes('|');
  for (const m of pattern.matchAll(/([A-Za-z_][A-Za-z0-9_$]*)\s*([*?+]|\{\s*\d*)?/g)) {
    const name = m[1]!.toLowerCase();
    const quantifier = (m[2] ?? '').replace(/\s/g, '');
    const optional = quantifier === '*' || quantifier === '?' || /^\{0*$/.test(quantifier);
    if (known.has(name) && (any || !optional)) names.add(name);
  }
  return { names, any };
}

/** Known columns, or undefined when any of them stands for "all columns of a table". */
function known(fields: OutputField[]): OutputField[] | undefined {
  return fields.some((f) => f.field === '*' || f.field.endsWith('.*')) ? undefined : fields;
}

/** A query directly below a node; `excluded` when it sits under an odd number of negations. */
interface Subquery {
  query: Query;
  excluded: boolean;
}

/**
 * Queries directly below a node (not below those queries). `NOT EXISTS (...)`, `x NOT IN (SELECT ...)`
 * and any other subquery under an odd number of NOTs name rows the outer query keeps out.
 */
function subqueries(node: unknown, out: Subquery[] = [], negated = false): Subquery[] {
  if (Array.isArray(node)) {
    for (const item of node) subqueries(item, out, negated);
  } else if (node !== null && typeof node === 'object') {
    const t = (node as { t?: string }).t;
    if (t === 'query') {
      out.push({ query: node as Query, excluded: negated });
      return out;
    }
    if (t === 'not') return subqueries((node as { x: unknown }).x, out, !negated);
    if (t === 'in' && (node as { neg: boolean }).neg) {
      const { l, list, query } = node as { l: unknown; list: unknown; query: unknown };
      subqueries([l, list], out, negated);
      return subqueries(query, out, !negated);
    }
    for (const value of Object.values(node)) if (value !== null && typeof value === 'object') subqueries(value, out, negated);
  }
  return out;
}

/** Names that qualify the columns of a FROM item: its alias, else the table's full and last name. */
function sourceNames(source: Source): string[] {
  if (source.alias) return [source.alias];
  if (source.t === 'table') return unique([source.name, source.parts[source.parts.length - 1]!]);
  return [];
}

/** A source read by one FROM / JOIN item, with the names that qualify its columns. */
interface SourceInfo {
  binding: Binding;
  names: string[];
  /** For a LEFT JOIN: its join stage and the stages of its derived table and ON subqueries. */
  leftJoin?: Stage[];
}

/** The qualifier of the column a WHERE conjunct tests for NULL: `b` of `b.id IS NULL`. */
function nullTested(e: Expr): string | undefined {
  if (e.t !== 'is' || e.what !== 'null' || e.neg || e.l.t !== 'ref' || e.l.parts.length < 2) return undefined;
  const first = e.l.parts[0]!;
  return first.k === 'name' ? String(first.v).toLowerCase() : undefined;
}

/**
 * The stages of the LEFT JOINs a WHERE turns into anti-joins: a top-level conjunct requires a
 * column of the joined side to be NULL, so only rows without a match are kept. One list per join: each is an excluded side.
 */
function antiJoined(from: SourceInfo[], where: Expr): Stage[][] {
  const conjuncts = where.t === 'and' ? where.items : [where];
  const tested = new Set(conjuncts.map(nullTested).filter((q): q is string => q !== undefined));
  return from.filter((f) => f.leftJoin && f.names.some((n) => tested.has(n.toLowerCase()))).map((f) => f.leftJoin!);
}

class Walker {
  readonly stages: Stage[] = [];
  /** Excluded sides so far (Stage.excludedSide): a side keeps out the rows all its stages' conditions hold for. */
  private sides = 0;
  readonly diagnostics: Diagnostic[] = [];
  /** The computed columns of each query walked, when its result is one SELECT. */
  private readonly computedOf = new WeakMap<Query | Select, ComputedColumns>();

  constructor(private readonly query: string) {}

  sources(from = 0): string[] {
    return unique(this.stages.slice(from).flatMap((s) => s.sources ?? []));
  }

  private addStage(kind: string, span: Span, depth: number): Stage {
    const stage: Stage = { kind, text: this.query.slice(span.s, span.e), depth };
    this.stages.push(stage);
    return stage;
  }

  /** Stages of one excluded side: their conditions negated, the side numbered. */
  private exclude(stages: Stage[]): void {
    const side = this.sides++;
    for (const stage of stages) {
      if (!stage.condition) continue;
      stage.condition = negate(stage.condition);
      stage.excludedSide = side;
    }
  }

  private nested(node: unknown, depth: number, scope: Scope, qualifiers: ReadonlySet<string>): void {
    for (const { query, excluded } of subqueries(node)) {
      const mark = this.stages.length;
      this.walkQuery(query, depth, scope, qualifiers);
      // The rows an excluded subquery finds are kept out: its conditions are exclusions.
      if (excluded) this.exclude(this.stages.slice(mark));
    }
  }

  /** Walk a query at `depth`; returns its columns. */
  walkQuery(q: Query, depth: number, outer: Scope, qualifiers: ReadonlySet<string>): OutputField[] {
    const scope = new Scope(outer);
    const items = q.with?.items ?? [];
    for (const [i, item] of items.entries()) {
      if (item.t === 'cte') {
        this.addStage('with', item, depth + 1);
        const mark = this.stages.length;
        const outputs = this.walkQuery(item.query, depth + 1, scope, qualifiers);
        scope.define(item.name, { sources: this.sources(mark), outputs: known(outputs), computed: this.computedOf.get(item.query) });
      } else if (i === items.length - 1 && q.body === null) {
        // The macro call stands for the final SELECT: it reads the CTEs its arguments name.
        const stage = this.addStage('template', item, depth);
        const read = new Set<string>();
        for (const m of item.text.matchAll(/'([^']*)'|"([^"]*)"|([A-Za-z_][A-Za-z0-9_$]*)/g)) {
          for (const s of scope.lookup(m[1] ?? m[2] ?? m[3] ?? '')?.sources ?? []) read.add(s);
        }
        if (read.size > 0) stage.sources = [...read];
        this.diagnostics.push({
          message: `the final query comes from the Jinja macro call ${item.text.replace(/\s+/g, ' ')}, which is not expanded: its columns are unknown`,
          severity: 'info',
          scope: 'query',
          ...lineColumn(this.query, item.s),
        });
      } else {
        this.addStage('template', item, depth + 1);
      }
    }
    const outputs = q.body ? this.setExpr(q.body, depth, scope, qualifiers) : [];
    // A UNION's rows come from several SELECTs: only a single one's definitions hold for all.
    const only = q.body?.items.length === 1 ? q.body.items[0]! : undefined;
    const computed = only && this.computedOf.get(only);
    if (computed) this.computedOf.set(q, computed);
    if (q.order) {
      this.addStage('order by', q.order, depth);
      this.nested(q.order.items, depth + 1, scope, qualifiers);
    }
    if (q.limit) {
      this.addStage(q.limit.kind, q.limit, depth);
      this.nested(q.limit.items, depth + 1, scope, qualifiers);
    }
    return outputs;
  }

  private setExpr(body: SetExpr, depth: number, scope: Scope, qualifiers: ReadonlySet<string>): OutputField[] {
    let outputs: OutputField[] = [];
    for (const [i, item] of body.items.entries()) {
      const op = body.ops[i - 1];
      if (op) this.addStage(op.op.startsWith('union') ? 'union' : op.op, op, depth);
      const columns = item.t === 'select' ? this.select(item, depth, scope, qualifiers) : this.walkQuery(item, depth, scope, qualifiers);
      if (i === 0) outputs = columns;
    }
    return outputs;
  }

  private select(sel: Select, depth: number, scope: Scope, outerQualifiers: ReadonlySet<string>): OutputField[] {
    const qualifiers = new Set(outerQualifiers);
    for (const item of sel.from?.items ?? []) for (const name of sourceNames(item.item)) qualifiers.add(name.toLowerCase());
    const ctx: ConditionContext = { query: this.query, qualifiers };

    this.addStage('select', sel.head, depth);
    this.nested(sel.items, depth + 1, scope, qualifiers);
    const fromSources = sel.from ? this.from(sel.from, depth, scope, outerQualifiers, ctx) : [];
    this.computeColumns(sel, fromSources, ctx);
    for (const item of sel.from?.items ?? []) {
      const match = item.item.match;
      if (!match?.defines.length) continue;
      // The rows a match needs: one per variable its PATTERN requires (`a b+`), any one of them under `|`.
      const stage = this.addStage('define', { s: match.defines[0]!.s, e: match.defines[match.defines.length - 1]!.e }, depth);
      const needed = patternNeeds(
        match.pattern,
        match.defines.map((d) => d.name),
      );
      const conditions = match.defines.filter((d) => needed.names.has(d.name.toLowerCase())).map((d) => toCondition(d.cond, ctx));
      if (conditions.length > 0) stage.condition = combine(needed.any ? 'or' : 'and', conditions);
    }
    if (sel.where) {
      const stage = this.addStage('where', sel.where, depth);
      stage.condition = toCondition(sel.where.cond, ctx);
      this.nested(sel.where.cond, depth + 1, scope, qualifiers);
      // `a LEFT JOIN b ON ... WHERE b.k IS NULL` keeps the rows of `a` that `b` does not match:
      // the ON condition and b's own subquery describe what is kept out.
      for (const side of antiJoined(fromSources, sel.where.cond)) this.exclude(side);
    }
    if (sel.group) {
      this.addStage('group by', sel.group, depth);
      this.nested(sel.group.items, depth + 1, scope, qualifiers);
    }
    for (const [kind, clause] of [
      ['having', sel.having],
      ['qualify', sel.qualify],
    ] as const) {
      if (!clause) continue;
      const stage = this.addStage(kind, clause, depth);
      stage.condition = toCondition(clause.cond, ctx);
      this.nested(clause.cond, depth + 1, scope, qualifiers);
    }
    return this.outputs(sel.items, fromSources);
  }

  /**
   * The columns a SELECT's conditions see computed (those of the CTEs and subqueries it reads,
   * and its own aliases where no such column has the name), and those its result carries on.
   */
  private computeColumns(sel: Select, from: SourceInfo[], ctx: ConditionContext): void {
    const read = new ComputedColumns();
    const known = new Set<string>();
    for (const { binding } of from) {
      for (const f of binding.outputs ?? []) known.add(f.field.toLowerCase());
      for (const name of binding.computed?.names() ?? []) read.define(name, binding.computed!.get(name)!);
    }
    const carried = new ComputedColumns();
    const readCtx: ConditionContext = { ...ctx, computed: read, notes: this.diagnostics };
    for (const item of sel.items) {
      if (item.expr.t === 'star') {
        for (const name of read.names()) carried.define(name, read.get(name)!);
        continue;
      }
      const name = (item.alias ?? this.columnName(item.expr)).toLowerCase();
      const definition = columnDefinition(item.expr, readCtx);
      if (definition) carried.define(name, definition);
    }
    this.computedOf.set(sel, carried);
    // Snowflake lets WHERE name a select alias; a column of that name in what it reads wins.
    const seen = read.clone();
    for (const name of carried.names()) {
      const definition = carried.get(name)!;
      // `lower(user) AS user`: WHERE's `user` is still the table's column.
      const sameColumn = definition.kind === 'field' && definition.field.toLowerCase() === name;
      if (!known.has(name) && !read.get(name) && !sameColumn) seen.define(name, definition);
    }
    ctx.computed = seen;
    ctx.notes = this.diagnostics;
  }

  /** FROM and its joins: the sources of each item, in order. */
  private from(from: From, depth: number, scope: Scope, outer: ReadonlySet<string>, ctx: ConditionContext): SourceInfo[] {
    // The FROM stage covers its first item and the comma-separated ones right after it.
    let lead = 1;
    while (lead < from.items.length && from.items[lead]!.join === ',') lead++;
    const fromStage = this.addStage('from', { s: from.s, e: from.items[lead - 1]!.e }, depth);
    const infos: SourceInfo[] = [];
    for (const [i, item] of from.items.entries()) {
      const mark = this.stages.length;
      const stage = i < lead ? fromStage : this.addStage('join', item, depth);
      // Derived tables see the outer query's names, not their siblings'.
      const info = this.source(item.item, depth + 1, scope, outer);
      infos.push(info);
      if (info.binding.sources.length > 0) stage.sources = unique([...(stage.sources ?? []), ...info.binding.sources]);
      if (item.on) {
        stage.condition = toCondition(item.on, ctx);
        this.nested(item.on, depth + 1, scope, ctx.qualifiers);
      } else if (item.using) {
        const condition = usingCondition(item.using, textOf(ctx, item));
        if (condition) stage.condition = condition;
      }
      // The join stage, then those of the derived table and of the ON condition's subqueries.
      if (i >= lead && item.join && /\bleft\b/i.test(item.join)) info.leftJoin = this.stages.slice(mark);
    }
    return infos;
  }

  private source(source: Source, depth: number, scope: Scope, qualifiers: ReadonlySet<string>): SourceInfo {
    const names = sourceNames(source);
    switch (source.t) {
      case 'table': {
        const jinja = source.parts.some((p) => p.includes('{{'));
        const cte = source.parts.length === 1 ? scope.lookup(source.name) : undefined;
        // MATCH_RECOGNIZE returns its own columns (partition keys and measures).
        if (cte) return { binding: source.reshaped ? { sources: cte.sources, outputs: undefined } : cte, names };
        return { binding: { sources: jinja ? [] : [source.name], outputs: undefined }, names };
      }
      case 'derived': {
        const mark = this.stages.length;
        const outputs = this.walkQuery(source.query, depth, scope, qualifiers);
        const computed = source.reshaped ? undefined : this.computedOf.get(source.query);
        return { binding: { sources: this.sources(mark), outputs: source.reshaped ? undefined : known(outputs), computed }, names };
      }
      case 'tablefn': {
        const mark = this.stages.length;
        this.nested(source.call, depth, scope, qualifiers);
        const call = source.call.t === 'call' ? source.call : undefined;
        const own = call && !ROW_FUNCTIONS.has(call.name.toLowerCase()) && !call.name.includes('{{') ? [call.name] : [];
        return { binding: { sources: unique([...own, ...this.sources(mark)]), outputs: undefined }, names };
      }
    }
  }

  /** Columns of a select list. */
  private outputs(items: SelectItem[], from: SourceInfo[]): OutputField[] {
    const out: OutputField[] = [];
    const seen = new Set<string>();
    const add = (field: string) => {
      if (seen.has(field)) return;
      seen.add(field);
      out.push({ field, source: 'select' });
    };
    for (const item of items) {
      const expr = item.expr;
      if (expr.t === 'star' && !item.alias) {
        const covered = expr.qual === null ? from : from.filter((f) => f.names.some((n) => n.toLowerCase() === expr.qual!.toLowerCase()));
        const columns =
          covered.length > 0 && covered.every((f) => f.binding.outputs !== undefined)
            ? covered.flatMap((f) => f.binding.outputs!)
            : undefined;
        if (columns) for (const c of columns) add(c.field);
        else add(expr.qual === null ? '*' : `${expr.qual}.*`);
        continue;
      }
      add(item.alias ?? this.columnName(expr));
    }
    return out;
  }

  /** The name Snowflake gives an unaliased column: a column's own name, else the expression. */
  private columnName(expr: Expr): string {
    if (expr.t === 'ref' && expr.parts.every((p) => p.k === 'name')) return String(expr.parts[expr.parts.length - 1]!.v);
    if (expr.t === 'ref') return pathText(expr.parts);
    if (expr.t === 'jinja') return expr.text;
    return textOf({ query: this.query }, expr).replace(/\s+/g, ' ');
  }
}

// ---------------------------------------------------------------------------------------------
// Syntax errors

const QUIET = new Set(['whitespace', 'comment']);

// Expectations that together mean "a value can start here" / "an operator can follow here":
// collapsed into one word each, so that messages list the clauses that could come instead.
const VALUE_START = new Set([
  '-',
  '+',
  '(',
  '[',
  '*',
  '$',
  'string',
  '$$',
  'number',
  'true',
  'false',
  'null',
  'date',
  'timestamp',
  'time',
  'case',
  'cast',
  'try_cast',
  'exists',
  'interval',
  'extract',
  'current_timestamp',
  'current_date',
  'current_time',
  'localtimestamp',
  'localtime',
  'current_user',
  'function name',
  'quoted name',
  'jinja expression',
  'name',
  'not',
]);
const OPERATORS = new Set([
  '::',
  ':',
  '.',
  '[',
  '*',
  '/',
  '%',
  '||',
  '+',
  '-',
  '==',
  '=',
  '!=',
  '<>',
  '<=',
  '>=',
  '<',
  '>',
  'is',
  'not',
  'in',
  'like',
  'ilike',
  'rlike',
  'regexp',
  'between',
  'and',
  'or',
  'escape',
  'within',
  'ignore',
  'respect',
  'over',
]);

function key(x: Expectation): string {
  return (x.text ?? x.description ?? '').toLowerCase();
}

const describe = (x: Expectation): string | null => describeExpectation(x, { quiet: QUIET, keywordsInCapitals: true });

/** What could have come instead, most general first. */
function expectations(expected: Expectation[]): string[] {
  let items = expected.filter((x) => x.type !== 'class');
  const lead: string[] = [];
  if (items.some((x) => key(x) === 'number')) {
    items = items.filter((x) => !VALUE_START.has(key(x)));
    lead.push('expression');
  }
  if (items.some((x) => key(x) === '::')) {
    items = items.filter((x) => !OPERATORS.has(key(x)));
    lead.push('operator');
  }
  return [...new Set([...lead, ...items.map(describe).filter((d): d is string => d !== null)])];
}

/** The word (or single character) at `offset`, quoted, for error messages. */
function foundText(query: string, offset: number): string {
  if (offset >= query.length) return 'end of query';
  const word = /^[A-Za-z0-9_$]{1,30}/.exec(query.slice(offset))?.[0] ?? query.charAt(offset);
  return JSON.stringify(word);
}

function syntaxDiagnostic(err: PeggySyntaxError, query: string, base = 0): Diagnostic {
  const offset = err.location?.start.offset ?? base;
  let message: string;
  if (!Array.isArray(err.expected)) {
    message = err.message;
  } else {
    const names = expectations(err.expected as Expectation[]);
    const shown = names.slice(0, 12);
    let list = shown.length <= 1 ? (shown[0] ?? 'nothing') : `${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]}`;
    if (names.length > shown.length) list = `${shown.join(', ')} (or ${names.length - shown.length} more)`;
    message = `expected ${list} but found ${foundText(query, offset)}`;
  }
  return { message, severity: 'error', scope: 'query', ...lineColumn(query, offset) };
}

function parseStatement(text: string, query: string, macroBody = false): Statement | Diagnostic {
  try {
    // `macroBody` is read by the grammar's start rule (peggy hands its options to the actions).
    const options: { startRule?: string; macroBody: boolean } = { macroBody };
    return parse(text, options) as Statement;
  } catch (err) {
    if (err instanceof PeggySyntaxError) return syntaxDiagnostic(err, query);
    if (err instanceof RangeError) return { message: 'query is nested too deeply to analyse', severity: 'error', scope: 'query' };
    throw err;
  }
}

function isDiagnostic(x: Statement | Diagnostic): x is Diagnostic {
  return 'severity' in x;
}

// ---------------------------------------------------------------------------------------------
// Jinja macro libraries: files of `{% macro name(...) %} ... {% endmacro %}` and nothing else.

const MACRO = /\{%-?\s*macro\s+([A-Za-z_][A-Za-z0-9_]*)[\s\S]*?%\}([\s\S]*?)\{%-?\s*endmacro\s*-?%\}/g;

function macroLibrary(query: string): { s: number; e: number; bodyStart: number; bodyEnd: number }[] | undefined {
  if (!/\{%-?\s*macro\b/.test(query)) return undefined;
  const macros = [...query.matchAll(MACRO)].map((m) => {
    const bodyStart = m.index + m[0].length - m[2]!.length - /\{%-?\s*endmacro\s*-?%\}$/.exec(m[0])![0].length;
    return { s: m.index, e: m.index + m[0].length, bodyStart, bodyEnd: bodyStart + m[2]!.length };
  });
  if (macros.length === 0) return undefined;
  // Outside the macros only blanks, comments and other Jinja statements.
  const rest = query
    .replace(MACRO, ' ')
    .replace(/\{%[\s\S]*?%\}|\{#[\s\S]*?#\}|--[^\n]*|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, ' ')
    .trim();
  return rest === '' ? macros : undefined;
}

/** The query with everything outside [s, e) blanked (newlines kept), so that offsets stay true. */
function masked(query: string, s: number, e: number): string {
  const blank = (t: string) => t.replace(/[^\n]/g, ' ');
  return blank(query.slice(0, s)) + query.slice(s, e) + blank(query.slice(e));
}

function analyseLibrary(query: string, macros: NonNullable<ReturnType<typeof macroLibrary>>): QueryAnalysis {
  const walker = new Walker(query);
  const diagnostics: Diagnostic[] = [];
  let parsed = true;
  for (const macro of macros) {
    walker.stages.push({ kind: 'macro', text: query.slice(macro.s, macro.e), depth: 0 });
    const stmt = parseStatement(masked(query, macro.bodyStart, macro.bodyEnd), query, true);
    if (isDiagnostic(stmt)) {
      diagnostics.push(stmt);
      parsed = false;
    } else if (stmt.query) {
      walker.walkQuery(stmt.query, 1, new Scope(), new Set());
    }
  }
  diagnostics.unshift({
    message: `a Jinja macro library (${macros.length} macros): each macro is analysed on its own; the queries that import them are analysed without expanding them`,
    severity: 'info',
    scope: 'query',
  });
  return {
    stages: walker.stages,
    outputFields: [],
    sources: walker.sources(),
    diagnostics: [...diagnostics, ...walker.diagnostics],
    parsed,
  };
}

function analyse(query: string): QueryAnalysis {
  const macros = macroLibrary(query);
  if (macros) return analyseLibrary(query, macros);
  const stmt = parseStatement(query, query);
  if (isDiagnostic(stmt)) return failed(stmt);
  if (!stmt.query) return failed({ message: 'empty query', severity: 'error', scope: 'query' });
  const walker = new Walker(query);
  const outputFields = walker.walkQuery(stmt.query, 0, new Scope(), new Set());
  return { stages: walker.stages, outputFields, sources: walker.sources(), diagnostics: walker.diagnostics, parsed: true };
}

export const sql: QueryLanguage = {
  id: 'sql',
  name: 'SQL (Snowflake)',
  unreadConstruct: constructOf,
  analyse(query: string): QueryAnalysis {
    try {
      return analyse(query);
    } catch (err) {
      // A tree shape the walker does not expect must not lose the rule.
      return failed({
        message: `internal SQL analyser error: ${err instanceof Error ? err.message : String(err)}`,
        severity: 'error',
        scope: 'query',
      });
    }
  },
  highlight: sqlHighlight,
};
