// Would a rule fire on an event: its language's evaluator (languages/evaluate.ts) checks the
// event's log first, then the rule's filtering stages are evaluated on the event; the answer is
// `unknown` whenever it depends on what was not evaluated (a stage such as an aggregation, a
// condition kept as text, a log that cannot be told), never a guess.
import { evaluatorFor } from '../languages/evaluate.js';
import type { PredicateNode } from '../model/types.js';
import type {
  EvaluatedRule,
  Evaluation,
  EventLog,
  Expansion,
  Fires,
  LanguageEvaluator,
  PredicateTrace,
  SourceCheck,
  StageGap,
  Truth,
} from './types.js';
import { type ElementScopes, evaluateTree, type TestPredicate } from './tree.js';

/**
 * An event with what is known of its log, and its view per language (computed once for every rule);
 * `now`, the time of the evaluation (milliseconds since the epoch) for rules that read the time now:
 * without it, what depends on it is `unknown`.
 */
export class PreparedEvent {
  private readonly views = new Map<LanguageEvaluator, unknown>();
  constructor(
    readonly event: unknown,
    readonly log: EventLog,
    readonly now?: number,
  ) {}

  private readonly lacking = new Map<LanguageEvaluator, Map<string, boolean>>();

  /** Whether the event lacks the field as the language's `test` reads it (asked once per field and language). */
  lacks(evaluator: LanguageEvaluator, field: string): boolean {
    let known = this.lacking.get(evaluator);
    if (!known) this.lacking.set(evaluator, (known = new Map<string, boolean>()));
    let lacks = known.get(field);
    if (lacks === undefined) known.set(field, (lacks = evaluator.missing?.(this.viewFor(evaluator), field) ?? false));
    return lacks;
  }

  viewFor(evaluator: LanguageEvaluator): unknown {
    if (!this.views.has(evaluator)) this.views.set(evaluator, evaluator.view(this.event, this.log, this.now));
    return this.views.get(evaluator);
  }
}

/** A stage's part: a gap, a condition, or an expansion (KQL `mv-expand`: the later steps run on each row it makes). */
type PlanStep =
  | { gap: StageGap }
  /** `quick`: the condition with regexes last in each `and` and `or`, for an answer without trace (`firesOn`). */
  | { condition: PredicateNode; quick: PredicateNode }
  | { expand: (view: unknown) => Expansion; stage: string; reads?: readonly string[] };

/**
 * What of a rule's evaluation does not depend on the event, worked out once: its filtering conditions
 * and the gaps of the stages around them, in stage order, then the gaps of the rule itself.
 * evaluate/fire.ts keeps one per rule of the catalog; evaluateRule makes one per call.
 */
export interface RulePlan {
  rule: EvaluatedRule;
  evaluator: LanguageEvaluator | undefined;
  steps: readonly PlanStep[];
  /** After the stages: what the rule does beyond them (`ruleGaps`), a query that did not parse. */
  tailGaps: readonly StageGap[];
  /** No predicate in any condition (none, or only conditions kept as text): the answer depends on the log alone. */
  eventFree: boolean;
}

const hasPredicate = (node: PredicateNode): boolean =>
  node.kind === 'pred' ||
  (node.kind === 'not' || node.kind === 'some' ? hasPredicate(node.child) : node.kind !== 'other' && node.children.some(hasPredicate));

const hasRegex = (node: PredicateNode): boolean =>
  node.kind === 'pred'
    ? node.predicate.op === 'regex'
    : node.kind === 'not' || node.kind === 'some'
      ? hasRegex(node.child)
      : node.kind !== 'other' && node.children.some(hasRegex);

/**
 * The node with the children holding a regex after the others, at every level: Kleene `and` and `or`
 * give the same truth in any order, and a regex (compiled on its first test, run on RE2) is seldom
 * needed once a cheap comparison is false (the tree's own order stays for traces).
 */
function regexesLast(node: PredicateNode): PredicateNode {
  if (node.kind === 'not') {
    const child = regexesLast(node.child);
    return child === node.child ? node : { ...node, child };
  }
  if (node.kind !== 'and' && node.kind !== 'or') return node;
  const children = node.children.map(regexesLast);
  const ordered = [...children.filter((c) => !hasRegex(c)), ...children.filter(hasRegex)];
  return ordered.every((c, i) => c === node.children[i]) ? node : { ...node, children: ordered };
}

