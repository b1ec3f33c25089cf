import { PythonTests } from '../../evaluate/run-python-tests.js';
import { rulesByNativeId, runStoredTests, summariseTests, type TestOutcome, type TestSummary } from '../../evaluate/run-tests.js';
import { createPythonRunner } from '../../languages/python/runtime/runner.js';
import { CatalogStore } from '../../store/read.js';
import { type Command, type CommandOptions, parseOptions, UsageError } from '../command.js';
import { json, table } from '../output.js';

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
Exits 1 when an expected result is not met.

Options:
  --db FILE       the catalog
  --json          print {total, passed, failed, unknown, platforms, languages, failures, disagreements}
                  as JSON (disagreements: each test where our own model of the rule, its
                  predicate trees evaluated, does not give the expected result, with a class)
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
      if (values.json) io.out(json(summary));
      else io.out(humanReport(outcomes, summary));
      if (values['model-report'] && !values.json) io.out(modelReport(summary));
      return summary.failed > 0 ? 1 : 0;
    } finally {
      store.close();
    }
  },
};

function humanReport(outcomes: readonly TestOutcome[], summary: TestSummary): string {
  const byRule = new Map<string, { name: string; passed: number; failed: number; unknown: number }>();
  for (const o of outcomes) {
    const id = o.rule?.id ?? `${o.test.platform}:${o.test.ruleId}`;
    const row = byRule.get(id) ?? { name: o.rule?.name ?? '(no such rule)', passed: 0, failed: 0, unknown: 0 };
    row[o.result]++;
    byRule.set(id, row);
  }
  const lines = [
    table([['rule', 'name', 'passed', 'failed', 'unknown'], ...[...byRule].map(([id, r]) => [id, r.name, r.passed, r.failed, r.unknown])]),
    '',
    table([
      ['platform', 'tests', 'passed', 'failed', 'unknown', 'model agreed'],
      ...Object.entries(summary.platforms).map(([p, c]) => [
        p,
        c.total,
        c.passed,
        c.failed,
        c.unknown,
        `${c.model.agreed}/${c.model.total}`,
      ]),
    ]),
    '',
    `${summary.total} tests: ${summary.passed} passed, ${summary.failed} failed, ${summary.unknown} unknown`,
  ];
  for (const o of outcomes)
    if (o.result === 'failed')
      lines.push(
        `FAIL ${o.rule?.id ?? o.test.ruleId} "${o.test.name}": expected ${o.test.expected ? 'yes' : 'no'}, got ${o.got} (${o.reason})`,
      );
  return lines.join('\n');
}

/** The model's disagreements by class, most frequent first, with one example each. */
function modelReport(summary: TestSummary): string {
  const classes = new Map<string, TestSummary['disagreements']>();
  for (const d of summary.disagreements) {
    const key = `${d.language}: ${d.class}`;
    const list = classes.get(key);
    if (list) list.push(d);
    else classes.set(key, [d]);
  }
  const rows = [...classes].sort((a, b) => b[1].length - a[1].length);
  return [
    '',
    `model agreement: ${Object.entries(summary.languages)
      .map(([l, m]) => `${l} ${m.agreed}/${m.total}`)
      .join(', ')}`,
    table([
      ['count', 'class', 'example'],
      ...rows.map(([key, list]) => {
        const d = list[0]!;
        return [list.length, key, `${d.id} "${d.test}": expected ${d.expected}, model ${d.model}${d.detail ? ` (${d.detail})` : ''}`];
      }),
    ]),
  ].join('\n');
}
