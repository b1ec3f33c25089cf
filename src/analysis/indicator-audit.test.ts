// The indicator audit (indicator-audit.data.ts): each audited rule's file analysed as a build
// analyses it, its indicators and events compared with the hand-checked answers; precision and
// recall of indicators and recall of events per language, printed on every run, each at least 95%
// (but for the floors below).
// Reads the shared corpus (../shared beside the checkout); Panther Python needs a panther-analysis
// checkout at the corpus's commit, named by RULEATLAS_PANTHER_ANALYSIS (skipped without it).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AttackCatalog } from '../attack/catalog.js';
import { analyseTask } from '../catalog/analyse-files.js';
import { prepareLanguages } from '../languages/registry.js';
import type { Rule } from '../model/types.js';
import { auditedRules, type AuditedRule } from './indicator-audit.data.js';

const corpus = fileURLToPath(new URL('../../../shared/corpus', import.meta.url));
const pantherAnalysis = process.env.RULEATLAS_PANTHER_ANALYSIS;
const skip = !existsSync(corpus) && !process.env.CI ? 'no ../shared corpus here' : false;

/** The audited rule as a build reads it: its file under its source's root, the rule by native id. */
function analysed(audited: AuditedRule): Rule | undefined {
  const python = audited.language === 'python';
  const [folder, ...rest] = audited.path.split('/');
  const root = python ? pantherAnalysis! : join(corpus, folder!);
  const path = python ? audited.path : rest.join('/');
  const { outcome } = analyseTask({ root, path, sourceName: root }, AttackCatalog.empty());
  assert.equal(outcome.kind, 'rules', `${audited.path}: ${JSON.stringify(outcome)}`);
  return outcome.kind === 'rules' ? outcome.rules.find((r) => r.nativeId === audited.nativeId) : undefined;
}

const indicatorText = (i: Rule['indicators'][number]) =>
  `${i.role ?? ''} ${i.negated ? 'not ' : ''}${i.field} ${i.op}${i.transform ? `[${i.transform}]` : ''} ${i.value}`;

/** Each once, without case (the answers spell values as written; the query may repeat one). */
const keyed = (items: string[]) => new Set(items.map((s) => s.toLowerCase()));

/** Languages below 95% for a known class of error, at their measured figure (none today). */
const floors: Record<string, number> = {};

interface Tally {
  expected: number;
  found: number;
  claimed: number;
  eventsExpected: number;
  eventsFound: number;
  misses: string[];
}

describe('indicator audit: hand-checked rules of every language', { skip }, () => {
  const tallies = new Map<string, Tally>();
  before(async () => {
    await prepareLanguages();
    for (const audited of auditedRules) {
      if (audited.language === 'python' && !pantherAnalysis) continue;
      const rule = analysed(audited);
      assert.ok(rule, `${audited.path}: no rule ${audited.nativeId}`);
      let tally = tallies.get(audited.language);
      if (!tally)
        tallies.set(audited.language, (tally = { expected: 0, found: 0, claimed: 0, eventsExpected: 0, eventsFound: 0, misses: [] }));
      const want = keyed(audited.indicators);
      const got = keyed(rule.indicators.map(indicatorText));
      tally.expected += want.size;
      tally.claimed += got.size;
      for (const w of want) if (got.has(w)) tally.found++;
      for (const w of want) if (!got.has(w)) tally.misses.push(`${audited.path}: missed ${w}`);
      for (const g of got) if (!want.has(g)) tally.misses.push(`${audited.path}: extra ${g}`);
      const events = keyed([
        ...rule.events.filter((e) => e.via === undefined).map((e) => `${e.provider}:${e.event}`),
        ...(rule.eventPatterns ?? []).map((p) => `${p.provider}:pattern ${p.op} ${p.value}`),
      ]);
      for (const e of keyed(audited.events)) {
        tally.eventsExpected++;
        if (events.has(e)) tally.eventsFound++;
        else tally.misses.push(`${audited.path}: missed event ${e}`);
      }
    }
  });

  test('indicator precision and recall and event recall are at least 95% in every language', (t) => {
    const failures: string[] = [];
    for (const [language, n] of tallies) {
      const precision = n.claimed ? n.found / n.claimed : 1;
      const recall = n.expected ? n.found / n.expected : 1;
      const events = n.eventsExpected ? n.eventsFound / n.eventsExpected : 1;
      const line = `${language}: precision ${n.found}/${n.claimed}, recall ${n.found}/${n.expected}, event recall ${n.eventsFound}/${n.eventsExpected}`;
      t.diagnostic(line);
      const floor = floors[language] ?? 0.95;
      if (precision < floor || recall < floor || events < floor) failures.push([line, ...n.misses].join('\n  '));
    }
    assert.deepEqual(failures, []);
  });
});
