// `npm run bench` part `load`: the server under sustained load, with the page cache off (every
// request rendered). The server and the load client (load-client.ts) are separate processes; each
// route (search API, rule pages, Explore with facets, coverage pages) gets `concurrency` clients for
// `seconds` twice, after a short warm-up: as fast as the server answers (its throughput), and at a
// fixed `rate` (the latency a server at that throughput gives). Prints, per route and run, the
// achieved req/s, p50/p95/p99, errors, the server's and the client's CPU time per request, whether
// the route meets its target (issue 11: `targets`), and the server's peak RSS and the load average.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadPlan, LoadResult } from './load-client.js';

const client = fileURLToPath(new URL('./load-client.js', import.meta.url));

/** Words people search for: a spread of broad and narrow terms. */
export const searchTerms = [
  'impersonation',
  'cloudtrail',
  'powershell encoded',
  'okta',
  'lsass',
  'mfa',
  'registry run key',
  'azure',
  'process',
  'user',
  'login',
  'github',
  'kubernetes',
  'mimikatz',
  'credential dumping',
  'scheduled task',
  'defender',
  'rundll32',
  'dns',
  'exfiltration',
  's3 bucket',
  'service principal',
  'consent',
  'token',
  'ransomware',
  'wmi',
  'persistence',
  'google workspace',
  'iam role',
  'lateral movement',
  'certutil',
  'sudo',
];

/** Issue 11's targets: p95 at most `p95Ms` at an offered `rate` of at least 1,000 req/s, and no errors. */
interface Target {
  p95Ms: number;
}

export interface Route {
  label: string;
  urls: string[];
  target?: Target;
}

/** The least offered rate the targets are stated at. */
export const targetRate = 1000;

/**
 * Whether a fixed-rate run meets its route's target: no errors, p95 within bound, and the rate
 * served (1% allowed for the run's first and last requests, which the elapsed time counts whole).
 */
export function targetVerdict(target: Target, rate: number, r: Pick<LoadResult, 'perSecond' | 'p95' | 'errors'>): string {
  const misses: string[] = [];
  if (rate < targetRate) misses.push(`offered ${rate}/s < ${targetRate}/s`);
  if (r.perSecond < rate * 0.99) misses.push(`${r.perSecond.toFixed(0)} req/s < ${rate}`);
  if (r.p95 > target.p95Ms) misses.push(`p95 ${r.p95.toFixed(1)} > ${target.p95Ms} ms`);
  if (r.errors) misses.push(`${r.errors} errors`);
  return misses.length ? `target missed (${misses.join(', ')})` : `target met (p95 <= ${target.p95Ms} ms)`;
}

interface Server {
  url: string;
  pid: number;
  stop: () => void;
}

export function startServer(bin: string, db: string, workers = 1): Promise<Server> {
  const args = [bin, 'serve', '--db', db, '--port', '0', '--cache-mb', '0', ...(workers > 1 ? ['--workers', String(workers)] : [])];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ url: m[1]!, pid: child.pid!, stop: () => child.kill() });
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`the server exited (${code}) before listening`)));
  });
}

/** A process and its descendants (Linux: /proc/<pid>/task/<tid>/children): a server with `--workers` is several. */
export function processTree(pid: number): number[] {
  const out = [pid];
  for (let at = 0; at < out.length; at++) {
    const tasks = `/proc/${out[at]}/task`;
    if (!existsSync(tasks)) continue;
    for (const tid of readdirSync(tasks)) {
      try {
        const children = readFileSync(`${tasks}/${tid}/children`, 'utf8').trim();
        if (children) out.push(...children.split(/\s+/).map(Number));
      } catch {
        // The thread ended meanwhile.
      }
    }
  }
  return out;
}

/** Peak resident set of a process so far (Linux: VmHWM); undefined where /proc is not there. */
function peakRssMb(pid: number): number | undefined {
  const status = `/proc/${pid}/status`;
  if (!existsSync(status)) return undefined;
  const kb = /VmHWM:\s+(\d+)/.exec(readFileSync(status, 'utf8'))?.[1];
  return kb ? Number(kb) / 1024 : undefined;
}

/** The peaks of a server's processes summed (each one's peak, so at most what they held at once), and how many there are. */
function serverPeakRss(pid: number): { mb: number; processes: number } | undefined {
  const peaks = processTree(pid).map(peakRssMb);
  if (peaks.some((p) => p === undefined)) return undefined;
  return { mb: peaks.reduce<number>((a, b) => a + b!, 0), processes: peaks.length };
}

