// Google SecOps (Chronicle) YARA-L 2.0 analyser. The query is one whole rule, `rule name { ... }`.
//
// Parsing is done by yaral.peggy (see its header for the AST); this module turns the AST into the
// shared model:
//   stages   one per section except meta, in the order written, kind = the section name
//            (`events`, `match`, `outcome`, `condition`, `options`), text = the section from its
//            keyword to the end of its last item. The events stage carries the predicate tree
//            (its statements joined by `and`, see condition.ts) and the stage's sources.
//            The condition section (`$e and #e > 5`, `!$e2`) gets no predicate tree: it speaks
//            of event variables and counts, not of fields. But an event variable it negates
//            (`$e1 and !$e2`) is an event that must not occur: every events statement reading a
//            field of `$e2` is wrapped in a `not` node, an exclusion.
//   sources  what the events select the log by, from positive equality predicates:
//              metadata.log_type = "OKTA"            -> `log_type:OKTA`
//              metadata.product_name = "Okta"        -> `product:Okta`
//              metadata.vendor_name = "Okta"         -> `vendor:Okta`
//              metadata.event_type = "USER_LOGIN"    -> `event_type:USER_LOGIN`
//              graph.metadata.product_name / vendor_name / entity_type / source_type (entity
//              graph joins) -> `product:` / `vendor:` / `entity_type:` / `source_type:`
//            in order of appearance, without repeats.
//   outputFields  match variables (`$user over 1h` -> `user`, source `match`), then outcome
//            variables (`$risk_score = max(..)` -> `risk_score`, source `outcome`).
//
// Checked after parsing (errors, the rule does not count as parsed): sections in the documented
// order (meta, events, match, outcome, condition, options), each at most once, events and
// condition present, and every events statement a test (a comparison, `in`, or a function
// call), not a bare value such as `$e.principal.ip` or `"x"`.

import { lineColumn, queryError } from '../../model/diagnostics.js';
import { combine, eachPredicate, negate } from '../../model/predicates.js';
import type { Diagnostic, OutputField, PredicateNode, QueryAnalysis, Stage } from '../../model/types.js';
import type { QueryLanguage } from '../types.js';
import type { Expr, RuleAst, Section } from './ast.js';
import { toCondition } from './condition.js';
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

/** UDM fields that name the log a rule reads, and the prefix of the source they give. */
const SOURCE_FIELDS = new Map([
  ['metadata.log_type', 'log_type'],
  ['metadata.product_name', 'product'],
  ['metadata.vendor_name', 'vendor'],
  ['metadata.event_type', 'event_type'],
  ['graph.metadata.product_name', 'product'],
  ['graph.metadata.vendor_name', 'vendor'],
  ['graph.metadata.entity_type', 'entity_type'],
  ['graph.metadata.source_type', 'source_type'],
]);

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
    const stage: Stage = { kind: section.kind, text: query.slice(section.s, section.e) };
    if (section.kind === 'events') {
      const excluded = excludedVariables(rule);
      const statements = section.items.map((x) => toCondition(x, query));
      const condition: PredicateNode | undefined = statements.length === 0 ? undefined : combine('and', statements);
      if (condition) {
        // A statement about an event the condition requires absent (`!$e2`) describes what rules a
        // match out: it is an exclusion, whatever its own polarity.
        const polar = statements.map((c, i) => (mentionsAny(section.items[i]!, excluded) ? negate(c) : c));
        stage.condition = combine('and', polar);
      }
      // The excluded event's log is read all the same: sources come from the statements as written.
      const own = sourcesOf(condition);
      stage.sources = own;
      for (const s of own) if (!sources.includes(s)) sources.push(s);
    } else if (section.kind === 'match') {
      for (const v of section.vars) addOutput(v.name, 'match');
    } else if (section.kind === 'outcome') {
      for (const a of section.assigns) addOutput(a.name, 'outcome');
    }
    stages.push(stage);
  }
  return { stages, outputFields, sources, diagnostics: [], parsed: true };
}

/** Event variables the condition section requires absent: those under an odd number of NOTs (`!$e2`). */
function excludedVariables(rule: RuleAst): Set<string> {
  const out = new Set<string>();
  const walk = (e: Expr, negated: boolean): void => {
    if (e.t === 'var') {
      if (negated) out.add(e.name);
    } else if (e.t === 'not') walk(e.x, !negated);
    else if (e.t === 'and' || e.t === 'or') for (const x of e.items) walk(x, negated);
  };
  for (const section of rule.sections) if (section.kind === 'condition') walk(section.expr, false);
  return out;
}

/** Whether an events statement reads a field of one of these event variables. */
function mentionsAny(e: Expr, variables: ReadonlySet<string>): boolean {
  if (variables.size === 0) return false;
  if (e.t === 'field') return variables.has(e.v);
  for (const value of Object.values(e)) {
    if (Array.isArray(value)) {
      if (value.some((x) => isExpr(x) && mentionsAny(x, variables))) return true;
    } else if (isExpr(value) && mentionsAny(value, variables)) return true;
  }
  return false;
}

function isExpr(x: unknown): x is Expr {
  return typeof x === 'object' && x !== null && typeof (x as { t?: unknown }).t === 'string';
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

function sourcesOf(condition: PredicateNode | undefined): string[] {
  const out: string[] = [];
  eachPredicate(condition, (p, negated) => {
    if (negated || p.op !== 'eq') return;
    const prefix = SOURCE_FIELDS.get(p.field);
    if (prefix === undefined) return;
    for (const v of p.values) {
      if (typeof v !== 'string' || v === '') continue;
      const source = `${prefix}:${v}`;
      if (!out.includes(source)) out.push(source);
    }
  });
  return out;
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
