// Google SecOps (Chronicle) YARA-L 2.0 analyser. The query is one whole rule, `rule name { ... }`.
//
// Parsing is done by yaral.peggy (see its header for the AST); this module turns the AST into the
// shared model:
//   stages   one per section except meta, in the order written, kind = the section name
//            (`events`, `match`, `outcome`, `condition`, `options`), text = the section from its
//            keyword to the end of its last item. The events section gives one stage per event
//            variable when it has several (stages.ts: each variable is an event of its own, with
//            its own predicates and sources); its statements become predicate trees (condition.ts).
//            The condition section gets no predicate tree: it speaks of event variables and
//            counts, not of fields; its counts (`#e >= 4`) are thresholds. An event variable it
//            negates (`$e1 and !$e2`) is an event that must not occur: its conditions are
//            wrapped in a `not` node, an exclusion.
//   sources  what the events select the log by, from positive equality predicates:
//              metadata.log_type = "OKTA"            -> `log_type:OKTA`
//              metadata.product_name = "Okta"        -> `product:Okta`
//              metadata.vendor_name = "Okta"         -> `vendor:Okta`
//              metadata.event_type = "USER_LOGIN"    -> `event_type:USER_LOGIN`
//              graph.metadata.product_name / vendor_name / entity_type / source_type (entity
//              graph joins) -> `product:` / `vendor:` / `entity_type:` / `source_type:`
//            in order of appearance, without repeats (each event stage has its own).
//   outputFields  match variables (`$user over 1h` -> `user`, source `match`), then outcome
//            variables (`$risk_score = max(..)` -> `risk_score`, source `outcome`).
//
// Checked after parsing (errors, the rule does not count as parsed): sections in the documented
// order (meta, events, match, outcome, condition, options), each at most once, events and
// condition present, and every events statement a test (a comparison, `in`, or a function
// call), not a bare value such as `$e.principal.ip` or `"x"`.

import { lineColumn, queryError } from '../../model/diagnostics.js';
import type { Diagnostic, OutputField, QueryAnalysis, Stage } from '../../model/types.js';
import type { QueryLanguage } from '../types.js';
import type { Expr, RuleAst, Section } from './ast.js';
import { conditionStage, eventStages } from './stages.js';
import { parse, SyntaxError as PeggySyntaxError } from './yaral.parser.js';
import { type PeggyExpectation as Expectation, alternatives, describeExpectation, foundText } from '../peggy-errors.js';
import { failedAnalysis as failed, parserCrash } from '../failure.js';
import { yaralHighlight } from './yaral.keywords.js';
import { constructOf } from '../../model/diagnostics.js';

export const yaral: QueryLanguage = {
  id: 'yaral',
  name: 'YARA-L 2.0',
  unreadConstruct: constructOf,
  analyse,
  highlight: yaralHighlight,
};

const ORDER: Section['kind'][] = ['meta', 'events', 'match', 'outcome', 'condition', 'options'];

function analyse(query: string): QueryAnalysis {
  let rule: RuleAst;
  try {
    rule = parse(query) as RuleAst;
  } catch (err) {
    if (err instanceof PeggySyntaxError) return failed(syntaxDiagnostic(err, query));
    return failed(parserCrash(err, 'YARA-L', 'rule'));
  }
  const invalid = checkSections(rule, query);
  if (invalid) return failed(invalid);

  const stages: Stage[] = [];
  const outputFields: OutputField[] = [];
  const sources: string[] = [];
  const addOutput = (field: string, source: string) => {
    if (!outputFields.some((o) => o.field === field)) outputFields.push({ field, source });
  };
  for (const section of rule.sections) {
    if (section.kind === 'meta') continue;
    if (section.kind === 'events') {
      for (const stage of eventStages(section, rule, query)) {
        for (const s of stage.sources ?? []) if (!sources.includes(s)) sources.push(s);
        stages.push(stage);
      }
      continue;
    }
    if (section.kind === 'condition') {
      stages.push(conditionStage(section, query));
      continue;
    }
    if (section.kind === 'match') {
      for (const v of section.vars) addOutput(v.name, 'match');
    } else if (section.kind === 'outcome') {
      for (const a of section.assigns) addOutput(a.name, 'outcome');
    }
    stages.push({ kind: section.kind, text: query.slice(section.s, section.e) });
  }
  return { stages, outputFields, sources, diagnostics: [], parsed: true };
}

