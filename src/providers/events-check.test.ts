// Precision and recall of provider events over five hand-checked lists (events-check.data.ts,
// events-check-2.data.ts ... events-check-5.data.ts, each of events the others lack), on a catalog of the shared corpus (../shared beside the checkout, as in CI). Each
// list must reach 95% on its own.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { captureOutput } from '../cli/capture-output.js';
import { main } from '../cli/main.js';
import { checkedEvents, type CheckedEvent } from './events-check.data.js';
import { checkedEvents as secondList } from './events-check-2.data.js';
import { checkedEvents as thirdList } from './events-check-3.data.js';
import { checkedEvents as fourthList } from './events-check-4.data.js';
import { checkedEvents as fifthList } from './events-check-5.data.js';
import { normaliseEvent } from '../analysis/events.js';
import { platformInfo } from '../platforms/registry.js';
import { CatalogStore } from '../store/read.js';
import { providers } from './registry.js';

const corpus = fileURLToPath(new URL('../../../shared/corpus', import.meta.url));
const skip = !existsSync(corpus) && !process.env.CI ? 'no ../shared corpus here' : false;
// The pattern vocabulary is corpus-wide, so every platform is built, not only the listed files.
const sources = ['sentinel', 'elastic', 'sigma', 'splunk', 'chronicle', 'panther', 'kql-community'];

