import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RawRule } from '../model/types.js';
import { analysisContextOf, queryInputsKey } from './analyse-rule.js';

const raw: RawRule = {
  nativeId: 'Shared.SourceIp',
  platform: 'panther',
  format: 'panther',
  language: 'python',
  name: 'Shared source ip',
  description: '',
  severity: 'low',
  type: 'rule',
  status: '',
  authors: [],
  references: [],
  tags: [],
  dataSources: ['Okta.SystemLog'],
  attackRaw: { tactics: [], techniques: [] },
  query: 'def rule(event):\n    return event.udm("source_ip") == "10.0.0.1"\n',
  declaredOutputs: [],
  declaredSources: ['logtype:Okta.SystemLog'],
  dataModel: { source_ip: ['client.ipAddress'] },
  extra: {},
  diagnostics: [],
};

test('the analysis context carries what the format knows: platform, declared sources, data model', () => {
  assert.deepEqual(analysisContextOf(raw), {
    platform: 'panther',
    declaredSources: ['logtype:Okta.SystemLog'],
    dataModel: { source_ip: ['client.ipAddress'] },
  });
  const { dataModel: _model, ...withoutModel } = raw;
  assert.deepEqual(analysisContextOf(withoutModel), { platform: 'panther', declaredSources: ['logtype:Okta.SystemLog'] });
});

test('queryInputsKey: a data-model change alone is a new key, so a sync does not reuse the stored analysis', () => {
  const key = queryInputsKey(raw);
  assert.equal(queryInputsKey({ ...raw, name: 'Renamed', dataModel: { source_ip: ['client.ipAddress'] } }), key);
  assert.notEqual(queryInputsKey({ ...raw, dataModel: { source_ip: ['request.ip'] } }), key);
  assert.notEqual(queryInputsKey({ ...raw, dataModel: undefined }), key);
});
