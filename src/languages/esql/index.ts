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
//            of its own aggregate).
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
import type { Command, Statement } from './ast.js';
import { Columns } from './columns.js';
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

  const walk = (commands: Command[], depth: number, columns: Columns): void => {
    for (const command of commands) {
      const stage: Stage = { kind: command.cmd, text: query.slice(command.p ?? command.s, command.e) };
      if (depth > 0) stage.depth = depth;
      switch (command.cmd) {
        case 'from':
        case 'ts':
          stage.sources = [...new Set(command.indices)];
          addSources(stage.sources);
          break;
        case 'lookup join':
          stage.sources = [command.index];
          addSources(stage.sources);
          break;
        case 'where':
          stage.condition = conditions.build(command.cond);
          break;
        case 'stats':
        case 'inlinestats': {
          const filters: PredicateNode[] = [];
          for (const agg of command.aggs) if (agg.where) filters.push(conditions.build(agg.where));
          if (filters.length > 0) stage.condition = combine('or', filters);
          break;
        }
        default:
          break;
      }
      stages.push(stage);
      columns.apply(command);
      if (command.cmd === 'fork') {
        const branches = command.branches.map((branch) => {
          const own = columns.clone();
          walk(branch, depth + 1, own);
          return own;
        });
        columns.merge(branches);
      }
    }
  };

  const columns = new Columns(query);
  walk(stmt.commands, 0, columns);
  return { stages, outputFields: columns.outputs(), sources, diagnostics: conditions.diagnostics, parsed: true };
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
