// POST /api/fire and /api/rules/<id>/test: JSON bodies up to 1 MB (413 past it, whether declared or
// streamed), 400 for bad JSON, 415 for other content, a foreign Origin refused, a time limit, and answers.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import type { CatalogStore } from '../store/read.js';
import { type RunningServer, startServer } from './server.js';
import { openFixtureStore, sentinelId } from './fixture-catalog.js';

const impersonation = { eventType_s: 'user.session.impersonation.initiate', outcome_result_s: 'SUCCESS' };
const other = { eventType_s: 'user.session.start', outcome_result_s: 'SUCCESS' };

/** A raw POST with the headers given (node:http: fetch cannot lie about Content-Length or stream at will). */
function rawPost(
  url: string,
  headers: Record<string, string>,
  write: (send: (chunk: string) => boolean) => void,
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    // The server may answer and close before the body is sent: that is the point.
    req.on('error', (err) => (/ECONNRESET|EPIPE/.test(String(err)) ? undefined : reject(err)));
    write((chunk) => req.write(chunk));
  });
}

describe('evaluation API', () => {
  let fixture: { store: CatalogStore; cleanup(): void };
  let server: RunningServer;
  let slow: RunningServer;

  before(async () => {
    fixture = openFixtureStore();
    server = await startServer(fixture.store, { port: 0, host: '127.0.0.1' });
    // No time at all for evaluation: a second event is never started.
    slow = await startServer(fixture.store, { port: 0, host: '127.0.0.1', evaluateMs: 0 });
  });

  after(async () => {
    await server.close();
    await slow.close();
    fixture.cleanup();
  });

  const post = async (path: string, body: string, init: { type?: string; headers?: Record<string, string>; on?: RunningServer } = {}) => {
    const res = await fetch(new URL(path, (init.on ?? server).url), {
      method: 'POST',
      headers: { 'content-type': init.type ?? 'application/json', ...init.headers },
      body,
    });
    const text = await res.text();
    return { res, text, json: res.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : undefined };
  };
  const testPath = (id: string) => `/api/rules/${encodeURIComponent(id)}/test`;

  test('fire: every rule that fires on each event, in fire --json shape, with traces', async () => {
    const { res, json } = await post('/api/fire?logType=OktaSSO', JSON.stringify([impersonation, other]));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.deepEqual(
      json.map((e: { event: number; logType: string }) => [e.event, e.logType]),
      [
        [0, 'OktaSSO'],
        [1, 'OktaSSO'],
      ],
    );
    const fired = json[0].rules.find((r: { id: string }) => r.id === sentinelId);
    assert.equal(fired?.fires, 'yes');
    assert.equal(fired.mapped, false);
    assert.ok(fired.trace.some((t: { field: string; matched: boolean }) => t.field === 'eventType_s' && t.matched === true));
    assert.ok(!json[1].rules.some((r: { id: string }) => r.id === sentinelId), 'the other event does not fire it');
    // One event, not in an array, is one entry.
    const one = await post('/api/fire?logType=OktaSSO', JSON.stringify(impersonation));
    assert.equal(one.json.length, 1);
    // overEvents=1: the same answers per event, and the rules over several events on the list as a whole.
    const listed = await post('/api/fire?logType=OktaSSO&overEvents=1', JSON.stringify([impersonation, other]));
    assert.equal(listed.res.status, 200);
    assert.deepEqual(listed.json.events, json);
    assert.ok(Array.isArray(listed.json.overEvents));
    for (const r of listed.json.overEvents as { fires: string; events: number[] }[]) {
      assert.notEqual(r.fires, 'no');
      assert.ok(r.events.every((e) => e === 0 || e === 1));
    }
  });

  test("a rule's test route: the rule on a given event (fires or not, traced), or its stored tests", async () => {
    const yes = await post(`${testPath(sentinelId)}?logType=OktaSSO`, JSON.stringify(impersonation));
    assert.equal(yes.res.status, 200);
    assert.equal(yes.json.rule, sentinelId);
    assert.equal(yes.json.events[0].fires, 'yes');
    const no = await post(`${testPath(sentinelId)}?logType=OktaSSO`, JSON.stringify(other));
    assert.equal(no.json.events[0].fires, 'no');
    assert.ok(no.json.events[0].trace.some((t: { field: string; matched: boolean }) => t.field === 'eventType_s' && t.matched === false));
    // No body: the stored tests (this catalog has none).
    const stored = await post(testPath(sentinelId), '', { type: 'text/plain' });
    assert.equal(stored.res.status, 200);
    assert.deepEqual(stored.json, { rule: sentinelId, tests: [] });
    const missing = await post(testPath('sentinel:no-such-rule'), '{}');
    assert.equal(missing.res.status, 404);
  });

  test('bad JSON, non-objects, nesting and other content types are 400 / 415 with a reason', async () => {
    const bad = await post('/api/fire', '{"eventType_s": ');
    assert.equal(bad.res.status, 400);
    assert.match(bad.json.error, /not valid JSON/);
    for (const body of ['[]', '"text"', '[1, 2]', 'null']) assert.equal((await post('/api/fire', body)).res.status, 400, body);
    assert.equal((await post('/api/fire', '')).res.status, 400, 'no event');
    const deep = await post('/api/fire', `${'['.repeat(10_000)}${']'.repeat(10_000)}`);
    assert.equal(deep.res.status, 400);
    assert.match(deep.json.error, /deeper than/);
    const form = await post('/api/fire', 'a=1', { type: 'application/x-www-form-urlencoded' });
    assert.equal(form.res.status, 415);
    const long = await post(`/api/fire?logType=${'x'.repeat(300)}`, '{}');
    assert.equal(long.res.status, 400);
  });

  test('a body past 1 MB is 413, declared or streamed, and the connection is closed', async () => {
    const declared = await rawPost(
      new URL('/api/fire', server.url).href,
      { 'content-type': 'application/json', 'content-length': String(2 * 1024 * 1024) },
      (send) => send('{"a":"'),
    );
    assert.equal(declared.status, 413);
    assert.equal(declared.headers.connection, 'close');
    assert.match(JSON.parse(declared.body).error, /larger than 1048576 bytes/);
    // Chunked, no length: counted as it arrives.
    const streamed = await rawPost(new URL('/api/fire', server.url).href, { 'content-type': 'application/json' }, (send) => {
      const chunk = 'x'.repeat(64 * 1024);
      send('{"a":"');
      for (let i = 0; i < 20; i++) send(chunk);
    });
    assert.equal(streamed.status, 413);
    // Just under the limit is read and parsed.
    const under = await post('/api/fire', JSON.stringify({ ...impersonation, pad: 'x'.repeat(1024 * 1024 - 200) }));
    assert.equal(under.res.status, 200);
  });

  test('a foreign Origin or a cross-site fetch is refused; the own origin is served', async () => {
    const foreign = await post('/api/fire', '{}', { headers: { origin: 'https://evil.example' } });
    assert.equal(foreign.res.status, 403);
    const cross = await post('/api/fire', '{}', { headers: { 'sec-fetch-site': 'cross-site' } });
    assert.equal(cross.res.status, 403);
    const own = await post('/api/fire', '{}', { headers: { origin: new URL(server.url).origin } });
    assert.equal(own.res.status, 200);
  });

  test('GET on a POST route is 405; POST elsewhere is 405', async () => {
    const get = await fetch(new URL('/api/fire', server.url));
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
    const elsewhere = await post('/api/rules', '{}');
    assert.equal(elsewhere.res.status, 405);
  });

  test('the time limit stops between events with a 503 that says how far it got', async () => {
    const stopped = await post('/api/fire?logType=OktaSSO', JSON.stringify([impersonation, other, other]), { on: slow });
    assert.equal(stopped.res.status, 503);
    assert.match(stopped.json.error, /after 1 of 3 events/);
    // One event is always evaluated.
    assert.equal((await post('/api/fire?logType=OktaSSO', JSON.stringify(impersonation), { on: slow })).res.status, 200);
  });
});
