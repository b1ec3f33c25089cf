// One suite every registered language runs: sound analyses of hostile input in bounded time, an
// invalid query reported at a line and column, and golden fixtures (`<id>/fixtures/*.query`)
// compared with the snapshot beside each. `UPDATE_SNAPSHOTS=1 node --test
// dist/languages/conformance.test.js` writes the snapshots into src/.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { analyseQuery, languages, prepareLanguages } from './registry.js';
import { LanguageProbe, type ProbeOutcome } from './probe.js';
import { orphanSnapshots, readFixtures, snapshotOf, updatingSnapshots, writeSnapshot } from './snapshots.js';
import { testContext, analysisProblems } from './test-support.js';

const garbage = [')(*&^', '| | |', '"unterminated', "'", '"""', '`', '\\', '\u0000\uffff', '{{{ ]]] )))'];
garbage.push('ünïcödé ✓ 🛡️ 日本', 'let = ;', 'a:', 'a ==== 1');
/** 1 MiB of short words: a long flat query, no nesting. */
const oneMegabyte = 'x '.repeat(512 * 1024);
const depth = 50_000;
const nested = ['(', '[', '{'].map((open) => open.repeat(depth) + 'a' + { '(': ')', '[': ']', '{': '}' }[open]!.repeat(depth));

/** Time budgets (on a shared 2-core machine the slowest sound analysers, Lucene, Python and SPL, take 2-7 s over 1 MiB). */
const budgetMs = { small: 5_000, large: 15_000 };

/** Probes a language is known to fail; each is still run (stopped at its budget) and marked todo. */
const knownFailures: Record<string, Partial<Record<'large' | 'nested', string>>> = {};

function assertSound(outcome: ProbeOutcome | 'timeout', what: string, budget: number): void {
  assert.notEqual(outcome, 'timeout', `${what}: no analysis within ${budget} ms`);
  const o = outcome as ProbeOutcome;
  assert.deepEqual(o.problems, [], `${what}: ${JSON.stringify(o.diagnostics)}`);
}

before(() => prepareLanguages());

// One language at a time: probes are CPU-bound and the machines running the suite are small.
describe('language conformance', () => {
  for (const language of languages) {
    describe(`${language.name} (${language.id})`, () => {
      const known = knownFailures[language.id] ?? {};
      const fixtures = readFixtures(language.id);
      const probe = new LanguageProbe(language.id, fixtures.find((f) => !f.invalid)?.query ?? '');
      after(() => probe.stop());
      // A probe known to fail runs with the short budget: it still shows whether the fault is there.
      const largeBudget = known.large ? budgetMs.small : budgetMs.large;

      it('analyses empty, whitespace-only and garbage queries soundly', async () => {
        for (const query of ['', ' \n\t \r\n ', ...garbage]) {
          assertSound(await probe.analyse(query, budgetMs.small), JSON.stringify(query), budgetMs.small);
        }
      });

      it('analyses a 1 MiB query soundly in bounded time', { todo: known.large }, async () => {
        assertSound(await probe.analyse(oneMegabyte, largeBudget), '1 MiB of words', largeBudget);
      });

      it(`analyses ${depth} levels of nesting soundly in bounded time`, { todo: known.nested }, async () => {
        for (const query of nested) assertSound(await probe.analyse(query, budgetMs.small), `nested ${query[0]}`, budgetMs.small);
      });

      it('analyses every prefix of its fixtures soundly', async () => {
        for (const fixture of fixtures) {
          for (let end = 0; end < fixture.query.length; end += 5) {
            const prefix = fixture.query.slice(0, end);
            assert.deepEqual(
              analysisProblems(analyseQuery(language.id, prefix, testContext)),
              [],
              `${fixture.name} up to ${end}: ${JSON.stringify(prefix)}`,
            );
          }
        }
      });

      it('has golden fixtures: at least four, one of them invalid, no snapshot without its fixture', () => {
        assert.ok(fixtures.length >= 4, `${fixtures.length} fixtures in ${language.id}/fixtures`);
        assert.ok(
          fixtures.some((f) => f.invalid),
          'no error-*.query fixture',
        );
        assert.deepEqual(orphanSnapshots(language.id), []);
      });

      it('reports an invalid query as not parsed, with an error at a line and column', () => {
        for (const fixture of fixtures.filter((f) => f.invalid)) {
          const analysis = analyseQuery(language.id, fixture.query, testContext);
          assert.equal(analysis.parsed, false, fixture.name);
          const error = analysis.diagnostics.find((d) => d.severity === 'error');
          assert.ok(error, `${fixture.name}: no error diagnostic`);
          assert.ok(
            Number.isInteger(error.line) && Number.isInteger(error.column),
            `${fixture.name}: no position in ${JSON.stringify(error)}`,
          );
        }
      });

      for (const fixture of fixtures) {
        it(`fixture ${fixture.name} matches its snapshot`, () => {
          const analysis = analyseQuery(language.id, fixture.query, testContext);
          assert.deepEqual(analysisProblems(analysis), []);
          if (!fixture.invalid) assert.equal(analysis.parsed, true, `does not parse: ${JSON.stringify(analysis.diagnostics)}`);
          const actual = snapshotOf(analysis);
          if (updatingSnapshots) return writeSnapshot(fixture.snapshotPath, actual);
          assert.ok(
            fixture.snapshot !== undefined,
            'no snapshot: run UPDATE_SNAPSHOTS=1 node --test dist/languages/conformance.test.js, then build again',
          );
          assert.deepEqual(actual, fixture.snapshot);
        });
      }
    });
  }
});
