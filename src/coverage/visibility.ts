// Visibility: with only some log providers collected ("my log sources"), which rules can run (every provider
// they watch is collected), and which techniques stay visible, which go blind (their rules all need a log not
// collected), and which no rule says (rules whose provider is unknown).
import { notInBundle } from '../attack/catalog.js';
import type { Rule } from '../model/types.js';
import { providerName } from '../providers/registry.js';

type RuleVisibility = 'runnable' | 'blocked' | 'unknown';

/** A rule's provider ids; none when no event of it names a known provider. */
function providersOf(rule: Rule): string[] {
  return [...new Set(rule.events.map((e) => e.provider))].sort();
}

function ruleVisibility(rule: Rule, logs: ReadonlySet<string>): RuleVisibility {
  const providers = providersOf(rule);
  if (!providers.length) return 'unknown';
  return providers.every((p) => logs.has(p)) ? 'runnable' : 'blocked';
}

export interface VisibilityTechnique {
  id: string;
  name: string;
  rules: number;
  runnable: number;
  /** Providers the technique's blocked rules need (what to collect to see it). */
  missing: string[];
}

export interface Visibility {
  /** The providers collected, with names. */
  logs: { id: string; name: string }[];
  rules: number;
  runnable: { id: string; name: string; platform: string; providers: string[] }[];
  blocked: number;
  unknown: number;
  /** Techniques a runnable rule covers. */
  visible: VisibilityTechnique[];
  /** Techniques with rules, none of them runnable: each needs a provider not collected. */
  blind: VisibilityTechnique[];
  /** Techniques only rules of unknown providers cover. */
  unsure: VisibilityTechnique[];
}

export function visibility(rules: readonly Rule[], logIds: readonly string[], names: ReadonlyMap<string, string>): Visibility {
  const logs = new Set(logIds);
  const techniques = new Map<string, VisibilityTechnique & { blocked: number }>();
  const runnable: Visibility['runnable'] = [];
  let blocked = 0;
  let unknown = 0;
  for (const rule of rules) {
    const state = ruleVisibility(rule, logs);
    if (state === 'runnable') runnable.push({ id: rule.id, name: rule.name, platform: rule.platform, providers: providersOf(rule) });
    else if (state === 'blocked') blocked++;
    else unknown++;
    for (const t of rule.attack.techniques) {
      let row = techniques.get(t.id);
      if (!row) {
        const name = names.get(t.id) ?? (t.name && t.name !== t.id ? t.name : notInBundle);
        techniques.set(t.id, (row = { id: t.id, name, rules: 0, runnable: 0, blocked: 0, missing: [] }));
      }
      row.rules++;
      if (state === 'runnable') row.runnable++;
      if (state === 'blocked') {
        row.blocked++;
        for (const p of providersOf(rule)) if (!logs.has(p) && !row.missing.includes(p)) row.missing.push(p);
      }
    }
  }
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const rows = [...techniques.values()].sort(byId).map(({ blocked: _blocked, ...row }) => ({ ...row, missing: row.missing.sort() }));
  const blockedOf = new Map([...techniques.values()].map((t) => [t.id, t.blocked]));
  return {
    logs: [...logs].sort().map((id) => ({ id, name: providerName(id) })),
    rules: rules.length,
    runnable: runnable.sort((a, b) => a.name.localeCompare(b.name, 'en') || (a.id < b.id ? -1 : 1)),
    blocked,
    unknown,
    visible: rows.filter((t) => t.runnable > 0),
    blind: rows.filter((t) => t.runnable === 0 && blockedOf.get(t.id)! > 0),
    unsure: rows.filter((t) => t.runnable === 0 && blockedOf.get(t.id) === 0),
  };
}