/** CPU time a process has used (Linux: utime + stime in /proc/<pid>/stat, clock ticks of 10 ms); undefined elsewhere. */
export function cpuMs(pid: number): number | undefined {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return undefined;
  // Fields after the command name (which may hold spaces) close with ')'.
  const text = readFileSync(stat, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU time of a server's processes together (its workers included). */
export function serverCpuMs(pid: number): number | undefined {
  let total = 0;
  for (const p of processTree(pid)) {
    const ms = cpuMs(p);
    if (ms === undefined) return undefined;
    total += ms;
  }
  return total;
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return (await res.json()) as T;
}

interface RulesAnswer {
  total: number;
  items: { id: string }[];
  facets: Record<string, { value: string; count: number }[]>;
}

/** The URLs of each route, from what the catalog holds: every rule, and its most common facet values. */
export async function loadRoutes(base: string): Promise<Route[]> {
  const first = await getJson<RulesAnswer>(`${base}/api/rules?size=200&facetLimit=8`);
  const ids = first.items.map((r) => r.id);
  for (let page = 2; (page - 1) * 200 < first.total; page++)
    ids.push(...(await getJson<RulesAnswer>(`${base}/api/rules?size=200&page=${page}&facetLimit=0`)).items.map((r) => r.id));
  const values = (facet: string) => (first.facets[facet] ?? []).map((v) => v.value);
  const platforms = values('platform');
  const explore: string[] = [];
  for (const [i, platform] of platforms.entries()) {
    const tactic = values('tactic')[i % Math.max(1, values('tactic').length)] ?? '';
    const severity = values('severity')[i % Math.max(1, values('severity').length)] ?? '';
    explore.push(`/?platform=${platform}`, `/?platform=${platform}&tactic=${tactic}`, `/?severity=${severity}&sort=updated`);
  }
  for (const [i, term] of searchTerms.entries())
    explore.push(`/?q=${encodeURIComponent(term)}&platform=${platforms[i % Math.max(1, platforms.length)] ?? ''}`);
  for (const provider of values('provider')) explore.push(`/?provider=${encodeURIComponent(provider)}`);
  const coverage = ['/coverage/matrix', '/coverage/providers', '/coverage/indicators', '/coverage/indicators?view=canonical'];
  for (const [i, platform] of platforms.entries()) {
    coverage.push(`/coverage/matrix?platform=${platform}`, `/coverage/indicators?platform=${platform}`);
    coverage.push(`/coverage/compare?a=${platform}&b=${platforms[(i + 1) % platforms.length]}`);
  }
  for (const provider of values('provider')) coverage.push(`/coverage/providers/${encodeURIComponent(provider)}`);
  const abs = (paths: string[]) => paths.map((p) => `${base}${p}`);
  return [
    { label: 'search /api/rules?q=', urls: abs(searchTerms.map((t) => `/api/rules?q=${encodeURIComponent(t)}`)), target: { p95Ms: 10 } },
    { label: 'rule page /rules/<id>', urls: abs(ids.map((id) => `/rules/${encodeURIComponent(id)}`)), target: { p95Ms: 10 } },
    { label: 'Explore with facets /?...', urls: abs(explore), target: { p95Ms: 20 } },
    { label: 'coverage /coverage/*', urls: abs(coverage) },
  ];
}

export function runClient(planFile: string, plan: LoadPlan): Promise<LoadResult> {
  writeFileSync(planFile, JSON.stringify(plan));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [client, planFile], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(out) as LoadResult);
      else reject(new Error(`the load client exited ${code}`));
    });
  });
}

export async function benchLoad(opts: {
  bin: string;
  db: string;
  work: string;
  seconds: number;
  concurrency: number;
  rate: number;
  /** Server processes (`serve --workers`). */
  workers?: number;
}): Promise<void> {
  const workers = opts.workers ?? 1;
  const server = await startServer(opts.bin, opts.db, workers);
  try {
    const planFile = join(opts.work, 'load-plan.json');
    const all = await loadRoutes(server.url);
    console.log(
      `\nload: ${opts.concurrency} clients per route for ${opts.seconds} s (after 3 s of warm-up), keep-alive, loopback,` +
        ` page cache off (--cache-mb 0), client in its own process, ${workers > 1 ? `${workers} server workers` : 'one server process'}`,
    );
    const ms = (x: number) => x.toFixed(1).padStart(7);
    console.log(
      `  ${'route'.padEnd(28)} ${'offered'.padEnd(9)} ${'req/s'.padStart(7)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'p99'.padStart(7)} errors  CPU ms/req: server client`,
    );
    const verdicts: string[] = [];
    for (const { label, urls, target } of all) {
      await runClient(planFile, { urls, concurrency: opts.concurrency, seconds: 3 });
      for (const rate of [undefined, opts.rate]) {
        const cpuBefore = serverCpuMs(server.pid);
        const r = await runClient(planFile, { urls, concurrency: opts.concurrency, seconds: opts.seconds, rate });
        const cpuAfter = serverCpuMs(server.pid);
        // The server's CPU time per answer: what it costs whatever else runs on the machine.
        const perRequest =
          cpuBefore === undefined || cpuAfter === undefined ? '   ?' : ((cpuAfter - cpuBefore) / Math.max(1, r.requests)).toFixed(3);
        const offered = (rate ? `${rate}/s` : 'max').padEnd(9);
        console.log(
          `  ${label.padEnd(28)} ${offered} ${r.perSecond.toFixed(0).padStart(7)} ${ms(r.p50)} ${ms(r.p95)} ${ms(r.p99)} ${String(r.errors).padStart(6)}  ${perRequest.padStart(17)} ${r.clientCpuMs.toFixed(3).padStart(6)}`,
        );
        for (const sample of r.errorSamples) console.log(`    error: ${sample}`);
        if (rate && target) verdicts.push(`  ${label.padEnd(28)} ${targetVerdict(target, rate, r)}`);
      }
    }
    console.log(`targets (issue 11: at >= ${targetRate} req/s offered, client and server on this machine's cores):`);
    for (const line of verdicts) console.log(line);
    const rss = serverPeakRss(server.pid);
    const rssText =
      rss === undefined
        ? 'unknown (no /proc)'
        : `${rss.mb.toFixed(0)} MB${rss.processes > 1 ? ` (the peaks of its ${rss.processes} processes summed)` : ''}`;
    console.log(
      `  server peak RSS ${rssText}; load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    server.stop();
  }
}
