// Would a rule fire on an ordered list of events (oldest first): a rule over several events (an EQL
// sequence, a Sigma correlation) asks its language's evaluator (`overEvents`); any other rule fires when one event of the
// list makes it fire (`yes` at the first such event, else `unknown` at the first event that leaves it
// open, else `no`).
import { evaluatorFor } from '../languages/evaluate.js';
import { evaluateRule, type PreparedEvent } from './rule.js';
import type { EvaluatedRule, EventsContext, EventsEvaluation } from './types.js';

/** `rules`: the rules a correlation names, by name or id. */
export function evaluateEvents(
  rule: EvaluatedRule,
  events: readonly PreparedEvent[],
  opts: Omit<EventsContext, 'evaluate'> = {},
): EventsEvaluation {
  const own = evaluatorFor(rule.language)?.overEvents?.(rule, events, { ...opts, evaluate: (r, e) => evaluateRule(r, e) });
  if (own) return own;
  let open: EventsEvaluation | undefined;
  let last: EventsEvaluation | undefined;
  for (const [at, event] of events.entries()) {
    const evaluation = evaluateRule(rule, event, { trace: opts.trace ?? false });
    if (evaluation.fires === 'yes') return { ...evaluation, events: [at] };
    if (evaluation.fires === 'unknown') open ??= { ...evaluation, events: [at] };
    last = { ...evaluation, events: [] };
  }
  return (
    open ??
    last ?? {
      fires: 'no',
      source: { matched: 'unknown', reason: 'no events' },
      conditions: 'unknown',
      trace: [],
      unevaluated: [],
      events: [],
    }
  );
}
