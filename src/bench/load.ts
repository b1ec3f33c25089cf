// `npm run bench` part `load`: the server under sustained load, with the page cache off (every
// request rendered). The server and the load client (load-client.ts) are separate processes; each
// route (search API, rule pages, Explore with facets, coverage pages) gets `concurrency` clients for
// `seconds` twice, after a short warm-up: as fast as the server answers (its throughput), and at a
// fixed `rate` (the latency a server at that throughput gives). Prints, per route and run, the
// achieved req/s, p50/p95/p99, errors, the server's and the client's CPU time per request, whether
// the route meets its target (issue 11: `targets`), and the server's peak RSS and the load average.
// Where the latency goes besides CPU, per run (one server process): the server's garbage collection
// pauses, event-loop delay and heap allocated per request (bench/server-probe.ts, preloaded into it) and how long its main thread
// waited for a core (Linux: /proc/<pid>/schedstat), since client and server share the machine's cores.
// `serve` is a launcher and the child that serves (bin/ruleatlas.js sizes the child's young generation):
// CPU time and peak RSS count both processes; the probe and the wait for a core are the child's.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadPlan, LoadResult } from './load-client.js';
import type { ProbeWindow } from './server-probe.js';

const client = fileURLToPath(new URL('./load-client.js', import.meta.url));
const probeModule = new URL('./server-probe.js', import.meta.url).href;

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
  /** The process started: `bin/ruleatlas.js serve`, which runs the server in a child (its V8 flags). */
  pid: number;
  /** The process that serves (one server process): its main thread is the one measured. */
  servingPid: number;
  stop: () => void;
  /** What the server's probe saw since the last call (undefined: no probe, or it did not answer). */
  probe: () => Promise<ProbeWindow | undefined>;
}

/** Asks the server's probe (SIGUSR2) for its window and waits for the file to hold it. */
async function readProbe(pid: number, file: string, window: number): Promise<ProbeWindow | undefined> {
  try {
    process.kill(pid, 'SIGUSR2');
  } catch {
    return undefined;
  }
  for (let waited = 0; waited < 3000; waited += 20) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    try {
      const seen = JSON.parse(readFileSync(file, 'utf8')) as ProbeWindow;
      if (seen.window === window) return seen;
    } catch {
      // Not written yet, or being written.
    }
  }
  return undefined;
}

/** `work`: where the probe writes (one server process only: the workers of `--workers` would each need their own). */
export function startServer(bin: string, db: string, workers = 1, work?: string): Promise<Server> {
  const args = [bin, 'serve', '--db', db, '--port', '0', '--cache-mb', '0', ...(workers > 1 ? ['--workers', String(workers)] : [])];
  const probeFile = work && workers === 1 ? join(work, 'server-probe.json') : undefined;
  // Preloaded through NODE_OPTIONS, so that it reaches the child that serves; the launcher loads it too, idle.
  const nodeOptions = [process.env.NODE_OPTIONS, `--import="${probeModule}"`].filter(Boolean).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: probeFile ? { ...process.env, RULEATLAS_PROBE_FILE: probeFile, NODE_OPTIONS: nodeOptions } : process.env,
    });
    let windows = 0;
    let servingPid = child.pid!;
    const probe = () => (probeFile ? readProbe(servingPid, probeFile, ++windows) : Promise.resolve(undefined));
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (!m) return;
      servingPid = servingProcess(child.pid!);
      resolve({ url: m[1]!, pid: child.pid!, servingPid, stop: () => child.kill(), probe });
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`the server exited (${code}) before listening`)));
  });
}

/** A process's children (Linux: /proc/<pid>/task/<tid>/children); none where /proc is not there. */
export function childrenOf(pid: number): number[] {
  const tasks = `/proc/${pid}/task`;
  if (!existsSync(tasks)) return [];
  const out: number[] = [];
  for (const tid of readdirSync(tasks)) {
    try {
      const children = readFileSync(`${tasks}/${tid}/children`, 'utf8').trim();
      if (children) out.push(...children.split(/\s+/).map(Number));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return out;
}

/** A process and its descendants: a server with `--workers` is several. */
export function processTree(pid: number): number[] {
  const out = [pid];
  for (let at = 0; at < out.length; at++) out.push(...childrenOf(out[at]!));
  return out;
}

/** The process a chain of only children ends in (the server the launcher runs); one with several children (workers) ends it. */
export function servingProcess(pid: number): number {
  for (let children = childrenOf(pid); children.length === 1; children = childrenOf(pid)) pid = children[0]!;
  return pid;
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
function cpuMs(pid: number): number | undefined {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return undefined;
  // Fields after the command name (which may hold spaces) close with ')'.
  const text = readFileSync(stat, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Time a thread ran and waited to run (Linux: /proc/<pid>/schedstat, ns), in ms; undefined elsewhere. */
function schedMs(pid: number): { ran: number; waited: number } | undefined {
  try {
    const [ran, waited] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(' ').map(Number);
    return ran === undefined || waited === undefined ? undefined : { ran: ran / 1e6, waited: waited / 1e6 };
  } catch {
    return undefined;
  }
}

/** The latency besides CPU of one run, as a line: GC pauses, event-loop delay, waiting for a core. */
function latencyLine(
  requests: number,
  probe?: ProbeWindow,
  before?: { ran: number; waited: number },
  after?: { ran: number; waited: number },
): string {
  const parts: string[] = [];
  if (probe)
    parts.push(
      `GC ${probe.gcMs.toFixed(0)} ms in ${probe.gcPauses} pauses (longest ${probe.gcLongestMs.toFixed(1)} ms; not scavenges: ${probe.gcFullPauses}, ${probe.gcFullMs.toFixed(0)} ms)`,
      `event-loop delay p99 ${probe.loopDelayP99Ms.toFixed(1)} ms, max ${probe.loopDelayMaxMs.toFixed(0)} ms`,
    );
  if (probe && requests) parts.push(`heap allocated ${(probe.heapAllocatedBytes / requests / 1024).toFixed(1)} KB/req`);
  if (before && after && requests)
    parts.push(
      `main thread ran ${((after.ran - before.ran) / requests).toFixed(3)} and waited for a core ${((after.waited - before.waited) / requests).toFixed(3)} ms/req`,
    );
  return parts.length ? `    server: ${parts.join('; ')}` : '';
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
  const server = await startServer(opts.bin, opts.db, workers, opts.work);
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
        await server.probe();
        const schedBefore = schedMs(server.servingPid);
        const cpuBefore = serverCpuMs(server.pid);
        const r = await runClient(planFile, { urls, concurrency: opts.concurrency, seconds: opts.seconds, rate });
        const cpuAfter = serverCpuMs(server.pid);
        const schedAfter = schedMs(server.servingPid);
        const probe = await server.probe();
        // The server's CPU time per answer: what it costs whatever else runs on the machine.
        const perRequest =
          cpuBefore === undefined || cpuAfter === undefined ? '   ?' : ((cpuAfter - cpuBefore) / Math.max(1, r.requests)).toFixed(3);
        const offered = (rate ? `${rate}/s` : 'max').padEnd(9);
        console.log(
          `  ${label.padEnd(28)} ${offered} ${r.perSecond.toFixed(0).padStart(7)} ${ms(r.p50)} ${ms(r.p95)} ${ms(r.p99)} ${String(r.errors).padStart(6)}  ${perRequest.padStart(17)} ${r.clientCpuMs.toFixed(3).padStart(6)}`,
        );
        const latency = latencyLine(r.requests, probe, schedBefore, schedAfter);
        if (latency) console.log(latency);
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
