// Provider coverage: which events of a log provider each platform's rules watch, and the gaps.
import type { Rule } from '../model/types.js';
import { providerName } from '../providers/registry.js';
import { countByPlatform, platformsOf } from './platforms.js';

export interface ProviderSummary {
  id: string;
  name: string;
  /** Rules watching at least one event of the provider. */
  rules: number;
  /** Distinct events watched. */
  events: number;
  byPlatform: Record<string, number>;
}

interface ProviderEventRow {
  event: string;
  /** Rules watching the event. */
  count: number;
  byPlatform: Record<string, number>;
  /** Platforms (of the columns) with no rule on the event while another column has one. */
  missing: string[];
}

export interface ProviderCoverage {
  id: string;
  name: string;
  rules: number;
  /** The columns: platforms asked for, else those with a rule on the provider, most rules first. */
  platforms: string[];
  byPlatform: Record<string, number>;
  /** Most watched first. */
  events: ProviderEventRow[];
  /** Events some column watches and another does not. */
  gaps: number;
}

/** Every provider the rules watch, most rules first. */
export function providerIndex(rules: readonly Rule[]): ProviderSummary[] {
  const byProvider = new Map<string, { rules: Set<Rule>; events: Set<string> }>();
  for (const rule of rules) {
    for (const e of rule.events) {
      let p = byProvider.get(e.provider);
      if (!p) byProvider.set(e.provider, (p = { rules: new Set(), events: new Set() }));
      p.rules.add(rule);
      p.events.add(e.event);
    }
  }
  return [...byProvider]
    .map(([id, p]) => ({ id, name: providerName(id), rules: p.rules.size, events: p.events.size, byPlatform: countByPlatform(p.rules) }))
    .sort((a, b) => b.rules - a.rules || a.name.localeCompare(b.name, 'en'));
}

/** One provider's events by platform; `platforms` picks the columns (compare), else every platform watching it. */
export function providerCoverage(rules: readonly Rule[], provider: string, platforms?: readonly string[]): ProviderCoverage {
  const watching = new Set<Rule>();
  const byEvent = new Map<string, Set<Rule>>();
  for (const rule of rules) {
    for (const e of rule.events) {
      if (e.provider !== provider) continue;
      watching.add(rule);
      let set = byEvent.get(e.event);
      if (!set) byEvent.set(e.event, (set = new Set()));
      set.add(rule);
    }
  }
  const columns = platforms?.length ? [...platforms] : platformsOf([...watching]);
  const events = [...byEvent]
    .map(([event, set]): ProviderEventRow => {
      const byPlatform = countByPlatform(set);
      const anyColumn = columns.some((p) => byPlatform[p]);
      return { event, count: set.size, byPlatform, missing: anyColumn ? columns.filter((p) => !byPlatform[p]) : [] };
    })
    .sort((a, b) => b.count - a.count || (a.event < b.event ? -1 : a.event > b.event ? 1 : 0));
  return {
    id: provider,
    name: providerName(provider),
    rules: watching.size,
    platforms: columns,
    byPlatform: countByPlatform(watching),
    events,
    gaps: events.filter((e) => e.missing.length > 0).length,
  };
}
