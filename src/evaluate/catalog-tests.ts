// A catalog's stored tests by rule, and whether each rule's tests pass: read and run once per
// catalog, on first use (Explore's "has tests" and "tests pass" facets, the rule page's Tests).
// Running them is bounded in time: tests not reached within the budget leave their rule `unknown`.
import type { Rule } from '../model/types.js';
import type { CatalogStore } from '../store/read.js';
import { rulesByNativeId, runTest } from './run-tests.js';
import type { StoredTest } from './stored-tests.js';

export type TestsStatus = 'pass' | 'fail' | 'unknown';

/** Milliseconds spent running a catalog's tests for their status (RULEATLAS_TESTS_BUDGET_MS). */
function budgetMs(): number {
  const asked = Number(process.env.RULEATLAS_TESTS_BUDGET_MS);
  return Number.isFinite(asked) && asked >= 0 ? asked : 10_000;
}

const keyOf = (platform: string, nativeId: string) => `${platform}\0${nativeId}`;

export class CatalogTests {
  /** Tests by their rule's platform and native id (every copy of the rule has them). */
  private readonly byRule = new Map<string, StoredTest[]>();
  private statuses?: Map<string, TestsStatus>;

  constructor(
    private readonly rules: readonly Rule[],
    tests: readonly StoredTest[],
  ) {
    for (const test of tests) {
      const key = keyOf(test.platform, test.ruleId);
      const list = this.byRule.get(key);
      if (list) list.push(test);
      else this.byRule.set(key, [test]);
    }
  }

  testsOf(rule: Rule): readonly StoredTest[] {
    return this.byRule.get(keyOf(rule.platform, rule.nativeId)) ?? [];
  }

  /** Whether the rule's tests pass: `fail` when one fails, else `unknown` when one gives no answer (or was not run), else `pass`; undefined without tests. */
  statusOf(rule: Rule): TestsStatus | undefined {
    if (!this.byRule.size) return undefined;
    this.statuses ??= this.runAll();
    return this.statuses.get(keyOf(rule.platform, rule.nativeId));
  }

  private runAll(): Map<string, TestsStatus> {
    const rules = rulesByNativeId(this.rules);
    const deadline = performance.now() + budgetMs();
    const out = new Map<string, TestsStatus>();
    for (const [key, tests] of this.byRule) {
      let status: TestsStatus = 'pass';
      for (const test of tests) {
        // Past the budget a test is not run: its rule's answer is not known.
        const result = performance.now() > deadline ? 'unknown' : runTest(test, rules).result;
        if (result === 'failed') status = 'fail';
        else if (result === 'unknown' && status === 'pass') status = 'unknown';
        if (status === 'fail') break;
      }
      out.set(key, status);
    }
    return out;
  }
}

const cache = new WeakMap<CatalogStore, CatalogTests>();

/** The catalog's stored tests by rule, read once per catalog. */
export function catalogTests(store: CatalogStore): CatalogTests {
  let tests = cache.get(store);
  if (!tests)
    cache.set(
      store,
      (tests = new CatalogTests(
        store.rules,
        store.storedTests().map((s) => s.test),
      )),
    );
  return tests;
}
