// `fire` over every schema: the event as given, then (unless turned off) the event mapped to each
// platform schema its provider's mapper knows (evaluate/map-event.ts). A mapped event is tried only
// on rules of platforms on its schema; a rule reached several ways is reported once, by its best
// answer (`yes` before `unknown`; of equal answers, one whose log the rule was known to read, then
// the event as given before a mapping).
import { platformInfo } from '../platforms/registry.js';
import { recogniseLog } from './event-log.js';
import type { FiredRule, FireIndex } from './fire.js';
import { mapEvent, recogniseProvider } from './map-event.js';
import type { EventLog, Evaluation, Fires } from './types.js';

const rank: Record<Fires, number> = { yes: 4, unknown: 2, no: 0 };

/** Better answers score higher; between equal ones, an evaluation on the rule's own log (its source matched). */
export function answerScore(e: Evaluation): number {
  return rank[e.fires] + (e.source.matched === true ? 1 : 0);
}

interface MappedFiredRule extends FiredRule {
  /** Set when the rule fired on the event mapped to its platform's schema: which mapping. */
  mapped?: { provider: string; schema: string; log: string };
}

export interface FireOutcome {
  fired: MappedFiredRule[];
  /** The provider whose raw log the event was recognised as, and how (undefined: not mapped). */
  provider?: { id: string; how: string };
}

export function fireMapped(index: FireIndex, event: unknown, log: EventLog, options: { map?: boolean } = {}): FireOutcome {
  const best = new Map<string, MappedFiredRule>();
  const keep = (found: MappedFiredRule) => {
    const had = best.get(found.rule.id);
    if (!had || answerScore(found.evaluation) > answerScore(had.evaluation)) best.set(found.rule.id, found);
  };
  for (const found of index.fire(event, log)) keep(found);
  const recognised = options.map === false ? undefined : recogniseProvider(event, log);
  if (recognised) {
    for (const mapped of mapEvent(recognised.mapper, event)) {
      const mappedLog = recogniseLog(mapped.event, mapped.log);
      // One object for every rule of the mapping: the answer's writer reads it once (fire-report.ts).
      const how = { provider: mapped.provider, schema: mapped.schema, log: mapped.log };
      // Only the rules of platforms on the mapped event's schema: the index tries no other.
      for (const found of index.fire(mapped.event, mappedLog, mapped.schema)) {
        if (platformInfo(found.rule.platform)?.schema !== mapped.schema) continue;
        keep({ ...found, mapped: how });
      }
    }
  }
  // Each rule's place in the order of ids read once, not at each comparison (hundreds of rules per event).
  const fired = [...best.values()]
    .map((found) => ({ found, order: index.orderOf(found.rule) }))
    .sort((a, b) => a.order - b.order || index.compare(a.found.rule, b.found.rule))
    .map((x) => x.found);
  return { fired, ...(recognised ? { provider: { id: recognised.mapper.provider, how: recognised.how } } : {}) };
}
