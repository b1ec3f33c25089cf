import type { QueryAnalysis } from '../model/types.js';

/**
 * A query language. Implementations live in `src/languages/<id>/` and are listed once in
 * `src/languages/registry.ts`. `analyse` must never throw for bad input: a query that does not
 * parse comes back with `parsed: false` and a diagnostic saying where and why.
 */
export interface QueryLanguage {
  /** Stable id used in rule JSON (`kql`, `kuery`, `eql` ...). */
  id: string;
  /** Name shown to people (`Kusto (KQL)`). */
  name: string;
  analyse(query: string): QueryAnalysis;
  /**
   * Asynchronous set-up (loading a WebAssembly grammar, say) that `analyse` needs. Called once by
   * `prepareLanguages()` before a build or an analysis; `analyse` stays synchronous.
   */
  init?(): Promise<void>;
  /** What the web highlighter needs of the language's surface (keywords, comments, strings), from `<id>/<id>.keywords.ts`. */
  highlight?: import('../model/highlight.js').HighlightSyntax;
}
