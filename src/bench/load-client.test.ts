import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { AnswerReader, runLoad } from './load-client.js';
import { targetVerdict } from './load.js';

const answers = [
  'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\ncontent-length: 11\r\n\r\nhello world',
  'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n',
  'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n10\r\n0123456789abcdef\r\n0\r\nx-trailer: 1\r\n\r\n',
  'HTTP/1.1 304 Not Modified\r\nETag: "x"\r\n\r\n',
  'HTTP/1.1 302 Found\r\nLocation: /x\r\nContent-Length: 3\r\n\r\nabc',
];
const statuses = [200, 404, 200, 304, 302];

test('the answer reader finds each answer of a keep-alive stream wherever the bytes are cut', () => {
  const stream = Buffer.from(answers.join(''), 'latin1');
  for (const step of [1, 2, 3, 7, 16, 64, stream.length]) {
    const reader = new AnswerReader();
    const seen: number[] = [];
    for (let at = 0; at < stream.length; at += step) reader.push(stream.subarray(at, at + step), (s) => seen.push(s));
    assert.deepEqual(seen, statuses, `cut every ${step} bytes`);
  }
});

test('the answer reader refuses what it cannot frame', () => {
  assert.throws(() => new AnswerReader().push(Buffer.from('HTTP/1.1 200 OK\r\n\r\nbody'), () => {}), /without Content-Length/);
  assert.throws(() => new AnswerReader().push(Buffer.from('SSH-2.0\r\n\r\n'), () => {}), /not an HTTP answer/);
});

test('runLoad counts answers and errors over keep-alive connections', async () => {
  let connections = 0;
  const server = createServer((req, res) => {
    if (req.url === '/missing') {
      res.writeHead(404, { 'content-length': '2' });
      return res.end('no');
    }
    if (req.url === '/chunked') {
      res.write('part one, ');
      return res.end('part two');
    }
    res.writeHead(200, { 'content-length': '2' });
    res.end('ok');
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const base = `http://127.0.0.1:${port}`;
    const r = await runLoad({ urls: [`${base}/a`, `${base}/missing`, `${base}/chunked`, `${base}/b?x=1`], concurrency: 3, seconds: 1 });
    // A loaded machine (CI beside other jobs) may answer few in that second: enough to count, not a timing.
    assert.ok(r.requests >= 8, `${r.requests} requests`);
    // One in four asks for /missing: every one of those is an error, nothing else is.
    assert.ok(Math.abs(r.errors - r.requests / 4) <= 3, `${r.errors} errors of ${r.requests}`);
    assert.match(r.errorSamples[0]!, /^404 .*\/missing$/);
    assert.equal(connections, 3, 'one keep-alive connection per loop');
    assert.ok(r.p50 > 0 && r.p50 <= r.p95 && r.p95 <= r.p99 && r.p99 <= r.max);
    assert.ok(r.clientCpuMs > 0);
  } finally {
    server.close();
  }
});

test('runLoad sends each URL its JSON body as a POST when bodies are given', async () => {
  const seen = new Map<string, number>();
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      const ok = req.method === 'POST' && req.headers['content-type'] === 'application/json';
      const key = `${req.url} ${body}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
      res.writeHead(ok ? 200 : 400, { 'content-length': '2' });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const base = `http://127.0.0.1:${port}`;
    const bodies = ['{"eventType":"user.session.start"}', '{"name":"é ✓"}'];
    const r = await runLoad({ urls: [`${base}/api/fire`, `${base}/api/fire?logType=T`], bodies, concurrency: 2, seconds: 1 });
    assert.ok(r.requests >= 2, `${r.requests} requests`);
    assert.equal(r.errors, 0, r.errorSamples.join('; '));
    assert.deepEqual([...seen.keys()].sort(), [`/api/fire ${bodies[0]}`, `/api/fire?logType=T ${bodies[1]}`]);
  } finally {
    server.close();
  }
});

test('runLoad reports a refused connection as an error, not a hang', async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const r = await runLoad({ urls: [`http://127.0.0.1:${port}/`], concurrency: 2, seconds: 0.1 });
  assert.equal(r.requests, 0);
  assert.ok(r.errors > 0);
  assert.match(r.errorSamples[0]!, /ECONNREFUSED/);
});

test('a load target is met only at the rate, within the p95 bound and without errors', () => {
  const target = { p95Ms: 10 };
  assert.match(targetVerdict(target, 1000, { perSecond: 998, p95: 9.5, errors: 0 }), /^target met/);
  assert.match(targetVerdict(target, 1000, { perSecond: 900, p95: 9.5, errors: 0 }), /900 req\/s < 1000/);
  assert.match(targetVerdict(target, 1000, { perSecond: 1000, p95: 10.5, errors: 0 }), /p95 10\.5 > 10 ms/);
  assert.match(targetVerdict(target, 1000, { perSecond: 1000, p95: 1, errors: 2 }), /2 errors/);
  assert.match(targetVerdict(target, 500, { perSecond: 500, p95: 1, errors: 0 }), /offered 500\/s < 1000\/s/);
});
