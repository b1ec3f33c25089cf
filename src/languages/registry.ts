import type { AnalysisContext, Diagnostic, QueryAnalysis } from '../model/types.js';
import { unreadConstructDiagnostics } from '../model/diagnostics.js';
import { contextDigest } from './context-digest.js';
import { failedAnalysis } from './failure.js';
import { overLimits } from './query-limits.js';
import type { QueryLanguage } from './types.js';
import { kql } from './kql/index.js';
import { kuery } from './kuery/index.js';
import { eql } from './eql/index.js';
import { sigma } from './sigma/index.js';
import { esql } from './esql/index.js';
import { lucene } from './lucene/index.js';
import { yaral } from './yaral/index.js';
import { python } from './python/index.js';
import { pantherDetection } from './panther-detection/index.js';
import { spl } from './spl/index.js';
import { sql } from './sql/index.js';

/** Every analysed language. Adding one is a folder and a line here. */
export const languages: readonly QueryLanguage<keyof AnalysisContext>[] = [
  kql,
  kuery,
  eql,
  sigma,
  esql,
  lucene,
  yaral,
  python,
  pantherDetection,
  spl,
  sql,
];

/** Languages whose rules are ingested but whose queries are not analysed yet. */
const pendingLanguages: Record<string, string> = {};

const byId = new Map(languages.map((l) => [l.id, l]));

const prepared = new Map<string, Promise<void>>();

/**
 * Run the asynchronous set-up of these languages (all by default) once each; call before analysing
 * their queries. A sync that changed no Python rule does not load the Python grammar.
 */
export function prepareLanguages(ids?: Iterable<string>): Promise<void> {
  const wanted = ids ? [...new Set(ids)].flatMap((id) => byId.get(id) ?? []) : languages;
  return Promise.all(
    wanted.map((l) => {
      let ready = prepared.get(l.id);
      if (!ready) prepared.set(l.id, (ready = Promise.resolve(l.init?.())));
      return ready;
    }),
  ).then(() => undefined);
}

export function languageName(id: string): string {
  return byId.get(id)?.name ?? pendingLanguages[id] ?? id;
}

export function isAnalysed(id: string): boolean {
  return byId.has(id);
}

function unanalysed(message: string, severity: Diagnostic['severity']): QueryAnalysis {
  return failedAnalysis({ message, severity, scope: 'query' });
}

/**
 * The parts of a context a language reads (QueryLanguage.contextParts), and nothing else. Typed as
 * the whole context for the registry's list; each language's own `analyse` is typed to see only
 * the parts it names.
 */
function contextFor(language: QueryLanguage<keyof AnalysisContext>, context: AnalysisContext): AnalysisContext {
  const parts = (language.contextParts ?? []).filter((part) => context[part] !== undefined);
  return Object.fromEntries(parts.map((part) => [part, context[part]])) as unknown as AnalysisContext;
}

/**
 * The last few analyses, by language, digest of the context it reads and exact text: a format that
 * looks at a query before the build analyses it (kql-markdown picks a platform that way), and
 * files that repeat a rule word for word, then parse it once. The context is part of the key
 * because it can change the result (a shared Panther .py under two rules' data models). Analyses
 * are treated as read-only by their users.
 */
const recent = new Map<string, QueryAnalysis>();
const recentMax = 32;
function remember(key: string, analysis: QueryAnalysis): void {
  recent.set(key, analysis);
  if (recent.size > recentMax) recent.delete(recent.keys().next().value!);
}

/** The analysis plus an info diagnostic for each construct it kept as text, where the language names them. */
function withUnreadConstructs(language: QueryLanguage<keyof AnalysisContext>, query: string, analysis: QueryAnalysis): QueryAnalysis {
  // A query that does not parse has its errors; what its broken part left as text is no gap.
  if (!language.unreadConstruct || !analysis.parsed) return analysis;
  const gaps = unreadConstructDiagnostics(query, analysis.stages, analysis.diagnostics, language.unreadConstruct);
  return gaps.length ? { ...analysis, diagnostics: [...analysis.diagnostics, ...gaps] } : analysis;
}

/** Analyse a query in the named language under what its format knows about it; never throws. */
export function analyseQuery(languageId: string, query: string, context: AnalysisContext): QueryAnalysis {
  const language = byId.get(languageId);
  if (!language) {
    return unanalysed(`${languageName(languageId)} queries are not analysed yet; the rule is catalogued with its metadata only`, 'info');
  }
  const tooBig = language.limits && overLimits(query, language.limits);
  if (tooBig) return failedAnalysis(tooBig);
  const seen = contextFor(language, context);
  const key = `${languageId}\u0000${contextDigest(seen)}\u0000${query}`;
  const known = recent.get(key);
  if (known) return known;
  try {
    const analysis = withUnreadConstructs(language, query, language.analyse(query, seen));
    remember(key, analysis);
    return analysis;
  } catch (err) {
    // An analyser bug must not lose the rule: report it like a parse failure.
    return unanalysed(`internal analyser error: ${err instanceof Error ? err.message : String(err)}`, 'error');
  }
}
