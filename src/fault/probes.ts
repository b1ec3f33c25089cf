// Functions the fault tests run in a helper thread (`bounded.ts`): each returns plain data.
import { patternTest } from '../analysis/event-patterns.js';
import type { EventPattern } from '../model/types.js';
import { AttackCatalog } from '../attack/catalog.js';
import { compileGlob } from '../model/glob.js';
import { readRawRules, readRuleFile } from '../catalog/read-file.js';
import { prepareLanguages } from '../languages/registry.js';
import { markdownBlocks, sigmaValueList, yaralRules } from './generate.js';

/** The candidates an event pattern admits. */
export function namesMatching(op: EventPattern['op'], value: string, nativeOp: string, candidates: string[]): string[] {
  const test = patternTest({ op, value, nativeOp });
  return test ? candidates.filter((n) => test(n.toLowerCase())) : [];
}

/** What reading one file gave: its rule count, or its error or skip reason. */
export interface FileSummary {
  kind: string;
  rules: number;
  reason?: string;
}

/** Read and analyse one file as a build would. */
export async function readOne(path: string, text: string): Promise<FileSummary> {
  await prepareLanguages();
  const outcome = readRuleFile({ path, text }, { attack: AttackCatalog.fromObjects([]), sourceName: 'fault' });
  if (outcome.kind === 'rules')
    return { kind: 'rules', rules: outcome.rules.length, ...(outcome.problem ? { reason: outcome.problem.reason } : {}) };
  return { kind: outcome.kind, rules: 0, reason: outcome.kind === 'error' ? outcome.error.reason : outcome.skipped.reason };
}

/** Generate a large file (`generate.ts`) and read it. */
export function readGenerated(kind: 'sigma' | 'markdown' | 'yaral', count: number): Promise<FileSummary> {
  switch (kind) {
    case 'sigma':
      return readOne('many-values.yml', sigmaValueList(count));
    case 'markdown':
      return readOne('many-queries.md', markdownBlocks(count));
    case 'yaral':
      return readOne('many-rules.yaral', yaralRules(count));
  }
}

/** Rules a generated write-up without headings (`markdownBlocks`) or .yaral file holds, read by their format only. */
export function rawRuleCount(kind: 'markdown' | 'yaral', count: number): number | undefined {
  const file =
    kind === 'markdown' ? { path: 'many.md', text: markdownBlocks(count, false) } : { path: 'many.yaral', text: yaralRules(count) };
  return readRawRules(file)?.length;
}

/** Whether a `*` glob matches a text. */
export function globMatches(pattern: string, text: string): boolean {
  return compileGlob(pattern).test(text);
}
