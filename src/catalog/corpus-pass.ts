import { expandEventPatterns, type ExpansionMemo } from '../analysis/event-patterns.js';
import { providers } from '../providers/registry.js';
import { countCanonical } from './canonical-counts.js';
import { assignIds, countIndicators, linkSameAction } from './corpus.js';
import { inheritEvents } from './inherited-events.js';
import type { EventRef } from '../model/types.js';
import { type Dictionary, IND_STRIDE, type PassRule } from './pass.js';
import { linkSimilar, type SimilarSince } from './similar.js';

/**
 * Everything decided over the whole corpus: ids and duplicates, indicator counts, event patterns,
 * the events correlation rules take from the rules they correlate, same-action links, canonical counts, similar rules. Build and sync (sync/update.ts) both run it,
 * over every live rule, and sync rewrites whatever it changed, so a step added here needs nothing
 * more to reach synced catalogs.
 */
export function runPass(rules: PassRule[], dict: Dictionary, opts: PassOptions = {}): { ranked: ReadonlySet<PassRule> | 'all' } {
  assignIds(rules, opts.mine);
  countIndicators(rules);
  expandEventPatterns(rules, providers, opts.expansionMemo);
  inheritEvents(rules);
  linkSameAction(rules);
  countCanonical(rules);
  const since = opts.similarSince?.();
  const ranked = linkSimilar(rules, dict, {}, since);
  return { ranked: since ? (ranked as Set<PassRule>) : 'all' };
}

export interface PassOptions {
  /** Names of the user's own sources: their copies of a public rule never take its id. */
  mine?: ReadonlySet<string>;
  /**
   * Called once ids are assigned: when the live rules, their ids and their currency are as the last
   * pass left them (a sync knows), the rules whose similarity items changed since. Only the rules
   * whose similar list can have changed are then ranked again: runPass returns them, and the
   * caller keeps the others' lists.
   */
  similarSince?: () => SimilarSince | undefined;
  /** Pattern expansions of the last pass, and the map this pass fills (analysis/event-patterns ExpansionMemo). */
  expansionMemo?: ExpansionMemo;
}

/**
 * The rules whose pass outcome can differ from the last pass's, when the live rules, their ids and
 * their currency are as that pass left them and only the `changed` rules' own analysis changed
 * (each mapped to its rule before): the changed rules; the rules holding an indicator, canonical
 * indicator or event a changed rule gained or lost (their counts and sameAction links move with
 * those alone); and the rules the similarity step ranked again. 'all' when a changed rule's event
 * names or patterns changed while rules match event patterns (the names a pattern expands to come
 * from the whole corpus). A step added to runPass must be reflected here.
 */
export function outcomeMayMove(
  live: readonly PassRule[],
  changed: ReadonlyMap<PassRule, PassRule>,
  ranked: ReadonlySet<PassRule>,
): Set<PassRule> | 'all' {
  const keys = new Set<number>();
  const canonical = new Set<number>();
  const events = new Set<string>();
  const difference = <T>(a: Set<T>, b: Set<T>, into: Set<T>) => {
    for (const x of a) if (!b.has(x)) into.add(x);
    for (const x of b) if (!a.has(x)) into.add(x);
  };
  const keysOf = (rule: PassRule, at: number) => {
    const out = new Set<number>();
    for (let k = at; k < rule.ind.length; k += IND_STRIDE) if (rule.ind[k]! >= 0) out.add(rule.ind[k]!);
    return out;
  };
  const eventKey = (e: EventRef) => `${e.provider}\u0000${e.event.toLowerCase()}`;
  const namedEvents = (rule: PassRule) => new Set(rule.events.filter((e) => e.via === undefined).map(eventKey));
  let patternsMoved = false;
  for (const [after, before] of changed) {
    difference(keysOf(before, 0), keysOf(after, 0), keys);
    difference(keysOf(before, 1), keysOf(after, 1), canonical);
    difference(namedEvents(before), namedEvents(after), events);
    if (JSON.stringify(before.eventPatterns ?? []) !== JSON.stringify(after.eventPatterns ?? [])) patternsMoved = true;
  }
  if (patternsMoved || (events.size && live.some((rule) => rule.eventPatterns?.length))) return 'all';
  const moved = new Set<PassRule>([...changed.keys(), ...ranked]);
  // A rule taking the events of a changed rule (inheritsEventsFrom) takes its new ones.
  const changedIds = new Set([...changed.keys()].map((r) => `${r.platform}\u0000${r.nativeId}`));
  for (const rule of live) if (rule.inheritsEventsFrom?.some((id) => changedIds.has(`${rule.platform}\u0000${id}`))) moved.add(rule);
  if (!keys.size && !canonical.size && !events.size) return moved;
  for (const rule of live) {
    if (moved.has(rule)) continue;
    let hit = rule.events.some((e) => events.has(eventKey(e)));
    for (let k = 0; !hit && k < rule.ind.length; k += IND_STRIDE) hit = keys.has(rule.ind[k]!) || canonical.has(rule.ind[k + 1]!);
    if (hit) moved.add(rule);
  }
  return moved;
}