export function planOf(rule: EvaluatedRule): RulePlan {
  const evaluator = evaluatorFor(rule.language);
  const steps: RulePlan['steps'][number][] = [];
  const tailGaps: StageGap[] = [];
  if (evaluator) {
    for (const stage of rule.stages) {
      const role = evaluator.stage(stage, rule);
      if (role.role === 'gap') steps.push({ gap: { stage: stage.kind, what: role.what, reason: role.reason } });
      else if (role.role === 'expand') steps.push({ expand: role.expand, stage: stage.kind, ...(role.reads ? { reads: role.reads } : {}) });
      else if (role.role === 'filter') {
        // The stage's own condition, or what the language reads the stage as requiring (SPL `stats ... by f`: f present).
        const condition = role.condition ?? stage.condition;
        if (condition) steps.push({ condition, quick: regexesLast(condition) });
      }
    }
    tailGaps.push(...(evaluator.ruleGaps?.(rule) ?? []));
    if (!rule.parsed) tailGaps.push({ stage: 'rule', what: 'not evaluated', reason: 'the query did not parse' });
  }
  // An expansion's rows depend on the event (an empty array makes none).
  const eventFree = steps.every((s) => !('expand' in s) && (!('condition' in s) || !hasPredicate(s.condition)));
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
  const view = plan.eventFree ? undefined : event.viewFor(evaluator);
  const conditions = stepsTruth(plan, 0, view, { trace, gaps: unevaluated });
  for (const gap of plan.tailGaps) unevaluated.push({ ...gap });
  return { fires: firesOf(source.matched, conditions, unevaluated.length > 0), source, conditions, trace: trace ?? [], unevaluated };
}

/** `evaluatePlan(...).fires` without the trace and the gaps' copies: what the fire index asks of every candidate. */
export function firesOn(plan: RulePlan, event: PreparedEvent, source: SourceCheck): Fires {
  if (!plan.evaluator) return 'unknown';
  if (source.matched === false) return 'no';
  const found = { gap: plan.tailGaps.length > 0 };
  const view = plan.eventFree ? undefined : event.viewFor(plan.evaluator);
  const conditions = stepsTruth(plan, 0, view, { found });
  return firesOf(source.matched, conditions, found.gap);
}

/** Where the steps' gaps go: copied into `gaps` (with a trace, or for the answer), or only noted in `found`. */
interface StepsOutput {
  trace?: PredicateTrace[];
  gaps?: StageGap[];
  found?: { gap: boolean };
  /** On the rows of an expansion: the static gaps after it are noted already, once. */
  onRow?: boolean;
}

function noteGap(out: StepsOutput, gap: StageGap): void {
  out.gaps?.push({ ...gap });
  if (out.found) out.found.gap = true;
}

/**
 * The truth of the steps from `from` on, on one row (the event's view, or a row an expansion made):
 * false at the first false condition (unless tracing, when all are evaluated). After an expansion,
 * the rest runs on each of its rows, and holds when it holds on one (Kleene `or`); the stages' gaps
 * after it are noted once, whatever the rows.
 */
function stepsTruth(plan: RulePlan, from: number, view: unknown, out: StepsOutput): Truth {
  const { evaluator, rule } = plan;
  const test: TestPredicate = (node) => evaluator!.test(node.predicate, view, rule);
  const elements = elementScopes(plan, view);
  let conditions: Truth = true;
  for (let at = from; at < plan.steps.length; at++) {
    const step = plan.steps[at]!;
    if ('gap' in step) {
      if (!out.onRow) noteGap(out, step.gap);
    } else if ('condition' in step) {
      conditions = andTruth(
        conditions,
        out.trace ? evaluateTree(step.condition, test, out.trace, elements) : evaluateTree(step.quick, test, undefined, elements),
      );
      if (conditions === false && !out.trace) return false;
    } else {
      const expansion = step.expand(view);
      if ('unknown' in expansion) {
        noteGap(out, { stage: step.stage, what: 'not evaluated', reason: expansion.unknown });
        return andTruth(conditions, 'unknown');
      }
      if (!out.onRow) for (const later of plan.steps.slice(at + 1)) if ('gap' in later) noteGap(out, later.gap);
      if (expansion.rows.length === 0) {
        out.trace?.push({
          field: step.stage,
          op: step.stage,
          values: [],
          negated: false,
          seen: [],
          matched: false,
          note: 'no row: an empty array or property bag',
        });
        return false;
      }
      const onRow: StepsOutput = { ...out, onRow: true };
      let rows: Truth = false;
      for (const row of expansion.rows) {
        const truth = stepsTruth(plan, at + 1, row, onRow);
        if (truth === true) {
          rows = true;
          if (!out.trace) break;
        } else if (truth === 'unknown' && rows === false) rows = 'unknown';
      }
      return andTruth(conditions, rows);
    }
  }
  return conditions;
}

/** The element scopes of a view (tree.ts `some`), as far as the language can split its lists. */
function elementScopes(plan: RulePlan, view: unknown): ElementScopes | undefined {
  const { evaluator, rule } = plan;
  if (!evaluator?.elementViews) return undefined;
  return (field, json) =>
    evaluator.elementViews!(view, field, json)?.map((element) => ({
      test: (node) => evaluator.test(node.predicate, element, rule),
      elements: elementScopes(plan, element),
    }));
}

/** The filtering stages' conditions together are one `and`: false at the first false one (unless tracing, when all are evaluated). */
const andTruth = (a: Truth, b: Truth): Truth =>
  a === false || b === false ? false : a === 'unknown' || b === 'unknown' ? 'unknown' : true;

function firesOf(source: Truth, conditions: Truth, gaps: boolean): Fires {
  if (source === false || conditions === false) return 'no';
  if (source === 'unknown' || conditions === 'unknown' || gaps) return 'unknown';
  return 'yes';
}