describe('provider events against the hand-checked list', { skip }, () => {
  const work = mkdtempSync(join(tmpdir(), 'ruleatlas-events-'));
  const dbPath = join(work, 'catalog.db');
  const found = new Map<string, Set<string>>();
  let store: CatalogStore | undefined;
  before(async () => {
    const io = captureOutput();
    const code = await main(['build', ...sources.flatMap((s) => ['--source', join(corpus, s)]), '--db', dbPath, '--json'], io);
    assert.equal(code, 0, io.stderr);
    const db = new Database(dbPath, { readonly: true });
    const rows = db.prepare(
      'SELECT r.source_name AS source, r.path AS path FROM events e JOIN rules r ON r.rowid = e.rule WHERE r.current = 1 AND e.provider = ? AND lower(e.event) = lower(?)',
    );
    for (const c of [...checkedEvents, ...secondList, ...thirdList, ...fourthList, ...fifthList]) {
      found.set(
        `${c.provider}/${c.event}`,
        new Set((rows.all(c.provider, c.event) as { source: string; path: string }[]).map((r) => `${r.source}/${r.path}`)),
      );
    }
    db.close();
    store = CatalogStore.open(dbPath);
  });
  after(() => {
    store?.close();
    rmSync(work, { recursive: true, force: true });
  });

  const measure = (list: CheckedEvent[], t: TestContext) => {
    let expected = 0;
    let hits = 0;
    let claimed = 0;
    const lines: string[] = [];
    for (const c of list) {
      const got = found.get(`${c.provider}/${c.event}`)!;
      const want = new Set(c.rules);
      const tp = [...want].filter((r) => got.has(r)).length;
      expected += want.size;
      hits += tp;
      claimed += got.size;
      lines.push(`${c.provider}/${c.event}: recall ${tp}/${want.size}, precision ${tp}/${got.size}`);
      for (const r of want) if (!got.has(r)) lines.push(`  missed ${r}`);
      for (const r of got) if (!want.has(r)) lines.push(`  extra ${r}`);
    }
    const report = lines.join('\n');
    // The figures, shown on every run (the closing notes quote them).
    t.diagnostic(`recall ${hits}/${expected}, precision ${hits}/${claimed}`);
    assert.ok(hits / expected >= 0.95, `recall ${hits}/${expected}\n${report}`);
    assert.ok(hits / claimed >= 0.95, `precision ${hits}/${claimed}\n${report}`);
  };

  test('recall and precision are at least 95% over the first list', (t) => measure(checkedEvents, t));

  test('recall and precision are at least 95% over the second list, of other events', (t) => {
    const first = new Set(checkedEvents.map((c) => `${c.provider}/${c.event.toLowerCase()}`));
    assert.deepEqual(
      secondList.filter((c) => first.has(`${c.provider}/${c.event.toLowerCase()}`)),
      [],
    );
    assert.ok(secondList.length >= 20);
    measure(secondList, t);
  });

  test('recall and precision are at least 95% over the third list, of events neither other list holds', (t) => {
    const earlier = new Set([...checkedEvents, ...secondList].map((c) => `${c.provider}/${c.event.toLowerCase()}`));
    assert.deepEqual(
      thirdList.filter((c) => earlier.has(`${c.provider}/${c.event.toLowerCase()}`)),
      [],
    );
    assert.ok(thirdList.length >= 25);
    assert.ok(new Set(thirdList.map((c) => c.provider)).size >= 15);
    measure(thirdList, t);
  });

  test('recall and precision are at least 95% over the fourth list, of events no other list holds, on every platform', (t) => {
    const earlier = new Set([...checkedEvents, ...secondList, ...thirdList].map((c) => `${c.provider}/${c.event.toLowerCase()}`));
    assert.deepEqual(
      fourthList.filter((c) => earlier.has(`${c.provider}/${c.event.toLowerCase()}`)),
      [],
    );
    assert.ok(fourthList.length >= 25);
    assert.deepEqual(new Set(fourthList.flatMap((c) => c.rules.map((r) => r.split('/')[0]))), new Set(sources));
    measure(fourthList, t);
  });

  test('recall and precision are at least 95% over the fifth list, of events no other list holds, on every platform', (t) => {
    const earlier = new Set(
      [...checkedEvents, ...secondList, ...thirdList, ...fourthList].map((c) => `${c.provider}/${c.event.toLowerCase()}`),
    );
    assert.deepEqual(
      fifthList.filter((c) => earlier.has(`${c.provider}/${c.event.toLowerCase()}`)),
      [],
    );
    assert.ok(fifthList.length >= 20);
    assert.deepEqual(new Set(fifthList.flatMap((c) => c.rules.map((r) => r.split('/')[0]))), new Set(sources));
    measure(fifthList, t);
  });

  test("an event named on two or more platforms by its provider's event field is one canonical indicator on all of them", () => {
    // provider/event -> platform -> whether each of its rules naming it carries the canonical indicator
    const named = new Map<string, Map<string, { rules: number; linked: number; example: string }>>();
    const byId = new Map(providers.map((p) => [p.id, p]));
    for (const rule of store!.rules) {
      if (rule.removed || (rule.duplicates && !rule.duplicates.newest)) continue;
      const schema = platformInfo(rule.platform)?.schema ?? rule.platform;
      for (const event of rule.events) {
        if (event.via) continue;
        const provider = byId.get(event.provider)!;
        const fields = new Set((provider.selectors[schema] ?? []).flatMap((s) => s.eventFields.map((f) => f.toLowerCase())));
        const name = normaliseEvent(provider, event.event).toLowerCase();
        const naming = rule.indicators.filter(
          (i) =>
            !i.negated && i.op === 'eq' && fields.has(i.field.toLowerCase()) && normaliseEvent(provider, i.value).toLowerCase() === name,
        );
        if (!naming.length) continue; // named by a term (`has`), an alias, composed fields, or implied by the log
        const key = `${event.provider}/${name}`;
        const platforms = named.get(key) ?? new Map<string, { rules: number; linked: number; example: string }>();
        named.set(key, platforms);
        const entry = platforms.get(rule.platform) ?? { rules: 0, linked: 0, example: '' };
        platforms.set(rule.platform, entry);
        entry.rules++;
        const linked = naming.some(
          (i) =>
            (i.canonical?.field === 'event.action' || i.canonical?.field === 'event.code') &&
            i.canonical.op === 'eq' &&
            i.canonical.value === name.trim(),
        );
        if (linked) entry.linked++;
        else
          entry.example ||= `${rule.id}: ${naming.map((i) => `${i.field} ${i.op} ${i.value} -> ${i.canonical ? `${i.canonical.field} ${i.canonical.op} ${i.canonical.value}` : 'none'}`).join(', ')}`;
      }
    }
    const unlinked: string[] = [];
    let events = 0;
    for (const [key, platforms] of named) {
      if (platforms.size < 2) continue;
      events++;
      for (const [platform, e] of platforms)
        if (e.linked < e.rules) unlinked.push(`${key} on ${platform}: ${e.rules - e.linked} of ${e.rules}, e.g. ${e.example}`);
    }
    assert.ok(events >= 300, `${events} provider events are named on two or more platforms`);
    assert.deepEqual(unlinked, []);
  });
});
