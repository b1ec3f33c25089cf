// Elastic Event Query Language (EQL) analyser.
//
// Parsing is done by eql.peggy (see its header for the AST); this module turns the AST into the
// shared model:
//   stages   event query      -> { kind: 'where', text, condition, sources: [category] }
//            sequence         -> { kind: 'sequence', text: 'sequence by a with maxspan=1m' }
//                                then one stage per step: kind 'step' (or 'missing-step' for
//                                `![..]`), text = the step with its brackets, `by` and `with runs`
//                                and `until [..]` as kind 'until' (text includes `until`); the
//                                condition of a missing step or `until` is wrapped in a `not`
//                                node: those events end or rule out a match, they are exclusions
//            sample / join    -> { kind: 'sample' | 'join', text: header } then the steps
//            pipes            -> kind = pipe name (`head`, `tail`, `filter`, `unique`, `count`,
//                                ...), text `| head 10`; `filter` carries its condition
//   sources  event categories (`process`, `any` ...) in order of appearance, deduplicated, also
//            those of `descendant of [..]`-style lookups
//   outputFields  [] (EQL returns whole events), except `| count f1, f2`: the fields counted by
//
// Relaxations against Elasticsearch (all harmless for analysis): single-quoted strings are
// accepted with a warning; any pipe name is accepted (unknown ones with a warning); `join` and
// process relationships (`descendant of [..]`) parse although Elasticsearch rejects them at run
// time; field path segments after a dot may start with a digit or be a keyword.

import { queryError, lineColumn } from '../../model/diagnostics.js';
import type { Diagnostic, OutputField, QueryAnalysis, Stage } from '../../model/types.js';
import type { QueryLanguage } from '../types.js';
import type { EventFilter, Expr, Span, Statement, Step } from './ast.js';
import { toCondition } from './condition.js';
import { negate } from '../../model/predicates.js';
import { parse, SyntaxError as PeggySyntaxError } from './eql.parser.js';
import { type PeggyExpectation as Expectation, alternatives, describeExpectation, foundText } from '../peggy-errors.js';
import { failedAnalysis as failed, parserCrash } from '../failure.js';
import { eqlHighlight } from './eql.keywords.js';
import { eqlConstruct } from './unread.js';

const KNOWN_PIPES = new Set(['head', 'tail', 'filter', 'unique', 'unique_count', 'count', 'sort', 'window']);

export const eql: QueryLanguage = {
  id: 'eql',
  name: 'EQL',
  unreadConstruct: eqlConstruct,
  analyse,
  highlight: eqlHighlight,
};

function analyse(query: string): QueryAnalysis {
  let stmt: Statement;
  try {
    stmt = parse(query) as Statement;
  } catch (err) {
    if (err instanceof PeggySyntaxError) return failed(syntaxDiagnostic(err, query));
    return failed(parserCrash(err, 'EQL'));
  }
  if (stmt.query === null) return failed({ message: 'empty query', severity: 'error', scope: 'query' });

  const invalid = checkQuery(stmt, query);
  if (invalid) return failed(invalid);

  const diagnostics: Diagnostic[] = [];
  const warned = new Set<string>();
  for (const w of stmt.warnings) {
    const key = `${w.offset}:${w.message}`;
    if (warned.has(key)) continue;
    warned.add(key);
    diagnostics.push({ ...queryError(w.message, query, w.offset), severity: 'warning' });
  }
  const slice = (n: Span) => query.slice(n.s, n.e);
  const sources: string[] = [];
  const addSources = (list: string[]) => {
    for (const s of list) if (!sources.includes(s)) sources.push(s);
  };

  const stages: Stage[] = [];
  const filterStage = (kind: string, text: string, filter: EventFilter): Stage => {
    const own = filterSources(filter);
    addSources(own);
    return { kind, text, condition: toCondition(filter.cond, query), sources: own };
  };
  const stepStage = (step: Step): Stage => {
    const stage = filterStage(step.until ? 'until' : step.missing ? 'missing-step' : 'step', slice(step), step.filter);
    // An `until` step ends the sequence and a missing step (`![..]`) must not occur: their events
    // are what the rule excludes, so their condition is negated as a whole, as `not (..)` would be.
    if ((step.until || step.missing) && stage.condition) stage.condition = negate(stage.condition);
    return stage;
  };

  const q = stmt.query;
  if (q.t === 'event') {
    stages.push(filterStage('where', slice(q.filter), q.filter));
  } else {
    stages.push({ kind: q.t, text: slice(q.head) });
    for (const step of q.steps) stages.push(stepStage(step));
    if (q.until) stages.push(stepStage(q.until));
  }

  const outputFields: OutputField[] = [];
  for (const pipe of stmt.pipes) {
    const stage: Stage = { kind: pipe.name, text: slice(pipe) };
    if (!KNOWN_PIPES.has(pipe.name)) {
      diagnostics.push({ ...queryError(`unknown pipe \`${pipe.name}\``, query, pipe.s), severity: 'warning' });
    }
    if (pipe.name === 'filter' && pipe.args.length > 0) {
      const conds = pipe.args.map((a) => toCondition(a, query));
      stage.condition = conds.length === 1 ? conds[0]! : { kind: 'and', children: conds };
      const lookups: string[] = [];
      for (const a of pipe.args) collectLookups(a, lookups);
      if (lookups.length > 0) {
        stage.sources = [...new Set(lookups)];
        addSources(stage.sources);
      }
    }
    if (pipe.name === 'count') {
      for (const a of pipe.args) {
        if (a.t === 'field' && !outputFields.some((o) => o.field === a.name)) outputFields.push({ field: a.name, source: 'count' });
      }
    }
    stages.push(stage);
  }

  return { stages, outputFields, sources, diagnostics, parsed: true };
}

