// Panther Python rules' stored tests run for real (languages/python/runtime): one fenced Pyodide
// process for the whole run, started at the first Python test, the tests of one file in order on
// one module (the first loads it afresh), as Panther's own test runner does. The texts each test
// names (its rule's .py, helper modules, data-model code) come from the catalog (`test_code`).
import { whyNotOffline } from '../languages/python/runtime/pyodide-packages.js';
import type { PythonDataModel, PythonRunner, RuleMock, RunRuleResult } from '../languages/python/runtime/runner.js';
import type { StoredPythonRun, StoredTest } from './stored-tests.js';
import type { Fires } from './types.js';

/** The run's answer for one test: `result` as `ruleatlas test` counts it, and why. */
export interface PythonTestAnswer {
  result: 'passed' | 'failed' | 'unknown';
  got: Fires;
  reason: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A test's `Mocks:` as the runner takes them; entries without an objectName are left out. */
function mocksOf(test: StoredTest): RuleMock[] {
  const list = Array.isArray(test.mocks) ? test.mocks : [];
  return list
    .filter((m): m is Obj => isObj(m) && typeof m.objectName === 'string')
    .map((m) => ({
      objectName: m.objectName as string,
      returnValue: m.returnValue,
    }));
}

/** What a run of rule() means for the test: an answer that cannot be the rule's own (a module not offline, a time limit) is unknown. */
function answerOf(test: StoredTest, answer: RunRuleResult, fn: string): PythonTestAnswer {
  if (answer.error === undefined) {
    if (typeof answer.result !== 'boolean')
      return { result: 'failed', got: 'unknown', reason: `${fn}() returned ${JSON.stringify(answer.result)}, not a boolean` };
    const got: Fires = answer.result ? 'yes' : 'no';
    return {
      result: answer.result === test.expected ? 'passed' : 'failed',
      got,
      reason: `${fn}() returned ${answer.result ? 'True' : 'False'}`,
    };
  }
  const missing = /No module named '([^']+)'/.exec(answer.error);
  if (missing) return { result: 'unknown', got: 'unknown', reason: `imports ${missing[1]}, ${whyNotOffline(missing[1]!)}` };
  if (answer.timedOut) return { result: 'unknown', got: 'unknown', reason: `${fn}() did not answer: ${answer.error}` };
  if (/^the Python process /.test(answer.error)) return { result: 'unknown', got: 'unknown', reason: answer.error };
  const last = answer.error.trim().split('\n').at(-1) ?? answer.error;
  return { result: 'failed', got: 'unknown', reason: `${fn}() raised ${last}` };
}

export class PythonTests {
  private runner?: PythonRunner;
  private startError?: string;
  /** Data models by their stored form: the runner sends a model once per process, by object. */
  private readonly models = new Map<string, PythonDataModel>();
  /** The file whose module the last test loaded: its next test reuses it. */
  private lastFile?: string;

  /** Texts by sha1, read once: a helper module is named by most rules' tests. */
  private readonly textCache = new Map<string, string | undefined>();

  constructor(
    private readonly read: (sha1: string) => string | undefined,
    private readonly start: () => PythonRunner,
  ) {}

  private code(sha1: string): string | undefined {
    if (!this.textCache.has(sha1)) this.textCache.set(sha1, this.read(sha1));
    return this.textCache.get(sha1);
  }

  /** Runs one test of `file` (tests of a file come one after the other, in file order). */
  async run(test: StoredTest & { python: StoredPythonRun }, file: string): Promise<PythonTestAnswer> {
    const run = test.python;
    const texts = this.texts(run);
    if (typeof texts === 'string') return { result: 'unknown', got: 'unknown', reason: texts };
    if (this.startError) return { result: 'unknown', got: 'unknown', reason: this.startError };
    const fresh = this.lastFile !== file;
    this.lastFile = file;
    this.runner ??= this.start();
    try {
      const answer = await this.runner.runRule({
        rule: { code: texts.code, filename: run.filename },
        helpers: texts.helpers,
        event: test.events[0],
        ...(run.logType ? { logType: run.logType } : {}),
        mocks: mocksOf(test),
        ...(texts.dataModel ? { dataModel: texts.dataModel } : {}),
        function: run.function,
        fresh,
      });
      return answerOf(test, answer, run.function);
    } catch (err) {
      // Pyodide did not load: no Python test can run in this process.
      this.startError = `the Python runner did not start: ${err instanceof Error ? err.message : String(err)}`;
      return { result: 'unknown', got: 'unknown', reason: this.startError };
    }
  }

  /** Whether a runner was started (the run had a Python test to run). */
  started(): boolean {
    return this.runner !== undefined;
  }

  async close(): Promise<void> {
    await this.runner?.close();
  }

  /** The texts a run names, or why the catalog does not have them. */
  private texts(run: StoredPythonRun) {
    const code = this.code(run.code);
    if (code === undefined) return `the catalog lacks the code of ${run.filename}`;
    const helpers: Record<string, string> = {};
    for (const [name, sha1] of Object.entries(run.modules)) {
      const text = this.code(sha1);
      if (text === undefined) return `the catalog lacks helper module ${name}`;
      helpers[name] = text;
    }
    let dataModel: PythonDataModel | undefined;
    if (run.dataModel) {
      const key = JSON.stringify(run.dataModel);
      dataModel = this.models.get(key);
      if (!dataModel) {
        const { code: sha1, ...model } = run.dataModel;
        const modelCode = sha1 === undefined ? undefined : this.code(sha1);
        if (sha1 !== undefined && modelCode === undefined) return `the catalog lacks the data model code ${model.filename ?? ''}`;
        dataModel = { ...model, ...(modelCode !== undefined ? { code: modelCode } : {}) };
        this.models.set(key, dataModel);
      }
    }
    return { code, helpers, dataModel };
  }
}
