import type { Diagnostic, DuplicateInfo, EventPattern, EventRef, HistoryEntry, Indicator, Rule, SimilarRule } from '../model/types.js';

/**
 * What the corpus pass, the report and the catalog's index tables need of a rule. The rest of an
 * analysed rule waits in the writer's staging area (store/writer.ts) until the catalog is written.
 */
export interface RuleCore {
  id: string;
  nativeId: string;
  platform: string;
  language: string;
  name: string;
  severity: string;
  path: string;
  sourceName: string;
  version?: string;
  updated?: string;
  parsed: boolean;
  /** The first query error, for the report. */
  firstError?: Diagnostic;
  indicators: Pick<Indicator, 'field' | 'op' | 'value' | 'negated' | 'role' | 'corpusCount' | 'canonical'>[];
  events: EventRef[];
  /** Expanded into `events` by the corpus step (analysis/event-patterns). */
  eventPatterns?: EventPattern[];
  /** Rule.inheritsEventsFrom: the corpus pass adds those rules' events to `events`. */
  inheritsEventsFrom?: string[];
  techniques: { id: string; tactics: string[] }[];
  duplicates?: DuplicateInfo;
  sameAction: Rule['sameAction'];
  similar?: SimilarRule[];
  removed?: boolean;
  history?: HistoryEntry[];
}

/** A rule's core, carrying over whatever corpus-level fields the rule already has. */
export function coreOf(rule: Rule): RuleCore {
  return {
    id: rule.id,
    nativeId: rule.nativeId,
    platform: rule.platform,
    language: rule.language,
    name: rule.name,
    severity: rule.severity,
    path: rule.path,
    sourceName: rule.sourceName,
    version: rule.version,
    updated: rule.updated,
    parsed: rule.parsed,
    firstError: rule.diagnostics.find((d) => d.scope === 'query' && d.severity === 'error'),
    // The canonical form is copied: the corpus pass sets its count on the core, not on the rule.
    indicators: rule.indicators.map(({ field, op, value, negated, role, corpusCount, canonical }) => ({
      field,
      op,
      value,
      negated,
      ...(role && { role }),
      corpusCount,
      ...(canonical && { canonical: { ...canonical } }),
    })),
    events: rule.events,
    eventPatterns: rule.eventPatterns,
    inheritsEventsFrom: rule.inheritsEventsFrom,
    techniques: rule.attack.techniques.map(({ id, tactics }) => ({ id, tactics })),
    duplicates: rule.duplicates,
    sameAction: rule.sameAction,
    similar: rule.similar,
    removed: rule.removed,
    history: rule.history,
  };
}
