// Rules of our own whose conditions go through a data model's Python method (`event.udm(...)`),
// constant dict lookups and constants built by comprehension: the fixture source (rules/,
// data_models/, global_helpers/, written for this test) read as the Panther format reads a
// checkout, the model's answer on each of the rule's own tests compared with its ExpectedResult.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { before, test } from 'node:test';
import { ruleEventsOf } from '../../analysis/events.js';
import { providers } from '../../providers/registry.js';
import { python } from '../../languages/python/index.js';
import { predicatesOf } from '../../model/predicates.js';
import { analysedFixture, modelAnswers } from './python-model-answers.js';

const root = fileURLToPath(new URL('./python-model-source/', import.meta.url));

before(async () => {
  await python.init!();
});

const answersOf = (rel: string) => modelAnswers(root, rel);
const predicates = (rel: string) => predicatesOf(analysedFixture(root, rel).analysis.stages[0]!.condition);

/** The rule's events and event patterns, as the write's events step reads them from its analysis. */
function ruleEvents(rel: string): string[] {
  const { raw, analysis } = analysedFixture(root, rel);
  const found = ruleEventsOf(analysis.stages, raw.declaredSources, 'panther', providers);
  return [...found.events.map((e) => `${e.provider}/${e.event}`), ...found.patterns.map((p) => `${p.provider}/${p.op} ${p.value}`)].sort();
}

test("udm(): a name the data model computes with a method is read through the model's Python", () => {
  const answers = answersOf('rules/demo_rules/demo_failed_login.yml');
  assert.equal(answers.length, 7);
  for (const [name, expected, got] of answers) assert.equal(got, expected, name);
  // The fields are the ones the model's method reads, not `udm:event_type`.
  const fields = new Set(predicates('rules/demo_rules/demo_failed_login.yml').map((p) => p.field));
  assert.deepEqual([...fields].sort(), ['actor.alternateId', 'eventType', 'legacyEventType', 'outcome.result']);
});

test('a constant dict read at a field, compared with a constant: the keys whose values compare so', () => {
  for (const [name, expected, got] of answersOf('rules/demo_rules/demo_admin_granted.yml')) assert.equal(got, expected, name);
});

test('constants built by comprehension and constants compared with constants are read', () => {
  for (const [name, expected, got] of answersOf('rules/demo_rules/demo_encoded_command.yml')) assert.equal(got, expected, name);
});

test('a loop over a literal list of fields is read once per element', () => {
  for (const [name, expected, got] of answersOf('rules/demo_rules/demo_untrusted_inputs.yml')) assert.equal(got, expected, name);
});

test("udm() under several log types: each model's fields apply to its own log's events only", () => {
  // Box's model compares a field, Asana's returns the value unless another field is set: on a Box
  // event, Asana's condition (no actor) must not make the rule fire.
  for (const [name, expected, got] of answersOf('rules/demo_rules/demo_any_failed_login.yml')) assert.equal(got, expected, name);
  // Box's value is Box's event, never Asana's (both logs name their events in `event_type`).
  assert.deepEqual(ruleEvents('rules/demo_rules/demo_any_failed_login.yml'), ['box/FAILED_LOGIN']);
  // The predicates carry the log types whose model gave them.
  const preds = predicates('rules/demo_rules/demo_any_failed_login.yml');
  assert.deepEqual(
    preds.map((p) => `${p.field} ${(p.logTypes ?? []).join(',')}`),
    ['event_type Box.Event', 'p_log_type Asana.Audit', 'actor Asana.Audit'],
  );
});

test("udm() under several log types: another model's unreadable method leaves this log's events decided", () => {
  // GCP's resource is a piece of a split at an index (pieces.ts); EKS events are decided by EKS's
  // fields. GCP's verb, a method with a guard bound to a name, is read through its returns: a GKE
  // read is not a creation.
  assert.deepEqual(answersOf('rules/demo_rules/demo_pod_created.yml'), [
    ['EKS pod created', 'yes', 'yes'],
    ['EKS pod read', 'no', 'no'],
    ['GKE pod created', 'yes', 'yes'],
    ['GKE pod read', 'no', 'no'],
  ]);
  // EKS names the pod creation; GKE's verb, the last piece of a method name, names no event itself.
  assert.deepEqual(ruleEvents('rules/demo_rules/demo_pod_created.yml'), ['kubernetes-audit/create pods']);
});

test('the last piece of a split field (`f.split("\\\\")[-1]`) is read as the field equal to it or ending with the separator and it', () => {
  for (const [name, expected, got] of answersOf('rules/demo_rules/demo_tool_executed.yml')) assert.equal(got, expected, name);
  const preds = predicates('rules/demo_rules/demo_tool_executed.yml');
  const tools = preds.filter((p) => p.field === 'event.ImageFileName' && !p.negated && p.values.length === 2);
  assert.deepEqual(
    tools.map((p) => `${p.op} ${p.values.join(' ')}`),
    ['in mimikatz.exe procdump.exe', 'endswith \\mimikatz.exe \\procdump.exe'],
  );
});
