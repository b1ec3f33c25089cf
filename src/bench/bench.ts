// `npm run bench`: full build time and peak memory, parse throughput per language, and
// search / rule page latency under load on loopback. Prints medians and ratios; never fails.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchResync } from './resync.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(repo, 'bin', 'ruleatlas.js');
const peerRulesPerSecond = 391; // the regex-only peer: 7,864 rules in 20 s on this machine

const { values } = parseArgs({
  options: {
    corpus: { type: 'string', default: join(repo, '..', 'shared', 'corpus') },
    source: { type: 'string', multiple: true },
    runs: { type: 'string', default: '3' },
    'resync-runs': { type: 'string', default: '5' },
    requests: { type: 'string', default: '4000' },
    concurrency: { type: 'string', default: '8' },
  },
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

function sources(): string[] {
  if (values.source?.length) return values.source;
  // Every rule folder of the corpus; the ATT&CK bundle is found beside them.
  if (!existsSync(values.corpus)) return [];
  return readdirSync(values.corpus, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'attack')
    .map((d) => join(values.corpus, d.name))
    .sort();
}

interface BuildRun {
  wallMs: number;
  maxRssMb: number;
  report: { rules: number; languages: Record<string, { rules: number; parsed: number; failed: number }> };
}

/** One full build in a fresh process, so that load time and peak memory are the real ones. */
function buildWithRss(db: string): Promise<BuildRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // The same V8 flags that bin/ruleatlas.js gives a build.
    const heapFlags = [`--max-old-space-size=${Number(process.env.RULEATLAS_HEAP_MB || 256)}`, '--max-semi-space-size=16'];
    const child = spawn(process.execPath, [...heapFlags, join(repo, 'dist', 'bench', 'build-child.js'), db, ...sources()], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`build exited ${code}`));
      const result = JSON.parse(out) as { report: BuildRun['report']; maxRssKb: number };
      resolve({ wallMs: performance.now() - started, maxRssMb: result.maxRssKb / 1024, report: result.report });
    });
  });
}

async function parseThroughput(): Promise<Record<string, { queries: number; perSecond: number; medianMs: number }>> {
  const { measureParsing } = await import('./parse-throughput.js');
  return measureParsing(sources());
}

function startServer(db: string, cacheMb: number): Promise<{ url: string; stop: () => void }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'serve', '--db', db, '--port', '0', '--cache-mb', String(cacheMb)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ url: m[1]!, stop: () => child.kill() });
    });
    child.on('error', reject);
  });
}

/** Fire `count` GETs with `concurrency` in flight over keep-alive; latency per request in ms. */
async function load(urls: string[], count: number, concurrency: number): Promise<{ latencies: number[]; perSecond: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      const url = urls[next++ % urls.length]!;
      const t0 = performance.now();
      await new Promise<void>((resolve, reject) => {
        http.get(url, { agent }, (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`${url}: ${res.statusCode}`))));
        }).on('error', reject);
      });
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { latencies, perSecond: count / seconds };
}

async function main() {
  const srcs = sources();
  if (!srcs.length) {
    console.log(`no corpus found at ${values.corpus}; pass --corpus DIR or --source DIR`);
    return;
  }
  const work = mkdtempSync(join(tmpdir(), 'ruleatlas-bench-'));
  try {
    const db = join(work, 'bench.db');
    console.log(`sources: ${srcs.map((s) => s.replace(`${join(repo, '..')}/`, '../')).join(', ')}`);
    const runs: BuildRun[] = [];
    for (let i = 0; i < Number(values.runs); i++) runs.push(await buildWithRss(db));
    const rules = runs[0]!.report.rules;
    const wall = median(runs.map((r) => r.wallMs));
    console.log(`\nfull build (${runs.length} runs, fresh process each): median ${(wall / 1000).toFixed(2)} s for ${rules} rules`);
    console.log(`  ${(rules / (wall / 1000)).toFixed(0)} rules/s = ${(rules / (wall / 1000) / peerRulesPerSecond).toFixed(1)}x the regex-only peer (${peerRulesPerSecond} rules/s)`);
    console.log(`  peak RSS: median ${median(runs.map((r) => r.maxRssMb)).toFixed(0)} MB, max ${Math.max(...runs.map((r) => r.maxRssMb)).toFixed(0)} MB`);

    const attack = join(values.corpus, 'attack', 'enterprise-attack.json');
    await benchResync({ bin, sources: srcs, attack: existsSync(attack) ? attack : undefined, work, runs: Number(values['resync-runs']), fullBuildMs: wall });

    console.log('\nparse throughput per language (after warm-up, one process):');
    const parse = await parseThroughput();
    for (const [language, p] of Object.entries(parse)) {
      const l = runs[0]!.report.languages[language];
      const rate = l ? `${((100 * l.parsed) / Math.max(1, l.rules)).toFixed(1)}% parsed` : '';
      console.log(`  ${language.padEnd(8)} ${String(p.queries).padStart(5)} queries  ${p.perSecond.toFixed(0).padStart(7)} queries/s  median ${p.medianMs.toFixed(3)} ms  ${rate}`);
    }

    // Words people search for: a spread of broad and narrow terms.
    const terms = [
      'impersonation', 'cloudtrail', 'powershell encoded', 'okta', 'lsass', 'mfa', 'registry run key', 'azure',
      'process', 'user', 'login', 'github', 'kubernetes', 'mimikatz', 'credential dumping', 'scheduled task',
      'defender', 'rundll32', 'dns', 'exfiltration', 's3 bucket', 'service principal', 'consent', 'token',
      'ransomware', 'wmi', 'persistence', 'google workspace', 'iam role', 'lateral movement', 'certutil', 'sudo',
    ];
    for (const cacheMb of [0, 64]) {
      const server = await startServer(db, cacheMb);
      try {
        const searchUrls = terms.map((q) => `${server.url}/api/rules?q=${encodeURIComponent(q)}`);
        const explorePages = terms.map((q) => `${server.url}/?q=${encodeURIComponent(q)}`);
        const ruleIds = await new Promise<string[]>((resolve, reject) => {
          http.get(`${server.url}/api/rules?size=200`, (res) => {
            let body = '';
            res.on('data', (d) => (body += d));
            res.on('end', () => resolve((JSON.parse(body) as { items: { id: string }[] }).items.map((r) => r.id)));
          }).on('error', reject);
        });
        const pageUrls = ruleIds.map((id) => `${server.url}/rules/${encodeURIComponent(id)}`);
        const count = Number(values.requests);
        const concurrency = Number(values.concurrency);
        await load([...searchUrls, ...pageUrls, ...explorePages], 600, concurrency); // warm-up
        const mode = cacheMb ? `page cache ${cacheMb} MB (repeat visits)` : 'no page cache (every request rendered)';
        console.log(`\nlatency under load, ${mode}: ${count} requests each, ${concurrency} in flight, keep-alive, loopback`);
        for (const [label, urls] of [['/api/rules?q=...', searchUrls], ['/?q=... (Explore)', explorePages], ['/rules/<id>', pageUrls]] as const) {
          const r = await load([...urls], count, concurrency);
          console.log(`  ${label.padEnd(20)} p50 ${percentile(r.latencies, 0.5).toFixed(2)} ms  p95 ${percentile(r.latencies, 0.95).toFixed(2)} ms  ${r.perSecond.toFixed(0)} req/s`);
        }
      } finally {
        server.stop();
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
