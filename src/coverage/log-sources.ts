// "My log sources" beyond providers: the tables, indexes, datasets, sourcetypes and log types you collect, and
// which of them a rule reads. An entry is `kind:value` (`table:SigninLogs`, `index:logs-okta*`,
// `dataset:okta.system`, `sourcetype:aws:cloudtrail`, `logtype:Okta.SystemLog`); anything else is a provider
// id. Which of a rule's sources are log sources of which kind is its platform's declaration
// (`PlatformInfo.logSources`: a KQL rule's tables, an Elastic rule's index patterns, a Splunk rule's
// `sourcetype`/`index` terms, a Panther rule's log types). Names compare without case; `*` is a wildcard on
// either side (an index pattern against the index you collect, or yours against the rule's).
import { type WildcardPart, wildcardMatch } from '../evaluate/match.js';
import type { Rule } from '../model/types.js';
import { platformInfo } from '../platforms/registry.js';
import type { LogSourceKind as RuleLogSourceKind, LogSourceReading } from '../platforms/types.js';

export const logSourceKinds = ['table', 'index', 'dataset', 'sourcetype', 'logtype'] as const satisfies readonly (
  RuleLogSourceKind | 'dataset'
)[];
type LogSourceKind = (typeof logSourceKinds)[number];

/** A log source a rule reads, by the kind of entry that names it; `dataset`: an index a dataset names too. */
interface RuleLogSource {
  kind: RuleLogSourceKind;
  value: string;
  dataset?: boolean;
}

export interface CollectedLogs {
  providers: Set<string>;
  sources: { kind: LogSourceKind; value: string }[];
}

/** The entries of "my log sources" split into provider ids and log sources. */
export function parseLogEntries(entries: readonly string[]): CollectedLogs {
  const collected: CollectedLogs = { providers: new Set(), sources: [] };
  for (const entry of entries) {
    const colon = entry.indexOf(':');
    const kind = logSourceKinds.find((k) => k === entry.slice(0, colon).trim().toLowerCase());
    const value = entry.slice(colon + 1).trim();
    if (colon < 0 || !kind || !value) {
      collected.providers.add(entry);
      continue;
    }
    collected.sources.push({ kind, value });
  }
  return collected;
}

/** An index pattern, not an EQL event category (`process`, `any`): indexes have `-`, `*` or `.`, and no `:`. */
const indexLike = /[-*.]/;

/** The value a reading takes from a rule's source, or undefined when the source is not of its kind. */
function readAs(reading: LogSourceReading, source: string): string | undefined {
  switch (reading.written) {
    case 'every':
      return source;
    case 'index-pattern':
      return indexLike.test(source) && !source.includes(':') ? source : undefined;
    case 'prefixed': {
      const prefix = `${reading.kind}:`;
      return source.length > prefix.length && source.startsWith(prefix) ? source.slice(prefix.length) : undefined;
    }
  }
}

/** The log sources a rule reads, as entries would name them: its platform's readings, the first that takes each source. */
export function ruleLogSources(rule: Rule): RuleLogSource[] {
  const readings = platformInfo(rule.platform)?.logSources ?? [];
  const out: RuleLogSource[] = [];
  for (const source of rule.sources) {
    for (const reading of readings) {
      const value = readAs(reading, source);
      if (value === undefined) continue;
      out.push(reading.dataset ? { kind: reading.kind, value, dataset: true } : { kind: reading.kind, value });
      break;
    }
  }
  return out;
}

/**
 * Whether `name` is matched by `pattern` (`*` any run of characters), without case. The two-pointer wildcard
 * match: a rule's index pattern is the rule's text, and as a backtracking regex `*a*a*a…*b` took seconds on a
 * 30-character name.
 */
function globMatches(pattern: string, name: string): boolean {
  const parts: WildcardPart[] = [];
  pattern
    .toLowerCase()
    .split('*')
    .forEach((literal, i) => {
      if (i > 0) parts.push({ any: 'many' });
      if (literal) parts.push(literal);
    });
  return wildcardMatch(parts, name.toLowerCase());
}

const sameOrMatching = (a: string, b: string) => a.toLowerCase() === b.toLowerCase() || globMatches(a, b) || globMatches(b, a);

/** Whether an entry speaks of a rule's log source's kind (a dataset: of the indexes datasets name only). */
const speaksOf = (c: CollectedLogs['sources'][number], source: RuleLogSource) =>
  c.kind === 'dataset' ? !!source.dataset : c.kind === source.kind;

/** Whether you said what you collect of this kind of log source: only then is a rule judged by it. */
export function isJudged(source: RuleLogSource, logs: CollectedLogs): boolean {
  return logs.sources.some((c) => speaksOf(c, source));
}

/** Whether a rule's log source is one you collect. A dataset is the index `logs-<dataset>-<namespace>`. */
export function isCollected(source: RuleLogSource, logs: CollectedLogs): boolean {
  return logs.sources.some((c) => {
    if (!speaksOf(c, source)) return false;
    if (c.kind === 'dataset') return globMatches(source.value, `logs-${c.value}-default`);
    return sameOrMatching(source.value, c.value);
  });
}

/** An entry naming a rule's log source (what to collect to run it). */
export const logSourceEntry = (s: RuleLogSource) => `${s.kind}:${s.value}`;
