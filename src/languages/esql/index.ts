// Elasticsearch Query Language (ES|QL) analyser.
//
// Parsing is done by esql.peggy (AST in ast.ts); this module turns the AST into the shared model:
//   stages   one per command, in order: kind = the command in lower case (`from`, `where`,
//            `eval`, `stats`, `keep`, `drop`, `rename`, `dissect`, `grok`, `mv_expand`, `limit`,
//            `sort`, `enrich`, `sample`, `change_point`, `completion`, `fork`, `row`, `show`,
//            `ts`); `INLINE STATS` / `INLINESTATS` -> `inlinestats`; `LOOKUP JOIN` (and the
//            early `LOOKUP`) -> `lookup join`. text = the exact slice of the command, from its
//            `|` (none for the first command) to its last token (comments after it excluded).
//            FORK: a `fork` stage, then each branch's commands as stages of depth 1.
//   condition  WHERE: its condition (see condition.ts). STATS / INLINE STATS with per-aggregate
//            filters (`COUNT(*) WHERE x`): the filters, or-combined (each one selects the rows
//            of its own aggregate); an aggregate of a conditional column counts as the filter of
//            the rows it reads (`COUNT(f)`, f = CASE(c, 1, null): c; `SUM(f)`, f = CASE(c, 1, 0): c).
//            A later WHERE that no empty such aggregate passes (`n >= 1`) keeps its threshold and
//            adds the aggregate's rows condition: the rule needs a row where it held.
//            Computed columns: a filter on a column an EVAL computed from conditions stands for
//            those conditions, and a copy or TO_LOWER of a field for that field (model/computed).
//   sources  FROM / TS index patterns (quotes removed, as written otherwise, `cluster:` prefixes
//            kept) and LOOKUP JOIN indices, in order of appearance, deduplicated; also on their
//            stages. ENRICH policies are no sources (they name a policy, not an index).
//   outputFields  the final columns (see columns.ts).
//
// Relaxations against Elasticsearch (all harmless for analysis): any function name is accepted
// with any arguments; `LEFT JOIN` / `RIGHT JOIN` read like LOOKUP JOIN; a time span unit may be
// any of Elasticsearch's spellings (`1 hour`, `5m`, `2 days`); commands are accepted in any
// order (Elasticsearch rejects some, such as a LOOKUP JOIN after STATS on remote clusters).
import { lineColumn } from '../../model/diagnostics.js';
import { combine } from '../../model/predicates.js';
import type { Diagnostic, PredicateNode, QueryAnalysis, Stage } from '../../model/types.js';
import { kuery } from '../kuery/index.js';
import { lucene } from '../lucene/index.js';
import type { QueryLanguage } from '../types.js';
import type { Command, Field, Statement } from './ast.js';
import { Columns, dissectKeys, grokNames } from './columns.js';
import { ComputedColumns, rowsWithin } from '../../model/computed.js';
import { compileGlob } from '../../model/glob.js';
import { ConditionBuilder } from './condition.js';
import { parse, SyntaxError as PeggySyntaxError } from './esql.parser.js';
import { type PeggyExpectation as Expectation, alternatives, describeExpectation, foundText } from '../peggy-errors.js';
import { failedAnalysis as failed, parserCrash } from '../failure.js';
import { esqlHighlight } from './esql.keywords.js';
import { constructOf } from '../../model/diagnostics.js';

export const esql: QueryLanguage = {
  id: 'esql',
  name: 'ES|QL',
  unreadConstruct: constructOf,
  analyse,
  highlight: esqlHighlight,
};

export function analyse(query: string): QueryAnalysis {
  if (query.trim() === '') return failed({ message: 'empty query', severity: 'error', scope: 'query' });
  let stmt: Statement;
  try {
    stmt = parse(query) as Statement;
  } catch (err) {
    if (err instanceof PeggySyntaxError) return failed(syntaxDiagnostic(err, query));
    return failed(parserCrash(err, 'ES|QL'));
  }

  // The embedded languages read none of the analysis context (their QueryLanguage says so).
  const conditions = new ConditionBuilder(query, { kql: (q) => kuery.analyse(q, {}), qstr: (q) => lucene.analyse(q, {}) });
  const stages: Stage[] = [];
  const sources: string[] = [];
  const addSources = (list: string[]) => {
    for (const s of list) if (!sources.includes(s)) sources.push(s);
  };

  const walk = (commands: Command[], depth: number, columns: Columns, computed: ComputedColumns): void => {
    // The WHERE conditions every row passed since the source or the last STATS.
    let rowFilters: PredicateNode[] = [];
    for (const command of commands) {
      const stage: Stage = { kind: command.cmd, text: query.slice(command.p ?? command.s, command.e) };
      if (depth > 0) stage.depth = depth;
      const aggregated: [string, PredicateNode][] = [];
      switch (command.cmd) {
        case 'from':
        case 'ts':
          rowFilters = [];
          stage.sources = [...new Set(command.indices)];
          addSources(stage.sources);
          break;
        case 'lookup join':
          stage.sources = [command.index];
          addSources(stage.sources);
          break;
        case 'where':
          stage.condition = conditions.build(command.cond, computed);
          rowFilters.push(stage.condition);
          break;
        case 'stats':
        case 'inlinestats': {
          const filters: PredicateNode[] = [];
          for (const agg of command.aggs) {
            // `COUNT(*) WHERE c` selects the rows where c holds; so does `COUNT(flag)` of `flag = CASE(c, 1, null)`.
            const rows = agg.where ? conditions.build(agg.where, computed) : conditions.aggregated(agg.x, computed);
            if (!rows) continue;
            filters.push(rows);
            aggregated.push([columns.nameOf(agg), rowsWithin(rows, rowFilters)]);
          }
          if (filters.length > 0) stage.condition = combine('or', filters);
          // STATS rows are groups; INLINE STATS keeps the rows it read.
          if (command.cmd === 'stats') rowFilters = [];
          break;
        }
        default:
          break;
      }
      stages.push(stage);
      trackComputed(command, computed, conditions, (f) => columns.nameOf(f));
      // After the STATS: each aggregate over selected rows, for a later filter requiring it non-zero.
      for (const [name, rows] of aggregated) computed.define(name, { kind: 'rows', rows });
      columns.apply(command);
      if (command.cmd === 'fork') {
        const branches = command.branches.map((branch) => {
          const own = columns.clone();
          walk(branch, depth + 1, own, computed.clone());
          return own;
        });
        columns.merge(branches);
        // A column may come from any branch: none keeps a definition after the FORK.
        computed.keepOnly([]);
      }
    }
  };

  const columns = new Columns(query);
  walk(stmt.commands, 0, columns, new ComputedColumns());
  return { stages, outputFields: columns.outputs(), sources, diagnostics: conditions.diagnostics, parsed: true };
}

