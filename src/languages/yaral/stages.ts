// The events and condition sections of a YARA-L rule as stages.
//
// Events: each event variable (`$e1`, `$e2`) stands for an event of its own, joined to the others by
// placeholders (`$user`) and by comparisons between their fields, within the match window. A rule
// with one event variable has one `events` stage (its statements joined by `and`, `variable` `$e`).
// A rule with several has an `events` stage (the whole section) holding only the statements that
// tie several events together (`$e1.x = $e2.y`) or name none, then one `event` stage per variable,
// in order of appearance: its own statements (`text` is them, one per line, as written), its
// sources, `variable` `$e1`.
// An event variable the condition requires absent (`$e1 and !$e2`) is an event that must not
// occur: its stage's condition is wrapped in one `not` (no `$e2` event has all of it); a joining
// statement that reads it is wrapped in a `not` too.
//
// Condition: it speaks of event variables and counts, not of fields, so it gets no predicate tree.
// Its comparisons of a count (`#e >= 4`: events of `$e`, or distinct values of a placeholder) or an
// outcome variable (`$total > 10`) with a number are the condition stage's thresholds.

import { combine, eachPredicate, negate } from '../../model/predicates.js';
import type { PredicateNode, Stage, Threshold } from '../../model/types.js';
import type { CompareOp, Expr, RuleAst, Section } from './ast.js';
import { toCondition } from './condition.js';

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

type EventsSection = Extract<Section, { kind: 'events' }>;
type ConditionSection = Extract<Section, { kind: 'condition' }>;

/** The stages of the events section: see the head of this file. */
export function eventStages(section: EventsSection, rule: RuleAst, query: string): Stage[] {
  const conditionSection = rule.sections.find((x) => x.kind === 'condition');
  const excluded = excludedVariables(rule, conditionSection ? thresholdsOf(conditionSection.expr, query) : []);
  const items = section.items.map((item) => ({ item, condition: toCondition(item, query), variables: eventVariablesOf(item) }));
  const variables = [...new Set(items.flatMap((x) => [...x.variables]))];
  const sectionText = query.slice(section.s, section.e);
  // A statement about an event the condition requires absent describes what rules a match out.
  const polar = (x: (typeof items)[number]) => ([...x.variables].some((v) => excluded.has(v)) ? negate(x.condition) : x.condition);

  if (variables.length <= 1) {
    const stage: Stage = { kind: 'events', text: sectionText };
    if (items.length > 0) stage.condition = combine('and', items.map(polar));
    // The excluded event's log is read all the same: sources come from the statements as written.
    stage.sources = sourcesOf(items.map((x) => x.condition));
    if (variables.length === 1) stage.variable = `$${variables[0]}`;
    return [stage];
  }

  const joining = items.filter((x) => x.variables.size !== 1);
  const events: Stage = { kind: 'events', text: sectionText };
  if (joining.length > 0) events.condition = combine('and', joining.map(polar));
  const stages = [events];
  for (const variable of variables) {
    const own = items.filter((x) => x.variables.size === 1 && x.variables.has(variable));
    const stage: Stage = { kind: 'event', text: own.map((x) => query.slice(x.item.s, x.item.e)).join('\n'), variable: `$${variable}` };
    if (own.length > 0) {
      const condition = combine(
        'and',
        own.map((x) => x.condition),
      );
      stage.condition = excluded.has(variable) ? negate(condition) : condition;
    }
    stage.sources = sourcesOf(own.map((x) => x.condition));
    stages.push(stage);
  }
  return stages;
}

/** The condition section's stage, with the thresholds it sets. */
export function conditionStage(section: ConditionSection, query: string): Stage {
  const stage: Stage = { kind: 'condition', text: query.slice(section.s, section.e) };
  const thresholds = thresholdsOf(section.expr, query);
  if (thresholds.length > 0) stage.thresholds = thresholds;
  return stage;
}

const THRESHOLD_OPS: Record<CompareOp, Threshold['op']> = { '=': 'eq', '!=': 'eq', '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' };
const FLIP: Record<CompareOp, CompareOp> = { '=': '=', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** Comparisons of a count (`#e`) or an outcome variable (`$total`) with a number, in the order written. */
function thresholdsOf(expr: Expr, query: string): Threshold[] {
  const out: Threshold[] = [];
  const walk = (e: Expr, negated: boolean): void => {
    if (e.t === 'not') walk(e.x, !negated);
    else if (e.t === 'and' || e.t === 'or') for (const x of e.items) walk(x, negated);
    else if (e.t === 'cmp') {
      const counted = (x: Expr) => x.t === 'count' || x.t === 'var';
      const [subject, number, op] =
        counted(e.l) && e.r.t === 'num' ? [e.l, e.r, e.op] : counted(e.r) && e.l.t === 'num' ? [e.r, e.l, FLIP[e.op]] : [];
      if (subject === undefined || number?.t !== 'num' || op === undefined) return;
      const of = subject.t === 'count' ? `#${subject.name}` : query.slice(subject.s, subject.e);
      out.push({ of, op: THRESHOLD_OPS[op], value: number.v, negated: negated !== (op === '!='), text: query.slice(e.s, e.e) });
    }
  };
  walk(expr, false);
  return out;
}

/**
 * Event variables the condition section requires absent: those under an odd number of NOTs (`!$e2`)
 * and nowhere required present (`$e2`, `#e2 >= 3`: `($e1 and !$e2) or #e2 >= 3` watches `$e2`).
 */
function excludedVariables(rule: RuleAst, thresholds: readonly Threshold[]): Set<string> {
  const negated = new Set<string>();
  const present = new Set<string>();
  const walk = (e: Expr, under: boolean): void => {
    if (e.t === 'var') (under ? negated : present).add(e.name);
    else if (e.t === 'not') walk(e.x, !under);
    else if (e.t === 'and' || e.t === 'or') for (const x of e.items) walk(x, under);
  };
  for (const section of rule.sections) if (section.kind === 'condition') walk(section.expr, false);
  for (const t of thresholds) if (t.of.startsWith('#') && requiresOne(t)) present.add(t.of.slice(1));
  return new Set([...negated].filter((v) => !present.has(v)));
}

/** Whether a count threshold holds only when at least one event is counted (`#e > 0`, `#e >= 2`, not `#e = 0`). */
function requiresOne(t: Threshold): boolean {
  // not (#e < 1) is #e >= 1; #e != 0 is #e > 0.
  if (t.negated) return t.op === 'lt' ? t.value >= 1 : t.op === 'lte' ? t.value >= 0 : t.op === 'eq' && t.value === 0;
  return t.op === 'gt' ? t.value >= 0 : (t.op === 'gte' || t.op === 'eq') && t.value >= 1;
}

/** The event variables whose fields an events statement reads (`$e1.principal.ip` reads `e1`), without `$`. */
function eventVariablesOf(e: Expr): Set<string> {
  const out = new Set<string>();
  const walk = (x: Expr): void => {
    if (x.t === 'field') {
      out.add(x.v);
      return;
    }
    for (const value of Object.values(x)) {
      if (Array.isArray(value)) {
        for (const v of value) if (isExpr(v)) walk(v);
      } else if (isExpr(value)) walk(value);
    }
  };
  walk(e);
  return out;
}

function isExpr(x: unknown): x is Expr {
  return typeof x === 'object' && x !== null && typeof (x as { t?: unknown }).t === 'string';
}

/** What the statements select the log by, from positive equality predicates, in order, without repeats. */
function sourcesOf(conditions: PredicateNode[]): string[] {
  const out: string[] = [];
  for (const condition of conditions) {
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
  }
  return out;
}
