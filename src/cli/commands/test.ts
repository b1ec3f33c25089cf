import { PythonTests } from '../../evaluate/run-python-tests.js';
import { crossFires } from '../../evaluate/cross-fires.js';
import { rulesByNativeId, runStoredTests, summariseTests, type TestOutcome } from '../../evaluate/run-tests.js';
import { createPythonRunner } from '../../languages/python/runtime/runner.js';
import { CatalogStore } from '../../store/read.js';
import { type Command, type CommandOptions, parseOptions, UsageError } from '../command.js';
import { json } from '../output.js';
import { crossFiresReport, humanReport, modelReport } from './test-report.js';

const options = {
  db: { type: 'string' },
  json: { type: 'boolean' },
  'model-report': { type: 'boolean' },
} as const satisfies CommandOptions;

export const testCommand: Command = {
  name: 'test',
  options,
  summary: "run the rules' stored tests (Panther Tests:, Sigma regression samples)",
  help: `Usage: ruleatlas test [SELECTOR ...] --db FILE [--json] [--model-report]

Runs the tests the catalog stores (a Panther rule's Tests:, the Sigma regression samples of a
source), each against its rule, and reports pass / fail / unknown per rule and per platform.
SELECTORs (an id, native id or path, as for show) keep the tests of those rules, or of those
test files. A Panther Python rule's tests run its code (with the helper modules and data
models the catalog stored with them) in Pyodide, in a separate process that holds nothing of
the host; a test whose code cannot run (a module not available offline) is unknown, with why.
Then each Sigma regression sample is tried on every Sigma rule of the catalog (through the fire
index, source gating on), and the other rules that fire on it are listed (cross-fires): a real
overlap (a generic or hunting rule, a variant of the same detection) or a rule tried on a log it
does not read. Exits 1 when an expected result is not met.

Options:
  --db FILE       the catalog
  --json          print {total, passed, failed, unknown, platforms, languages, failures, disagreements,
                  crossFires} as JSON (disagreements: each test where our own model of the rule, its
                  predicate trees evaluated, does not give the expected result, with a class;
                  crossFires: {samples, firing, rules, mayFire, pairs: [{sampleRule: {id, nativeId,
                  name}, sample, log, other: {id, nativeId, name, logsource}, matched: [{field, op,
                  values}]}]}: firing counts the samples another Sigma rule fires on, rules the
                  distinct other rules, mayFire the pairs answering unknown)
  --model-report  also print the disagreement classes, with counts and one example each`,
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, options, true);
    if (values.help) return (io.out(this.help), 0);
    if (!values.db) throw new UsageError('--db FILE is required');
    const store = CatalogStore.open(values.db);
    try {
      let stored = store.storedTests();
      if (positionals.length) {
        const chosen = new Set(positionals.flatMap((s) => store.select(s)).map((r) => `${r.platform}\0${r.nativeId}`));
        const files = new Set(positionals);
        stored = stored.filter(
          (s) => chosen.has(`${s.test.platform}\0${s.test.ruleId}`) || files.has(s.path) || files.has(`${s.source}/${s.path}`),
        );
        if (!stored.length) io.err(`no stored test matches ${positionals.join(' ')}`);
      }
      const rules = rulesByNativeId(store.rules);
      // One fenced Pyodide process for the whole run, started only when a Python test is run.
      const python = new PythonTests(
        (sha1) => store.testCode(sha1),
        () => createPythonRunner(),
      );
      let outcomes: TestOutcome[];
      try {
        outcomes = await runStoredTests(stored, rules, python);
      } finally {
        await python.close();
      }
      const summary = summariseTests(outcomes);
      const cross = crossFires(
        stored.map((s) => s.test),
        store.rules,
      );
      if (values.json) io.out(json({ ...summary, crossFires: cross }));
      else io.out(cross.samples ? `${humanReport(outcomes, summary)}\n\n${crossFiresReport(cross)}` : humanReport(outcomes, summary));
      if (values['model-report'] && !values.json) io.out(modelReport(summary));
      return summary.failed > 0 ? 1 : 0;
    } finally {
      store.close();
    }
  },
};
