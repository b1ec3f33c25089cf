// Splunk SPL analyser.
//
// spl.peggy parses the pipeline (see its header and ast.ts); this module maps it to the shared
// model. Conventions:
//
// Stages   one per command, kind = command name in lower case (`search` for the implicit
//          leading search, `macro` for a macro used as a command, `tstats`, `where`, `stats`,
//          any unknown command by its own name); text = exact source slice, with its leading `|`.
//          A search that starts with a macro (`` `cloudtrail` eventName=X ``) is split into a
//          `macro` stage (text `` `cloudtrail` ``) and a `search` stage for the rest. Commands of
//          subsearches (`[ search ... ]`, `join`/`append` arguments, `NOT [| inputlookup ...]`,
//          the quoted search of `map search="..."`) follow the stage that holds them with `depth`
//          1 (2 inside those, ...). The conditions of a subsearch under NOT (`NOT [search ...]`)
//          are wrapped in a `not` node: the rows it returns are kept out, so its predicates are
//          exclusions.
// Conditions  from the leading search, `search`, `tstats`/`mstats ... where`, `inputlookup ...
//          where` (search language), `where` (eval language) and `regex`.
//          Search language: values match without case (caseSensitive false);
//            `f=v` eq, `f!=v` eq negated, a `*` in the value (quoted or not) makes it `wildcard`,
//            `f=*` exists, `f<v` lt (lte, gt, gte), `f IN (a, b)` in (nativeOp `IN`), or, when a
//            listed value has a `*`, an `or` of eq/wildcard predicates sharing the IN text;
//            a bare term or "phrase" is a predicate on `_raw` (op `has`, or `wildcard` with a
//            `*`; nativeOp `term`); a bare `*`, time modifiers (`earliest=-1h`), subsearches and
//            unknown macros are `other` nodes; a known condition macro (`process_cmd` ...,
//            macros.ts) is replaced by its definition's predicates, whose text is the macro call.
//            Values are strings with `\\` and `\"` unescaped, other backslashes kept.
//          Eval language (`where`): comparisons are case-sensitive, as Splunk evaluates them,
//            except on `lower(f)`/`upper(f)`; `=`/`==` eq, `!=` eq negated, `<` ... lt ...,
//            literal values keep their type (numbers stay numbers); `f = g` between two fields is
//            `fieldref`; `like(f, "a%")` and `f LIKE "a%"` are `wildcard` with the pattern as
//            written (`%` and `_` kept); `match(f, "re")` regex; `in(f, ...)` / `f IN (...)` in;
//            `isnotnull(f)` exists, `isnull(f)` exists negated; `cidrmatch("10.0.0.0/8", f)`
//            cidr; anything else is an `other` node with its text.
//          `regex f="re"` (`!=`): regex predicate (negated), caseSensitive true; no field: `_raw`.
//          Computed columns: a filter (where or search) on a column an `eval` computed with
//            `if` / `case` / a condition stands for the defining conditions, and one computed as
//            `lower(f)` or a copy for f (model/computed); other computations get an info.
// Sources  macro sources (macros.ts), positive `index=`/`sourcetype=`/`source=`/`eventtype=`
//          terms (`sourcetype:aws:cloudtrail`), `tstats ... from datamodel=Endpoint.Processes`
//          and `| from datamodel:X` (`datamodel:Endpoint.Processes`), `inputlookup x`
//          (`lookup:x`); in order of appearance, subsearches included, without repeats.
// Outputs  see outputs.ts.

import { queryError, lineColumn } from '../../model/diagnostics.js';
import { combine, negate, predicate } from '../../model/predicates.js';
import type { Diagnostic, PredicateNode, QueryAnalysis, Stage } from '../../model/types.js';
import type { QueryLanguage } from '../types.js';
import type { Aggregate, Command, QueryAst, SearchExpr, SubsearchNode } from './ast.js';
import { ComputedColumns } from '../../model/computed.js';
import { compileGlob } from '../../model/glob.js';
import { evalCondition, evalDefinition, searchCondition, type Computed, type SearchContext, type Subsearch } from './condition.js';
import { SOURCE_MACROS } from './macros.js';
import { outputsOf } from './outputs.js';
import { parse, SyntaxError as PeggySyntaxError } from './spl.parser.js';
import { type PeggyExpectation as Expectation, foundText } from '../peggy-errors.js';
import { failedAnalysis as failed, parserCrash } from '../failure.js';
import { splHighlight } from './spl.keywords.js';
import { splConstruct } from './unread.js';

