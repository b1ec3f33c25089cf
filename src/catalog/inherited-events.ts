import type { EventRef } from '../model/types.js';
import type { PassRule } from './pass.js';

/** The `via` of an event a rule takes from the rule it correlates. */
const inheritedVia = (nativeId: string) => `rule ${nativeId}`;

const key = (platform: string, nativeId: string) => `${platform}\u0000${nativeId}`;

/**
 * A rule correlating the alerts of other rules (Rule.inheritsEventsFrom) watches their events:
 * each current rule on its platform with that native id gives its events (named and expanded from
 * patterns, so this runs after the pattern step), `via` the rule they come from. A referenced rule
 * that correlates others itself passes on only its own events: no chains, no cycles.
 */
export function inheritEvents(rules: PassRule[]): void {
  if (!rules.some((r) => r.inheritsEventsFrom?.length)) return;
  const byNativeId = new Map<string, PassRule[]>();
  for (const rule of rules) {
    if (rule.removed) continue;
    const k = key(rule.platform, rule.nativeId);
    const list = byNativeId.get(k);
    if (list) list.push(rule);
    else byNativeId.set(k, [rule]);
  }
  // Own events first, read before any rule takes others': a member's inherited events are not passed on.
  const own = new Map<PassRule, EventRef[]>();
  for (const rule of rules) if (rule.inheritsEventsFrom?.length) own.set(rule, rule.events);
  const ownOf = (rule: PassRule) => (own.get(rule) ?? rule.events).filter((e) => !e.via?.startsWith('rule '));
  for (const [rule, events] of own) {
    const seen = new Set(events.map((e) => `${e.provider}\u0000${e.event.toLowerCase()}`));
    const added: EventRef[] = [];
    for (const nativeId of rule.inheritsEventsFrom!) {
      for (const member of byNativeId.get(key(rule.platform, nativeId)) ?? []) {
        if (member === rule) continue;
        for (const e of ownOf(member)) {
          const k = `${e.provider}\u0000${e.event.toLowerCase()}`;
          if (seen.has(k)) continue;
          seen.add(k);
          added.push({ provider: e.provider, event: e.event, via: inheritedVia(nativeId) });
        }
      }
    }
    if (added.length) rule.events = [...events, ...added];
  }
}
