// Run a catalog's stored tests (evaluate/stored-tests.ts) against its rules. Each test is run the
// truest way available: a Sigma sample and a Panther YAML or SQL detection by the evaluation core,
// a Panther correlation rule's test (its steps' rule outputs) by the correlation's semantics;
// a Panther Python rule's truth is its code, run for real by `runStoredTests` (run-python-tests.ts;
// `runTest` alone leaves it `unknown`). `model` counts how often our own predicate-tree evaluation
// (evaluateRule) gives the expected result, whatever ran the test.
import { loadYaml } from '../formats/yaml.js';
import { runCorrelationTest } from '../languages/panther-detection/correlation.js';
import type { Rule } from '../model/types.js';
import { recogniseLog } from './event-log.js';
import { evaluateRule, PreparedEvent } from './rule.js';
import type { PythonTests } from './run-python-tests.js';
import type { StoredPythonRun, StoredTest } from './stored-tests.js';
import { type Disagreement, disagreement } from './model-disagreement.js';
import type { Evaluation, Fires, SourceCheck } from './types.js';

type TestResult = 'passed' | 'failed' | 'unknown';

export interface TestOutcome {
  test: StoredTest;
  /** The rule tested (undefined: the catalog has no live rule with that native id on that platform). */
  rule?: Rule;
  result: TestResult;
  /** What the run gave: `yes` when the rule fired (on enough of the events), `no` when it did not. */
  got: Fires;
  /** Our predicate-tree evaluation's answer (undefined when there was nothing to evaluate). */
  model?: Fires;
  /** Why the model's answer is not the expected one (model-disagreement.ts). */
  disagreement?: Disagreement;
  reason: string;
}

