// Visibility: with only some log sources collected ("my log sources": providers, and tables, indexes, datasets,
// sourcetypes, log types as log-sources.ts reads them), which rules can run, and which techniques stay visible,
// which go blind (their rules all need a log not collected), and which no rule says (rules whose log is unknown).
// A rule can run when every provider it watches is collected, or, where you named what you collect of its kind
// of log source, when one of the log sources it reads is (a union of tables, a list of index patterns or
// sourcetypes reads whichever exists).
import { notInBundle } from '../attack/catalog.js';
import type { Rule } from '../model/types.js';
import { providerName } from '../providers/registry.js';
import { type CollectedLogs, isCollected, isJudged, logSourceEntry, parseLogEntries, ruleLogSources } from './log-sources.js';

type RuleVisibility = 'runnable' | 'blocked' | 'unknown';

/** A rule's provider ids; none when no event of it names a known provider. */
function providersOf(rule: Rule): string[] {
  return [...new Set(rule.events.map((e) => e.provider))].sort();
}

/** What visibility reads of a rule, whatever is collected: its providers and its log sources. */
export interface RuleLogFacts {
  providers: string[];
  sources: ReturnType<typeof ruleLogSources>;
}

/** Each rule's log facts, worked out once for a rule set (a server: per catalog) instead of in every request. */
export function ruleLogFacts(rules: readonly Rule[]): Map<Rule, RuleLogFacts> {
  return new Map(rules.map((r) => [r, { providers: providersOf(r), sources: ruleLogSources(r) }]));
}

const factsOf = (rule: Rule, known?: ReadonlyMap<Rule, RuleLogFacts>): RuleLogFacts =>
  known?.get(rule) ?? { providers: providersOf(rule), sources: ruleLogSources(rule) };

/** A rule's state, and what it misses when blocked (provider ids, or log source entries). */
function ruleVisibility({ providers, sources: all }: RuleLogFacts, logs: CollectedLogs): { state: RuleVisibility; missing: string[] } {
  if (providers.length && providers.every((p) => logs.providers.has(p))) return { state: 'runnable', missing: [] };
  const sources = logs.sources.length ? all.filter((s) => isJudged(s, logs)) : [];
  if (sources.length) {
    if (sources.some((s) => isCollected(s, logs))) return { state: 'runnable', missing: [] };
    return { state: 'blocked', missing: sources.map(logSourceEntry) };
  }
  if (!providers.length) return { state: 'unknown', missing: [] };
  return { state: 'blocked', missing: providers.filter((p) => !logs.providers.has(p)) };
}

export interface VisibilityTechnique {
  id: string;
  name: string;
  rules: number;
  runnable: number;
  /** Providers and log sources (`table:AuditLogs`) the technique's blocked rules need (what to collect to see it). */
  missing: string[];
}

export interface Visibility {
  /** The providers and log sources collected, with names. */
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

/** `facts`: the rules' log facts worked out beforehand (ruleLogFacts), else read here. */
// What `localeCompare(x, 'en')` does, without building a collator per comparison.
const collator = new Intl.Collator('en');

export function visibility(
  rules: readonly Rule[],
  logIds: readonly string[],
  names: ReadonlyMap<string, string>,
  facts?: ReadonlyMap<Rule, RuleLogFacts>,
): Visibility {
  const logs = parseLogEntries(logIds);
  const techniques = new Map<string, VisibilityTechnique & { blocked: number }>();
  const runnable: Visibility['runnable'] = [];
  let blocked = 0;
  let unknown = 0;
  for (const rule of rules) {
    const known = factsOf(rule, facts);
    const { state, missing } = ruleVisibility(known, logs);
    if (state === 'runnable') runnable.push({ id: rule.id, name: rule.name, platform: rule.platform, providers: [...known.providers] });
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
        for (const m of missing) if (!row.missing.includes(m)) row.missing.push(m);
      }
    }
  }
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const rows = [...techniques.values()].sort(byId).map(({ blocked: _blocked, ...row }) => ({ ...row, missing: row.missing.sort() }));
  const blockedOf = new Map([...techniques.values()].map((t) => [t.id, t.blocked]));
  return {
    logs: [...new Set(logIds)].sort().map((id) => ({ id, name: logs.providers.has(id) ? providerName(id) : id })),
    rules: rules.length,
    runnable: runnable.sort((a, b) => collator.compare(a.name, b.name) || (a.id < b.id ? -1 : 1)),
    blocked,
    unknown,
    visible: rows.filter((t) => t.runnable > 0),
    blind: rows.filter((t) => t.runnable === 0 && blockedOf.get(t.id)! > 0),
    unsure: rows.filter((t) => t.runnable === 0 && blockedOf.get(t.id) === 0),
  };
}
