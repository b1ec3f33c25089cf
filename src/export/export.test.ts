import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { captureOutput } from '../cli/capture-output.js';
import { main } from '../cli/main.js';
import { ruleJson } from '../model/rule-json.js';
import { parseExploreQuery } from '../explore/explore.js';
import type { Rule } from '../model/types.js';
import { CatalogStore } from '../store/read.js';
import { writeCatalog } from '../store/writer.js';
import { fixtureReport, fixtureRule } from '../web/fixture-catalog.js';
import { type RunningServer, startServer } from '../web/server.js';
import { csvCell } from './csv.js';
import { exportRules } from './export.js';
import type { NavigatorLayer } from './navigator.js';

const pe = { id: 'TA0004', name: 'Privilege Escalation' };
const de = { id: 'TA0005', name: 'Defense Evasion' };

function rules(): Rule[] {
  return [
    fixtureRule({
      nativeId: 'quoted',
      name: 'Evil, "quoted" name',
      attack: {
        tactics: [pe, de],
        techniques: [
          { id: 'T1134', name: 'Access Token Manipulation', tactics: ['TA0004'] },
          { id: 'T1078', name: 'Valid Accounts', tactics: ['TA0005'] },
        ],
      },
      events: [{ provider: 'okta', event: 'user.session.start' }],
    }),
    fixtureRule({
      nativeId: 'formula',
      name: '=cmd|/c calc!A1',
      attack: { tactics: [pe], techniques: [{ id: 'T1134', name: 'Access Token Manipulation', tactics: ['TA0004'] }] },
    }),
    fixtureRule({
      nativeId: 'cloud',
      platform: 'elastic',
      name: 'Cloud accounts',
      attack: {
        tactics: [pe, de],
        techniques: [{ id: 'T1078.004', name: 'Valid Accounts: Cloud Accounts', tactics: ['TA0004', 'TA0005'] }],
      },
    }),
    fixtureRule({ nativeId: 'plain', platform: 'elastic', name: 'Plain rule', description: 'finds the needle' }),
  ];
}

let dir: string;
let db: string;
let store: CatalogStore;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'ruleatlas-export-'));
  db = join(dir, 'catalog.db');
  writeCatalog(db, rules(), fixtureReport(rules()));
  store = CatalogStore.open(db);
});