/** Rules the compiler applies to sections, checked after the syntax. */
function checkSections(rule: RuleAst, query: string): Diagnostic | null {
  const seen = new Set<string>();
  let rank = -1;
  for (const section of rule.sections) {
    if (seen.has(section.kind)) return queryError(`the ${section.kind} section appears twice`, query, section.s);
    seen.add(section.kind);
    const own = ORDER.indexOf(section.kind);
    if (own < rank) {
      const later = rule.sections.find((s) => ORDER.indexOf(s.kind) > own)!;
      return queryError(`the ${section.kind} section must come before the ${later.kind} section`, query, section.s);
    }
    rank = own;
  }
  for (const required of ['events', 'condition'] as const) {
    if (!seen.has(required)) return queryError(`the rule has no ${required} section`, query, rule.s);
  }
  for (const section of rule.sections) {
    if (section.kind !== 'events') continue;
    for (const item of section.items) {
      const bare = bareValue(item);
      if (bare) return queryError(`\`${query.slice(bare.s, bare.e)}\` is not a condition: compare it with something`, query, bare.s);
    }
  }
  return null;
}

/** The first leaf of an events statement that is a value rather than a test. */
function bareValue(e: Expr): Expr | null {
  switch (e.t) {
    case 'and':
    case 'or':
      for (const x of e.items) {
        const bare = bareValue(x);
        if (bare) return bare;
      }
      return null;
    case 'not':
      return bareValue(e.x);
    case 'cmp':
    case 'in':
    case 'call':
      return null;
    default:
      return e;
  }
}

// ---------------------------------------------------------------------------------------------
// Syntax errors

// Character classes are the insides of names and numbers: not worth listing (the default).
const describe = (x: Expectation): string | null => describeExpectation(x, { end: 'end of text' });

// Expectations that together mean "a value can start here" / "an operator can follow here".
const VALUE_START = new Set([
  '"-"',
  '"("',
  'string',
  'regular expression',
  'number',
  '"true"',
  '"false"',
  '"null"',
  'variable',
  '"#"',
  '"%"',
  'function call',
  '"not"',
  '"!"',
  '"any"',
  '"all"',
  '"window_start"',
  '"window_end"',
]);
const SECTIONS = new Set(ORDER.map((kind) => `"${kind}"`));
const OPERATORS = new Set(['"*"', '"/"', '"+"', '"-"', 'comparison operator', '"not"', '"in"', '"nocase"', '"and"', '"or"']);

/** A readable message from a peggy error: what was found and what could have come instead. */
function syntaxDiagnostic(err: PeggySyntaxError, query: string): Diagnostic {
  const offset = err.location?.start.offset ?? 0;
  const expected = Array.isArray(err.expected) ? (err.expected as Expectation[]) : null;
  let message: string;
  if (expected === null) {
    // Raised by error() in a grammar action: the message is already meant for people.
    message = err.message;
  } else {
    let names = [...new Set(expected.map(describe).filter((d): d is string => d !== null))];
    // Collapse the long lists peggy gives where a value or an operator may come into one word.
    const lead: string[] = [];
    if (names.includes('comparison operator')) {
      names = names.filter((n) => !OPERATORS.has(n));
      lead.push('an operator');
    }
    if (names.includes('string')) {
      names = names.filter((n) => !VALUE_START.has(n));
      lead.push('a value');
    }
    if (names.includes('"condition"')) {
      names = names.filter((n) => !SECTIONS.has(n));
      lead.push('a section');
    }
    names = [...lead, ...names];
    const list = alternatives(names);
    message = `expected ${list} but found ${foundText(query, offset, 'end of rule')}`;
  }
  const { line, column } = lineColumn(query, offset);
  return { message, line, column, severity: 'error', scope: 'query' };
}
