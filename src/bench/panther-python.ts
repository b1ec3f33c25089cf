// Runs every Panther rule's own tests for real (languages/python/runtime) over a panther-analysis
// checkout and prints the share that give their expected result, the failure classes, Pyodide's
// load time and tests per second:
//   node dist/bench/panther-python.js --panther DIR [--policies] [--outputs] [--failures FILE.json]
// The helper modules are the checkout's global_helpers/*.py and the data models its data_models/.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { loadYaml } from '../formats/yaml.js';
import {
  type PantherTest,
  type PantherTestOutcome,
  pantherTests,
  pythonDataModel,
  runPantherTests,
  testLogType,
} from '../languages/python/runtime/panther-tests.js';
import { createPythonRunner, type PythonDataModel } from '../languages/python/runtime/runner.js';

const { values } = parseArgs({
  options: {
    panther: { type: 'string' },
    policies: { type: 'boolean', default: false },
    failures: { type: 'string' },
    timeout: { type: 'string', default: '5000' },
    /** Also call title(), dedup(), alert_context() ... of each rule that fires, and count those that raise. */
    outputs: { type: 'boolean', default: false },
  },
});
if (!values.panther) {
  console.log('usage: node dist/bench/panther-python.js --panther DIR [--policies] [--outputs] [--failures FILE.json]');
  process.exit(2);
}
const root = values.panther;

type Doc = Record<string, unknown>;

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...yamlFiles(path));
    else if (/\.ya?ml$/.test(name)) out.push(path);
  }
  return out;
}

function readDoc(path: string): Doc | undefined {
  try {
    const doc = loadYaml(readFileSync(path, 'utf8'));
    return typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as Doc) : undefined;
  } catch {
    return undefined;
  }
}

const helpers: Record<string, string> = {};
for (const name of readdirSync(join(root, 'global_helpers'))) {
  if (name.endsWith('.py')) helpers[name.slice(0, -3)] = readFileSync(join(root, 'global_helpers', name), 'utf8');
}

const models = new Map<string, PythonDataModel>();
for (const path of yamlFiles(join(root, 'data_models'))) {
  const doc = readDoc(path);
  if (!doc || doc.AnalysisType !== 'datamodel') continue;
  const file = typeof doc.Filename === 'string' ? join(dirname(path), doc.Filename) : undefined;
  const model = pythonDataModel(doc, file ? readFileSync(file, 'utf8') : undefined);
  for (const logType of Array.isArray(doc.LogTypes) ? doc.LogTypes : []) if (typeof logType === 'string') models.set(logType, model);
}

const kinds = new Set(values.policies ? ['policy'] : ['rule', 'scheduled_rule']);
const folders = values.policies ? ['policies'] : ['rules'];
interface Failure {
  rule: string;
  test: string;
  expected: boolean;
  got?: unknown;
  error?: string;
}
const failures: Failure[] = [];
let total = 0;
let passed = 0;
let rules = 0;
let pythonMillis = 0;
const outputFailures: string[] = [];

const runner = createPythonRunner({ timeoutMs: Number(values.timeout) });
const started = performance.now();
for (const folder of folders) {
  for (const path of yamlFiles(join(root, folder))) {
    const doc = readDoc(path);
    if (!doc || !kinds.has(String(doc.AnalysisType)) || typeof doc.Filename !== 'string') continue;
    const tests = pantherTests(doc);
    if (tests.length === 0) continue;
    let code: string;
    try {
      code = readFileSync(join(dirname(path), doc.Filename), 'utf8');
    } catch {
      continue;
    }
    rules++;
    const logTypes = (Array.isArray(doc.LogTypes) ? doc.LogTypes : []).filter((t): t is string => typeof t === 'string');
    const outcomes: PantherTestOutcome[] = await runPantherTests(runner, {
      rule: { code, filename: doc.Filename },
      helpers,
      tests,
      dataModel: (test: PantherTest) => {
        const logType = testLogType(test, logTypes);
        return logType ? models.get(logType) : undefined;
      },
      function: values.policies ? 'policy' : 'rule',
      outputs: values.outputs,
    });
    for (const outcome of outcomes) {
      total++;
      pythonMillis += outcome.millis;
      if (outcome.outputErrors) outputFailures.push(`${relative(root, path)} ${outcome.name}: ${JSON.stringify(outcome.outputErrors)}`);
      if (outcome.passed) passed++;
      else
        failures.push({
          rule: relative(root, path),
          test: outcome.name,
          expected: outcome.expected,
          ...('got' in outcome ? { got: outcome.got } : {}),
          ...(outcome.error ? { error: outcome.error } : {}),
        });
    }
  }
}
const ended = performance.now();
const load = runner.loadMillis();
await runner.close();

/** A failure's class: the exception type (and the module a failed import names), or a wrong result. */
function failureClass(f: Failure): string {
  if (!f.error) return `wrong result (expected ${f.expected})`;
  const missing = /No module named '([^']+)'/.exec(f.error);
  if (missing) return `missing module ${missing[1]}`;
  if (/time limit/.test(f.error)) return 'time limit';
  return f.error.split(':')[0]!;
}
const classes = new Map<string, number>();
for (const f of failures) classes.set(failureClass(f), (classes.get(failureClass(f)) ?? 0) + 1);

console.log(
  `${rules} ${values.policies ? 'policies' : 'rules'}, ${total} tests: ${passed} passed (${((100 * passed) / Math.max(total, 1)).toFixed(2)}%), ${total - passed} failed`,
);
console.log(
  `Pyodide load ${load ?? '?'} ms; all tests ${((ended - started) / 1000).toFixed(1)} s including the load, ${(total / ((ended - started - (load ?? 0)) / 1000)).toFixed(0)} tests/s after it (Python time ${(pythonMillis / 1000).toFixed(1)} s; ${runner.starts()} process start(s)); load average ${loadavg()[0]!.toFixed(1)}`,
);
for (const [name, count] of [...classes].sort((a, b) => b[1] - a[1])) console.log(`  ${String(count).padStart(4)}  ${name}`);
if (values.outputs)
  console.log(`${outputFailures.length} tests where the rule fired and an output function raised:`, outputFailures.slice(0, 20));
if (values.failures) writeFileSync(values.failures, JSON.stringify(failures, null, 2));
