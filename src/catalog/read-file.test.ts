import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AttackCatalog } from '../attack/catalog.js';
import { recoverYaml } from '../formats/containers.js';
import { readRuleFile } from './read-file.js';

const attack = AttackCatalog.fromObjects([]);

// A Sentinel rule whose entity mappings are badly indented: YAML rejects the whole file.
const brokenMappings = `id: 6a1e3f52-0f6c-4d1e-9f0b-2d5b8c1a7e11
name: Security log cleared
severity: Medium
queryFrequency: 1h
queryPeriod: 1h
triggerOperator: gt
triggerThreshold: 0
tactics:
  - DefenseEvasion
relevantTechniques:
  - T1070
query: |
  SecurityEvent
  | where EventID == 1102
  | project TimeGenerated, Computer, Account
entityMappings:
- entityType: Account
    fieldMappings:
      - identifier: FullName
        columnName: Account
version: 1.0.0
kind: Scheduled
`;

describe('readRuleFile', () => {
  test('a YAML file with one bad block is read key by key: the rule is kept, the loss is said', () => {
    const outcome = readRuleFile({ path: 'Detections/cleared.yaml', text: brokenMappings }, { attack, sourceName: 'sentinel' });
    assert.equal(outcome.kind, 'rules');
    if (outcome.kind !== 'rules') return;
    const [rule] = outcome.rules;
    assert.ok(rule);
    assert.equal(rule.name, 'Security log cleared');
    assert.equal(rule.parsed, true);
    assert.ok(rule.indicators.some((i) => i.field === 'EventID' && i.value === '1102'));
    const note = rule.diagnostics.find((d) => d.scope === 'file' && d.severity === 'error');
    assert.match(note?.message ?? '', /^YAML does not parse: .*read key by key instead, without `entityMappings` \(line 16\)$/);
    assert.equal(outcome.problem?.partial, true);
    assert.equal(outcome.problem?.path, 'Detections/cleared.yaml');
  });

  test('a block scalar indented unevenly is taken as its lines, common indentation removed', () => {
    const text = 'name: Service installed\nquery: |\n     SecurityEvent\n    | where EventID == 4697\n\nkind: Scheduled\n';
    const r = recoverYaml(text, 'why');
    assert.deepEqual(r?.doc, { name: 'Service installed', query: ' SecurityEvent\n| where EventID == 4697', kind: 'Scheduled' });
    assert.deepEqual(r?.literal, [{ key: 'query', line: 2 }]);
  });

  test('a YAML file with nothing readable stays an error with its reason', () => {
    const outcome = readRuleFile({ path: 'bad.yaml', text: 'name: [unclosed\n  - : :\n' }, { attack, sourceName: 's' });
    assert.equal(outcome.kind, 'error');
    if (outcome.kind === 'error') assert.match(outcome.error.reason, /^YAML does not parse: /);
  });

  test('recoverYaml keeps each top-level key that parses on its own', () => {
    const r = recoverYaml('a: 1\nb:\n- k: v\n    z: 1\nc: [1, 2]\n', 'why');
    assert.deepEqual(r?.doc, { a: 1, c: [1, 2] });
    assert.deepEqual(r?.lost, [{ key: 'b', line: 2 }]);
    assert.deepEqual(r?.literal, []);
    assert.equal(recoverYaml('- just\n- a list\n', 'why'), undefined);
  });
});
