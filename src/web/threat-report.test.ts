// The threat report page and API over the coverage fixture: the form, a report posted as JSON, plain text,
// a urlencoded form and a multipart upload (UTF-16 too), CSV, the Navigator layer, filters, limits, refusals,
// and a hostile report escaped.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { test } from 'node:test';
import { catalogMatrix } from '../coverage/catalog-matrix.js';
import { threatReportCoverage } from '../coverage/threat-report.js';
import { fixtureThreats } from './coverage-fixture.js';
import { parseCoverageParams } from './coverage-params.js';
import { coverageRules } from './coverage-routes.js';
import { coverageTestServer } from './coverage-test-server.js';
import { xss } from './fixture-catalog.js';

const web = coverageTestServer();
const { post } = web;

const report =
  'APT29 (Cozy Bear) used T1134 and T1003, then T1999 and T1078.004; Cobalt Strike; exploited CVE-2021-44228 and CVE-2020-0001.';

interface ReportJson {
  techniques: { id: string; total: number; rules: Record<string, number> }[];
  entities: { id: string; as: string[] }[];
  cves: { id: string; rules: number }[];
  gaps: string[];
  unknownTechniques: string[];
  platforms: string[];
  ruleCount: number;
}

test('POST /api/threat-report: JSON or plain text, the same answer as threatReportCoverage over the rules the filters leave', async () => {
  const { res, text } = await post('/api/threat-report', JSON.stringify({ text: report }), { 'content-type': 'application/json' });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const r = JSON.parse(text) as ReportJson;
  const expected = threatReportCoverage(
    report,
    coverageRules(web.store, parseCoverageParams(new URLSearchParams())),
    catalogMatrix(web.store),
    fixtureThreats,
    web.store.mine,
  );
  assert.deepEqual(r, JSON.parse(JSON.stringify(expected)));
  assert.deepEqual(
    r.techniques.map((t) => t.id),
    ['T1134', 'T1003', 'T1078.004'],
  );
  assert.deepEqual(r.gaps, ['T1003']);
  assert.deepEqual(r.unknownTechniques, ['T1999']);
  assert.deepEqual(
    r.entities.map((e) => e.id),
    ['G0016', 'S0154'],
  );
  const plain = await post('/api/threat-report', report, { 'content-type': 'text/plain; charset=utf-8' });
  assert.deepEqual(JSON.parse(plain.text), r);
  // The Explore filters in the query string choose the rules.
  const elastic = JSON.parse(
    (await post('/api/threat-report?platform=elastic', report, { 'content-type': 'text/plain' })).text,
  ) as ReportJson;
  assert.deepEqual(elastic.platforms, ['elastic']);
  assert.ok(elastic.ruleCount < r.ruleCount);
});

test('the form: urlencoded text, or a multipart upload (UTF-16 with its mark) beside pasted text', async () => {
  const form = await post('/threat-report', new URLSearchParams({ text: report }));
  assert.equal(form.res.status, 200);
  assert.match(form.res.headers.get('content-type') ?? '', /^text\/html/);
  assert.match(form.text, /3 techniques \(1 gap\)/);
  // Gaps first in the technique table.
  const order = [...form.text.matchAll(/<tr[^>]*><th scope="row"><code>(T[\d.]+)<\/code>/g)].map((m) => m[1]);
  assert.deepEqual(order, ['T1003', 'T1134', 'T1078.004']);
  assert.match(form.text, /Not in the loaded ATT&CK \(1\)[\s\S]*<code>T1999<\/code>/);
  assert.match(form.text, /href="\/actors\/G0016"/);
  assert.match(form.text, /href="\/cves\/CVE-2021-44228"/);

  const upload = new FormData();
  upload.set('text', 'Also T1003.');
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Seen: CVE-2021-44228 and T1134.', 'utf16le')]);
  upload.set('file', new Blob([utf16], { type: 'text/plain' }), 'report.txt');
  const json = JSON.parse((await post('/api/threat-report', upload)).text) as ReportJson;
  assert.deepEqual(
    json.techniques.map((t) => t.id),
    ['T1003', 'T1134'],
  );
  assert.deepEqual(
    json.cves.map((c) => c.id),
    ['CVE-2021-44228'],
  );
  const binary = new FormData();
  binary.set('file', new Blob([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2])]), 'a.out');
  const refused = await post('/threat-report', binary);
  assert.equal(refused.res.status, 400);
  assert.match(refused.text, /The report was not read: the uploaded file is not a text file/);
});

