// A rule's own tests as the catalog stores them (table `tests`): read by a format from the files of
// a source, with the file's analysis, so that a sync keeps them in step with the rules.

import type { Stage } from '../model/types.js';

/** One stored test: events a rule must (or must not) fire on. */
export interface StoredTest {
  /** The rule it tests: its platform and native id (a test may sit in another source than its rule). */
  platform: string;
  ruleId: string;
  name: string;
  /**
   * `sigma-sample`: a Sigma regression sample (the rule must fire on `matchCount` of its events, at
   * least one when the sample does not say); `panther`: a Panther rule's `Tests:` entry (one log,
   * its mocks), whose truth is the rule's Python code.
   */
  kind: 'sigma-sample' | 'panther';
  expected: boolean;
  events: unknown[];
  matchCount?: number;
  /** A Panther correlation rule's test: its `RuleOutputs` as written (the signals of its steps' rules), no events. */
  ruleOutputs?: unknown;
  /** Panther `Mocks:` as written (objectName, returnValue), for a runner of the rule's code. */
  mocks?: unknown;
  /** A Python rule's test with mocks: the rule's stages read with them (catalog/mocked-tests.ts), which the model's answer for this test evaluates. */
  mockedStages?: Stage[];
  /** Why the test has no events to run (no event file, JSON that does not parse). */
  problem?: string;
  /** A Panther Python rule's test: what the runner needs of the rule's code, read with the file. */
  python?: StoredPythonRun;
  /**
   * The texts `python` names by sha1, from the format to the write only: the write keeps each text
   * once in table `test_code` (every rule importing a helper module names the same text) and stores
   * the test without them.
   */
  codeTexts?: Record<string, string>;
}

/** How to run a Panther Python rule's test: its texts by sha1 (table `test_code`), so that `test` needs only the catalog. */
export interface StoredPythonRun {
  /** The rule's .py as `Filename` names it (what its tracebacks say), and its text's sha1. */
  filename: string;
  code: string;
  /** `rule` (rules, scheduled rules) or `policy`. */
  function: 'rule' | 'policy';
  /** The helper modules it imports from the source's `global_helpers/`, by module name → sha1. */
  modules: Record<string, string>;
  /** The data model of the test's log type (what `event.udm()` reads): paths, methods of its Python (sha1). */
  dataModel?: { paths: Record<string, string>; methods: Record<string, string>; code?: string; filename?: string };
  /** The log type Panther gives an event without `p_log_type`: the rule's first. */
  logType?: string;
}
