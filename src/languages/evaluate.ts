// Evaluators by language id: each language's semantics for "would it fire" (evaluate/), beside its
// parser as `<id>/evaluate.ts`. A language without one gives `unknown` for its rules. Files named
// `evaluate*.ts` are left out of the analyser's version digest (analysis/versions.ts): they change
// no analysis, so changing them re-analyses nothing.
import type { LanguageEvaluator } from '../evaluate/types.js';
import { eqlEvaluator } from './eql/evaluate.js';
import { esqlEvaluator } from './esql/evaluate.js';
import { kqlEvaluator } from './kql/evaluate.js';
import { kueryEvaluator } from './kuery/evaluate.js';
import { luceneEvaluator } from './lucene/evaluate.js';
import { pantherDetectionEvaluator } from './panther-detection/evaluate.js';
import { pythonEvaluator } from './python/evaluate.js';
import { sigmaEvaluator } from './sigma/evaluate.js';
import { splEvaluator } from './spl/evaluate.js';
import { sqlEvaluator } from './sql/evaluate.js';
import { yaralEvaluator } from './yaral/evaluate.js';

const evaluators: Record<string, LanguageEvaluator> = {
  eql: eqlEvaluator,
  esql: esqlEvaluator,
  kql: kqlEvaluator,
  kuery: kueryEvaluator,
  lucene: luceneEvaluator,
  'panther-detection': pantherDetectionEvaluator,
  python: pythonEvaluator,
  sigma: sigmaEvaluator,
  spl: splEvaluator,
  sql: sqlEvaluator,
  yaral: yaralEvaluator,
};

export function evaluatorFor(languageId: string): LanguageEvaluator | undefined {
  return evaluators[languageId];
}