export const spl: QueryLanguage = {
  id: 'spl',
  name: 'Splunk SPL',
  unreadConstruct: splConstruct,
  analyse,
  highlight: splHighlight,
};

function analyse(query: string): QueryAnalysis {
  let ast: QueryAst;
  try {
    ast = parse(query) as QueryAst;
  } catch (err) {
    if (err instanceof PeggySyntaxError) return failed(syntaxDiagnostic(err, query));
    return failed(parserCrash(err, 'SPL'));
  }
  if (ast.commands.length === 0) return failed(queryError('empty query'));

  const stages: Stage[] = [];
  // Excluded subsearches, numbered: a side keeps out the rows all its stages' conditions hold for.
  let sides = 0;
  const sources: string[] = [];
  const text = (n: { s: number; e: number }) => query.slice(n.s, n.e);

  const push = (stage: Stage, depth: number) => {
    if (depth > 0) stage.depth = depth;
    if (stage.sources) {
      if (stage.sources.length === 0) delete stage.sources;
      else for (const s of stage.sources) if (!sources.includes(s)) sources.push(s);
    }
    stages.push(stage);
  };

  const notes: Diagnostic[] = [];
  const walk = (commands: Command[], depth: number) => {
    // The columns this pipeline's evals computed; a subsearch starts with none of them.
    const computed: Computed = { columns: new ComputedColumns(), notes, query };
    commands.forEach((cmd, index) => {
      const subsearches: Subsearch[] = [];
      const searchStage = (kind: string, stageText: string, expr: SearchExpr | null, extraSources: string[] = []): Stage => {
        const ctx: SearchContext = { text, sources: [...extraSources], subsearches, computed };
        const stage: Stage = { kind, text: stageText };
        if (expr) stage.condition = searchCondition(expr, ctx);
        stage.sources = ctx.sources;
        return stage;
      };

      switch (cmd.cmd) {
        case 'search': {
          const expr = cmd.expr;
          const lead = index === 0 ? leadingMacro(expr) : null;
          if (lead && expr) {
            // An explicit `search` keyword stays with the macro stage: `search `cloudtrail``.
            const macroText = cmd.implicit ? lead.macro.text : query.slice(cmd.s, lead.macro.e);
            push({ kind: 'macro', text: macroText, sources: [...(SOURCE_MACROS[lead.macro.name] ?? [])] }, depth);
            if (lead.rest) push(searchStage('search', query.slice(lead.rest.s, cmd.e), lead.rest), depth);
          } else {
            push(searchStage('search', text(cmd), expr), depth);
          }
          break;
        }
        case 'macro':
          push({ kind: 'macro', text: text(cmd), sources: [...(SOURCE_MACROS[cmd.macro.name] ?? [])] }, depth);
          break;
        case 'where':
          push({ kind: 'where', text: text(cmd), condition: evalCondition(cmd.expr, text, computed) }, depth);
          break;
        case 'tstats': {
          const datasets: string[] = [];
          const conditions: PredicateNode[] = [];
          const ctx: SearchContext = { text, sources: datasets, subsearches };
          for (const part of cmd.parts) {
            if (part.k === 'from') datasets.push(`${part.dataset.kind}:${part.dataset.name}`);
            else if (part.k === 'macro') for (const s of SOURCE_MACROS[part.macro.name] ?? []) datasets.push(s);
            else if (part.k === 'where') conditions.push(searchCondition(part.expr, ctx));
          }
          const stage: Stage = { kind: cmd.name, text: text(cmd), sources: [...new Set(datasets)] };
          if (conditions.length > 0) stage.condition = combine('and', conditions);
          push(stage, depth);
          break;
        }
        case 'inputlookup':
          push(searchStage('inputlookup', text(cmd), cmd.where, [`lookup:${cmd.table}`]), depth);
          break;
        case 'regex': {
          const c = cmd.cond;
          const condition = predicate(c.field ?? '_raw', 'regex', [c.regex], {
            negated: c.op === '!=',
            caseSensitive: true,
            nativeOp: c.op ?? '',
            text: text(c),
          });
          push({ kind: 'regex', text: text(cmd), condition }, depth);
          break;
        }
        case 'from':
          subsearches.push(...cmd.subsearches.map(included));
          push({ kind: 'from', text: text(cmd), sources: [`${cmd.dataset.kind}:${cmd.dataset.name}`] }, depth);
          break;
        case 'generic': {
          subsearches.push(...cmd.subsearches.map(included));
          push({ kind: cmd.name, text: text(cmd) }, depth);
          // `map search="..."` runs its quoted search once per row: its stages follow as a subsearch.
          const mapped = cmd.name === 'map' ? mapSearch(text(cmd)) : undefined;
          const inner = mapped ? analyse(mapped) : undefined;
          if (inner?.parsed) for (const stage of inner.stages) push({ ...stage }, depth + 1 + (stage.depth ?? 0));
          break;
        }
        default:
          push({ kind: cmd.name, text: text(cmd) }, depth);
          break;
      }
      trackComputed(cmd, computed, text);
      for (const { node, excluded } of subsearches) {
        const mark = stages.length;
        walk(node.commands, depth + 1);
        // `NOT [search ...]` keeps out the rows its subsearch returns: its conditions are exclusions.
        if (!excluded) continue;
        const side = sides++;
        for (const stage of stages.slice(mark)) {
          if (!stage.condition) continue;
          stage.condition = negate(stage.condition);
          stage.excludedSide = side;
        }
      }
    });
  };
  walk(ast.commands, 0);

  return { stages, outputFields: outputsOf(ast.commands), sources, diagnostics: notes, parsed: true };
}

