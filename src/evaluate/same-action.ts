// "Rules detecting the same action" as a claim tested on an event: the rule and every rule its
// sameAction list links, each given the event mapped to its own platform's schema (or as given),
// and what each answers. A rule page or API shows the answers; this is where they are computed.
import type { Rule } from '../model/types.js';
import { platformInfo } from '../platforms/registry.js';
import { recogniseLog } from './event-log.js';
import { answerScore } from './fire-mapped.js';
import { mapEvent, recogniseProvider } from './map-event.js';
import { evaluateRule, PreparedEvent } from './rule.js';
import type { EventLog, Evaluation, Fires } from './types.js';

export interface SameActionAnswer {
  id: string;
  name: string;
  platform: string;
  /** `no` also when the catalog no longer has the rule. */
  fires: Fires;
  /** The mapping that gave the answer (undefined: the event as given). */
  mapped?: { provider: string; schema: string; log: string };
  /** Why it does not fire, or what leaves it open: the first false or open part. */
  reason: string;
  evaluation?: Evaluation;
}

/** Of equal answers, one on the rule's own log: its `no` says which condition failed. */
const score = answerScore;

function reasonOf(e: Evaluation): string {
  if (e.source.matched === false) return e.source.reason;
  if (e.fires === 'yes') return 'fires';
  if (e.fires === 'no') {
    const miss = e.trace.find((t) => t.matched === false);
    return miss ? `${miss.field} ${miss.op} ${JSON.stringify(miss.values)}: saw ${JSON.stringify(miss.seen)}` : 'a condition is false';
  }
  const gap = e.unevaluated[0];
  return gap ? `${gap.stage}: ${gap.reason}` : e.source.matched === 'unknown' ? e.source.reason : 'a condition is unknown';
}

/**
 * The event tried on `rule` and each rule of its sameAction list: each rule on the event as given and
 * on every mapping to its platform's schema, its best answer kept (`yes`, then `unknown`, then `no`; of equal answers, one on the rule's own log).
 * `ruleById` finds a linked rule in the catalog.
 */
export function sameActionAnswers(
  rule: Rule,
  ruleById: (id: string) => Rule | undefined,
  event: unknown,
  log: EventLog,
  options: { map?: boolean } = {},
): SameActionAnswer[] {
  const recognised = options.map === false ? undefined : recogniseProvider(event, log);
  const mapped = recognised ? mapEvent(recognised.mapper, event) : [];
  const asGiven = new PreparedEvent(event, log, Date.now());
  const preparedMapped = mapped.map((m) => ({ m, prepared: new PreparedEvent(m.event, recogniseLog(m.event, m.log), Date.now()) }));
  const linked = [{ id: rule.id, name: rule.name, platform: rule.platform }, ...rule.sameAction];
  return linked.map((link) => {
    const target = link.id === rule.id ? rule : ruleById(link.id);
    if (!target) return { ...link, fires: 'no' as const, reason: 'not in the catalog' };
    const schema = platformInfo(target.platform)?.schema;
    let best: SameActionAnswer | undefined;
    let bestScore = -1;
    const consider = (evaluation: Evaluation, via?: SameActionAnswer['mapped']) => {
      if (score(evaluation) <= bestScore) return;
      bestScore = score(evaluation);
      best = { ...link, fires: evaluation.fires, ...(via ? { mapped: via } : {}), reason: reasonOf(evaluation), evaluation };
    };
    consider(evaluateRule(target, asGiven, { trace: true }));
    for (const { m, prepared } of preparedMapped) {
      if (m.schema !== schema) continue;
      consider(evaluateRule(target, prepared, { trace: true }), { provider: m.provider, schema: m.schema, log: m.log });
    }
    return best!;
  });
}
