// ATT&CK data components and the rules that consume them. A component lists log sources (`x_mitre_log_sources`:
// a name such as `WinEventLog:Security` or `AWS:CloudTrail`, and a channel such as `EventCode=4688` or
// `StopLogging, DeleteTrail`); the loaded bundles relate no component to a technique (v18 moved that to detection
// strategies, which the shared bundle leaves out), so a rule consumes a component when one of the provider events
// it watches is named by one of the component's log sources: the source's name maps to the provider (the table
// below), and its channel (or the name after its `:`, as in `CloudTrail:GetObject`) names the event, without case.
// A log source naming no known provider, or no event, makes no rule consume the component: a provider alone
// (every Security-log rule) would make each component consume nearly all rules of that log.
import { notInBundle } from '../attack/catalog.js';
import type { DataComponent } from '../attack/threats.js';
import type { Rule } from '../model/types.js';
import { logSourceEntry, ruleLogSources } from './log-sources.js';

/** Data component log source names (as ATT&CK writes them) and the provider whose events they are. */
const logSourceProviders: readonly [RegExp, string][] = [
  [/^WinEventLog:Security$/i, 'windows-security'],
  [/^(WinEventLog|linux):Sysmon$/i, 'sysmon'],
  [/^WinEventLog:PowerShell$/i, 'windows-powershell'],
  [/^(AWS:CloudTrail|CloudTrail:.+)$/i, 'aws-cloudtrail'],
  [/^(saas:okta|Okta:.+)$/i, 'okta'],
  [/^azure:(signinlogs|signin)$/i, 'entra-id-signin'],
  [/^azure:audit$/i, 'entra-id-audit'],
  [/^azure:activity$/i, 'azure-activity'],
  [/^m365:(unified|exchange|sharepoint|audit|purview|mailboxaudit)$/i, 'microsoft-365'],
  [/^gcp:audit$/i, 'gcp-audit'],
  [/^(saas:googleworkspace|gcp:workspaceaudit)$/i, 'google-workspace'],
  [/^kubernetes:(audit|apiserver)$/i, 'kubernetes-audit'],
  [/^auditd:/i, 'linux-auditd'],
  [/^saas:github$/i, 'github-audit'],
  [/^saas:slack$/i, 'slack-audit'],
  [/^saas:zoom$/i, 'zoom'],
  [/^saas:box$/i, 'box'],
  [/^saas:dropbox$/i, 'dropbox'],
  [/^saas:openai$/i, 'openai-audit'],
];

/** The provider a component's log source name stands for, if any. */
export function logSourceProvider(name: string): string | undefined {
  return logSourceProviders.find(([pattern]) => pattern.test(name.trim()))?.[1];
}

/** The words of a log source that may name events (`EventCode=4103, 4104` gives 4103 and 4104), lower case. */
function eventWords(source: { name: string; channel: string }): string[] {
  const colon = source.name.indexOf(':');
  const text = `${colon < 0 ? '' : source.name.slice(colon + 1)} ${source.channel}`;
  return text
    .split(/[^A-Za-z0-9_.-]+/)
    .map((w) => w.replace(/^[.-]+|[.-]+$/g, '').toLowerCase())
    .filter((w) => w !== '');
}

/** The events a component's log sources name, by provider: `provider` -> lower-case event names. */
export function componentEvents(component: DataComponent): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const source of component.logSources) {
    const provider = logSourceProvider(source.name);
    if (!provider) continue;
    const words = out.get(provider) ?? new Set<string>();
    out.set(provider, words);
    for (const w of eventWords(source)) words.add(w);
  }
  return out;
}

/** What a rule reads its logs from: its tables, indexes, sourcetypes, log types as entries, else its sources as written. */
function ruleReads(rule: Rule): string[] {
  const typed = ruleLogSources(rule).map(logSourceEntry);
  return [...new Set(typed.length ? typed : rule.sources)];
}

interface Counted {
  value: string;
  rules: number;
}

const countedOf = (counts: ReadonlyMap<string, number>): Counted[] =>
  [...counts].map(([value, rules]) => ({ value, rules })).sort((a, b) => b.rules - a.rules || (a.value < b.value ? -1 : 1));

const bump = (counts: Map<string, number>, key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);

interface ComponentRule {
  id: string;
  name: string;
  platform: string;
  events: string[];
  reads: string[];
  techniques: string[];
}

interface DataComponentPlatform {
  platform: string;
  rules: number;
  events: Counted[];
  reads: Counted[];
}

