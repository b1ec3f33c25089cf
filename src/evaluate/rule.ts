// Would a rule fire on an event: its language's evaluator (languages/evaluate.ts) checks the
// event's log first, then the rule's filtering stages are evaluated on the event; the answer is
// `unknown` whenever it depends on what was not evaluated (a stage such as an aggregation, a
// condition kept as text, a log that cannot be told), never a guess.
import { evaluatorFor } from '../languages/evaluate.js';
import type { LanguageEvaluator } from './types.js';
import type { EvaluatedRule, Evaluation, EventLog, Fires, PredicateTrace, SourceCheck, StageGap, Truth } from './types.js';
import { and, evaluateTree } from './tree.js';

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

/** `source`: the rule's log check when the caller made it already (evaluate/fire.ts: once per group of rules reading the same sources). */
export function evaluateRule(rule: EvaluatedRule, event: PreparedEvent, opts: { trace?: boolean; source?: SourceCheck } = {}): Evaluation {
  const evaluator = evaluatorFor(rule.language);
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
  const view = event.viewFor(evaluator);
  const truths: Truth[] = [];
  for (const stage of rule.stages) {
    const role = evaluator.stage(stage, rule);
    if (role.role === 'gap') unevaluated.push({ stage: stage.kind, what: role.what, reason: role.reason });
    else if (role.role === 'filter') {
      // The stage's own condition, or what the language reads the stage as requiring (SPL `stats ... by f`: f present).
      const condition = role.condition ?? stage.condition;
      if (!condition) continue;
      truths.push(evaluateTree(condition, (node) => evaluator.test(node.predicate, view, rule), trace));
      if (truths.at(-1) === false && !trace) break;
    }
  }
  unevaluated.push(...(evaluator.ruleGaps?.(rule) ?? []));
  if (!rule.parsed) unevaluated.push({ stage: 'rule', what: 'not evaluated', reason: 'the query did not parse' });
  const conditions = and(truths);
  return { fires: firesOf(source.matched, conditions, unevaluated.length > 0), source, conditions, trace: trace ?? [], unevaluated };
}

function firesOf(source: Truth, conditions: Truth, gaps: boolean): Fires {
  if (source === false || conditions === false) return 'no';
  if (source === 'unknown' || conditions === 'unknown' || gaps) return 'unknown';
  return 'yes';
}
