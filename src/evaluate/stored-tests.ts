// A rule's own tests as the catalog stores them (table `tests`): read by a format from the files of
// a source, with the file's analysis, so that a sync keeps them in step with the rules.

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
  /** Panther `Mocks:` as written (objectName, returnValue), for a runner of the rule's code. */
  mocks?: unknown;
  /** Why the test has no events to run (no event file, JSON that does not parse). */
  problem?: string;
}
