import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AttackCatalog } from '../../attack/catalog.js';
import { analyseFiles, type FileTask } from '../../catalog/analyse-files.js';
import type { FileOutcome } from '../../catalog/read-file.js';
import { prepareLanguages } from '../../languages/registry.js';
import { predicatesOf } from '../../model/predicates.js';

// Two Panther rules for different log types that share one .py calling event.udm(): each rule's
// field comes from its own LogTypes' data model (data-models.ts: Okta source_ip is
// client.ipAddress, ALB source_ip is clientIp), whichever YAML the build reads first.

const python = `def rule(event):
    return event.udm("source_ip") == "10.0.0.1"
`;

function ruleYaml(id: string, logType: string): string {
  return `AnalysisType: rule
Filename: shared_source_ip.py
RuleID: "${id}"
DisplayName: "${id}"
Enabled: true
LogTypes:
  - ${logType}
Severity: Low
`;
}

let root = '';

before(async () => {
  await prepareLanguages(['python']);
  root = mkdtempSync(join(tmpdir(), 'ruleatlas-panther-shared-'));
  mkdirSync(join(root, 'rules'));
  writeFileSync(join(root, 'rules/shared_source_ip.py'), python);
  writeFileSync(join(root, 'rules/okta_source_ip.yml'), ruleYaml('Okta.SourceIp', 'Okta.SystemLog'));
  writeFileSync(join(root, 'rules/alb_source_ip.yml'), ruleYaml('ALB.SourceIp', 'AWS.ALB'));
});

after(() => rmSync(root, { recursive: true, force: true }));

/** Rule id → the fields its rule() condition reads, files analysed in this order as a build does. */
function fieldsByRule(paths: string[]): Map<string, string[]> {
  const tasks: FileTask[] = paths.map((path) => ({ root, path, sourceName: 'panther' }));
  const outcomes: FileOutcome[] = [];
  analyseFiles(tasks, AttackCatalog.empty(), (_done, a) => outcomes.push(a.outcome));
  const out = new Map<string, string[]>();
  for (const outcome of outcomes) {
    assert.equal(outcome.kind, 'rules');
    for (const rule of outcome.kind === 'rules' ? outcome.rules : []) {
      const condition = rule.stages.find((s) => s.kind === 'rule')?.condition;
      out.set(
        rule.id,
        predicatesOf(condition).map((p) => p.field),
      );
    }
  }
  return out;
}

const expected = new Map([
  ['panther:Okta.SourceIp', ['client.ipAddress']],
  ['panther:ALB.SourceIp', ['clientIp']],
]);

test('a .py shared by an Okta and an ALB rule: each rule gets its own data model, Okta first', () => {
  assert.deepEqual(fieldsByRule(['rules/okta_source_ip.yml', 'rules/alb_source_ip.yml']), expected);
});

test('a .py shared by an Okta and an ALB rule: each rule gets its own data model, ALB first', () => {
  assert.deepEqual(fieldsByRule(['rules/alb_source_ip.yml', 'rules/okta_source_ip.yml']), expected);
});

test('the same shared .py read again gives the same fields (no state left from earlier reads)', () => {
  const first = fieldsByRule(['rules/alb_source_ip.yml']);
  const again = fieldsByRule(['rules/okta_source_ip.yml', 'rules/alb_source_ip.yml', 'rules/alb_source_ip.yml']);
  assert.deepEqual(first.get('panther:ALB.SourceIp'), ['clientIp']);
  assert.deepEqual(again, expected);
});
