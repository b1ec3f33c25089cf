import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { correlationsOf, indicatorsOf } from '../../analysis/indicators.js';
import { openTestCatalog } from '../../explore/test-catalog.js';
import { testContext } from '../../languages/test-support.js';
import { analyseQuery, prepareLanguages } from '../../languages/registry.js';
import { fixtureRule } from '../fixture-catalog.js';
import { type RunningServer, startServer } from '../server.js';
import { escapeHtml } from '../html.js';
import { indicatorFilter } from '../../explore/search-fields.js';
import { indicatorsSection } from './rule-indicators.js';

const query = `T
| where A =~ "a" and (B =~ "b1" or (B =~ "b2" and G in~ ("g1", "g2"))) and not(C =~ "c" and D =~ "d") and E !~ "e"
| join kind=inner (U | where F =~ "f") on K`;

let fixture: ReturnType<typeof openTestCatalog>;
let server: RunningServer;
let page: string;

before(async () => {
  await prepareLanguages(['kql']);
  const analysis = analyseQuery('kql', query, testContext);
  const rule = fixtureRule({
    nativeId: 'roles',
    name: 'Roles',
    query,
    stages: analysis.stages,
    indicators: indicatorsOf(analysis.stages),
    correlations: correlationsOf(analysis.stages),
  });
  fixture = openTestCatalog([rule]);
  server = await startServer(fixture.store, { port: 0, host: '127.0.0.1' });
  page = await (await fetch(new URL(`/rules/${encodeURIComponent(rule.id)}`, server.url))).text();
});

after(async () => {
  await server.close();
  fixture.cleanup();
});

/** A cell's text as a browser reads it: the entities the pages write for dashes and arrows decoded. */
const named: Record<string, string> = { mdash: '\u2014', rsaquo: '\u203a' };
function textOf(markup: string): string {
  return markup.replace(/&(#\d+|\w+);/g, (whole, name: string) =>
    name.startsWith('#') ? String.fromCodePoint(Number(name.slice(1))) : (named[name] ?? whole),
  );
}

/** The indicator table's rows, markup dropped, cells joined by `|`. */
function rows(): string[] {
  const table = /<table class="grid indicators">([\s\S]*?)<\/table>/.exec(page)?.[1] ?? '';
  return [...table.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((m) =>
    m[1]!
      .split(/<\/t[dh]>/)
      .map((cell) => textOf(cell.replace(/<[^>]+>/g, '')).trim())
      .filter(Boolean)
      .join('|'),
  );
}

test('the rule page shows required values, exclusions alone, "one of" groups and groups excluded together apart', () => {
  assert.match(page, /2 required · 1 excluded alone · 1 &quot;one of&quot; group · 1 group excluded together · 1 correlation/);
  assert.deepEqual(rows().slice(1), [
    'required|A|eq|a|0|—|—',
    'required|F|eq|f|0|—|—',
    'exclusion|E|not eq|e|0|—|—',
    'One of #1: the rule matches when any one branch holds',
    'alternative branch 1|B|eq|b1|0|—|—',
    'alternative branch 2|B|eq|b2|0|—|—',
    // A group nested in a branch is named in the role column.
    'alternative branch 2 › one of #2, branch 1|G|eq|g1|0|—|—',
    'alternative branch 2 › one of #2, branch 2|G|eq|g2|0|—|—',
    'Excluded together #3: the rule does not match when all of its members hold (each alone is not excluded)',
    // Read positively under their heading: the pair is excluded, not each.
    'exclusion member 1|C|eq|c|0|—|—',
    'exclusion member 2|D|eq|d|0|—|—',
  ]);
  // Correlations keep their own section: a join key is no indicator.
  assert.match(page, /<section class="card" id="correlations"[\s\S]*<code>K<\/code><\/td><td>join key<\/td>/);
});

test('a count links to Explore by the URL URLSearchParams writes, whatever the id and value hold', () => {
  // Characters where encodeURIComponent and the form encoding differ, quotes, markup, wide and lone surrogate characters.
  const values = ["a b!'()~*-._", '<x y="1">&amp;', 'caf\u00e9 \u{1f600}', 'lone \ud800 half', '%2F+|'];
  const rule = fixtureRule({ nativeId: "id with 'quotes' & spaces/\u00e9" });
  const indicators = values.map((value) => ({
    field: 'F f',
    op: 'eq' as const,
    value,
    negated: false,
    caseSensitive: false,
    role: 'required' as const,
    corpusCount: 2,
    canonical: { field: 'process.name', op: 'eq' as const, value: `${value}!`, negated: false, corpusCount: 3 },
  }));
  const section = indicatorsSection({ ...rule, indicators }).toString();
  const hrefs = [...section.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1]);
  const expected = indicators.flatMap((ind) =>
    (
      [
        ['indicator', indicatorFilter(ind)],
        ['canonical', indicatorFilter(ind.canonical)],
      ] as const
    ).map(([kind, key]) => escapeHtml(`/?${new URLSearchParams({ q: `-id:"${rule.id}"`, [kind]: key }).toString()}`)),
  );
  assert.deepEqual(hrefs, expected);
});
