// Rules of our own for Python constructs the model reads (pieces of a split field at an index,
// flags set in a loop ...): each fixture rule (python-model-source/rules/demo_rules, written for
// these tests) read as the Panther format reads a checkout, the model's answer on each of the
// rule's own tests compared with its ExpectedResult.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, test } from 'node:test';
import { analysisContextOf } from '../../analysis/analyse-rule.js';
import { recogniseLog } from '../../evaluate/event-log.js';
import { evaluateRule, PreparedEvent } from '../../evaluate/rule.js';
import { python } from '../../languages/python/index.js';
import { predicatesOf } from '../../model/predicates.js';
import type { Predicate } from '../../model/types.js';
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

/** The rule's analysis, and each of its tests: name, expected answer, the model's answer. */
function modelOf(rel: string): { predicates: Predicate[]; answers: [string, string, string][] } {
  const f = source(rel);
  const doc = parseContainer('yaml', f.text);
  const [raw] = pantherFormat.read(doc, f);
  assert.ok(raw && raw.language === 'python');
  const analysis = python.analyse(raw.query, analysisContextOf(raw));
  const first = raw.declaredSources.find((s) => s.startsWith('logtype:'))?.slice('logtype:'.length);
  const answers = pantherFormat.readTests!(doc, f).map((t): [string, string, string] => {
    const event = t.events[0];
    const logType = isRecord(event) && typeof event.p_log_type === 'string' ? undefined : first;
    const rule = { language: 'python', stages: analysis.stages, sources: raw.declaredSources, parsed: true, type: raw.type };
    return [t.name, t.expected ? 'yes' : 'no', evaluateRule(rule, new PreparedEvent(event, recogniseLog(event, logType))).fires];
  });
  return { predicates: analysis.stages.flatMap((s) => predicatesOf(s.condition)), answers };
}

test('a piece of a split field at an index (`parts[3] in X`, `parts[2] == "namespaces"`, `len(parts) >= 4`) is one exact test of the field', () => {
  const { predicates, answers } = modelOf('rules/demo_rules/demo_namespace_pieces.yml');
  for (const [name, expected, got] of answers) assert.equal(got, expected, name);
  // The guard, the position and the values read together: one expression per namespace.
  const pieces = predicates.filter((p) => p.field === 'protoPayload.resourceName' && p.op === 'regex');
  assert.deepEqual(
    pieces.map((p) => `${p.negated ? 'not ' : ''}${p.values.join(' ')}`),
    ['not ^[^/]*/[^/]*/namespaces/kube-system(?:/|$) ^[^/]*/[^/]*/namespaces/kube-public(?:/|$)'],
  );
  // A piece's value names no event.
  assert.ok(pieces.every((p) => p.piece === '/'));
});

test('a piece at an index stripped (`f.split("-")[0].strip()`) is compared with the spaces at its ends let through', () => {
  const { answers } = modelOf('rules/demo_rules/demo_setting_piece.yml');
  for (const [name, expected, got] of answers) assert.equal(got, expected, name);
});

test('a flag a loop sets (`found = True; break`) holds after the loop where the body sets it for some element', () => {
  const { answers } = modelOf('rules/demo_rules/demo_flag_in_loop.yml');
  for (const [name, expected, got] of answers) assert.equal(got, expected, name);
});

test('`a <= x <= b` with x a loop variable over constants compares one element on both sides', () => {
  const { answers } = modelOf('rules/demo_rules/demo_port_range.yml');
  for (const [name, expected, got] of answers) assert.equal(got, expected, name);
});

test('`"k" in event` is the event having the key', () => {
  const { answers } = modelOf('rules/demo_rules/demo_key_present.yml');
  for (const [name, expected, got] of answers) assert.equal(got, expected, name);
});

test('a field compared with a one-element list (`f == ["x"]`) is a list of that one element', () => {
  const { answers } = modelOf('rules/demo_rules/demo_one_element_list.yml');
  for (const [name, expected, got] of answers) assert.equal(got, expected, name);
});

test('a helper that returns a parsed field only under a test of another field (else None) is that field where the test holds', () => {
  const { answers } = modelOf('rules/demo_rules/demo_guarded_log.yml');
  for (const [name, expected, got] of answers) assert.equal(got, expected, name);
});
