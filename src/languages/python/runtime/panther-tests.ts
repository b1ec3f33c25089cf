// A Panther rule's own unit tests (the `Tests:` list of its YAML), run on the Python runner the way
// Panther's test runner does: the rule's module loaded once, its tests run in order on it, each
// test's `Mocks` patched into the module, and only rule()'s (or policy()'s) result compared with
// `ExpectedResult`. A test whose rule raises, times out or returns a non-boolean fails.
import type { PythonModules } from '../../../model/types.js';
import type { PythonDataModel, PythonRunner, RuleMock, RuleModule, RunRuleRequest, RunRuleResult } from './runner.js';

export interface PantherTest {
  name: string;
  expected: boolean;
  /** The test's `Log` (rules) or `Resource` (policies). */
  event: unknown;
  mocks: RuleMock[];
}

export interface PantherTestOutcome {
  name: string;
  expected: boolean;
  /** What the rule returned, when it returned. */
  got?: unknown;
  passed: boolean;
  error?: string;
  timedOut?: boolean;
  /** With `outputs`: the functions Panther calls after a True (title(), dedup() ...) that raised. */
  outputErrors?: Record<string, string>;
  millis: number;
}

type Doc = Record<string, unknown>;
const isDoc = (value: unknown): value is Doc => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A test's event: YAML gives a mapping; a few tests write it as a JSON string, which Panther's runner parses. */
export function testEvent(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/** The tests of a rule's YAML document; entries without a name or a boolean ExpectedResult are left out. */
export function pantherTests(doc: Doc): PantherTest[] {
  const tests = Array.isArray(doc.Tests) ? doc.Tests : [];
  const out: PantherTest[] = [];
  for (const test of tests) {
    if (!isDoc(test) || typeof test.ExpectedResult !== 'boolean') continue;
    const mocks: RuleMock[] = [];
    for (const m of Array.isArray(test.Mocks) ? test.Mocks : []) {
      if (isDoc(m) && typeof m.objectName === 'string') mocks.push({ objectName: m.objectName, returnValue: m.returnValue });
    }
    out.push({
      name: typeof test.Name === 'string' ? test.Name : `test ${out.length + 1}`,
      expected: test.ExpectedResult,
      event: testEvent(test.Log ?? test.Resource ?? {}),
      mocks,
    });
  }
  return out;
}

/**
 * A data model YAML document (`AnalysisType: datamodel`) as the runner reads it: each mapping's
 * `Path`, or its `Method`, a function of the model's Python file (`code`, the text of `Filename`).
 */
export function pythonDataModel(doc: Doc, code?: string): PythonDataModel {
  const paths: Record<string, string> = {};
  const methods: Record<string, string> = {};
  for (const m of Array.isArray(doc.Mappings) ? doc.Mappings : []) {
    if (!isDoc(m) || typeof m.Name !== 'string') continue;
    if (typeof m.Path === 'string') paths[m.Name] = m.Path;
    else if (typeof m.Method === 'string') methods[m.Name] = m.Method;
  }
  const filename = typeof doc.Filename === 'string' ? doc.Filename : undefined;
  return { paths, methods, ...(code !== undefined ? { code, filename } : {}) };
}

/** The log type a test's event is of (which data model `udm()` reads): its own `p_log_type`, else the rule's first. */
export function testLogType(test: PantherTest, logTypes: string[]): string | undefined {
  const own = isDoc(test.event) ? test.event.p_log_type : undefined;
  return typeof own === 'string' ? own : logTypes[0];
}

export interface PantherTestRun {
  rule: RuleModule;
  helpers?: PythonModules;
  tests: PantherTest[];
  /** The data model of each test (by its log type), when the rule's log types have one. */
  dataModel?: (test: PantherTest) => PythonDataModel | undefined;
  function?: 'rule' | 'policy';
  /** Also call title(), dedup(), alert_context() ... when the rule fires, and report those that raise. */
  outputs?: boolean;
}

/** Runs a rule's tests in order; the first loads the rule's module afresh, the others reuse it. */
export async function runPantherTests(runner: PythonRunner, run: PantherTestRun): Promise<PantherTestOutcome[]> {
  const outcomes: PantherTestOutcome[] = [];
  for (const [index, test] of run.tests.entries()) {
    const dataModel = run.dataModel?.(test);
    const request: RunRuleRequest = {
      rule: run.rule,
      helpers: run.helpers,
      event: test.event,
      mocks: test.mocks,
      ...(dataModel ? { dataModel } : {}),
      ...(run.function ? { function: run.function } : {}),
      fresh: index === 0,
      outputs: run.outputs ?? false,
    };
    const answer: RunRuleResult = await runner.runRule(request);
    const passed = answer.error === undefined && answer.result === test.expected;
    outcomes.push({
      name: test.name,
      expected: test.expected,
      ...('result' in answer ? { got: answer.result } : {}),
      passed,
      ...(answer.error !== undefined ? { error: answer.error } : {}),
      ...(answer.timedOut ? { timedOut: true } : {}),
      ...(answer.outputErrors ? { outputErrors: answer.outputErrors } : {}),
      millis: answer.millis,
    });
  }
  return outcomes;
}