after(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const query = (search = '') => parseExploreQuery(new URLSearchParams(search));
const byId = (a: { id?: string }, b: { id?: string }) => ((a.id ?? '') < (b.id ?? '') ? -1 : 1);

/** Parse RFC 4180 CSV (quoted fields, doubled quotes, CRLF rows). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

test('json export is ruleJson of every matching rule', () => {
  const out = JSON.parse(exportRules(store, query(), 'json').body) as Partial<Rule>[];
  const expected = JSON.parse(JSON.stringify(store.rules.map((r) => ruleJson(r)))) as Partial<Rule>[];
  assert.deepEqual(out.sort(byId), expected.sort(byId));
  assert.ok(out.every((r) => typeof r.path === 'string' && Array.isArray(r.events)));
});

test('csv export: header, one row per rule, quoting and formula neutralising', () => {
  const result = exportRules(store, query(), 'csv');
  assert.equal(result.contentType, 'text/csv; charset=utf-8');
  assert.ok(result.body.includes('"Evil, ""quoted"" name"'));
  const rows = parseCsv(result.body);
  assert.deepEqual(rows[0], [
    'id',
    'nativeId',
    'platform',
    'language',
    'name',
    'severity',
    'type',
    'status',
    'path',
    'tactics',
    'techniques',
    'events',
    'created',
    'updated',
  ]);
  assert.equal(rows.length, 1 + store.rules.length);
  const quoted = rows.find((r) => r[1] === 'quoted')!;
  assert.equal(quoted[4], 'Evil, "quoted" name');
  assert.equal(quoted[9], 'TA0004;TA0005');
  assert.equal(quoted[10], 'T1134;T1078');
  assert.equal(quoted[11], 'okta/user.session.start');
  assert.equal(rows.find((r) => r[1] === 'formula')![4], "'=cmd|/c calc!A1");
  for (const lead of ['=', '+', '-', '@', '\t', '\r'])
    assert.ok(csvCell(`${lead}x`).replace(/^"/, '').startsWith("'"), JSON.stringify(lead));
  assert.equal(csvCell('a\nb'), '"a\nb"');
  assert.equal(csvCell('plain'), 'plain');
});

/** Structural check of an ATT&CK Navigator layer, format 4.5. */
function validateLayer(layer: unknown): string[] {
  const errors: string[] = [];
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObj(layer)) return ['layer is not an object'];
  if (typeof layer.name !== 'string') errors.push('name');
  if (layer.domain !== 'enterprise-attack') errors.push('domain');
  if (typeof layer.description !== 'string') errors.push('description');
  const v = layer.versions;
  if (!isObj(v) || v.layer !== '4.5' || typeof v.attack !== 'string' || typeof v.navigator !== 'string') errors.push('versions');
  for (const key of ['showTacticRowBackground', 'selectTechniquesAcrossTactics', 'hideDisabled'])
    if (typeof layer[key] !== 'boolean') errors.push(key);
  if (!Array.isArray(layer.legendItems)) errors.push('legendItems');
  const g = layer.gradient;
  if (!isObj(g) || !Array.isArray(g.colors) || typeof g.minValue !== 'number' || typeof g.maxValue !== 'number' || g.minValue > g.maxValue)
    errors.push('gradient');
  if (!Array.isArray(layer.techniques)) return [...errors, 'techniques'];
  for (const t of layer.techniques as unknown[]) {
    if (!isObj(t) || typeof t.techniqueID !== 'string' || !/^T\d{4}(\.\d{3})?$/.test(t.techniqueID))
      errors.push(`techniqueID ${JSON.stringify(t)}`);
    else {
      if (typeof t.score !== 'number') errors.push(`${t.techniqueID} score`);
      if (t.tactic !== undefined && (typeof t.tactic !== 'string' || !/^[a-z-]+$/.test(t.tactic))) errors.push(`${t.techniqueID} tactic`);
      if (t.enabled !== true || typeof t.comment !== 'string') errors.push(`${t.techniqueID} enabled/comment`);
      if (!Array.isArray(t.metadata) || !Array.isArray(t.links)) errors.push(`${t.techniqueID} metadata/links`);
      for (const l of (t.links as unknown[]) ?? [])
        if (!isObj(l) || typeof l.label !== 'string' || typeof l.url !== 'string') errors.push(`${t.techniqueID} link`);
    }
  }
  return errors;
}

test('navigator layer is a valid 4.5 layer whose scores count the rules per technique and tactic', () => {
  const layer = JSON.parse(exportRules(store, query(), 'navigator').body) as {
    techniques: { techniqueID: string; tactic?: string; score: number; comment: string; links: { url: string }[] }[];
    gradient: { maxValue: number };
  };
  assert.deepEqual(validateLayer(layer), []);
  const expected = new Map<string, number>();
  for (const rule of rules())
    for (const t of rule.attack.techniques)
      for (const tacticId of t.tactics) {
        const key = `${t.id}|${rule.attack.tactics
          .find((x) => x.id === tacticId)!
          .name.toLowerCase()
          .replaceAll(' ', '-')}`;
        expected.set(key, (expected.get(key) ?? 0) + 1);
      }
  const got = new Map(layer.techniques.map((t) => [`${t.techniqueID}|${t.tactic}`, t.score]));
  assert.deepEqual(got, expected);
  assert.equal(got.get('T1134|privilege-escalation'), 2);
  assert.equal(layer.gradient.maxValue, 2);
  const t1134 = layer.techniques.find((t) => t.techniqueID === 'T1134')!;
  assert.match(t1134.comment, /Evil, "quoted" name/);
  assert.ok(t1134.links.some((l) => l.url === `/rules/${encodeURIComponent('sentinel:formula')}`));
  const absolute = JSON.parse(exportRules(store, query(), 'navigator', { baseUrl: 'https://atlas.example/' }).body) as typeof layer;
  assert.ok(absolute.techniques[0]!.links[0]!.url.startsWith('https://atlas.example/rules/'));
});

