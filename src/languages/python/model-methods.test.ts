// `event.udm(name)` where the log type's data model computes the name with a Python method: the
// method read like a helper of the rule, so the value is a log field wherever the method's returns
// say so (conditions.ts `udmField`), or each of its returns tested on its own (`modelValue`, also
// through `or ""`); and a helper whose returns read a field differently is not one value.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { EvaluatedRule, Fires } from '../../evaluate/types.js';
import type { AnalysisContext } from '../../model/types.js';
import { python } from './index.js';
import { loadPython, modelFires } from './model-harness.js';

before(loadPython);

const logType = 'Custom.Cluster';

/** The rule read with a data model whose names are computed by the methods in `model` (`name` → method). */
function ruleWithModel(code: string, model: string, methods: Record<string, string>, helpers: Record<string, string> = {}): EvaluatedRule {
  const dataModel: AnalysisContext['dataModel'] = {};
  for (const [name, method] of Object.entries(methods))
    dataModel[name] = [{ field: `method:data_model:cluster_model:${method}`, logTypes: [logType] }];
  const context: AnalysisContext = {
    platform: 'panther',
    declaredSources: [`logtype:${logType}`],
    dataModel,
    pythonModules: { 'data_model:cluster_model': model, ...helpers },
  };
  const analysis = python.analyse(code, context);
  assert.ok(analysis.parsed);
  return { language: 'python', stages: analysis.stages, sources: [`logtype:${logType}`], parsed: true, type: 'rule' };
}

const fires = (rule: EvaluatedRule, event: Record<string, unknown>): Fires => modelFires(rule, event, logType);

const volumesRule = [
  'def rule(event):',
  '    volumes = event.udm("volumes") or []',
  '    for volume in volumes:',
  '        if volume.get("type") == "hostPath":',
  '            return True',
  '    return False',
  '',
].join('\n');

describe('a data-model method', () => {
  it('returning nothing under a test, else a field: the field where the test does not stop it', () => {
    const model = [
      'def get_volumes(event):',
      '    if event.get("service", "") != "k8s":',
      '        return None',
      '    return event.deep_get("request", "volumes")',
      '',
    ].join('\n');
    const rule = ruleWithModel(volumesRule, model, { volumes: 'get_volumes' });
    const volumes = (type: string) => ({ request: { volumes: [{ type, name: 'v' }] } });
    assert.equal(fires(rule, { service: 'k8s', ...volumes('hostPath') }), 'yes');
    assert.equal(fires(rule, { service: 'k8s', ...volumes('emptyDir') }), 'no');
    // The method returns None there, whatever the field holds.
    assert.equal(fires(rule, { service: 'storage', ...volumes('hostPath') }), 'no');
  });

  it('returning one field or another or a constant, read `or ""`: each return tested on its own', () => {
    const model = [
      'def get_username(event):',
      '    if email := event.get("email"):',
      '        return email',
      '    if subject := event.get("subject"):',
      '        return subject',
      '    return "<UNKNOWN USER>"',
      '',
    ].join('\n');
    const code = ['def rule(event):', '    username = event.udm("username") or ""', '    return username.startswith("system:")', ''].join(
      '\n',
    );
    const rule = ruleWithModel(code, model, { username: 'get_username' });
    assert.equal(fires(rule, { email: 'system:node:a' }), 'yes');
    assert.equal(fires(rule, { subject: 'system:node:a' }), 'yes');
    // The email is returned first: the subject is never read.
    assert.equal(fires(rule, { email: 'bob@example.com', subject: 'system:node:a' }), 'no');
    assert.equal(fires(rule, {}), 'no');
  });

  it("imported into the model's module from a helper module: read there", () => {
    const helpers = [
      'def get_kind(event):',
      '    if event.get("service", "") != "k8s":',
      '        return None',
      '    return event.deep_get("request", "kind")',
      '',
    ].join('\n');
    const model = 'from cluster_helpers import get_kind  # the model names it as its method\n';
    const code = ['def rule(event):', '    return event.udm("kind") == "Pod"', ''].join('\n');
    const rule = ruleWithModel(code, model, { kind: 'get_kind' }, { cluster_helpers: helpers });
    assert.equal(fires(rule, { service: 'k8s', request: { kind: 'Pod' } }), 'yes');
    assert.equal(fires(rule, { service: 'storage', request: { kind: 'Pod' } }), 'no');
  });

  it('returning one piece of a field or another: not one value, left unknown rather than read as the first', () => {
    const code = [
      'def piece(event):',
      '    parts = event.get("path", "").split("/")',
      '    if len(parts) >= 4:',
      '        return parts[3]',
      '    return parts[1]',
      '',
      'def rule(event):',
      '    name = piece(event)',
      '    return name == "system"',
      '',
    ].join('\n');
    const rule = ruleWithModel(code, '', {});
    // Read as the piece at 3 alone, `a/system` (the piece at 1) would not fire; it does.
    assert.notEqual(fires(rule, { path: 'a/system' }), 'no');
    assert.notEqual(fires(rule, { path: 'a/b/c/system' }), 'no');
  });
});
