// Walks the Kusto syntax tree in source order and lists the stages of every pipeline:
// sources, pipe operators, let statements, and the subqueries inside them (one depth deeper).
import { ComputedColumns } from '../../model/computed.js';
import type { Diagnostic, OutputField, Scalar, Stage } from '../../model/types.js';
import { ipLookup, trackComputed } from './computed.js';
import { builtinFunction, kindOf, type SyntaxElement } from './loader.js';
import { datatableColumns, joinKind, nextColumns, type SideColumns } from './outputs.js';
import { Polarity, type Checkpoint } from './polarity.js';
import { joinCondition, toCondition } from './predicates.js';
import { Scope, type Binding } from './scope.js';
import { firstToken, isEmpty, isQueryOperatorKind, listItems, member, simpleName } from './syntax.js';
import { callArguments, literalValue, resolveValue } from './values.js';

/** Legacy spellings and aliases, so that the same operator always counts under one name. */
const KEYWORD_ALIASES = new Map([
  ['filter', 'where'],
  ['limit', 'take'],
  ['order', 'sort'],
  ['mvexpand', 'mv-expand'],
  ['mvapply', 'mv-apply'],
]);

/** Built-in functions that return tables rather than scalars. */
const TABLE_FUNCTIONS = new Set(['table', 'database', 'cluster', 'workspace', 'app', 'external_table', 'materialized_view']);

/** Table expressions that are neither names nor operators, listed under their keyword. */
const KEYWORD_SOURCES = new Set(['ExternalDataExpression', 'ContextualDataTableExpression', 'DataScopeExpression']);

/** Join kinds whose output is the left side's rows with no match on the right, and the reverse. */
const LEFT_ANTI = new Set(['anti', 'leftanti', 'leftantisemi']);
const RIGHT_ANTI = new Set(['rightanti', 'rightantisemi']);

/** `x in (...)` and its forms; for the `!in` ones what the list holds is excluded. */
const MEMBERSHIP = new Set(['InExpression', 'InCsExpression', 'NotInExpression', 'NotInCsExpression']);
const NOT_MEMBERSHIP = new Set(['NotInExpression', 'NotInCsExpression']);

/** Nodes holding a nested query whose text starts after their own keyword. */
const SUBQUERY_WRAPPERS = new Set(['ToScalarExpression', 'ToTableExpression', 'MaterializeExpression']);

function stageKind(op: SyntaxElement): string {
  if (kindOf(op) === 'BadQueryOperator') return 'unknown';
  const keyword = firstToken(op)?.Text.toLowerCase() ?? 'unknown';
  return KEYWORD_ALIASES.get(keyword) ?? keyword;
}

function unique(values: Iterable<string>): string[] {
  return [...new Set(values)];
}

/** The values of a one-column datatable, for `x in (letBoundTable)`. */
function datatableValues(expr: SyntaxElement): Scalar[] | undefined {
  if (kindOf(expr) !== 'DataTableExpression') return undefined;
  if (listItems(member(member(expr, 'Schema'), 'Columns')).length !== 1) return undefined;
  const values: Scalar[] = [];
  for (const item of listItems(member(expr, 'Values'))) {
    const literal = literalValue(item);
    if (!literal) return undefined;
    values.push(literal.value);
  }
  return values;
}

export class StageWalker {
  readonly stages: Stage[] = [];
  /** Info about filters on computed columns not traced to their definitions. */
  readonly notes: Diagnostic[] = [];
  private readonly polarity = new Polarity();

  constructor(private readonly query: string) {}

  /** Once the walk is over: negate the conditions of the stages that only exclude rows. */
  markExclusions(): void {
    this.polarity.apply(this.stages);
  }

  /** Every source the stages read, in order of appearance. */
  sources(from = 0): string[] {
    return unique(this.stages.slice(from).flatMap((s) => s.sources ?? []));
  }

