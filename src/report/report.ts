import type { FileError } from '../model/types.js';
import type { RuleCore } from '../catalog/staged.js';
import { isAnalysed } from '../languages/registry.js';

interface LanguageCounts {
  rules: number;
  parsed: number;
  failed: number;
  /** Rules in a language that is catalogued but not analysed yet. */
  notAnalysed: number;
}

export interface BuildReport {
  builtAt: string;
  millis: number;
  files: number;
  rules: number;
  languages: Record<string, LanguageCounts>;
  platforms: Record<string, { rules: number; languages: Record<string, number> }>;
  /** Files that yielded no rule because they are broken (or `partial`: read in part), folders that could not be listed. */
  errors: { path: string; reason: string; partial?: boolean }[];
  /** Queries that did not parse, each with its first diagnostic. */
  failures: { id: string; path: string; language: string; reason: string; line?: number; column?: number }[];
  /**
   * Files no format claims (licences, notes ...), and entries not read at all (links that leave the
   * source or name a folder, pipes: catalog/walk.ts), listed so that nothing is dropped silently.
   */
  skipped: { path: string; reason: string }[];
  duplicates: number;
  /** Sources renamed because another source had their folder's name (a fork beside its upstream): `name`, and the name both had. */
  renamedSources?: { name: string; renamedFrom: string }[];
  /** Set by `ruleatlas sync`: files analysed vs reused, rule changes, each source's commit. */
  sync?: SyncSummary;
  /** How long the files this write analysed took: the slowest, and every file over the time budget. */
  timing?: FileTiming;
}

/**
 * Parsing is synchronous, so a file cannot be stopped half-way: each hazard has a structural bound
 * (docs/ARCHITECTURE.md, "Bounded work per file") and the clock checks them, naming any file whose
 * reading and analysis took longer than `budgetMs`.
 */
export interface FileTiming {
  budgetMs: number;
  analysed: number;
  slowest?: { path: string; ms: number };
  over: { path: string; ms: number }[];
}

export interface SyncSummary {
  /** This sync's number (1 for the first). */
  sync: number;
  at: string;
  analysed: number;
  reused: number;
  removed: number;
  /** Files analysed again although their content is as stored, by reason (an analyser upgrade, a file they read changed). */
  why?: Record<string, number>;
  changes: { added: number; changed: number; removed: number };
  sources: SourceStatus[];
}

export interface SourceStatus {
  name: string;
  kind: 'git' | 'dir';
  /** A git source's repository URL, as the sources config names it (the rule page links files upstream). */
  url?: string;
  /** False when it could not be fetched or read: its rules stay as the previous sync left them. */
  ok: boolean;
  commit?: string;
  date?: string;
  error?: string;
}

/** What the report reads of a build: counts, and of each rule its platform, language and parse outcome. */
export interface ReportInput {
  errors: FileError[];
  skipped: FileError[];
  files: number;
  millis: number;
  rules: readonly Pick<RuleCore, 'id' | 'path' | 'platform' | 'language' | 'duplicates' | 'parsed' | 'firstError'>[];
}

export function makeReport(result: ReportInput): BuildReport {
  const languages: Record<string, LanguageCounts> = {};
  const platforms: BuildReport['platforms'] = {};
  const failures: BuildReport['failures'] = [];
  let duplicates = 0;
  for (const rule of result.rules) {
    const platform = (platforms[rule.platform] ??= { rules: 0, languages: {} });
    platform.rules++;
    platform.languages[rule.language] = (platform.languages[rule.language] ?? 0) + 1;
    if (rule.duplicates && !rule.duplicates.newest) duplicates++;
    if (rule.language === 'none') continue;
    const counts = (languages[rule.language] ??= { rules: 0, parsed: 0, failed: 0, notAnalysed: 0 });
    counts.rules++;
    if (!isAnalysed(rule.language)) counts.notAnalysed++;
    else if (rule.parsed) counts.parsed++;
    else {
      counts.failed++;
      const first = rule.firstError;
      failures.push({
        id: rule.id,
        path: rule.path,
        language: rule.language,
        reason: first?.message ?? 'the query did not parse',
        line: first?.line,
        column: first?.column,
      });
    }
  }
  return {
    builtAt: new Date().toISOString(),
    millis: Math.round(result.millis),
    files: result.files,
    rules: result.rules.length,
    languages,
    platforms,
    errors: result.errors,
    failures,
    skipped: result.skipped,
    duplicates,
  };
}
