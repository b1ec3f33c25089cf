// The load generator of `npm run bench` (part `load`), run as its own process so that it does not
// share an event loop (or a core's time slices, as far as the OS allows) with the server it measures.
// Input: a JSON file (argv[2]) {urls, concurrency, seconds}; a file, as thousands of URLs outgrow argv. It runs `concurrency` loops over keep-alive
// connections for `seconds`, each loop taking the next URL of the list, and prints JSON: requests,
// errors (a status other than 200, or a failed connection), req/s and latency percentiles in ms.
import { readFileSync } from 'node:fs';
import http from 'node:http';

export interface LoadPlan {
  urls: string[];
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
}

/** Latency at a fraction of the sorted samples (nearest rank). */
function percentile(sorted: Float64Array, p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)]!;
}

function get(agent: http.Agent, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

export async function runLoad(plan: LoadPlan): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: plan.concurrency });
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + plan.seconds * 1000;
  const interval = plan.rate ? 1000 / plan.rate : 0;
  const loop = async () => {
    while (performance.now() < deadline) {
      const n = next++;
      const url = plan.urls[n % plan.urls.length]!;
      let t0 = performance.now();
      if (interval) {
        // Request n is due n intervals after the start, whichever loop sends it.
        const due = started + n * interval;
        if (due >= deadline) break;
        if (due > t0) await new Promise((resolve) => setTimeout(resolve, due - t0));
        t0 = due;
      }
      try {
        const status = await get(agent, url);
        latencies.push(performance.now() - t0);
        if (status !== 200) {
          errors++;
          if (errorSamples.length < 5) errorSamples.push(`${status} ${url}`);
        }
      } catch (err) {
        errors++;
        if (errorSamples.length < 5) errorSamples.push(`${err instanceof Error ? err.message : String(err)} ${url}`);
      }
    }
  };
  await Promise.all(Array.from({ length: plan.concurrency }, loop));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: latencies.length,
    errors,
    errorSamples,
    perSecond: latencies.length / seconds,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    max: sorted.at(-1) ?? 0,
  };
}

if (process.argv[2]) {
  const plan = JSON.parse(readFileSync(process.argv[2], 'utf8')) as LoadPlan;
  process.stdout.write(`${JSON.stringify(await runLoad(plan))}\n`);
}