  /**
   * Walk a statement list (the query, or a function body). Returns the columns of the last
   * expression statement: the result of the query.
   */
  statements(statements: SyntaxElement[], depth: number, scope: Scope): OutputField[] | undefined {
    let result: OutputField[] | undefined;
    for (const statement of statements) {
      switch (kindOf(statement)) {
        case 'LetStatement':
          this.letStatement(statement, depth, scope);
          break;
        case 'ExpressionStatement': {
          const expr = member(statement, 'Expression');
          result = expr ? this.tabular(expr, depth, scope) : [];
          break;
        }
        default:
          // set, declare, alias, pattern, restrict ...: kept by keyword.
          this.addStage(firstToken(statement)?.Text.toLowerCase() ?? 'statement', statement, statement, depth);
          this.nested(statement, depth + 1, scope);
      }
    }
    return result;
  }

  private addStage(kind: string, from: SyntaxElement, to: SyntaxElement, depth: number): Stage | undefined {
    if (to.End <= from.TextStart) return undefined;
    const stage: Stage = { kind, text: this.query.slice(from.TextStart, to.End), depth };
    this.stages.push(stage);
    this.polarity.stageAdded();
    return stage;
  }

  private letStatement(statement: SyntaxElement, depth: number, scope: Scope): void {
    this.addStage('let', statement, statement, depth);
    const name = simpleName(member(statement, 'Name'));
    const value = member(statement, 'Expression');
    const binding: Binding = value ? this.polarity.letBody(() => this.letValue(value, depth + 1, scope)) : { kind: 'opaque' };
    if (name !== undefined) scope.define(name, binding);
  }

  private letValue(value: SyntaxElement, depth: number, scope: Scope): Binding {
    const mark = this.stages.length;
    if (kindOf(value) === 'FunctionDeclaration') return this.functionDeclaration(value, depth, scope, mark);
    if (this.isTabular(value, scope)) {
      const computed = new ComputedColumns();
      const outputs = this.tabular(value, depth, scope, computed);
      return { kind: 'tabular', sources: this.sources(mark), outputs, values: datatableValues(value), computed };
    }
    const resolved = resolveValue(value, { query: this.query, scope });
    if (resolved) return { kind: 'values', values: resolved.values, list: resolved.list };
    this.nested(value, depth, scope);
    return { kind: 'opaque' };
  }

  private functionDeclaration(declaration: SyntaxElement, depth: number, scope: Scope, mark: number): Binding {
    const inner = new Scope(scope);
    // Parameters hide outer names; their values are unknown inside the body.
    const parameters: (Binding & { kind: 'parameter' })[] = [];
    for (const param of listItems(member(member(declaration, 'Parameters'), 'Parameters'))) {
      const binding = { kind: 'parameter' as const, index: parameters.length, usedAsTable: false };
      parameters.push(binding);
      const name = simpleName(member(member(param, 'NameAndType'), 'Name'));
      if (name !== undefined) inner.define(name, binding);
    }
    const body = member(declaration, 'Body');
    this.statements(listItems(member(body, 'Statements')), depth, inner);
    const expr = member(body, 'Expression');
    let tabular = false;
    let outputs: OutputField[] = [];
    if (expr && this.isTabular(expr, inner)) {
      tabular = true;
      outputs = this.tabular(expr, depth, inner);
    } else {
      this.nested(expr, depth, inner);
    }
    const tableParameters = parameters.filter((p) => p.usedAsTable).map((p) => p.index);
    return { kind: 'function', tabular, sources: this.sources(mark), outputs, tableParameters };
  }