/** Rules by platform and native id; a removed rule is not tested. */
export function rulesByNativeId(rules: readonly Rule[]): Map<string, Rule> {
  const out = new Map<string, Rule>();
  for (const r of rules) if (!r.removed && !out.has(`${r.platform}\0${r.nativeId}`)) out.set(`${r.platform}\0${r.nativeId}`, r);
  return out;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The log a test's event is of: a Panther log names it (`p_log_type`), else it is of its rule's first
 * log type, as Panther's test runner takes it (a rule's own test is an event of its rule's logs).
 */
export function logOfTest(test: StoredTest, rule: Rule, event: unknown) {
  if (test.kind !== 'panther') return recogniseLog(event);
  const named = isObj(event) && typeof event.p_log_type === 'string' ? event.p_log_type : undefined;
  return recogniseLog(event, named ?? rule.dataSources[0]);
}

/**
 * Panther's test runner calls the rule's function on each test event whatever its log type: a test
 * event whose p_log_type is not among the rule's LogTypes is still run (its log type still picks its
 * data model), so no log gate stands before a Panther rule's own tests.
 */
const pantherTestSource: SourceCheck = {
  matched: true,
  reason: "a Panther rule's own test: its runner calls the rule on the event, whatever the event's log type",
};

/**
 * The rule's answer over the test's events: `yes` when it fires on at least one (a regression
 * sample's match_count counts matches in its .evtx, which may hold fewer events than its JSON: not
 * compared), `no` when it fires on none and every answer is known, else `unknown`.
 */
function modelAnswer(test: StoredTest, rule: Rule): { fires: Fires; reason: string; first?: Evaluation } {
  const opts = test.kind === 'panther' ? { trace: true, source: pantherTestSource } : { trace: true };
  const answers = test.events.map((e) => evaluateRule(rule, new PreparedEvent(e, logOfTest(test, rule, e), Date.now()), opts));
  const yes = answers.filter((a) => a.fires === 'yes').length;
  if (yes > 0) return { fires: 'yes', reason: `fires on ${yes} of ${answers.length} events`, first: answers[0] };
  const open = answers.find((a) => a.fires === 'unknown');
  if (!open) {
    const why = answers.find((a) => a.source.matched === false)?.source.reason;
    return { fires: 'no', reason: `fires on none of ${answers.length} events${why ? ` (${why})` : ''}`, first: answers[0] };
  }
  const gap = open.unevaluated[0];
  const reason = gap ? `${gap.stage}: ${gap.reason}` : open.source.matched === 'unknown' ? open.source.reason : 'a condition is unknown';
  return { fires: 'unknown', reason, first: open };
}

const expectedAnswer = (test: StoredTest): Fires => (test.expected ? 'yes' : 'no');

/** The `Detection` a Panther correlation rule's query holds (its YAML block), or why it does not parse. */
function detectionOf(rule: Rule): unknown {
  try {
    const doc = loadYaml(rule.query);
    return typeof doc === 'object' && doc !== null && 'Detection' in doc ? doc.Detection : doc;
  } catch (err) {
    return new Error(`the Detection does not parse: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** A correlation rule's test: its rule outputs through the correlation (languages/panther-detection/correlation.ts). */
function correlationOutcome(test: StoredTest, rule: Rule): TestOutcome {
  if (rule.type !== 'correlation_rule' || rule.language !== 'panther-detection')
    return { test, rule, result: 'unknown', got: 'unknown', reason: 'rule outputs are run only against a correlation rule' };
  const detection = detectionOf(rule);
  const answer =
    detection instanceof Error ? { fires: 'unknown' as const, reason: detection.message } : runCorrelationTest(detection, test.ruleOutputs);
  const result: TestResult = answer.fires === 'unknown' ? 'unknown' : answer.fires === expectedAnswer(test) ? 'passed' : 'failed';
  return { test, rule, result, got: answer.fires, reason: answer.reason };
}

export function runTest(test: StoredTest, rules: ReadonlyMap<string, Rule>): TestOutcome {
  const rule = rules.get(`${test.platform}\0${test.ruleId}`);
  if (!rule) return { test, result: 'unknown', got: 'unknown', reason: `no rule ${test.ruleId} on ${test.platform} in the catalog` };
  if (test.ruleOutputs !== undefined && !test.problem) return correlationOutcome(test, rule);
  if (test.problem || test.events.length === 0)
    return { test, rule, result: 'unknown', got: 'unknown', reason: test.problem ?? 'no events' };
  // A test with mocks is answered by the rule read with them (its inputs), as its run is.
  const read = test.mockedStages ? { ...rule, stages: test.mockedStages } : rule;
  const model = modelAnswer(test, read);
  const disagrees =
    model.first && model.fires !== expectedAnswer(test) ? { disagreement: disagreement(test, read, model.fires, model.first) } : {};
  // A Panther rule's truth is its Python code (language `none`: its .py file was not in the source).
  if (test.kind === 'panther' && (rule.language === 'python' || rule.language === 'none')) {
    const reason =
      rule.language !== 'python'
        ? "the rule's Python file is not in the catalog"
        : test.python
          ? "the rule's Python code is run only with the Python runner (runStoredTests)"
          : "the catalog does not hold the rule's Python code with its tests";
    return { test, rule, result: 'unknown', got: 'unknown', model: model.fires, ...disagrees, reason };
  }
  const result: TestResult = model.fires === 'unknown' ? 'unknown' : model.fires === expectedAnswer(test) ? 'passed' : 'failed';
  return { test, rule, result, got: model.fires, model: model.fires, ...disagrees, reason: model.reason };
}

/** A test stored in a file of a source (CatalogStore.storedTests). */
interface StoredEntry {
  source: string;
  path: string;
  test: StoredTest;
}

/** Whether a Panther test is run by its rule's Python code: it carries what the runner needs, its rule is Python. */
const runsPython = (o: TestOutcome): o is TestOutcome & { test: { python: StoredPythonRun }; rule: Rule } =>
  o.test.kind === 'panther' && o.test.python !== undefined && o.rule?.language === 'python' && !o.test.problem && o.test.events.length > 0;

/**
 * One test run the truest way available: a Panther Python rule's test by its code (`python`, whose
 * runner starts at the first such test; `file` names the module its tests share, in order), any
 * other as `runTest` does.
 */
export async function runTruest(
  test: StoredTest,
  rules: ReadonlyMap<string, Rule>,
  python: PythonTests,
  file: string,
): Promise<TestOutcome> {
  const outcome = runTest(test, rules);
  if (!runsPython(outcome)) return outcome;
  return { ...outcome, ...(await python.run(outcome.test, file)) };
}

/** Every test run the truest way available (runTruest), in order. */
export async function runStoredTests(
  stored: readonly StoredEntry[],
  rules: ReadonlyMap<string, Rule>,
  python: PythonTests,
): Promise<TestOutcome[]> {
  const outcomes: TestOutcome[] = [];
  for (const { source, path, test } of stored) outcomes.push(await runTruest(test, rules, python, `${source}\0${path}`));
  return outcomes;
}

interface Counts {
  total: number;
  passed: number;
  failed: number;
  unknown: number;
}

export interface TestSummary extends Counts {
  platforms: Record<string, Counts & { model: { agreed: number; total: number } }>;
  failures: { id: string; test: string; expected: Fires; got: Fires; reason: string }[];
  /** Model agreement per rule language (a platform's rules may be written in several). */
  languages: Record<string, { agreed: number; total: number }>;
  /** Each test where our model's answer is not the expected one, with the class of the cause. */
  disagreements: { id: string; test: string; language: string; expected: Fires; model: Fires; class: string; detail: string }[];
}

/** The `test --json` summary: counts overall and per platform, and each test whose expected result was not met. */
export function summariseTests(outcomes: readonly TestOutcome[]): TestSummary {
  const summary: TestSummary = {
    total: 0,
    passed: 0,
    failed: 0,
    unknown: 0,
    platforms: {},
    languages: {},
    failures: [],
    disagreements: [],
  };
  for (const o of outcomes) {
    const platform = (summary.platforms[o.test.platform] ??= {
      total: 0,
      passed: 0,
      failed: 0,
      unknown: 0,
      model: { agreed: 0, total: 0 },
    });
    for (const c of [summary, platform]) {
      c.total++;
      c[o.result]++;
    }
    if (o.model !== undefined) {
      const language = (summary.languages[o.rule?.language ?? ''] ??= { agreed: 0, total: 0 });
      for (const m of [platform.model, language]) {
        m.total++;
        if (o.model === expectedAnswer(o.test)) m.agreed++;
      }
    }
    if (o.disagreement && o.model !== undefined)
      summary.disagreements.push({
        id: o.rule?.id ?? o.test.ruleId,
        test: o.test.name,
        language: o.rule?.language ?? '',
        expected: expectedAnswer(o.test),
        model: o.model,
        ...o.disagreement,
      });
    if (o.result === 'failed')
      summary.failures.push({
        id: o.rule?.id ?? o.test.ruleId,
        test: o.test.name,
        expected: expectedAnswer(o.test),
        got: o.got,
        reason: o.reason,
      });
  }
  return summary;
}
