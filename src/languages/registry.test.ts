import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { predicatesOf } from '../model/predicates.js';
import type { AnalysisContext, QueryAnalysis } from '../model/types.js';
import { contextDigest } from './context-digest.js';
import { analyseQuery, prepareLanguages } from './registry.js';

before(async () => {
  await prepareLanguages(['python']);
});

const source = `def rule(event):
    return event.udm("source_ip") == "10.0.0.1"
`;
const okta: AnalysisContext = {
  platform: 'panther',
  declaredSources: ['logtype:Okta.SystemLog'],
  dataModel: { source_ip: ['client.ipAddress'] },
};
const alb: AnalysisContext = { platform: 'panther', declaredSources: ['logtype:AWS.ALB'], dataModel: { source_ip: ['clientIp'] } };

const fields = (a: QueryAnalysis) => predicatesOf(a.stages.find((s) => s.kind === 'rule')?.condition).map((p) => p.field);

test('the same text under two contexts is two analyses, in either order', () => {
  assert.deepEqual(fields(analyseQuery('python', source, okta)), ['client.ipAddress']);
  assert.deepEqual(fields(analyseQuery('python', source, alb)), ['clientIp']);
  assert.deepEqual(fields(analyseQuery('python', source, okta)), ['client.ipAddress']);
  assert.deepEqual(fields(analyseQuery('python', source, { platform: 'panther', declaredSources: [] })), ['udm:source_ip']);
});

test('the same text under an equal context is parsed once, however its keys were written', () => {
  const first = analyseQuery('python', source, alb);
  const reordered: AnalysisContext = { dataModel: { source_ip: ['clientIp'] }, declaredSources: ['logtype:AWS.ALB'], platform: 'panther' };
  assert.equal(analyseQuery('python', source, reordered), first);
});

test('a language that reads none of the context parses a text once, under any context', () => {
  const query = 'process where process.name == "certutil.exe"';
  const first = analyseQuery('eql', query, { platform: 'elastic', declaredSources: ['logs-endpoint.events.*'] });
  assert.equal(analyseQuery('eql', query, { platform: 'sigma', declaredSources: [] }), first);
  // Python reads only the data model: other parts of the context do not make a second entry.
  assert.equal(analyseQuery('python', source, { ...alb, platform: 'other', declaredSources: [] }), analyseQuery('python', source, alb));
});

test('context digest: stable under key order, moved by any part of the context', () => {
  const table = { source_ip: ['a'], user_agent: ['b'] };
  const base: AnalysisContext = { platform: 'panther', declaredSources: ['logtype:X'], dataModel: table };
  const digest = contextDigest(base);
  assert.match(digest, /^[0-9a-f]{40}$/);
  assert.equal(
    contextDigest({ dataModel: { user_agent: ['b'], source_ip: ['a'] }, declaredSources: ['logtype:X'], platform: 'panther' }),
    digest,
  );
  const others: AnalysisContext[] = [
    { ...base, platform: 'sentinel' },
    { ...base, declaredSources: ['logtype:Y'] },
    { ...base, dataModel: { ...table, source_ip: ['c'] } },
    // The order of a name's fields is the order of its or-ed predicates.
    { ...base, dataModel: { ...table, source_ip: ['a', 'c'] } },
    { ...base, dataModel: { ...table, source_ip: ['c', 'a'] } },
    { platform: 'panther', declaredSources: ['logtype:X'] },
  ];
  assert.equal(new Set([digest, ...others.map(contextDigest)]).size, others.length + 1);
});