  /** Whether an expression is a table (true) or a scalar (false), judged from syntax and scope. */
  private isTabular(expr: SyntaxElement, scope: Scope): boolean {
    const kind = kindOf(expr);
    switch (kind) {
      case 'PipeExpression':
      case 'DataTableExpression':
      case 'ContextualDataTableExpression':
      case 'ExternalDataExpression':
      case 'MaterializeExpression':
      case 'ToTableExpression':
        return true;
      case 'ParenthesizedExpression': {
        const inner = member(expr, 'Expression');
        return inner !== undefined && this.isTabular(inner, scope);
      }
      case 'NameReference': {
        const name = simpleName(expr);
        const binding = name === undefined ? undefined : scope.lookup(name);
        // An unknown name in a let value is a table: columns do not exist outside a pipeline.
        return !binding || binding.kind === 'tabular' || (binding.kind === 'function' && binding.tabular);
      }
      case 'FunctionCallExpression': {
        const name = simpleName(member(expr, 'Name'));
        if (name === undefined) return false;
        const binding = scope.lookup(name);
        if (binding) return binding.kind === 'function' && binding.tabular;
        return TABLE_FUNCTIONS.has(name) || !builtinFunction(name, false);
      }
      case 'PathExpression': {
        // database("x").Table, cluster("c").database("d").Table
        let root: SyntaxElement | undefined = expr;
        while (root && kindOf(root) === 'PathExpression') root = member(root, 'Expression');
        return (
          root !== undefined && kindOf(root) === 'FunctionCallExpression' && TABLE_FUNCTIONS.has(simpleName(member(root, 'Name')) ?? '')
        );
      }
      default:
        return isQueryOperatorKind(kind);
    }
  }

  /**
   * Walk a table expression at `depth`; returns the columns it is known to produce. `computed` holds
   * the columns the pipeline computes, as they stand at its end; a nested pipeline starts with none
   * of them, a let-bound table's pipeline with those of its table (head).
   */
  tabular(expr: SyntaxElement, depth: number, scope: Scope, computed = new ComputedColumns()): OutputField[] {
    const start = this.polarity.checkpoint();
    if (kindOf(expr) !== 'PipeExpression') return this.head(expr, depth, scope, start, computed);
    // `a | b | c` nests to the left: ((a | b) | c). Unwind it into source order.
    const pipes: SyntaxElement[] = [];
    let node: SyntaxElement | undefined = expr;
    while (node && kindOf(node) === 'PipeExpression') {
      pipes.push(node);
      node = member(node, 'Expression');
    }
    let columns = node ? this.head(node, depth, scope, start, computed) : [];
    for (let i = pipes.length - 1; i >= 0; i--) {
      const pipe = pipes[i]!;
      const op = member(pipe, 'Operator');
      if (op && !isEmpty(op)) columns = this.operator(op, member(pipe, 'Bar'), depth, scope, columns, start, computed);
    }
    return columns;
  }

  /** The first element of a pipeline: a table, function, let name, datatable, or a source operator. */
  private head(expr: SyntaxElement, depth: number, scope: Scope, start: Checkpoint, computed: ComputedColumns): OutputField[] {
    const kind = kindOf(expr);
    switch (kind) {
      case 'ParenthesizedExpression':
      case 'MaterializeExpression':
      case 'ToTableExpression': {
        // Transparent wrappers: the stages inside stand for themselves, and so do their columns.
        const inner = member(expr, 'Expression');
        return inner ? this.tabular(inner, depth, scope, computed) : [];
      }
      case 'NameReference':
      case 'PathExpression':
      case 'FunctionCallExpression': {
        const { sources, columns, carried } = this.resolveSource(expr, scope);
        // A let-bound table's computed columns are still what its pipeline made them.
        if (carried) computed.defineAll(carried);
        const stage = this.addStage('source', expr, expr, depth);
        if (stage && sources.length > 0) stage.sources = sources;
        if (kind === 'FunctionCallExpression') this.nested(expr, depth + 1, scope);
        return columns;
      }
      case 'DataTableExpression':
        this.addStage('datatable', expr, expr, depth);
        return datatableColumns(expr);
    }
    if (isQueryOperatorKind(kind)) return this.operator(expr, undefined, depth, scope, [], start, computed);
    // externaldata and friends go by their keyword; anything else here is a fragment left by a syntax error.
    const keyword = KEYWORD_SOURCES.has(kind) ? firstToken(expr)?.Text.toLowerCase() : undefined;
    this.addStage(keyword ?? 'unknown', expr, expr, depth);
    this.nested(expr, depth + 1, scope);
    return [];
  }