export interface DataComponentCoverage {
  id: string;
  name: string;
  logSources: { name: string; channel: string; provider?: string }[];
  /** The providers its log sources name. */
  providers: string[];
  /** Rules consuming it. */
  rules: number;
  byPlatform: Record<string, number>;
  /** The provider events its rules watch for it (`provider/event`), and the tables, indexes, log types they read. */
  events: Counted[];
  reads: Counted[];
  platforms: DataComponentPlatform[];
  /** The techniques its rules detect, with how many of them do. */
  techniques: { id: string; name: string; rules: number }[];
  ruleList: ComponentRule[];
}

const collator = new Intl.Collator('en');

/**
 * Per component (by position), the rules consuming it, in the rules' order: one pass over the rules,
 * each event looked up among the events the components name (one pass per component took a second
 * on the whole corpus). A rule's events for a component are those it names, in the rule's order, once each.
 */
function consumers(eventsOf: readonly ReadonlyMap<string, ReadonlySet<string>>[], rules: readonly Rule[]): ComponentRule[][] {
  // provider -> lower-case event name -> the components naming it.
  const naming = new Map<string, Map<string, number[]>>();
  eventsOf.forEach((events, c) => {
    for (const [provider, words] of events) {
      let byWord = naming.get(provider);
      if (!byWord) naming.set(provider, (byWord = new Map<string, number[]>()));
      for (const w of words) {
        const list = byWord.get(w);
        if (list) list.push(c);
        else byWord.set(w, [c]);
      }
    }
  });
  const lists: ComponentRule[][] = eventsOf.map(() => []);
  for (const rule of rules) {
    let consumed: Map<number, Set<string>> | undefined;
    for (const e of rule.events) {
      const named = naming.get(e.provider)?.get(e.event.toLowerCase());
      if (!named) continue;
      consumed ??= new Map();
      for (const c of named) {
        const set = consumed.get(c);
        if (set) set.add(`${e.provider}/${e.event}`);
        else consumed.set(c, new Set([`${e.provider}/${e.event}`]));
      }
    }
    if (!consumed) continue;
    const reads = ruleReads(rule);
    const techniques = [...new Set(rule.attack.techniques.map((t) => t.id))];
    for (const [c, events] of consumed)
      lists[c]!.push({ id: rule.id, name: rule.name, platform: rule.platform, events: [...events], reads, techniques });
  }
  return lists;
}

/** Every component with the rules consuming it (see the file's comment), in id order. */
export function dataComponentCoverage(
  components: readonly DataComponent[],
  rules: readonly Rule[],
  names: ReadonlyMap<string, string>,
): DataComponentCoverage[] {
  const eventsOf = components.map(componentEvents);
  const lists = consumers(eventsOf, rules);
  return components.map((component, c) => {
    const events = eventsOf[c]!;
    const ruleList = lists[c]!;
    ruleList.sort((a, b) => collator.compare(a.name, b.name) || (a.id < b.id ? -1 : 1));
    const eventCounts = new Map<string, number>();
    const readCounts = new Map<string, number>();
    const techniqueCounts = new Map<string, number>();
    const perPlatform = new Map<string, { rules: number; events: Map<string, number>; reads: Map<string, number> }>();
    for (const r of ruleList) {
      let pl = perPlatform.get(r.platform);
      if (!pl) perPlatform.set(r.platform, (pl = { rules: 0, events: new Map(), reads: new Map() }));
      pl.rules++;
      for (const e of r.events) {
        bump(eventCounts, e);
        bump(pl.events, e);
      }
      for (const s of r.reads) {
        bump(readCounts, s);
        bump(pl.reads, s);
      }
      for (const t of r.techniques) bump(techniqueCounts, t);
    }
    const platforms = [...perPlatform]
      .map(([platform, pl]) => ({ platform, rules: pl.rules, events: countedOf(pl.events), reads: countedOf(pl.reads) }))
      .sort((a, b) => b.rules - a.rules || (a.platform < b.platform ? -1 : 1));
    return {
      id: component.id,
      name: component.name,
      logSources: component.logSources.map((s) => {
        const provider = logSourceProvider(s.name);
        return provider ? { ...s, provider } : { ...s };
      }),
      providers: [...events.keys()].sort(),
      rules: ruleList.length,
      byPlatform: Object.fromEntries(platforms.map((p) => [p.platform, p.rules])),
      events: countedOf(eventCounts),
      reads: countedOf(readCounts),
      platforms,
      techniques: [...techniqueCounts]
        .map(([id, n]) => ({ id, name: names.get(id) ?? notInBundle, rules: n }))
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
      ruleList,
    };
  });
}
