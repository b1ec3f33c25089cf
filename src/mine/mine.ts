// "Your rules": the user's own rules (sources marked `mine`) against the public corpus (every
// other source): which public rules detect the same action as each of yours, and which events
// and ATT&CK techniques the public rules cover that yours do not.
import type { Rule } from '../model/types.js';
import type { CatalogStore } from '../store/read.js';

interface LinkedRule {
  id: string;
  name: string;
  platform: string;
  source: string;
}

interface YourRule extends LinkedRule {
  path: string;
  /** Public rules detecting the same provider event (its sameAction links outside your sources). */
  publicSameAction: LinkedRule[];
}

interface EventGap {
  event: string;
  /** Public rules detecting it. */
  rules: number;
}

interface TechniqueGap {
  id: string;
  name: string;
  rules: number;
}

export interface MineReport {
  /** Your sources. */
  sources: string[];
  rules: YourRule[];
  /** Public events none of your rules detect, per provider; most detected first. */
  eventGaps: { provider: string; events: EventGap[] }[];
  /** Public techniques none of your rules cover, per tactic (TA id, or '' for none); most covered first. */
  techniqueGaps: { tactic: string; tacticName: string; techniques: TechniqueGap[] }[];
}

/** A rule that counts: present upstream and the newest copy of its native id. */
const counts = (r: Rule) => !r.removed && (!r.duplicates || r.duplicates.newest);

const byCount =
  <T extends { rules: number }>(key: (t: T) => string) =>
  (a: T, b: T) =>
    b.rules - a.rules || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

export function mineReport(store: CatalogStore): MineReport {
  const mine = store.mine;
  const yours = store.rules.filter((r) => mine.has(r.sourceName) && counts(r));
  const publicRules = store.rules.filter((r) => !mine.has(r.sourceName) && counts(r));

  const rules: YourRule[] = yours
    .map((r) => ({
      id: r.id,
      name: r.name,
      platform: r.platform,
      source: r.sourceName,
      path: r.path,
      publicSameAction: r.sameAction.flatMap((link) => {
        const other = store.byId.get(link.id);
        return other && !mine.has(other.sourceName)
          ? [{ id: other.id, name: other.name, platform: other.platform, source: other.sourceName }]
          : [];
      }),
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  // Events compare as the event facet does: provider and event name exactly.
  const yourEvents = new Set(yours.flatMap((r) => r.events.map((e) => `${e.provider}/${e.event}`)));
  const eventRules = new Map<string, Map<string, number>>();
  for (const r of publicRules) {
    for (const key of new Set(r.events.map((e) => `${e.provider}/${e.event}`))) {
      if (yourEvents.has(key)) continue;
      const slash = key.indexOf('/');
      const provider = key.slice(0, slash);
      const events = eventRules.get(provider) ?? new Map<string, number>();
      eventRules.set(provider, events);
      events.set(key.slice(slash + 1), (events.get(key.slice(slash + 1)) ?? 0) + 1);
    }
  }
  const eventGaps = [...eventRules]
    .map(([provider, events]) => ({
      provider,
      events: [...events].map(([event, n]) => ({ event, rules: n })).sort(byCount((e) => e.event)),
    }))
    .sort((a, b) => b.events.length - a.events.length || (a.provider < b.provider ? -1 : 1));

  const yourTechniques = new Set(yours.flatMap((r) => r.attack.techniques.map((t) => t.id)));
  const tacticNames = new Map<string, string>();
  const techniqueRules = new Map<string, Map<string, TechniqueGap>>();
  for (const r of publicRules) {
    for (const t of r.attack.tactics) if (t.name && !tacticNames.has(t.id)) tacticNames.set(t.id, t.name);
    for (const t of r.attack.techniques) {
      if (yourTechniques.has(t.id)) continue;
      for (const tactic of t.tactics.length ? t.tactics : ['']) {
        const list = techniqueRules.get(tactic) ?? new Map<string, TechniqueGap>();
        techniqueRules.set(tactic, list);
        const gap = list.get(t.id) ?? { id: t.id, name: t.name, rules: 0 };
        list.set(t.id, gap);
        gap.rules++;
      }
    }
  }
  const techniqueGaps = [...techniqueRules]
    .map(([tactic, list]) => ({
      tactic,
      tacticName: tacticNames.get(tactic) ?? (tactic || 'No tactic'),
      techniques: [...list.values()].sort(byCount((t) => t.id)),
    }))
    .sort((a, b) => (a.tactic === '' ? 1 : b.tactic === '' ? -1 : a.tactic < b.tactic ? -1 : 1));

  return { sources: [...mine].sort(), rules, eventGaps, techniqueGaps };
}
