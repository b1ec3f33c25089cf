// What each sync changed, from the rules' history: for /api/changes and the /changes page.
import type { HistoryEntry, Rule } from '../model/types.js';

interface RuleChange {
  id: string;
  name: string;
  platform: string;
  source: string;
  path: string;
  change: HistoryEntry['change'];
  commit: string;
  date: string;
}

export interface SyncChanges {
  sync: number;
  counts: Record<HistoryEntry['change'], number>;
  /** Added first, then changed, then removed; at most `limit` of them. */
  changes: RuleChange[];
  truncated: boolean;
}

const order: Record<HistoryEntry['change'], number> = { added: 0, changed: 1, removed: 2 };

/** Every sync that changed something, newest first. */
export function changesBySync(rules: readonly Rule[], limit = 500): SyncChanges[] {
  const bySync = new Map<number, RuleChange[]>();
  for (const rule of rules) {
    for (const h of rule.history ?? []) {
      const entry: RuleChange = {
        id: rule.id,
        name: rule.name,
        platform: rule.platform,
        source: rule.sourceName,
        path: rule.path,
        change: h.change,
        commit: h.commit,
        date: h.date,
      };
      const list = bySync.get(h.sync);
      if (list) list.push(entry);
      else bySync.set(h.sync, [entry]);
    }
  }
  return [...bySync.entries()]
    .sort((a, b) => b[0] - a[0])
    .map(([sync, list]) => {
      list.sort((a, b) => order[a.change] - order[b.change] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const counts = { added: 0, changed: 0, removed: 0 };
      for (const c of list) counts[c.change]++;
      return { sync, counts, changes: list.slice(0, limit), truncated: list.length > limit };
    });
}
