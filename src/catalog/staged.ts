import type { Diagnostic, DuplicateInfo, EventRef, Indicator, Rule } from '../model/types.js';

/**
 * What the corpus pass and the report need of a rule. The rest of an analysed rule waits in a
 * staging area (see store/staging.ts) until the catalog is written.
 */
export interface RuleCore {
  id: string;
  nativeId: string;
  platform: string;
  language: string;
  name: string;
  path: string;
  sourceName: string;
  version?: string;
  updated?: string;
  parsed: boolean;
  /** The first query error, for the report. */
  firstError?: Diagnostic;
  indicators: Pick<Indicator, 'field' | 'op' | 'value' | 'negated' | 'corpusCount'>[];
  events: EventRef[];
  duplicates?: DuplicateInfo;
  sameAction: Rule['sameAction'];
}

export function coreOf(rule: Rule): RuleCore {
  return {
    id: rule.id,
    nativeId: rule.nativeId,
    platform: rule.platform,
    language: rule.language,
    name: rule.name,
    path: rule.path,
    sourceName: rule.sourceName,
    version: rule.version,
    updated: rule.updated,
    parsed: rule.parsed,
    firstError: rule.diagnostics.find((d) => d.scope === 'query' && d.severity === 'error'),
    indicators: rule.indicators.map(({ field, op, value, negated }) => ({ field, op, value, negated })),
    events: rule.events,
    sameAction: [],
  };
}

/** The full rule again from its staged JSON and body, with what the corpus pass decided. */
export function materialise(core: RuleCore, staged: { json: string; body: string }): Rule {
  const rule = JSON.parse(staged.json) as Rule;
  rule.id = core.id;
  rule.body = staged.body;
  rule.sameAction = core.sameAction;
  if (core.duplicates) rule.duplicates = core.duplicates;
  rule.indicators.forEach((ind, i) => (ind.corpusCount = core.indicators[i]?.corpusCount));
  return rule;
}