  /** What a name in a tabular position reads: a table, a function, or what a let name stands for. */
  private resolveSource(expr: SyntaxElement, scope: Scope): { sources: string[]; columns: OutputField[]; carried?: ComputedColumns } {
    const none = { sources: [], columns: [] };
    const kind = kindOf(expr);
    if (kind === 'PathExpression') {
      // database("d").Table: the table is the last selector.
      const table = simpleName(member(expr, 'Selector'));
      return { sources: table === undefined ? [] : [table], columns: [] };
    }
    const call = kind === 'FunctionCallExpression';
    const name = simpleName(call ? member(expr, 'Name') : expr);
    if (name === undefined) return none;
    const binding = scope.lookup(name);
    switch (binding?.kind) {
      case undefined:
        break;
      case 'tabular':
        this.polarity.used(binding);
        return { sources: binding.sources, columns: binding.outputs, carried: binding.computed };
      case 'function': {
        this.polarity.used(binding);
        // Tables passed as arguments: f("SigninLogs"), f(SecurityEvent).
        const args = call ? callArguments(expr) : [];
        const passed = binding.tableParameters.flatMap((i) => (args[i] ? this.tableArgument(args[i], scope) : []));
        return { sources: unique([...binding.sources, ...passed]), columns: binding.outputs };
      }
      case 'parameter':
        binding.usedAsTable = true;
        return none;
      default:
        return none;
    }
    if (call && TABLE_FUNCTIONS.has(name)) {
      // table("Name"), table(parameter)
      const arg = callArguments(expr)[0];
      return { sources: arg ? this.tableArgument(arg, scope) : [], columns: [] };
    }
    return { sources: [name], columns: [] };
  }

  /** A table named by an argument: a string literal, or a name (resolved like any source). */
  private tableArgument(arg: SyntaxElement, scope: Scope): string[] {
    const value = resolveValue(arg, { query: this.query, scope })?.values[0];
    if (typeof value === 'string') return [value];
    return kindOf(arg) === 'NameReference' ? this.resolveSource(arg, scope).sources : [];
  }

  /**
   * One query operator, with the `|` before it when it is piped; `start` is where its pipeline
   * began, the left side of a join.
   */
  private operator(
    op: SyntaxElement,
    bar: SyntaxElement | undefined,
    depth: number,
    scope: Scope,
    input: OutputField[],
    start: Checkpoint,
    computed: ComputedColumns,
  ): OutputField[] {
    const output = this.operatorColumns(op, bar, depth, scope, input, start, computed);
    trackComputed(op, stageKind(op), { query: this.query, scope, computed, notes: this.notes }, toCondition, output);
    return output;
  }

