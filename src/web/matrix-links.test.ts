// A matrix cell's count and the Explore list its link opens are the same rules, whatever tactic
// the cell is under and whatever the view's filters.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { makeRule } from '../model/rule-factory.js';
import type { Rule } from '../model/types.js';
import { openTestCatalog } from '../explore/test-catalog.js';
import { type RunningServer, startServer } from './server.js';

const privEsc = { id: 'TA0004', name: 'Privilege Escalation' };
const evasion = { id: 'TA0005', name: 'Defense Evasion' };

// T1134 sits under both tactics in ATT&CK; each rule files it under one. `paired` also names
// Defense Evasion (for T1140), so a list by technique and tactic would count it under both.
function rules(): Rule[] {
  return [
    makeRule({
      nativeId: 'paired',
      attack: {
        tactics: [privEsc, evasion],
        techniques: [
          { id: 'T1134', name: 'Access Token Manipulation', tactics: ['TA0004'] },
          { id: 'T1140', name: 'Deobfuscate/Decode Files or Information', tactics: ['TA0005'] },
        ],
      },
    }),
    makeRule({
      nativeId: 'evasion-only',
      platform: 'elastic',
      attack: { tactics: [evasion], techniques: [{ id: 'T1134.003', name: 'Make and Impersonate Token', tactics: ['TA0005'] }] },
    }),
    makeRule({
      nativeId: 'both',
      platform: 'sigma',
      attack: {
        tactics: [privEsc, evasion],
        techniques: [{ id: 'T1134.003', name: 'Make and Impersonate Token', tactics: ['TA0004', 'TA0005'] }],
      },
    }),
  ];
}

let fixture: ReturnType<typeof openTestCatalog>;
let server: RunningServer;
before(async () => {
  fixture = openTestCatalog(rules());
  server = await startServer(fixture.store, { port: 0, host: '127.0.0.1' });
});
after(async () => {
  await server.close();
  fixture.cleanup();
});

async function get(path: string): Promise<string> {
  const res = await fetch(new URL(path, server.url));
  assert.equal(res.status, 200, path);
  return res.text();
}

/** Each cell link of a matrix page: where it goes and the count it shows. */
function cellLinks(page: string): { href: string; count: number }[] {
  const out: { href: string; count: number }[] = [];
  for (const m of page.matchAll(/<a class="mx-link" href="([^"]*)"[^>]*>.*?<span class="mx-n">(\d+)<\/span><\/a>/g))
    out.push({ href: m[1]!.replaceAll('&amp;', '&'), count: Number(m[2]) });
  for (const m of page.matchAll(/<li><a href="([^"]*)" title="[^"]*: (\d+) rules?">/g))
    out.push({ href: m[1]!.replaceAll('&amp;', '&'), count: Number(m[2]) });
  return out;
}

for (const view of ['', '?platform=sentinel&platform=sigma', '?compare=sentinel,elastic,sigma', '?q=paired%20OR%20both'])
  test(`every matrix cell opens exactly the rules it counts (${view || 'all rules'})`, async () => {
    const links = cellLinks(await get(`/coverage/matrix${view}`));
    assert.ok(links.length >= 4, `${links.length} cell links`);
    for (const { href, count } of links) {
      const api = JSON.parse(await get(`/api/rules${href.slice(href.indexOf('?'))}`)) as { total: number };
      assert.equal(api.total, count, href);
    }
  });

test('T1134 counts one rule under each tactic here, and two in all', async () => {
  const page = await get('/coverage/matrix');
  const count = (tactic: string) => {
    const link = cellLinks(page).find(
      (l) => l.href.includes(`matrix%3A${tactic}%2FT1134&`) || l.href.endsWith(`matrix%3A${tactic}%2FT1134`),
    );
    return link?.count;
  };
  assert.equal(count('TA0004'), 2, 'paired (T1134) and both (T1134.003)');
  assert.equal(count('TA0005'), 2, 'evasion-only and both, not paired');
});
