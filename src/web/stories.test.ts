// Splunk analytic stories as entities over the coverage fixture plus ESCU detections naming stories: the index,
// a story's detections, techniques and coverage per platform (other platforms' rules for the same techniques),
// JSON, CSV, the layer, and the page in a browser.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Rule } from '../model/types.js';
import { type BrowserSession, noBrowser as noBrowserHere, serveInBrowser, watchPage } from './browser-harness.js';
import { openCoverageStore } from './coverage-fixture.js';
import { coverageTestServer } from './coverage-test-server.js';
import { fixtureRule, xss } from './fixture-catalog.js';
import type { RunningServer } from './server.js';

const escu = (nativeId: string, name: string, stories: string[], techniques: string[]): Rule =>
  fixtureRule({
    nativeId,
    platform: 'splunk',
    language: 'spl',
    name,
    tags: [...stories.map((s) => `Analytic Story: ${s}`), 'Asset Type: Endpoint'],
    attack: { tactics: [], techniques: techniques.map((id) => ({ id, name: id, tactics: [] })) },
  });

const detections = [
  escu('token-theft', 'Windows Token Impersonation', ['Credential Theft', `Evil ${xss}`], ['T1134']),
  escu('lsass-dump', 'LSASS Memory Dump', ['Credential Theft'], ['T1003']),
];

const web = coverageTestServer(detections);
const { get } = web;

interface StoryJson {
  id: string;
  name: string;
  techniques: { id: string; rules: Record<string, number>; total: number }[];
  coverage: Record<string, number>;
  detections: { id: string; name: string }[];
}

test("/api/stories and /api/stories/<id>: its detections, its techniques with every platform's rules, gaps first", async () => {
  const index = JSON.parse((await get('/api/stories')).text) as { id: string; name: string; techniques: number }[];
  assert.deepEqual(
    index.map((s) => [s.id, s.techniques]),
    [
      ['credential-theft', 2],
      ['evil-script-window-xss-1-alert-1-script-img-src-x-onerror-alert-1', 1],
    ],
  );
  const story = JSON.parse((await get('/api/stories/credential-theft')).text) as StoryJson;
  assert.equal(story.name, 'Credential Theft');
  assert.deepEqual(
    story.detections.map((d) => d.name),
    ['LSASS Memory Dump', 'Windows Token Impersonation'],
  );
  assert.deepEqual(
    story.techniques.map((t) => [t.id, t.rules]),
    [
      // Only the story's own Splunk detection covers T1003; T1134 has a Sentinel rule too.
      ['T1003', { splunk: 1 }],
      ['T1134', { sentinel: 1, splunk: 1 }],
    ],
  );
  assert.equal(story.coverage.sentinel, 0.5);
  // By name too, any case; filters apply as on the other threat views.
  assert.equal((JSON.parse((await get('/api/stories/CREDENTIAL%20THEFT')).text) as StoryJson).id, 'credential-theft');
  const sentinelOnly = JSON.parse((await get('/api/stories/credential-theft?platform=sentinel')).text) as StoryJson;
  assert.deepEqual(
    sentinelOnly.techniques.map((t) => [t.id, t.total]),
    [
      ['T1003', 0],
      ['T1134', 1],
    ],
  );
  assert.match((await get('/api/stories/credential-theft?format=csv')).text, /^technique,techniqueName,[^\r]*\r\nT1003,/);
  const layer = JSON.parse((await get('/api/stories/credential-theft/layer')).text) as { versions: { layer: string } };
  assert.equal(layer.versions.layer, '4.5');
  assert.equal((await get('/stories/no-such-story')).res.status, 404);
});

test('Explore: the Story facet lists the stories the detections name, story= keeps their detections', async () => {
  type Rules = { total: number; items: { name: string }[]; facets: { story?: { value: string; count: number }[] } };
  const all = JSON.parse((await get('/api/rules')).text) as Rules;
  assert.deepEqual(all.facets.story, [
    { value: 'Credential Theft', count: 2 },
    { value: `Evil ${xss}`, count: 1 },
  ]);
  const theft = JSON.parse((await get(`/api/rules?story=${encodeURIComponent('Credential Theft')}`)).text) as Rules;
  assert.deepEqual(theft.items.map((r) => r.name).sort(), ['LSASS Memory Dump', 'Windows Token Impersonation']);
  const evil = JSON.parse((await get(`/api/rules?story=${encodeURIComponent(`Evil ${xss}`)}`)).text) as Rules;
  assert.deepEqual(
    evil.items.map((r) => r.name),
    ['Windows Token Impersonation'],
  );
  // The facet as Explore shows it: escaped, and its link filters by the story.
  const { text } = await get(`/?story=${encodeURIComponent('Credential Theft')}`);
  assert.match(text, /Story/);
  assert.match(text, /story=Credential\+Theft/);
  assert.ok(!text.includes(xss));
});

test('story pages escape what the detections name', async () => {
  for (const path of [
    '/stories',
    '/stories/credential-theft',
    '/stories/evil-script-window-xss-1-alert-1-script-img-src-x-onerror-alert-1',
  ]) {
    const { res, text } = await get(path);
    assert.equal(res.status, 200, path);
    assert.ok(!text.includes(xss), path);
  }
});

describe('browser: Splunk stories', { skip: noBrowserHere('story browser tests') }, () => {
  let session: BrowserSession;
  let browser: Browser;
  let served: RunningServer;

  before(async () => {
    const own = openCoverageStore(undefined, detections);
    session = await serveInBrowser(own.store, own.cleanup);
    ({ server: served, browser } = session);
  });

  after(async () => {
    await session?.close();
  });

  test('from the tab to a story: its detections, its techniques gaps first, on to a detection', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watchPage(page);
    await page.goto(new URL('/actors', served.url).href);
    await Promise.all([page.waitForURL(/\/stories$/), page.locator('.tabs a', { hasText: 'Splunk stories' }).click()]);
    await Promise.all([
      page.waitForURL(/\/stories\/credential-theft$/),
      page.getByRole('link', { name: 'Credential Theft', exact: true }).click(),
    ]);
    const rows = page.locator('.threat-techniques tbody tr');
    assert.equal(await rows.count(), 2);
    assert.equal(await rows.first().getAttribute('class'), null, 'its own detection covers T1003');
    assert.match(await rows.nth(1).innerText(), /T1134[\s\S]*Detections: Windows Token Impersonation/);
    await page.locator('.story-detections summary').click();
    await Promise.all([page.waitForURL(/\/rules\//), page.getByRole('link', { name: 'LSASS Memory Dump' }).click()]);
    assert.deepEqual(seen.errors, []);
    assert.deepEqual(seen.dialogs, []);
    await page.close();
  });
});
