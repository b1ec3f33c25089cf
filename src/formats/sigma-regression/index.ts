// Sigma regression samples (SigmaHQ `regression_data/`) as a source of tests, not rules: a folder's
// `info.yml` names the rule it tests; the events are the `.json` files beside it that it points at
// (`<rule id>.json`, or its `.evtx` path as `.json`), read as related files of the source.
import { dirname } from 'node:path';
import { sampleEventFiles, sigmaSampleOf } from '../../evaluate/sigma-samples.js';
import type { StoredTest } from '../../evaluate/stored-tests.js';
import { isDoc } from '../fields.js';
import type { RuleFormat, SourceFile } from '../types.js';

function detect(doc: unknown, file: SourceFile): boolean {
  return /(^|\/)info\.ya?ml$/.test(file.path) && isDoc(doc) && Array.isArray(doc.rule_metadata) && Array.isArray(doc.regression_tests_info);
}

function readTests(doc: unknown, file: SourceFile): StoredTest[] {
  const texts = sampleEventFiles(doc).flatMap((name) => {
    const text = file.readRelated?.(name);
    return text === undefined ? [] : [{ name, text: () => text }];
  });
  const sample = sigmaSampleOf(dirname(file.path), doc, texts);
  return sample.ruleIds.map((ruleId) => ({
    platform: 'sigma',
    ruleId,
    name: sample.path,
    kind: 'sigma-sample',
    expected: true,
    events: sample.events,
    ...(sample.matchCount !== undefined ? { matchCount: sample.matchCount } : {}),
    ...(sample.problem ? { problem: sample.problem } : {}),
  }));
}

export const sigmaRegressionFormat: RuleFormat = {
  id: 'sigma-regression',
  platform: 'sigma',
  container: 'yaml',
  languages: [],
  detect,
  read: () => [],
  readTests,
};