/**
 * How a command changes what the computed columns stand for: eval defines them (each assignment
 * sees the ones before it), stats keeps its by-fields, rename renames, table / fields keep or
 * drop, and columns lookup, rex or spath write lose their definitions.
 */
function trackComputed(cmd: Command, computed: Computed, text: (n: { s: number; e: number }) => string): void {
  const columns = computed.columns;
  const matching = (patterns: string[]) => {
    const globs = patterns.map((p) => compileGlob(p));
    return columns.names().filter((name) => globs.some((g) => g.test(name)));
  };
  switch (cmd.cmd) {
    case 'eval':
      for (const { target, expr } of cmd.assigns) {
        const definition = evalDefinition(expr, text, computed);
        if (definition) columns.define(target, definition);
        else columns.forget(target);
      }
      return;
    case 'stats':
    case 'tstats': {
      // Read with the columns before it: `sum(n)` of an earlier `count(eval(c)) as n` reads the rows c held on.
      const aggregates = cmd.parts.flatMap((p) =>
        p.k === 'agg' ? [[p.agg.alias ?? `${p.agg.fn}(${p.agg.args ?? ''})`, aggregateRows(p.agg, computed)] as const] : [],
      );
      columns.keepOnly(cmd.parts.flatMap((p) => (p.k === 'by' ? p.fields : [])));
      for (const [name, rows] of aggregates) if (rows) columns.define(name, { kind: 'rows', rows });
      return;
    }
    case 'rename':
      for (const { from, to } of cmd.pairs) columns.rename(from, to);
      return;
    case 'table':
      columns.keepOnly(matching(cmd.fields));
      return;
    case 'fields':
      if (cmd.sign === '+') columns.keepOnly(matching(cmd.fields));
      else for (const name of matching(cmd.fields)) columns.forget(name);
      return;
    case 'lookup':
      for (const o of cmd.outputs) columns.forget(o.alias ?? o.field);
      return;
    case 'rex':
      for (const m of (cmd.regex ?? '').matchAll(/\(\?<([^>]+)>/g)) columns.forget(m[1]!);
      return;
    case 'inputlookup':
    case 'from':
      columns.keepOnly([]);
      return;
    default:
      return;
  }
}

/** Aggregates that count or carry values, empty (0 or null) when every value they read is. */
const COUNTING = new Set([
  'count',
  'c',
  'dc',
  'distinct_count',
  'sum',
  'max',
  'min',
  'values',
  'list',
  'first',
  'last',
  'latest',
  'earliest',
]);

/**
 * The rows a stats aggregate reads when it reads only the rows where a condition holds:
 * `count(eval(c))` counts the rows where c is true (eval gives null elsewhere), and `sum(n)` /
 * `max(n)` ... of an earlier such count carry its rows.
 */
function aggregateRows(agg: Aggregate, computed: Computed): PredicateNode | undefined {
  const fn = agg.fn.toLowerCase();
  if (!COUNTING.has(fn) || agg.args === null) return undefined;
  const inner = /^(\s*eval\s*\()([\s\S]*)\)\s*$/i.exec(agg.args);
  if (!inner) {
    const column = computed.columns.get(agg.args.trim());
    return column?.kind === 'rows' && fn !== 'dc' && fn !== 'distinct_count' ? column.rows : undefined;
  }
  // The condition parsed in place: spaces before it keep its offsets those of the query.
  const at = agg.s + agg.fn.length + 1 + inner[1]!.length;
  const command = '| where ';
  if (at < command.length) return undefined;
  let ast: QueryAst;
  try {
    ast = parse(' '.repeat(at - command.length) + command + inner[2]!) as QueryAst;
  } catch {
    return undefined;
  }
  const where = ast.commands[0];
  if (ast.commands.length !== 1 || where?.cmd !== 'where') return undefined;
  const condition = evalCondition(where.expr, (n) => computed.query.slice(n.s, n.e), computed);
  return condition.kind === 'other' ? undefined : condition;
}

/** The search of `map search="..."`, unescaped (`$field$` tokens are left as written). */
function mapSearch(command: string): string | undefined {
  const quoted = /\bsearch\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(command)?.[1];
  return quoted?.replace(/\\(["\\])/g, '$1');
}

/** A subsearch given as a command argument (`join`, `append`): its rows are kept. */
function included(node: SubsearchNode): Subsearch {
  return { node, excluded: false };
}

/** A leading macro of the first search, and what follows it (null when the macro is all). */
function leadingMacro(expr: SearchExpr | null): { macro: Extract<SearchExpr, { t: 'macro' }>; rest: SearchExpr | null } | null {
  if (!expr) return null;
  if (expr.t === 'macro') return { macro: expr, rest: null };
  if (expr.t !== 'and') return null;
  const [first, ...others] = expr.items;
  if (first?.t !== 'macro' || others.length === 0) return null;
  const rest: SearchExpr = others.length === 1 ? others[0]! : { t: 'and', items: others, s: others[0]!.s, e: others[others.length - 1]!.e };
  return { macro: first, rest };
}

// ---------------------------------------------------------------------------------------------
// Syntax errors

/** A readable message from a peggy error: what was found and what could have come instead. */
function syntaxDiagnostic(err: PeggySyntaxError, query: string): Diagnostic {
  const offset = err.location?.start.offset ?? 0;
  const expected = Array.isArray(err.expected) ? (err.expected as Expectation[]) : null;
  let message = err.message;
  if (expected) {
    const names: string[] = [];
    for (const x of expected) {
      const name =
        x.type === 'literal'
          ? JSON.stringify(x.text)
          : x.type === 'end'
            ? 'end of query'
            : x.type === 'other' && x.description !== 'blank'
              ? x.description
              : undefined;
      if (name && !names.includes(name)) names.push(name);
    }
    const shown = names.length > 6 ? [...names.slice(0, 6), 'more'] : names;
    const list = shown.length <= 1 ? (shown[0] ?? 'something else') : `${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]}`;
    message = `expected ${list} but found ${foundText(query, offset)}`;
  }
  const { line, column } = lineColumn(query, offset);
  return { message, line, column, severity: 'error', scope: 'query' };
}
