// The load generator of `npm run bench` (part `load`), run as its own process so that it does not
// share an event loop with the server it measures. It shares the machine's cores all the same, so it
// is built the way load tools are (wrk, autocannon): every request's bytes are built once before the
// run, each of `concurrency` loops owns one keep-alive socket and reads answers with a small framing
// parser (status, Content-Length or chunked) without building request or response objects, and
// bodies are skipped, not decoded. Its own CPU time per request is part of the result.
// Input: a JSON file (argv[2]) {urls, bodies?, concurrency, seconds, rate?} (bodies: POSTs of JSON); a file, as thousands of URLs
// outgrow argv. Output: JSON (LoadResult): requests, errors (a status other than 200, or a failed
// connection), req/s and latency percentiles in ms.
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';

export interface LoadPlan {
  urls: string[];
  /** JSON bodies, one per URL: each request is then a POST of its body (`POST /api/fire`). */
  bodies?: string[];
  concurrency: number;
  seconds: number;
  rate?: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  /** The first few errors, to say what went wrong. */
  errorSamples: string[];
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** The client's own CPU time per request (ms): what it takes from the cores it shares with the server. */
  clientCpuMs: number;
}

/** Latency at a fraction of the sorted samples (nearest rank). */
function percentile(sorted: Float64Array, p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)]!;
}

/** One answer's outcome: its status, or why there is none. */
type Outcome = { status: number } | { error: string };

const crlfcrlf = Buffer.from('\r\n\r\n');

/**
 * Reads HTTP/1.1 answers off a byte stream, one at a time: the head (status and framing), then a
 * body of Content-Length bytes or of chunks, skipped as it arrives.
 */
export class AnswerReader {
  private head: Buffer | undefined;
  /** Body bytes still to skip (Content-Length framing), or -1 while reading chunks. */
  private remaining = 0;
  private status = 0;
  private inBody = false;
  /** Chunked framing: bytes of the current chunk (and its CRLF) still to skip, and the size line read so far. */
  private chunkLeft = 0;
  private sizeLine = '';
  private trailer = false;

  /** Feeds bytes; returns the statuses of the answers they complete (throws on framing it cannot read). */
  push(data: Buffer, done: (status: number) => void): void {
    let at = 0;
    while (at < data.length) {
      if (!this.inBody) {
        const buffer = this.head ? Buffer.concat([this.head, data.subarray(at)]) : data.subarray(at);
        const end = buffer.indexOf(crlfcrlf);
        if (end === -1) {
          if (buffer.length > 64 * 1024) throw new Error('answer head over 64 KiB');
          this.head = Buffer.from(buffer);
          return;
        }
        const consumed = end + 4 - (this.head?.length ?? 0);
        this.startBody(buffer.toString('latin1', 0, end));
        this.head = undefined;
        at += consumed;
        if (this.inBody && this.remaining === 0) this.finish(done);
        continue;
      }
      at = this.remaining >= 0 ? this.skipLength(data, at, done) : this.skipChunks(data, at, done);
    }
  }

  private startBody(head: string): void {
    if (!head.startsWith('HTTP/1.')) throw new Error(`not an HTTP answer: ${head.slice(0, 40)}`);
    this.status = Number(head.slice(9, 12));
    this.inBody = true;
    const length = /\r\ncontent-length:[ \t]*(\d+)/i.exec(head);
    if (length) this.remaining = Number(length[1]);
    else if (/\r\ntransfer-encoding:[^\r]*chunked/i.test(head)) {
      this.remaining = -1;
      this.chunkLeft = 0;
      this.sizeLine = '';
      this.trailer = false;
    } else if (this.status === 204 || this.status === 304) this.remaining = 0;
    else throw new Error(`answer ${this.status} without Content-Length or chunks`);
  }

  private finish(done: (status: number) => void): void {
    this.inBody = false;
    done(this.status);
  }

  private skipLength(data: Buffer, at: number, done: (status: number) => void): number {
    const take = Math.min(this.remaining, data.length - at);
    this.remaining -= take;
    if (this.remaining === 0) this.finish(done);
    return at + take;
  }

  private skipChunks(data: Buffer, at: number, done: (status: number) => void): number {
    while (at < data.length) {
      if (this.chunkLeft > 0) {
        const take = Math.min(this.chunkLeft, data.length - at);
        this.chunkLeft -= take;
        at += take;
        continue;
      }
      const eol = data.indexOf(10, at);
      if (eol === -1) {
        this.sizeLine += data.toString('latin1', at);
        return data.length;
      }
      const line = (this.sizeLine + data.toString('latin1', at, eol)).trim();
      this.sizeLine = '';
      at = eol + 1;
      if (this.trailer) {
        // After the last chunk: trailer lines until an empty one.
        if (line === '') {
          this.finish(done);
          return at;
        }
        continue;
      }
      const size = Number.parseInt(line, 16);
      if (!Number.isFinite(size)) throw new Error(`bad chunk size ${line.slice(0, 20)}`);
      if (size === 0) this.trailer = true;
      else this.chunkLeft = size + 2;
    }
    return at;
  }
}

