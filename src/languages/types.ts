import type { AnalysisContext, QueryAnalysis } from '../model/types.js';

/**
 * A query language. Implementations live in `src/languages/<id>/` and are listed once in
 * `src/languages/registry.ts`. `analyse` must never throw for bad input: a query that does not
 * parse comes back with `parsed: false` and a diagnostic saying where and why.
 *
 * `Reads` names the parts of the AnalysisContext the analysis depends on (none by default): only
 * those reach `analyse`, and only those key the registry's cache of recent analyses.
 */
export interface QueryLanguage<Reads extends keyof AnalysisContext = never> {
  /** Stable id used in rule JSON (`kql`, `kuery`, `eql` ...). */
  id: string;
  /** Name shown to people (`Kusto (KQL)`). */
  name: string;
  /**
   * The context parts `analyse` reads, as values (the `Reads` of the type). A KQL query's tables
   * do not depend on its platform, so kql-markdown's look at a query and the build's analysis of
   * it share one parse (else ~70 queries of the community corpus, ~0.5 s, would be parsed twice).
   */
  contextParts?: readonly Reads[];
  /**
   * Everything the analysis depends on is in its arguments: the query, and what the rule's format
   * knows about it (`context`). A language keeps no state between calls that changes a result; a
   * language that reads none of the context may leave the parameter out. (A property, not a
   * method, so that a language typed to read nothing cannot take the whole context.)
   */
  analyse: (query: string, context: Pick<AnalysisContext, Reads>) => QueryAnalysis;
  /**
   * Asynchronous set-up (loading a WebAssembly grammar, say) that `analyse` needs. Called once by
   * `prepareLanguages()` before a build or an analysis; `analyse` stays synchronous.
   */
  init?(): Promise<void>;
  /** Bounds for a parser that cannot bound its own work; a query over them is reported, not parsed (`query-limits.ts`). */
  limits?: import('./query-limits.js').QueryLimits;
  /** What the web highlighter needs of the language's surface (keywords, comments, strings), from `<id>/<id>.keywords.ts`. */
  highlight?: import('../model/highlight.js').HighlightSyntax;
  /**
   * Names what a condition the analysis kept as text (`other`) stands for: the registry then gives
   * each such construct an info diagnostic, so that gaps are counted. A language that reports its
   * own gaps (Python, Sigma) leaves it out.
   */
  unreadConstruct?: import('../model/diagnostics.js').ConstructNamer;
}
