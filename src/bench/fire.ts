// `npm run bench -- --only fire --db FILE`: which rules fire on an event, through the whole catalog on
// one core (evaluate/fire.ts), for a mix of the sample events: the Sigma regression samples of the
// corpus and the events of other providers in evaluate/fixtures/fire-events.jsonl (Okta, CloudTrail,
// GitHub, GCP, Sentinel and Defender rows, Elastic documents, flat Windows events, a log not known).
// Also the time to run every stored test (`ruleatlas test`, a fresh process: its start included).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { recogniseLog } from '../evaluate/event-log.js';
import { FireIndex } from '../evaluate/fire.js';
import { readSigmaSamples } from '../evaluate/sigma-samples.js';
import type { EventLog } from '../evaluate/types.js';
import { CatalogStore } from '../store/read.js';

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

export function benchFire(opts: { db: string; corpus: string; bin: string; seconds: number; loadAverage: () => string }): void {
  const store = CatalogStore.open(opts.db);
  try {
    const events = sampleEvents(opts.corpus);
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
  console.log('  POST /api/fire p95: not measured (the route is not on this branch)');
}
