import type { Diagnostic, QueryAnalysis } from '../model/types.js';

/** An analysis that found nothing but the diagnostics saying why. */
export function failedAnalysis(diagnostics: Diagnostic | Diagnostic[]): QueryAnalysis {
  return {
    stages: [],
    outputFields: [],
    sources: [],
    parsed: false,
    diagnostics: Array.isArray(diagnostics) ? diagnostics : [diagnostics],
  };
}

/**
 * What a parser exception that is not a syntax error means for the rule: input nested deeper
 * than the stack allows, or a bug of ours. Either way the rule is kept with this diagnostic.
 */
export function parserCrash(err: unknown, language: string, unit = 'query'): Diagnostic {
  const message =
    err instanceof RangeError
      ? `${unit} is nested too deeply to analyse`
      : `internal ${language} parser error: ${err instanceof Error ? err.message : String(err)}`;
  return { message, severity: 'error', scope: 'query' };
}