test('CSV and the Navigator layer of the report', async () => {
  const csv = await post('/api/threat-report?format=csv', report, { 'content-type': 'text/plain' });
  assert.equal(csv.res.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.match(csv.res.headers.get('content-disposition') ?? '', /ruleatlas-threat-report\.csv/);
  const lines = csv.text.trim().split('\r\n');
  assert.match(lines[0]!, /^kind,id,name,state,mentionedAs,tactics,rules,techniques,coveredTechniques,coverage,coverageByPlatform,/);
  assert.match(lines[1]!, /^technique,T1003,OS Credential Dumping,gap,/, 'gaps first');
  assert.ok(lines.some((l) => l.startsWith('technique,T1999,not in the loaded ATT&CK,unknown,')));
  assert.ok(lines.some((l) => /^group,G0016,APT29,partial,/.test(l)));
  assert.ok(lines.some((l) => /^cve,CVE-2020-0001,,gap,/.test(l)));
  const layer = await post('/api/threat-report?format=layer', report, { 'content-type': 'text/plain' });
  assert.match(layer.res.headers.get('content-disposition') ?? '', /ruleatlas-threat-report-layer\.json/);
  const l = JSON.parse(layer.text) as {
    versions: { layer: string };
    techniques: { techniqueID: string; score: number; comment: string }[];
  };
  assert.equal(l.versions.layer, '4.5');
  assert.deepEqual(
    l.techniques.map((t) => [t.techniqueID, t.score > 0]),
    [
      ['T1003', false],
      ['T1078.004', true],
      ['T1134', true],
    ],
    'the techniques the loaded ATT&CK knows, scored by their rules',
  );
  assert.match(l.techniques[0]!.comment, /No rule covers this technique/);
});

test('GET shows the form; GET on the API is 405; other content, a foreign origin and a body past 1 MB are refused', async () => {
  const page = await fetch(new URL('/threat-report', web.url));
  assert.equal(page.status, 200);
  const text = await page.text();
  assert.match(text, /<form class="cov-form report-form" method="post" action="\/threat-report" enctype="multipart\/form-data">/);
  assert.match(text, /aria-current="page">Threat report<\/a>/);
  const api = await fetch(new URL('/api/threat-report', web.url));
  assert.equal(api.status, 405);
  assert.equal(api.headers.get('allow'), 'POST');
  assert.equal((await post('/api/threat-report', '<x/>', { 'content-type': 'application/xml' })).res.status, 415);
  assert.equal((await post('/api/threat-report', '{"txt": 1}', { 'content-type': 'application/json' })).res.status, 400);
  assert.equal((await post('/api/threat-report', report, { origin: 'https://evil.example' })).res.status, 403);
  assert.equal((await post('/threat-report', report, { 'sec-fetch-site': 'cross-site' })).res.status, 403);
  // A browser posts the form with Origin `null` under the pages' no-referrer policy: served when it says same-origin only.
  const own = await post('/threat-report', report, { origin: 'null', 'sec-fetch-site': 'same-origin', 'content-type': 'text/plain' });
  assert.equal(own.res.status, 200);
  assert.equal((await post('/threat-report', report, { origin: 'null', 'sec-fetch-site': 'cross-site' })).res.status, 403);
  assert.equal((await post('/threat-report', report, { origin: 'null' })).res.status, 403);
  // Declared too large: refused before a byte is read, the connection closed.
  const refused = await new Promise<{ status: number; connection: unknown }>((resolve, reject) => {
    const req = request(
      new URL('/threat-report', web.url),
      { method: 'POST', headers: { 'content-type': 'text/plain', 'content-length': String(2 * 1024 * 1024) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
      },
    );
    req.on('error', (err) => (/ECONNRESET|EPIPE/.test(String(err)) ? undefined : reject(err)));
    req.write('T1134 ');
  });
  assert.deepEqual(refused, { status: 413, connection: 'close' });
});

test('a hostile report: its text, the names it matches and ids inside markup are all escaped', async () => {
  const hostile = `Evil ${xss} used T1134</textarea><script>window.__xss=2</script> and "><img src=x onerror=alert(2)> CVE-2021-44228`;
  const { res, text } = await post('/threat-report', new URLSearchParams({ text: hostile }));
  assert.equal(res.status, 200);
  assert.ok(!text.includes(xss), 'the alias the report names, escaped');
  assert.ok(!text.includes('<script>window.__xss=2'), 'the text in the textarea, escaped');
  assert.ok(!text.includes('<img src=x'));
  assert.ok(text.includes('&lt;/textarea&gt;&lt;script&gt;window.__xss=2'));
  assert.match(text, /href="\/actors\/G0016"/, 'the hostile alias still names APT29');
});
