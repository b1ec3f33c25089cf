import type { AttackCatalog } from '../attack/catalog.js';
import { contextDigest } from '../languages/context-digest.js';
import { analyseQuery } from '../languages/registry.js';
import type { AnalysisContext, Diagnostic, OutputField, QueryAnalysis, RawRule, Rule } from '../model/types.js';
import { platformInfo } from '../platforms/registry.js';
import { providers } from '../providers/registry.js';
import { withCanonical } from './canonical.js';
import { ruleEventsOf } from './events.js';
import { patternDiagnostics } from './event-patterns.js';
import { correlationsOf, indicatorsOf } from './indicators.js';

export interface RuleContext {
  attack: AttackCatalog;
  /** Path of the file relative to its source folder. */
  path: string;
  sourceName: string;
  /** Full text of the file the rule came from. */
  body: string;
  /** What an earlier analysis derived from the same query inputs (queryInputsKey), to take instead of analysing again. */
  reuse?: (raw: RawRule) => QueryDerived | undefined;
}

/** What a rule's query tells, with the parts of its file that shape it: a function of queryInputsKey alone. */
export type QueryDerived = Pick<
  Rule,
  | 'stages'
  | 'sources'
  | 'parsed'
  | 'indicators'
  | 'correlations'
  | 'events'
  | 'eventPatterns'
  | 'inheritsEventsFrom'
  | 'outputFields'
  | 'diagnostics'
>;

/** What the rule's format knows that its query's analysis depends on, as the language receives it. */
export function analysisContextOf(raw: RawRule): AnalysisContext {
  return {
    platform: raw.platform,
    declaredSources: raw.declaredSources,
    ...(raw.dataModel ? { dataModel: raw.dataModel } : {}),
    ...(raw.pythonModules ? { pythonModules: raw.pythonModules } : {}),
  };
}

/** Everything of a raw rule its QueryDerived part depends on (a sync reuses the part when this is unchanged). */
export function queryInputsKey(raw: RawRule): string {
  const context = contextDigest(analysisContextOf(raw));
  return JSON.stringify([
    raw.language,
    raw.platform,
    raw.query,
    raw.queryLine ?? null,
    raw.declaredSources,
    raw.declaredOutputs,
    raw.diagnostics,
    context,
  ]);
}

/** Query outputs first, then alert mappings; a field mapped by both keeps both facts. */
function mergeOutputs(fromQuery: OutputField[], declared: OutputField[]): OutputField[] {
  const byField = new Map<string, OutputField>();
  for (const f of fromQuery) if (!byField.has(f.field)) byField.set(f.field, { ...f });
  for (const d of declared) {
    const known = byField.get(d.field);
    if (!known) byField.set(d.field, { field: d.field, source: d.source });
    else if (known.source !== d.source && !known.mappedBy?.includes(d.source)) (known.mappedBy ??= []).push(d.source);
  }
  return [...byField.values()];
}

/** Shift query diagnostics to file lines, so that an editor can jump to them. */
function placeDiagnostics(analysis: QueryAnalysis, queryLine: number | undefined): Diagnostic[] {
  return analysis.diagnostics.map((d) =>
    d.line !== undefined && queryLine !== undefined ? { ...d, fileLine: queryLine + d.line - 1 } : d,
  );
}

/** Analyse a rule's query, and derive from it what the rule watches, tests and outputs. */
function deriveFromQuery(raw: RawRule): QueryDerived {
  const analysis: QueryAnalysis =
    raw.language === 'none'
      ? { stages: [], outputFields: [], sources: [], diagnostics: [], parsed: false }
      : analyseQuery(raw.language, raw.query, analysisContextOf(raw));
  const schema = platformInfo(raw.platform)?.schema ?? raw.platform;
  const sources = [...new Set([...analysis.sources, ...raw.declaredSources])];
  const events = ruleEventsOf(analysis.stages, sources, schema, providers);
  return {
    stages: analysis.stages,
    sources,
    parsed: analysis.parsed,
    indicators: withCanonical(indicatorsOf(analysis.stages), schema, sources, events.eventFields),
    correlations: correlationsOf(analysis.stages),
    events: events.events,
    ...(events.patterns.length ? { eventPatterns: events.patterns } : {}),
    ...(analysis.inheritsEventsFrom?.length ? { inheritsEventsFrom: analysis.inheritsEventsFrom } : {}),
    outputFields: mergeOutputs(analysis.outputFields, raw.declaredOutputs),
    diagnostics: [...raw.diagnostics, ...placeDiagnostics(analysis, raw.queryLine), ...patternDiagnostics(events.patterns)],
  };
}

/** Everything about a rule that its own file tells: no corpus-level fields yet. */
export function analyseRule(raw: RawRule, ctx: RuleContext): Rule {
  const derived = ctx.reuse?.(raw) ?? deriveFromQuery(raw);
  const { attackRaw, declaredOutputs: _outputs, declaredSources: _declared, dataModel: _model, pythonModules: _modules, ...meta } = raw;
  // Keys in the order a rule's JSON has always had them.
  return {
    ...meta,
    id: `${raw.platform}:${raw.nativeId}`,
    path: ctx.path,
    sourceName: ctx.sourceName,
    body: ctx.body,
    attack: ctx.attack.coverage(attackRaw),
    stages: derived.stages,
    sources: derived.sources,
    parsed: derived.parsed,
    indicators: derived.indicators,
    ...(derived.correlations?.length ? { correlations: derived.correlations } : {}),
    events: derived.events,
    ...(derived.eventPatterns ? { eventPatterns: derived.eventPatterns } : {}),
    ...(derived.inheritsEventsFrom ? { inheritsEventsFrom: derived.inheritsEventsFrom } : {}),
    outputFields: derived.outputFields,
    sameAction: [],
    diagnostics: derived.diagnostics,
  };
}