  private operatorColumns(
    op: SyntaxElement,
    bar: SyntaxElement | undefined,
    depth: number,
    scope: Scope,
    input: OutputField[],
    start: Checkpoint,
    computed: ComputedColumns,
  ): OutputField[] {
    const kind = stageKind(op);
    const join = kindOf(op) === 'JoinOperator' ? (joinKind(op, this.query) ?? '') : '';
    // rightanti keeps the right side's rows that match nothing on the left: the left side so far excludes.
    if (RIGHT_ANTI.has(join)) this.polarity.flipSince(start);
    const stage = this.addStage(kind, bar ?? op, op, depth);
    const ctx = { query: this.query, scope, computed, notes: this.notes };
    const side: SideColumns = {};
    switch (kindOf(op)) {
      case 'FilterOperator': {
        const condition = member(op, 'Condition');
        if (stage && condition) stage.condition = toCondition(condition, ctx);
        break;
      }
      case 'EvaluateOperator': {
        // `evaluate ipv4_lookup(...)` without return_unmatched keeps the rows in its ranges.
        const lookup = ipLookup(op, ctx);
        if (stage && lookup && !lookup.unmatched) stage.condition = lookup.inRange;
        break;
      }
      case 'SearchOperator':
      case 'FindOperator': {
        const tables = listItems(member(member(op, 'InClause'), 'Expressions')).flatMap((t) => this.resolveSource(t, scope).sources);
        if (stage && tables.length > 0) stage.sources = unique(tables);
        const condition = member(op, 'Condition');
        if (stage && condition) stage.condition = toCondition(condition, { ...ctx, search: true });
        break;
      }
      case 'JoinOperator':
      case 'LookupOperator': {
        const right = member(op, 'Expression');
        const walkRight = (): OutputField[] => (right ? this.tabular(right, depth + 1, scope) : []);
        side.right = LEFT_ANTI.has(join) ? this.polarity.excluding(walkRight) : walkRight();
        const clause = member(op, 'ConditionClause') ?? member(op, 'LookupClause');
        const condition = clause ? joinCondition(clause, ctx) : undefined;
        if (stage && condition) stage.condition = condition;
        return nextColumns(op, kind, input, side, this.query);
      }
      case 'UnionOperator':
        // Each leg its own side: an excluded union keeps out the rows of each leg, not of all at once.
        side.legs = listItems(member(op, 'Expressions')).map((leg) => this.polarity.ownSide(() => this.tabular(leg, depth + 1, scope)));
        return nextColumns(op, kind, input, side, this.query);
    }
    // Subqueries inside the operator: toscalar(...), `in (T | ...)`, mv-apply / partition bodies.
    this.nested(op, depth + 1, scope);
    return nextColumns(op, kind, input, side, this.query);
  }

  /** Find queries nested below a node (toscalar, `in (T | ...)`, mv-apply and partition subqueries ...). */
  private nested(node: SyntaxElement | undefined, depth: number, scope: Scope): void {
    if (!node) return;
    for (let i = 0; i < node.ChildCount; i++) {
      const child = node.GetChild(i);
      if (!child || child.IsToken) continue;
      const kind = kindOf(child);
      // A query operator not reached through a pipe heads a subquery (`mv-apply ... on (where ...)`).
      if (kind === 'PipeExpression' || isQueryOperatorKind(kind)) {
        this.tabular(child, depth, scope);
      } else if (SUBQUERY_WRAPPERS.has(kind)) {
        const inner = member(child, 'Expression');
        if (inner) this.tabular(inner, depth, scope);
      } else if (MEMBERSHIP.has(kind)) {
        this.membership(child, depth, scope);
      } else if (kind === 'FunctionCallExpression' && simpleName(member(child, 'Name')) === 'not') {
        this.polarity.excluding(() => this.nested(child, depth, scope));
      } else {
        this.nested(child, depth, scope);
      }
    }
  }

  /** `x in (T | ...)`, `x !in (LetTable)`: what the `!in` forms list is excluded. */
  private membership(expr: SyntaxElement, depth: number, scope: Scope): void {
    this.nested(member(expr, 'Left'), depth, scope);
    const right = member(expr, 'Right');
    const walk = (): void => {
      // A let name standing alone in the list reads that table's column.
      for (const item of listItems(member(right, 'Expressions'))) {
        const name = kindOf(item) === 'NameReference' ? simpleName(item) : undefined;
        const binding = name === undefined ? undefined : scope.lookup(name);
        if (binding) this.polarity.used(binding);
      }
      this.nested(right, depth, scope);
    };
    if (NOT_MEMBERSHIP.has(kindOf(expr))) this.polarity.excluding(walk);
    else walk();
  }
}
