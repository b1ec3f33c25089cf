import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AnalysisContext } from '../model/types.js';
import { failedAnalysis, parserCrash } from './failure.js';

const context: AnalysisContext = { platform: 'elastic', declaredSources: [] };

test('a parser crash is a diagnostic: too deep, or an internal error naming the language', () => {
  assert.equal(parserCrash(new RangeError('Maximum call stack size exceeded'), 'EQL').message, 'query is nested too deeply to analyse');
  assert.equal(parserCrash(new RangeError('x'), 'YARA-L', 'rule').message, 'rule is nested too deeply to analyse');
  assert.equal(parserCrash(new TypeError('boom'), 'SPL').message, 'internal SPL parser error: boom');
  const analysis = failedAnalysis(parserCrash('odd', 'ES|QL'));
  assert.equal(analysis.parsed, false);
  assert.deepEqual(analysis.diagnostics, [{ message: 'internal ES|QL parser error: odd', severity: 'error', scope: 'query' }]);
  assert.deepEqual([analysis.stages, analysis.outputFields, analysis.sources], [[], [], []]);
});

test('a deeply nested EQL query is kept with that diagnostic, not thrown', async () => {
  const { eql } = await import('./eql/index.js');
  const deep = `process where ${'('.repeat(20000)}a == 1${')'.repeat(20000)}`;
  const analysis = eql.analyse(deep, context);
  assert.equal(analysis.parsed, false);
  assert.ok(analysis.diagnostics.length >= 1);
});
