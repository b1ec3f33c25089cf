import assert from 'node:assert/strict';
import test from 'node:test';
import type { SourceFile } from '../types.js';
import { pythonRuns } from './python-run.js';
import { udmContext } from './udm.js';

// A panther-analysis layout whose endpoint data models sit in a subfolder of data_models/: a rule of
// that log type gets its model (mappings and Python) for its tests and its UDM table.

const ruleYaml = `AnalysisType: rule
Filename: edr_rule.py
RuleID: Edr.Rule
LogTypes:
  - Crowdstrike.FDREvent
Tests:
  - Name: one
    ExpectedResult: true
    Log: {p_log_type: Crowdstrike.FDREvent}
`;
const modelYaml = `AnalysisType: datamodel
DataModelID: Edr.Model
Filename: edr_model.py
LogTypes:
  - Crowdstrike.FDREvent
Mappings:
  - Name: cmd
    Path: $.event.CommandLine
  - Name: process_name
    Method: get_process_name
`;
const modelPython = 'def get_process_name(event):\n    return event.deep_get("event", "ImageFileName")\n';

const files: Record<string, string> = {
  'data_models/edr_data_models/crowdstrike_fdr_data_model.yml': modelYaml,
  'data_models/edr_data_models/edr_model.py': modelPython,
  'rules/edr_rules/edr_rule.py': 'def rule(event):\n    return event.udm("cmd") is not None\n',
};
// Paths relative to rules/edr_rules/, resolved as the catalog does (inside the source only).
const file: SourceFile = {
  path: 'rules/edr_rules/edr_rule.yml',
  text: ruleYaml,
  readRelated: (relative) => {
    const parts = ['rules', 'edr_rules'];
    for (const p of relative.split('/')) {
      if (p === '..') parts.pop();
      else if (p !== '.') parts.push(p);
    }
    return files[parts.join('/')];
  },
};

test("an endpoint log type's data model in data_models/edr_data_models/ reaches the rule's tests and its UDM table", () => {
  const runs = pythonRuns({ AnalysisType: 'rule', Filename: 'edr_rule.py', LogTypes: ['Crowdstrike.FDREvent'] }, file);
  const model = runs?.run('Crowdstrike.FDREvent').dataModel;
  assert.ok(model);
  assert.deepEqual(model.paths, { cmd: '$.event.CommandLine' });
  assert.deepEqual(model.methods, { process_name: 'get_process_name' });
  assert.equal(model.filename, 'edr_model.py');
  assert.equal(runs.texts[model.code!], modelPython);
  // The method is read from the model's Python beside it, in the same subfolder.
  assert.deepEqual(udmContext(['Crowdstrike.FDREvent'], file).table, {
    cmd: ['event.CommandLine'],
    process_name: ['method:data_model:edr_model:get_process_name'],
  });
});