/** Rules Elasticsearch enforces after parsing. */
function checkQuery(stmt: Statement, query: string): Diagnostic | null {
  const q = stmt.query;
  if (q === null || q.t === 'event' || q.t === 'sample') return null;
  if (q.head.lateBy !== null) {
    return queryError('put the sequence `by` keys before `with maxspan`, not after', query, q.head.lateBy);
  }
  // A step `with runs=N` stands for N queries.
  const count = q.steps.reduce((n, step) => n + (step.runs ?? 1), 0);
  if (count < 2) return queryError(`a ${q.t} needs at least 2 queries, found ${count}`, query, q.head.s);
  return null;
}

/** The category of an event filter plus those of the lookups (`descendant of [..]`) inside it. */
function filterSources(filter: EventFilter): string[] {
  const out = [filter.category];
  collectLookups(filter.cond, out);
  return [...new Set(out)];
}

function collectLookups(e: Expr, out: string[]): void {
  switch (e.t) {
    case 'or':
    case 'and':
    case 'arith':
      for (const x of e.items) collectLookups(x, out);
      return;
    case 'not':
      collectLookups(e.x, out);
      return;
    case 'cmp':
      collectLookups(e.l, out);
      collectLookups(e.r, out);
      return;
    case 'in':
    case 'match':
      collectLookups(e.l, out);
      for (const x of e.values) collectLookups(x, out);
      return;
    case 'call':
      for (const x of e.args) collectLookups(x, out);
      return;
    case 'rel':
      out.push(...filterSources(e.sub));
      return;
    default:
      return;
  }
}

// Expectations that together mean "a value can start here" / "an operator can follow here".
const VALUE_START = new Set(['not', '(', 'true', 'false', 'null', 'string', 'number', 'name', 'field name']);
const OPERATORS = new Set(['not', 'in~', 'in', ':', 'like~', 'like', 'regex~', 'regex', '==', '!=', '<=', '>=']);

const describe = (x: Expectation): string | null => describeExpectation(x, { any: 'any character', classes: 'list' });

/** A readable message from a peggy error: what was found and what could have come instead. */
function syntaxDiagnostic(err: PeggySyntaxError, query: string): Diagnostic {
  const offset = err.location?.start.offset ?? 0;
  const expected = Array.isArray(err.expected) ? (err.expected as Expectation[]) : null;
  let message: string;
  if (expected === null) {
    // Raised by error() in a grammar action: the message is already meant for people.
    message = err.message;
  } else {
    const key = (x: Expectation) => x.text ?? x.description ?? '';
    let items = expected;
    let lead: string | null = null;
    // Collapse the long lists peggy gives after an operator and after a value into one word;
    // character classes there are only the one-character operators.
    if (items.some((x) => x.type === 'other' && x.description === 'field name')) {
      items = items.filter((x) => x.type !== 'class' && !VALUE_START.has(key(x)));
      lead = 'expression';
    } else if (items.some((x) => x.type === 'literal' && x.text === ':')) {
      // `(` and `of` are only possible after a name (a call, `descendant of`): leave them out.
      items = items.filter((x) => x.type !== 'class' && !OPERATORS.has(key(x)) && key(x) !== '(' && key(x) !== 'of');
      lead = 'operator';
    }
    const names = [...new Set([...(lead ? [lead] : []), ...items.map(describe).filter((d): d is string => d !== null)])];
    const list = alternatives(names);
    message = `expected ${list} but found ${foundText(query, offset)}`;
  }
  const { line, column } = lineColumn(query, offset);
  return { message, line, column, severity: 'error', scope: 'query' };
}
