// A rule as the MCP tools show it: a compact summary by default, each detailed part on request.
import { canonicalText } from '../analysis/canonical.js';
import type { Indicator, Rule } from '../model/types.js';
import { clip, ruleRef, wants } from './common.js';

export const ruleParts = [
  'query',
  'stages',
  'indicators',
  'events',
  'outputs',
  'sameAction',
  'similar',
  'history',
  'diagnostics',
  'metadata',
  'all',
] as const;
export type RulePart = (typeof ruleParts)[number];

/** Texts in a detailed part are cut here: a rule's full JSON is the resource ruleatlas://rules/<id>. */
const queryChars = 8000;
const stageChars = 400;
/** The caller of an authoring tool has the query: a stage's text is only there to tell which stage it is. */
const freshStageChars = 160;
const indicatorsShown = 200;

/** An indicator in one line of JSON: the canonical form only when it says something new. */
function indicatorView(i: Indicator) {
  const canonical = i.canonical ? canonicalText(i.canonical) : undefined;
  return {
    field: i.field,
    op: i.op,
    value: i.value,
    ...(i.negated ? { negated: true } : {}),
    ...(i.role ? { role: i.role } : {}),
    ...(i.transform ? { transform: i.transform } : {}),
    ...(canonical ? { canonical } : {}),
    ...(i.corpusCount !== undefined ? { corpusCount: i.corpusCount } : {}),
  };
}

export const eventText = (e: Rule['events'][number]) => `${e.provider}/${e.event}`;

/** What a rule's query tells, shared by get_rule and the authoring tools (a fresh analysis has no corpus fields). */
export function analysisView(rule: Rule, include: readonly RulePart[] | undefined, fresh = false) {
  // A fresh analysis (authoring tools) shows every part but the query its caller just gave.
  const on = (part: RulePart) => (fresh && part !== 'query') || wants(include, part);
  const stageText = fresh ? freshStageChars : stageChars;
  return {
    ...(on('query') ? { query: clip(rule.query, queryChars) } : {}),
    ...(on('stages') ? { stages: rule.stages.map((s) => ({ kind: s.kind, text: clip(s.text, stageText) })) } : {}),
    ...(on('indicators') ? { indicators: rule.indicators.slice(0, indicatorsShown).map(indicatorView) } : {}),
    ...(on('outputs') ? { outputs: rule.outputFields.map((o) => o.field) } : {}),
    ...(on('diagnostics')
      ? { diagnostics: rule.diagnostics.map((d) => ({ severity: d.severity, message: d.message, line: d.line })) }
      : {}),
  };
}

export function ruleView(rule: Rule, include: readonly RulePart[] | undefined) {
  return {
    ...ruleRef(rule),
    nativeId: rule.nativeId,
    language: rule.language,
    severity: rule.severity,
    source: rule.sourceName,
    path: rule.path,
    description: clip(rule.description, wants(include, 'metadata') ? 4000 : 300),
    parsed: rule.parsed,
    techniques: rule.attack.techniques.map((t) => t.id),
    events: rule.events.slice(0, 20).map(eventText),
    counts: {
      stages: rule.stages.length,
      indicators: rule.indicators.length,
      events: rule.events.length,
      outputs: rule.outputFields.length,
      sameAction: rule.sameAction.length,
      similar: rule.similar?.length ?? 0,
      diagnostics: rule.diagnostics.length,
    },
    ...(rule.removed ? { removed: true } : {}),
    ...(wants(include, 'metadata')
      ? {
          metadata: {
            type: rule.type,
            status: rule.status,
            authors: rule.authors,
            created: rule.created,
            updated: rule.updated,
            references: rule.references,
            tags: rule.tags,
            dataSources: rule.dataSources,
            tactics: rule.attack.tactics.map((t) => t.id),
          },
        }
      : {}),
    ...analysisView(rule, include),
    ...(wants(include, 'events') ? { eventRefs: rule.events } : {}),
    ...(wants(include, 'sameAction') ? { sameAction: rule.sameAction.map(ruleRef) } : {}),
    ...(wants(include, 'similar')
      ? { similar: (rule.similar ?? []).map((s) => ({ ...ruleRef(s), score: s.score, shared: s.shared })) }
      : {}),
    ...(wants(include, 'history') ? { history: rule.history ?? [] } : {}),
  };
}
