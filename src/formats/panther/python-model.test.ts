// Rules of our own whose conditions go through a data model's Python method (`event.udm(...)`),
// constant dict lookups and constants built by comprehension: the fixture source (rules/,
// data_models/, global_helpers/, written for this test) read as the Panther format reads a
// checkout, the model's answer on each of the rule's own tests compared with its ExpectedResult.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, test } from 'node:test';
import { analysisContextOf } from '../../analysis/analyse-rule.js';
import { ruleEventsOf } from '../../analysis/events.js';
import { providers } from '../../providers/registry.js';
import { recogniseLog } from '../../evaluate/event-log.js';
import { evaluateRule, PreparedEvent } from '../../evaluate/rule.js';
import type { EvaluatedRule } from '../../evaluate/types.js';
import { python } from '../../languages/python/index.js';
import { predicatesOf } from '../../model/predicates.js';
import { parseContainer } from '../containers.js';
import type { SourceFile } from '../types.js';
import { pantherFormat } from './index.js';

const root = fileURLToPath(new URL('./python-model-source/', import.meta.url));

before(async () => {
  await python.init!();
});

function source(rel: string): SourceFile {
  const file = path.join(root, rel);
  const read = (p: string) => {
    try {
      return readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  };
  return { path: rel, text: read(file)!, readRelated: (r) => read(path.join(path.dirname(file), r)) };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The rule's events and event patterns, as the write's events step reads them from its analysis. */
function ruleEvents(rel: string): string[] {
  const f = source(rel);
  const [raw] = pantherFormat.read(parseContainer('yaml', f.text), f);
  const analysis = python.analyse(raw!.query, analysisContextOf(raw!));
  const found = ruleEventsOf(analysis.stages, raw!.declaredSources, 'panther', providers);
  return [...found.events.map((e) => `${e.provider}/${e.event}`), ...found.patterns.map((p) => `${p.provider}/${p.op} ${p.value}`)].sort();
}

/** Each of the rule's tests: its name, the expected answer and the model's. */
function modelAnswers(rel: string): [string, string, string][] {
  const f = source(rel);
  const doc = parseContainer('yaml', f.text);
  const [raw] = pantherFormat.read(doc, f);
  assert.ok(raw && raw.language === 'python');
  const analysis = python.analyse(raw.query, analysisContextOf(raw));
  const rule: EvaluatedRule = { language: 'python', stages: analysis.stages, sources: raw.declaredSources, parsed: true, type: raw.type };
  return pantherFormat.readTests!(doc, f).map((t) => {
    const event = t.events[0];
    // A test log without p_log_type is of the rule's first log type, as Panther's runner takes it.
    const first = raw.declaredSources.find((s) => s.startsWith('logtype:'))?.slice('logtype:'.length);
    const logType = isRecord(event) && typeof event.p_log_type === 'string' ? undefined : first;
    const got = evaluateRule(rule, new PreparedEvent(event, recogniseLog(event, logType))).fires;
    return [t.name, t.expected ? 'yes' : 'no', got];
  });
}

test("udm(): a name the data model computes with a method is read through the model's Python", () => {
  const answers = modelAnswers('rules/demo_rules/demo_failed_login.yml');
  assert.equal(answers.length, 7);
  for (const [name, expected, got] of answers) assert.equal(got, expected, name);
  // The fields are the ones the model's method reads, not `udm:event_type`.
  const f = source('rules/demo_rules/demo_failed_login.yml');
  const [raw] = pantherFormat.read(parseContainer('yaml', f.text), f);
  const fields = new Set(predicatesOf(python.analyse(raw!.query, analysisContextOf(raw!)).stages[0]!.condition).map((p) => p.field));
  assert.deepEqual([...fields].sort(), ['actor.alternateId', 'eventType', 'legacyEventType', 'outcome.result']);
});

test('a constant dict read at a field, compared with a constant: the keys whose values compare so', () => {
  for (const [name, expected, got] of modelAnswers('rules/demo_rules/demo_admin_granted.yml')) assert.equal(got, expected, name);
});

test('constants built by comprehension and constants compared with constants are read', () => {
  for (const [name, expected, got] of modelAnswers('rules/demo_rules/demo_encoded_command.yml')) assert.equal(got, expected, name);
});

test('a loop over a literal list of fields is read once per element', () => {
  for (const [name, expected, got] of modelAnswers('rules/demo_rules/demo_untrusted_inputs.yml')) assert.equal(got, expected, name);
});

test("udm() under several log types: each model's fields apply to its own log's events only", () => {
  // Box's model compares a field, Asana's returns the value unless another field is set: on a Box
  // event, Asana's condition (no actor) must not make the rule fire.
  for (const [name, expected, got] of modelAnswers('rules/demo_rules/demo_any_failed_login.yml')) assert.equal(got, expected, name);
  // Box's value is Box's event, never Asana's (both logs name their events in `event_type`).
  assert.deepEqual(ruleEvents('rules/demo_rules/demo_any_failed_login.yml'), ['box/FAILED_LOGIN']);
  // The predicates carry the log types whose model gave them.
  const f = source('rules/demo_rules/demo_any_failed_login.yml');
  const [raw] = pantherFormat.read(parseContainer('yaml', f.text), f);
  const preds = predicatesOf(python.analyse(raw!.query, analysisContextOf(raw!)).stages[0]!.condition);
  assert.deepEqual(
    preds.map((p) => `${p.field} ${(p.logTypes ?? []).join(',')}`),
    ['event_type Box.Event', 'p_log_type Asana.Audit', 'actor Asana.Audit'],
  );
});

test("udm() under several log types: each model's method is read for its own log's events", () => {
  // GCP's resource is a piece of a split resource name by position (split-pieces.ts), its verb a
  // method with a guard bound to a name, read through its returns: a GKE read is not a creation;
  // EKS events are decided by EKS's fields.
  assert.deepEqual(modelAnswers('rules/demo_rules/demo_pod_created.yml'), [
    ['EKS pod created', 'yes', 'yes'],
    ['EKS pod read', 'no', 'no'],
    ['GKE pod created', 'yes', 'yes'],
    ['GKE pod read', 'no', 'no'],
  ]);
  // EKS names the pod creation; GKE's verb, the last piece of a method name, names no event itself.
  assert.deepEqual(ruleEvents('rules/demo_rules/demo_pod_created.yml'), ['kubernetes-audit/create pods']);
});

test('the last piece of a split field (`f.split("\\\\")[-1]`) is read as the field equal to it or ending with the separator and it', () => {
  for (const [name, expected, got] of modelAnswers('rules/demo_rules/demo_tool_executed.yml')) assert.equal(got, expected, name);
  const f = source('rules/demo_rules/demo_tool_executed.yml');
  const [raw] = pantherFormat.read(parseContainer('yaml', f.text), f);
  const preds = predicatesOf(python.analyse(raw!.query, analysisContextOf(raw!)).stages[0]!.condition);
  const tools = preds.filter((p) => p.field === 'event.ImageFileName' && !p.negated && p.values.length === 2);
  assert.deepEqual(
    tools.map((p) => `${p.op} ${p.values.join(' ')}`),
    ['in mimikatz.exe procdump.exe', 'endswith \\mimikatz.exe \\procdump.exe'],
  );
});