/**
 * How a command changes what the computed columns stand for: EVAL defines them (each field sees
 * the ones before it), a new source or STATS starts over (STATS keeps its BY columns' values),
 * KEEP / DROP / RENAME edit, and columns other commands create hide an earlier definition.
 */
function trackComputed(command: Command, computed: ComputedColumns, conditions: ConditionBuilder, nameOf: (f: Field) => string): void {
  switch (command.cmd) {
    case 'eval':
      for (const f of command.fields) {
        const definition = conditions.define(f.x, computed);
        if (definition) computed.define(nameOf(f), definition);
        else computed.forget(nameOf(f));
      }
      return;
    case 'from':
    case 'ts':
    case 'row':
    case 'show':
      computed.keepOnly([]);
      return;
    case 'stats':
      computed.keepOnly(command.by.filter((f) => f.name === null && f.x.t === 'field').map(nameOf));
      return;
    case 'inlinestats':
      for (const f of command.aggs) computed.forget(nameOf(f));
      return;
    case 'keep': {
      const patterns = command.patterns.map((p) => compileGlob(p.name));
      computed.keepOnly(computed.names().filter((name) => patterns.some((re) => re.test(name))));
      return;
    }
    case 'drop': {
      const patterns = command.patterns.map((p) => compileGlob(p.name));
      for (const name of computed.names()) if (patterns.some((re) => re.test(name))) computed.forget(name);
      return;
    }
    case 'rename':
      for (const { from, to } of command.renames) computed.rename(from.name, to.name);
      return;
    case 'dissect':
      for (const name of dissectKeys(command.pattern)) computed.forget(name);
      return;
    case 'grok':
      for (const pattern of command.patterns) for (const name of grokNames(pattern)) computed.forget(name);
      return;
    case 'enrich':
      for (const w of command.with) computed.forget(w.name ?? w.field);
      return;
    case 'completion':
      computed.forget(command.target ?? 'completion');
      return;
    case 'change_point':
      for (const name of command.as) computed.forget(name);
      return;
    default:
      return;
  }
}

const describe = (x: Expectation): string | null => describeExpectation(x, { any: 'any character' });

// Expectations that together mean "a command", "an expression" or "an operator can go here".
const COMMAND_WORDS = new Set(
  [
    'from',
    'ts',
    'row',
    'show',
    'where',
    'eval',
    'stats',
    'inlinestats',
    'inline',
    'keep',
    'drop',
    'rename',
    'dissect',
    'grok',
    'mv_expand',
    'limit',
    'sort',
    'enrich',
    'lookup',
    'left',
    'right',
    'sample',
    'change_point',
    'completion',
    'fork',
  ].map((w) => JSON.stringify(w)),
);
const VALUE_START = new Set(
  ['(', '-', '+', '?', '??', '[', '`', 'not', 'null', 'true', 'false']
    .map((w) => JSON.stringify(w))
    .concat(['number', 'string', 'time span', 'field name']),
);
const OPERATORS = new Set(
  ['==', '=~', '!=', '<=', '>=', '<', '>', '+', '-', '*', '/', '%', ':', '::', '=', 'and', 'or', 'not', 'in', 'like', 'rlike', 'is']
    .map((w) => JSON.stringify(w))
    .concat(['comparison operator']),
);

/** A readable message from a peggy error: what was found and what could have come instead. */
function syntaxDiagnostic(err: PeggySyntaxError, query: string): Diagnostic {
  const offset = err.location?.start.offset ?? 0;
  const expected = Array.isArray(err.expected) ? (err.expected as Expectation[]) : null;
  let message: string;
  if (expected === null) {
    // Raised by error() in a grammar action (an unknown command): already meant for people.
    message = err.message;
  } else {
    let names = [...new Set(expected.map(describe).filter((d): d is string => d !== null))];
    const lead: string[] = [];
    // peggy lists every keyword and operator that could go on; name the groups instead.
    if (names.some((n) => COMMAND_WORDS.has(n))) {
      lead.push('a command');
      names = names.filter((n) => !COMMAND_WORDS.has(n));
    }
    if (names.includes('field name') || names.includes('number')) {
      lead.push('an expression');
      names = names.filter((n) => !VALUE_START.has(n));
    }
    if (names.includes('comparison operator')) {
      lead.push('an operator');
      names = names.filter((n) => !OPERATORS.has(n));
    }
    names = [...lead, ...names];
    const list = alternatives(names);
    message = `expected ${list} but found ${foundText(query, offset)}`;
  }
  const { line, column } = lineColumn(query, offset);
  return { message, line, column, severity: 'error', scope: 'query' };
}