/** A keep-alive connection that sends one prepared request at a time and reports its answer's status. */
class Connection {
  private socket: Socket | undefined;
  private reader = new AnswerReader();
  private waiting: ((outcome: Outcome) => void) | undefined;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  private open(): Socket {
    const socket = connect({ host: this.host, port: this.port, noDelay: true });
    this.reader = new AnswerReader();
    const reader = this.reader;
    // Events of a socket already given up (an error, then its close) must not touch the next one.
    socket.on('data', (data: Buffer) => {
      try {
        reader.push(data, (status) => this.settle({ status }));
      } catch (err) {
        this.fail(socket, err instanceof Error ? err.message : String(err));
      }
    });
    socket.on('error', (err) => this.fail(socket, err.message));
    socket.on('close', () => this.fail(socket, 'connection closed'));
    return socket;
  }

  private settle(outcome: Outcome): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.(outcome);
  }

  private fail(socket: Socket, error: string): void {
    socket.destroy();
    if (this.socket !== socket) return;
    this.socket = undefined;
    this.settle({ error });
  }

  send(request: Buffer): Promise<Outcome> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.socket ??= this.open();
      this.socket.write(request);
    });
  }

  close(): void {
    const socket = this.socket;
    this.socket = undefined;
    socket?.removeAllListeners('close');
    socket?.destroy();
  }
}

/** Each URL's request bytes, built once (all URLs name one server): a GET, or a POST of its JSON body. */
function prepare(urls: readonly string[], bodies?: readonly string[]): { host: string; port: number; requests: Buffer[] } {
  const first = new URL(urls[0]!);
  if (bodies && bodies.length !== urls.length) throw new Error(`${bodies.length} bodies for ${urls.length} URLs`);
  const requests = urls.map((u, k) => {
    const url = new URL(u);
    if (url.host !== first.host) throw new Error(`every URL must name one server: ${first.host}, ${url.host}`);
    const body = bodies?.[k];
    if (body === undefined) return Buffer.from(`GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`, 'latin1');
    const bytes = Buffer.from(body, 'utf8');
    const head = `POST ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: ${bytes.length}\r\n\r\n`;
    return Buffer.concat([Buffer.from(head, 'latin1'), bytes]);
  });
  return { host: first.hostname, port: Number(first.port || 80), requests };
}

export async function runLoad(plan: LoadPlan): Promise<LoadResult> {
  const { host, port, requests } = prepare(plan.urls, plan.bodies);
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  const errorSamples: string[] = [];
  let errors = 0;
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + plan.seconds * 1000;
  const interval = plan.rate ? 1000 / plan.rate : 0;
  const connections: Connection[] = [];
  const loop = async () => {
    const connection = new Connection(host, port);
    connections.push(connection);
    while (performance.now() < deadline) {
      const n = next++;
      const k = n % requests.length;
      let t0 = performance.now();
      if (interval) {
        // Request n is due n intervals after the start, whichever loop sends it.
        const due = started + n * interval;
        if (due >= deadline) break;
        if (due > t0) await new Promise((resolve) => setTimeout(resolve, due - t0));
        t0 = due;
      }
      const outcome = await connection.send(requests[k]!);
      if ('status' in outcome) {
        if (count === latencies.length) {
          const grown = new Float64Array(count * 2);
          grown.set(latencies);
          latencies = grown;
        }
        latencies[count++] = performance.now() - t0;
      }
      const error = 'error' in outcome ? outcome.error : outcome.status !== 200 ? String(outcome.status) : undefined;
      if (error !== undefined) {
        errors++;
        if (errorSamples.length < 5) errorSamples.push(`${error} ${plan.urls[k]}`);
      }
    }
  };
  await Promise.all(Array.from({ length: plan.concurrency }, loop));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  for (const c of connections) c.close();
  const sorted = latencies.subarray(0, count).sort();
  return {
    requests: count,
    errors,
    errorSamples,
    perSecond: count / seconds,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    max: sorted.at(-1) ?? 0,
    clientCpuMs: (cpu.user + cpu.system) / 1000 / Math.max(1, count),
  };
}

if (process.argv[2]) {
  const plan = JSON.parse(readFileSync(process.argv[2], 'utf8')) as LoadPlan;
  process.stdout.write(`${JSON.stringify(await runLoad(plan))}\n`);
}
