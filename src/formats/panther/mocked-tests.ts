// A Panther test's `Mocks:` are inputs of that test: the names of the rule's module it gives values
// (a function of Panther's cache, a constant the test sets). The rule's code is read again with
// them (AnalysisContext.mocks, languages/python/test-mocks.ts) and the stages kept on the test, so
// that the model's answer for the test (evaluate/run-tests.ts) answers the question its run does;
// the rule's own stages, read as it runs in production, stay the catalog's.
import { analysisContextOf } from '../../analysis/analyse-rule.js';
import type { StoredTest } from '../../evaluate/stored-tests.js';
import { analyseQuery } from '../../languages/registry.js';
import type { RawRule } from '../../model/types.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A test's mocks as objectName → returnValue; undefined when it has none (entries without a name are left out, as the runner does). */
function mocksOf(test: StoredTest): Record<string, unknown> | undefined {
  if (!Array.isArray(test.mocks)) return undefined;
  const out: Record<string, unknown> = {};
  for (const m of test.mocks) if (isObj(m) && typeof m.objectName === 'string') out[m.objectName] = m.returnValue;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Each Python rule's test with mocks gets `mockedStages`: its rule (among `raws`, the file's) read with the test's mocks. */
export function withMockedStages(tests: readonly StoredTest[], raws: readonly RawRule[]): void {
  for (const test of tests) {
    const mocks = test.kind === 'panther' && !test.problem ? mocksOf(test) : undefined;
    const raw = mocks && raws.find((r) => r.language === 'python' && r.platform === test.platform && r.nativeId === test.ruleId);
    if (!mocks || !raw) continue;
    const analysis = analyseQuery(raw.language, raw.query, { ...analysisContextOf(raw), mocks });
    if (analysis.parsed) test.mockedStages = analysis.stages;
  }
}
