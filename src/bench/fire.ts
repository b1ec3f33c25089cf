// `npm run bench -- --only fire --db FILE`: which rules fire on an event, through the whole catalog on
// one core (evaluate/fire.ts), for a mix of the sample events: the Sigma regression samples of the
// corpus and the events of other providers in evaluate/fixtures/fire-events.jsonl (Okta, CloudTrail,
// GitHub, GCP, Sentinel and Defender rows, Elastic documents, flat Windows events, a log not known).
// Also the time to run every stored test (`ruleatlas test`, a fresh process: its start included), and
// `POST /api/fire` under load: a server of the catalog, each sample event posted in turn by the load
// client (load-client.ts) from one connection, its latency percentiles and the server's CPU per request.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { recogniseLog } from '../evaluate/event-log.js';
import { FireIndex } from '../evaluate/fire.js';
import { readSigmaSamples } from '../evaluate/sigma-samples.js';
import type { EventLog } from '../evaluate/types.js';
import { CatalogStore } from '../store/read.js';
import { runClient, serverCpuMs, startServer } from './load.js';

export interface SampleEvent {
  event: unknown;
  log: EventLog;
}

const fixtures = fileURLToPath(new URL('../evaluate/fixtures/fire-events.jsonl', import.meta.url));

/** The mix: every event of the Sigma regression samples (when the corpus has them), then the fixtures. */
export function sampleEvents(corpus: string): SampleEvent[] {
  const out: SampleEvent[] = [];
  const samples = join(corpus, 'sigma-regression');
  if (existsSync(samples))
    for (const s of readSigmaSamples(samples)) for (const event of s.events) out.push({ event, log: recogniseLog(event) });
  for (const line of readFileSync(fixtures, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const { event, logType } = JSON.parse(line) as { event: unknown; logType?: string };
    out.push({ event, log: recogniseLog(event, logType) });
  }
  return out;
}

/** Events per second through the whole catalog: rounds over the mix until `seconds` have passed (after one warm-up round). */
export function measureFire(rules: CatalogStore['rules'], events: readonly SampleEvent[], seconds: number) {
  const t0 = performance.now();
  const index = new FireIndex(rules);
  const indexMs = performance.now() - t0;
  let fired = 0;
  for (const { event, log } of events) fired += index.fire(event, log).length;
  let count = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  while (performance.now() - started < seconds * 1000) {
    for (const { event, log } of events) index.fire(event, log);
    count += events.length;
  }
  const perSecond = count / ((performance.now() - started) / 1000);
  // On a shared machine the wall clock counts other processes' turns: CPU time is this core's work alone.
  const used = process.cpuUsage(cpu);
  const perCpuSecond = count / ((used.user + used.system) / 1e6);
  return { indexMs, perSecond, perCpuSecond, fired, rounds: count / events.length };
}

/** Each sample event as a `POST /api/fire` of the server at `base`: the log it names as `?logType=`. */
function firePosts(base: string, events: readonly SampleEvent[]): { urls: string[]; bodies: string[] } {
  const urls = events.map(({ log }) => `${base}/api/fire${log.given !== undefined ? `?logType=${encodeURIComponent(log.given)}` : ''}`);
  return { urls, bodies: events.map(({ event }) => JSON.stringify(event)) };
}

/** `POST /api/fire` timed under load: one connection (one core's worth), after a request that builds the server's fire index. */
async function benchFirePost(
  opts: { db: string; work: string; bin: string; seconds: number },
  events: readonly SampleEvent[],
): Promise<void> {
  const server = await startServer(opts.bin, opts.db);
  try {
    const t0 = performance.now();
    const first = await fetch(`${server.url}/api/fire`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await first.arrayBuffer();
    const buildMs = performance.now() - t0;
    const posts = firePosts(server.url, events);
    const planFile = join(opts.work, 'fire-plan.json');
    await runClient(planFile, { ...posts, concurrency: 1, seconds: 2 });
    const cpuBefore = serverCpuMs(server.pid);
    const r = await runClient(planFile, { ...posts, concurrency: 1, seconds: opts.seconds });
    const cpuAfter = serverCpuMs(server.pid);
    const serverCpu =
      cpuBefore !== undefined && cpuAfter !== undefined ? ((cpuAfter - cpuBefore) / Math.max(1, r.requests)).toFixed(2) : '?';
    const f = (x: number) => x.toFixed(1);
    console.log(
      `  POST /api/fire (one event per request, one connection, ${r.requests} requests): p50 ${f(r.p50)} ms, p95 ${f(r.p95)} ms, p99 ${f(r.p99)} ms, ${r.perSecond.toFixed(0)} req/s, ${r.errors} errors${r.errorSamples.length ? ` (${r.errorSamples[0]})` : ''}; server CPU ${serverCpu} ms per request; the first request (building the index) ${f(buildMs)} ms`,
    );
  } finally {
    server.stop();
  }
}

export async function benchFire(opts: {
  db: string;
  work: string;
  corpus: string;
  bin: string;
  seconds: number;
  loadAverage: () => string;
}): Promise<void> {
  const events = sampleEvents(opts.corpus);
  const store = CatalogStore.open(opts.db);
  try {
    const evaluated = store.rules.length;
    console.log(`\nfire: ${events.length} sample events through ${evaluated} rules, one core, load average ${opts.loadAverage()}`);
    const r = measureFire(store.rules, events, opts.seconds);
    console.log(
      `  ${r.perSecond.toFixed(0)} events/s wall, ${r.perCpuSecond.toFixed(0)} events per CPU-second (${r.rounds} rounds of the mix); index built in ${r.indexMs.toFixed(0)} ms; ${r.fired} rules fire or may over one round`,
    );
  } finally {
    store.close();
  }
  const t0 = performance.now();
  const run = spawnSync(process.execPath, [opts.bin, 'test', '--db', opts.db, '--json'], { encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });
  const ms = performance.now() - t0;
  if (run.status !== 0 && run.status !== 1)
    return console.log(`  ruleatlas test exited ${run.status ?? run.signal}: ${run.stderr.slice(-300)}`);
  const summary = JSON.parse(run.stdout) as { total: number; passed: number; failed: number; unknown: number };
  console.log(
    `  every stored test (ruleatlas test, fresh process): ${(ms / 1000).toFixed(2)} s for ${summary.total} tests (${summary.passed} passed, ${summary.failed} failed, ${summary.unknown} unknown), load average ${opts.loadAverage()}`,
  );
  await benchFirePost(opts, events);
}
