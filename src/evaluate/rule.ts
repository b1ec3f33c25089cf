// Would a rule fire on an event: its language's evaluator (languages/evaluate.ts) checks the
// event's log first, then the rule's filtering stages are evaluated on the event; the answer is
// `unknown` whenever it depends on what was not evaluated (a stage such as an aggregation, a
// condition kept as text, a log that cannot be told), never a guess.
import { evaluatorFor } from '../languages/evaluate.js';
import type { LanguageEvaluator } from './types.js';
import type { PredicateNode } from '../model/types.js';
import type { EvaluatedRule, Evaluation, EventLog, Fires, PredicateTrace, SourceCheck, StageGap, Truth } from './types.js';
import { evaluateTree, type TestPredicate } from './tree.js';

/** An event with what is known of its log, and its view per language (computed once for every rule). */
export class PreparedEvent {
  private readonly views = new Map<LanguageEvaluator, unknown>();
  constructor(
    readonly event: unknown,
    readonly log: EventLog,
  ) {}

  viewFor(evaluator: LanguageEvaluator): unknown {
    if (!this.views.has(evaluator)) this.views.set(evaluator, evaluator.view(this.event, this.log));
    return this.views.get(evaluator);
  }
}

/**
 * What of a rule's evaluation does not depend on the event, worked out once: its filtering conditions
 * and the gaps of the stages around them, in stage order, then the gaps of the rule itself.
 * evaluate/fire.ts keeps one per rule of the catalog; evaluateRule makes one per call.
 */
export interface RulePlan {
  rule: EvaluatedRule;
  evaluator: LanguageEvaluator | undefined;
  steps: readonly ({ gap: StageGap } | { condition: PredicateNode })[];
  /** After the stages: what the rule does beyond them (`ruleGaps`), a query that did not parse. */
  tailGaps: readonly StageGap[];
  /** No predicate in any condition (none, or only conditions kept as text): the answer depends on the log alone. */
  eventFree: boolean;
}

const hasPredicate = (node: PredicateNode): boolean =>
  node.kind === 'pred' || (node.kind === 'not' ? hasPredicate(node.child) : node.kind !== 'other' && node.children.some(hasPredicate));

export function planOf(rule: EvaluatedRule): RulePlan {
  const evaluator = evaluatorFor(rule.language);
  const steps: RulePlan['steps'][number][] = [];
  const tailGaps: StageGap[] = [];
  if (evaluator) {
    for (const stage of rule.stages) {
      const role = evaluator.stage(stage, rule);
      if (role.role === 'gap') steps.push({ gap: { stage: stage.kind, what: role.what, reason: role.reason } });
      else if (role.role === 'filter') {
        // The stage's own condition, or what the language reads the stage as requiring (SPL `stats ... by f`: f present).
        const condition = role.condition ?? stage.condition;
        if (condition) steps.push({ condition });
      }
    }
    tailGaps.push(...(evaluator.ruleGaps?.(rule) ?? []));
    if (!rule.parsed) tailGaps.push({ stage: 'rule', what: 'not evaluated', reason: 'the query did not parse' });
  }
  const eventFree = steps.every((s) => !('condition' in s) || !hasPredicate(s.condition));
  return { rule, evaluator, steps, tailGaps, eventFree };
}

/** `source`: the rule's log check when the caller made it already (evaluate/fire.ts: once per group of rules reading the same sources). */
export function evaluateRule(rule: EvaluatedRule, event: PreparedEvent, opts: { trace?: boolean; source?: SourceCheck } = {}): Evaluation {
  return evaluatePlan(planOf(rule), event, opts);
}

export function evaluatePlan(plan: RulePlan, event: PreparedEvent, opts: { trace?: boolean; source?: SourceCheck } = {}): Evaluation {
  const { rule, evaluator } = plan;
  const trace: PredicateTrace[] | undefined = opts.trace ? [] : undefined;
  const unevaluated: StageGap[] = [];
  if (!evaluator) {
    const reason = `${rule.language} rules are not evaluated yet`;
    return {
      fires: 'unknown',
      source: { matched: 'unknown', reason },
      conditions: 'unknown',
      trace: [],
      unevaluated: [{ stage: 'rule', what: 'not evaluated', reason }],
    };
  }
  const source = opts.source ?? evaluator.source(rule, event.log);
  if (source.matched === false && !opts.trace) return { fires: 'no', source, conditions: 'unknown', trace: [], unevaluated };
  let conditions: Truth = true;
  const test = testOf(plan, event);
  for (const step of plan.steps) {
    if ('gap' in step) unevaluated.push({ ...step.gap });
    else {
      conditions = andTruth(conditions, evaluateTree(step.condition, test, trace));
      if (conditions === false && !trace) break;
    }
  }
  for (const gap of plan.tailGaps) unevaluated.push({ ...gap });
  return { fires: firesOf(source.matched, conditions, unevaluated.length > 0), source, conditions, trace: trace ?? [], unevaluated };
}

/** `evaluatePlan(...).fires` without the trace and the gaps' copies: what the fire index asks of every candidate. */
export function firesOn(plan: RulePlan, event: PreparedEvent, source: SourceCheck): Fires {
  if (!plan.evaluator) return 'unknown';
  if (source.matched === false) return 'no';
  let conditions: Truth = true;
  let gaps = plan.tailGaps.length > 0;
  const test = testOf(plan, event);
  for (const step of plan.steps) {
    if ('gap' in step) gaps = true;
    else if ((conditions = andTruth(conditions, evaluateTree(step.condition, test))) === false) return 'no';
  }
  return firesOf(source.matched, conditions, gaps);
}

/** The filtering stages' conditions together are one `and`: false at the first false one (unless tracing, when all are evaluated). */
const andTruth = (a: Truth, b: Truth): Truth =>
  a === false || b === false ? false : a === 'unknown' || b === 'unknown' ? 'unknown' : true;

function testOf(plan: RulePlan, event: PreparedEvent): TestPredicate {
  const { evaluator, rule } = plan;
  const view = plan.eventFree ? undefined : event.viewFor(evaluator!);
  return (node) => evaluator!.test(node.predicate, view, rule);
}

function firesOf(source: Truth, conditions: Truth, gaps: boolean): Fires {
  if (source === false || conditions === false) return 'no';
  if (source === 'unknown' || conditions === 'unknown' || gaps) return 'unknown';
  return 'yes';
}
