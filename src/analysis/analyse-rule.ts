import type { AttackCatalog } from '../attack/catalog.js';
import { platformInfo } from '../formats/registry.js';
import { analyseQuery } from '../languages/registry.js';
import type { Diagnostic, OutputField, QueryAnalysis, RawRule, Rule } from '../model/types.js';
import { providers } from '../providers/registry.js';
import { withCanonical } from './canonical.js';
import { ruleEventsOf } from './events.js';
import { indicatorsOf } from './indicators.js';

export interface RuleContext {
  attack: AttackCatalog;
  /** Path of the file relative to its source folder. */
  path: string;
  sourceName: string;
  /** Full text of the file the rule came from. */
  body: string;
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
  return analysis.diagnostics.map((d) => (d.line !== undefined && queryLine !== undefined ? { ...d, fileLine: queryLine + d.line - 1 } : d));
}

/** Everything about a rule that its own file tells: no corpus-level fields yet. */
export function analyseRule(raw: RawRule, ctx: RuleContext): Rule {
  const analysis: QueryAnalysis =
    raw.language === 'none'
      ? { stages: [], outputFields: [], sources: [], diagnostics: [], parsed: false }
      : analyseQuery(raw.language, raw.query);
  const schema = platformInfo(raw.platform)?.schema ?? raw.platform;
  const sources = [...new Set([...analysis.sources, ...raw.declaredSources])];
  const { attackRaw, declaredOutputs, declaredSources: _declared, ...meta } = raw;
  const events = ruleEventsOf(analysis.stages, sources, schema, providers);
  return {
    ...meta,
    id: `${raw.platform}:${raw.nativeId}`,
    path: ctx.path,
    sourceName: ctx.sourceName,
    body: ctx.body,
    attack: ctx.attack.coverage(attackRaw),
    stages: analysis.stages,
    sources,
    parsed: analysis.parsed,
    indicators: withCanonical(indicatorsOf(analysis.stages), schema, sources),
    events: events.events,
    ...(events.patterns.length ? { eventPatterns: events.patterns } : {}),
    outputFields: mergeOutputs(analysis.outputFields, declaredOutputs),
    sameAction: [],
    diagnostics: [...raw.diagnostics, ...placeDiagnostics(analysis, raw.queryLine)],
  };
}
