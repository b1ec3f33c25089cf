import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AttackCatalog } from '../../attack/catalog.js';
import { type AnalysedFile, analyseTask } from '../../catalog/analyse-files.js';
import { prepareLanguages } from '../../languages/registry.js';
import { predicatesOf } from '../../model/predicates.js';
import type { Rule } from '../../model/types.js';
import { importedModules } from './helpers.js';

// A panther-analysis layout: rules/<pack>/x.yml + x.py, helper modules in global_helpers/ beside
// rules/. The rule's analysis reads the helpers it imports (and theirs), notes them as related
// files, and reads its guard, helper conditions and helper-built alert_context through them.

const baseHelpers = `def is_success(event):
    return not event.get("errorCode")
`;

const awsHelpers = `from panther_base_helpers import is_success

TRAIL_EVENTS = {"DeleteTrail", "StopLogging"}


def aws_cloudtrail_success(event):
    return is_success(event)


def aws_rule_context(event):
    return {"eventName": event.get("eventName"), "sourceIPAddress": event.get("sourceIPAddress")}
`;

const rulePython = `import json
from panther_aws_helpers import TRAIL_EVENTS, aws_cloudtrail_success, aws_rule_context


def rule(event):
    if event.get("eventName") not in TRAIL_EVENTS:
        return False
    return aws_cloudtrail_success(event)


def alert_context(event):
    return aws_rule_context(event)
`;

const ruleYaml = `AnalysisType: rule
Filename: trail_stopped.py
RuleID: "AWS.CloudTrail.Stopped.Test"
DisplayName: "CloudTrail stopped"
Enabled: true
LogTypes:
  - AWS.CloudTrail
Severity: Medium
`;

let root = '';

before(async () => {
  await prepareLanguages(['python']);
  root = mkdtempSync(join(tmpdir(), 'ruleatlas-panther-helpers-'));
  mkdirSync(join(root, 'rules/aws_cloudtrail_rules'), { recursive: true });
  mkdirSync(join(root, 'global_helpers'));
  writeFileSync(join(root, 'global_helpers/panther_base_helpers.py'), baseHelpers);
  writeFileSync(join(root, 'global_helpers/panther_aws_helpers.py'), awsHelpers);
  writeFileSync(join(root, 'rules/aws_cloudtrail_rules/trail_stopped.py'), rulePython);
  writeFileSync(join(root, 'rules/aws_cloudtrail_rules/trail_stopped.yml'), ruleYaml);
});

after(() => rmSync(root, { recursive: true, force: true }));

function analysed(): { file: AnalysedFile; rule: Rule } {
  const file = analyseTask({ root, path: 'rules/aws_cloudtrail_rules/trail_stopped.yml', sourceName: 'panther' }, AttackCatalog.empty());
  assert.equal(file.outcome.kind, 'rules');
  const rule = file.outcome.kind === 'rules' ? file.outcome.rules[0] : undefined;
  assert.ok(rule);
  return { file, rule };
}

test('imported module names: from-imports, plain and aliased imports, a global_helpers. prefix, indented ones', () => {
  assert.deepEqual(
    importedModules(`import json, re as regex
from panther_base_helpers import deep_get
from global_helpers.panther_aws_helpers import (
    aws_rule_context,
)
def f():
    import panther_okta_helpers as okta
`),
    ['panther_base_helpers', 'panther_aws_helpers', 'json', 're', 'panther_okta_helpers'],
  );
});

test('a rule reads the helper modules it imports from global_helpers/: guard events, helper conditions, helper-built outputs', () => {
  const { rule } = analysed();
  const condition = rule.stages.find((s) => s.kind === 'rule')?.condition;
  assert.deepEqual(
    predicatesOf(condition).map((p) => [p.field, p.op, p.negated, p.values]),
    [
      ['eventName', 'in', false, ['DeleteTrail', 'StopLogging']],
      ['errorCode', 'exists', true, []],
    ],
  );
  assert.deepEqual(
    rule.events.map((e) => e.event),
    ['DeleteTrail', 'StopLogging'],
  );
  assert.deepEqual(
    rule.outputFields.map((o) => o.field),
    ['eventName', 'sourceIPAddress'],
  );
  assert.deepEqual(
    rule.diagnostics.filter((d) => d.severity !== 'info' || /helper/.test(d.message)),
    [],
  );
});

test('the helper modules read, directly imported or imported by a helper, are related files of the rule', () => {
  const { file } = analysed();
  const found = file.related.filter(([, sha1]) => sha1 !== '').map(([path]) => path);
  assert.deepEqual(found.sort(), [
    'global_helpers/panther_aws_helpers.py',
    'global_helpers/panther_base_helpers.py',
    'rules/aws_cloudtrail_rules/trail_stopped.py',
  ]);
  // A module the source does not have (json) is noted as looked for, so that adding it re-analyses the rule.
  assert.ok(file.related.some(([path, sha1]) => path === 'global_helpers/json.py' && sha1 === ''));
});