test('exports apply the Explore filters and search', () => {
  const elastic = JSON.parse(exportRules(store, query('platform=elastic'), 'json').body) as Rule[];
  assert.deepEqual(elastic.map((r) => r.nativeId).sort(), ['cloud', 'plain']);
  const needle = JSON.parse(exportRules(store, query('q=needle'), 'json').body) as Rule[];
  assert.deepEqual(
    needle.map((r) => r.nativeId),
    ['plain'],
  );
  const event = parseCsv(exportRules(store, query('event=okta/user.session.start'), 'csv').body);
  assert.equal(event.length, 2);
  const layer = JSON.parse(exportRules(store, query('platform=sentinel'), 'navigator').body) as {
    techniques: { techniqueID: string; score: number }[];
  };
  assert.deepEqual(
    layer.techniques.map((t) => [t.techniqueID, t.score]),
    [
      ['T1078', 1],
      ['T1134', 2],
    ],
  );
});

test('ruleatlas export writes a filtered export to stdout or --output', async () => {
  const io = captureOutput();
  assert.equal(await main(['export', '--db', db, '--format', 'csv', '--platform', 'elastic'], io), 0, io.stderr);
  assert.equal(parseCsv(io.stdout).length, 3);
  const file = join(dir, 'layer.json');
  assert.equal(await main(['export', '--db', db, '--format', 'navigator', '--q', 'quoted', '--output', file], captureOutput()), 0);
  assert.deepEqual(validateLayer(JSON.parse(readFileSync(file, 'utf8'))), []);
  const bad = captureOutput();
  assert.equal(await main(['export', '--db', db, '--format', 'xml'], bad), 2);
  assert.match(bad.stderr, /--format must be one of json, csv, navigator/);
  const help = captureOutput();
  assert.equal(await main(['export', '--help'], help), 0);
  assert.match(help.stdout, /Usage: ruleatlas export/);
});

test('/api/export answers downloads with content type and file name', async () => {
  const server: RunningServer = await startServer(store, { port: 0, host: '127.0.0.1', cacheBytes: 0 });
  try {
    const csv = await fetch(new URL('/api/export?format=csv&platform=sentinel', server.url));
    assert.equal(csv.status, 200);
    assert.equal(csv.headers.get('content-type'), 'text/csv; charset=utf-8');
    // Named for what they hold.
    assert.equal(csv.headers.get('content-disposition'), 'attachment; filename="ruleatlas-sentinel.csv"');
    assert.equal(parseCsv(await csv.text()).length, 3);
    const layer = await fetch(new URL('/api/export?format=navigator', server.url));
    assert.equal(layer.headers.get('content-disposition'), 'attachment; filename="ruleatlas-all-rules.layer.json"');
    const json = (await layer.json()) as NavigatorLayer;
    assert.deepEqual(validateLayer(json), []);
    // Rule links are absolute, on the host the request was sent to: they work once imported in Navigator.
    const links = json.techniques.flatMap((t) => t.links.map((l) => l.url));
    assert.ok(links.length > 0);
    for (const url of links) assert.ok(url.startsWith(`${server.url}rules/`), url);
    const named = await fetch(new URL('/api/export?format=json&q=Okta%20%22session%22&platform=elastic&since=2024-01-01', server.url));
    assert.equal(named.headers.get('content-disposition'), 'attachment; filename="ruleatlas-okta-session-elastic-since-2024-01-01.json"');
    await named.text();
    const bad = await fetch(new URL('/api/export?format=xml', server.url));
    assert.equal(bad.status, 400);
    await bad.text();
    const page = await (await fetch(new URL('/?platform=elastic', server.url))).text();
    assert.ok(page.includes('href="/api/export?format=csv&amp;platform=elastic"'), 'Explore links carry the query');
  } finally {
    await server.close();
  }
  // --base-url, for a server behind a proxy.
  const proxied: RunningServer = await startServer(store, { port: 0, host: '127.0.0.1', baseUrl: 'https://atlas.example.com/sec' });
  try {
    const layer = (await (await fetch(new URL('/api/export?format=navigator', proxied.url))).json()) as NavigatorLayer;
    const links = layer.techniques.flatMap((t) => t.links.map((l) => l.url));
    assert.ok(links.length > 0 && links.every((url) => url.startsWith('https://atlas.example.com/sec/rules/')), links.join(' '));
  } finally {
    await proxied.close();
  }
});
