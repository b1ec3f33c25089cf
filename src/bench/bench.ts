// `npm run bench`: full build time, CPU time and peak memory, the peer's indexing of the same folders
// in the same run (`--peer DIR`), a build of the corpus written N times over (`--corpus-copies N`),
// re-sync times, parse throughput per language, and search / rule page latency under load on
// loopback, and the server under sustained load (`load`: load.ts, 50 clients per route, page cache off).
// Prints medians and ratios; a part that cannot run says why and the others still run.
// `first` (first-load.ts): the first load of every kind of page on a fresh server, and its warm p95.
// `fire` (fire.ts): events per second through the whole catalog for a mix of sample events, and the
// time to run every stored test.
// `--only build` keeps the full builds (ours, the peer's, the N copies) and the one-file re-syncs of
// a query edit, ending with one summary line of both and the ratio to the peer; it leaves the rest out;
// `--only load --db FILE` measures an existing catalog without building one.
// `--baseline DIR` (a built older checkout of ruleatlas): its full builds and its re-syncs of the same
// edits run interleaved with ours, through each one's own command, and each row gets the ratio.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { locateAttackBundle } from '../attack/locate.js';
import type { BuildReport } from '../report/report.js';
import { buildCorpusCopies, type CopiesRun, defaultHeapMb } from './corpus-copies.js';
import { type Measured, runMeasured } from './measure.js';
import { peerEntry, peerFolders, type PeerRun, runPeer } from './peer.js';
import { benchLoad, searchTerms } from './load.js';
import { benchFire } from './fire.js';
import { benchFirstLoad } from './first-load.js';
import { allParts, type Baseline, baselineCheckout, parseBenchArgs } from './options.js';
import { benchResync, pairedCpu, type PairedCpu, type ResyncResult } from './resync.js';
import { writeTieringFlag } from '../pipeline/tiering.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(repo, 'bin', 'ruleatlas.js');
/** The parts that need only a catalog: with --db they run without a build. */
const catalogParts = ['latency', 'first', 'load', 'fire'];

const values = parseBenchArgs(process.argv.slice(2), repo);
const baseline = values.baseline ? baselineCheckout(values.baseline, repo) : undefined;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

function sources(): string[] {
  if (values.source?.length) return values.source;
  // Every rule folder of the corpus; the ATT&CK bundle is found beside them.
  if (!existsSync(values.corpus)) return [];
  return readdirSync(values.corpus, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'attack')
    .map((d) => join(values.corpus, d.name))
    .sort();
}

interface BuildRun extends Measured {
  report: BuildReport;
  db: string;
}

/**
 * A full build by a ruleatlas command (ours or the baseline's), the way a user runs it (bin/ruleatlas.js
 * build: its heap cap and flags are its own), in a fresh process.
 */
async function buildWithCommand(commandBin: string, db: string, srcs: string[]): Promise<BuildRun> {
  const run = await runMeasured([commandBin, 'build', ...srcs.flatMap((s) => ['--source', s]), '--db', db, '--json']);
  if (run.code !== 0) throw new Error(`${commandBin} build exited ${run.code ?? run.signal}: ${run.stderr.at(-1)?.line ?? ''}`);
  return { ...run, report: JSON.parse(run.stdout) as BuildReport, db };
}

/** One full build in a fresh process (build-child.js), so that load time, CPU and peak memory are the real ones. */
async function buildOurs(db: string, srcs: string[]): Promise<BuildRun> {
  // The same V8 flags that bin/ruleatlas.js gives a build.
  const heapFlags = [`--max-old-space-size=${defaultHeapMb()}`, '--max-semi-space-size=8', writeTieringFlag];
  const run = await runMeasured([...heapFlags, join(repo, 'dist', 'bench', 'build-child.js'), db, ...srcs]);
  if (run.code !== 0)
    throw new Error(
      `build exited ${run.code ?? run.signal}: ${run.stderr
        .slice(-5)
        .map((l) => l.line)
        .join('\n')}`,
    );
  return { ...run, report: JSON.parse(run.stdout) as BuildReport, db };
}

interface Row {
  label: string;
  rules: number;
  runs: Measured[];
}

/** Medians of each column over the runs, and the rates they give. */
function printTable(rows: Row[]): void {
  const cols = ['', 'wall s', 'CPU s', 'peak RSS MB', 'rules', 'rules/s', 'rules/CPU-s'];
  const lines = [cols];
  for (const row of rows) {
    const wall = median(row.runs.map((r) => r.wallMs)) / 1000;
    const cpu = median(row.runs.map((r) => r.cpuMs)) / 1000;
    const rss = median(row.runs.map((r) => r.maxRssMb));
    lines.push([
      row.label,
      wall.toFixed(2),
      cpu.toFixed(2),
      rss.toFixed(0),
      String(row.rules),
      (row.rules / wall).toFixed(0),
      (row.rules / cpu).toFixed(0),
    ]);
  }
  const widths = cols.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  for (const l of lines) console.log(`  ${l.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`);
}

const rate = (row: Row, key: 'wallMs' | 'cpuMs') => row.rules / (median(row.runs.map((r) => r[key])) / 1000);

async function parseThroughput(): Promise<Record<string, { queries: number; perSecond: number; medianMs: number }>> {
  const { measureParsing } = await import('./parse-throughput.js');
  return measureParsing(sources());
}

function startServer(db: string, cacheMb: number): Promise<{ url: string; stop: () => void }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'serve', '--db', db, '--port', '0', '--cache-mb', String(cacheMb)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
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
        http
          .get(url, { agent }, (res) => {
            res.resume();
            res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`${url}: ${res.statusCode}`))));
          })
          .on('error', reject);
      });
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { latencies, perSecond: count / seconds };
}

/** Our side-by-side build and the peer's, for the summary. */
interface SideBySide {
  ours: Row;
  peer: Row;
}

/** Our full build of every folder and, with `--peer`, ours and the peer's on the folders it reads, interleaved. */
async function fullBuilds(
  srcs: string[],
  work: string,
  base: Baseline | undefined,
): Promise<{ ours: BuildRun[]; sideBySide?: SideBySide; baseline?: BuildRun[] }> {
  const runs = Number(values.runs);
  const db = join(work, 'bench.db');
  const peer = values.peer ? peerEntry(values.peer) : undefined;
  if (peer && 'error' in peer) console.log(`\npeer: ${peer.error}; timing ours only`);
  const shared = peerFolders(srcs);
  // When the peer reads every folder, our full build is also the side-by-side one.
  const sameFolders = shared.used.length === srcs.length;
  const attack = locateAttackBundle(srcs);
  const ours: BuildRun[] = [];
  const oursShared: BuildRun[] = [];
  const peers: PeerRun[] = [];
  console.log(`\nload average before the builds: ${loadAverage()} (${availableParallelism()} CPUs)`);
  let entry = peer && 'entry' in peer ? peer.entry : undefined;
  const baseRuns: BuildRun[] = [];
  const baseDb = join(work, 'baseline.db');
  for (let i = 0; i < runs; i++) {
    // Against a baseline, both through their own command, in alternating order.
    if (base && i % 2 === 1) baseRuns.push(await buildWithCommand(base.bin, baseDb, srcs));
    ours.push(base ? await buildWithCommand(bin, db, srcs) : await buildOurs(db, srcs));
    if (base && i % 2 === 0) baseRuns.push(await buildWithCommand(base.bin, baseDb, srcs));
    if (!entry) continue;
    if (!sameFolders) oursShared.push(await buildOurs(join(work, 'bench-shared.db'), shared.used));
    try {
      peers.push(await runPeer(entry, shared.used, attack));
    } catch (err) {
      console.log(`\npeer: ${err instanceof Error ? err.message : String(err)}; timing ours only`);
      entry = undefined;
    }
  }
  console.log(`load average after: ${loadAverage()}`);

  const rules = ours[0]!.report.rules;
  const wall = median(ours.map((r) => r.wallMs));
  const how = base ? `each by its own command, interleaved with the baseline ${base.dir}` : 'fresh process each';
  console.log(`\nfull build of every folder (${plural(ours.length, 'run')}, ${how}, medians):`);
  const baseRow: Row | undefined = base && { label: 'baseline', rules: baseRuns[0]!.report.rules, runs: baseRuns };
  printTable([{ label: 'ruleatlas', rules, runs: ours }, ...(baseRow ? [baseRow] : [])]);
  const maxRss = Math.max(...ours.map((r) => r.maxRssMb)).toFixed(0);
  console.log(`  peak RSS max ${maxRss} MB; catalog ${mib(statSync(db).size)}; wall ${(wall / 1000).toFixed(2)} s`);
  if (base) {
    console.log(`  baseline: catalog ${mib(statSync(baseDb).size)}; ${pairsLine(pairedCpu(cpuOf(ours), cpuOf(baseRuns)))}`);
  }

  if (entry && peers.length) {
    const names = shared.used.map((s) => basename(s)).join(', ');
    const oursRow: Row = {
      label: 'ruleatlas',
      rules: (sameFolders ? ours : oursShared)[0]!.report.rules,
      runs: sameFolders ? ours : oursShared,
    };
    const peerRow: Row = { label: 'peer (Security-Detections-MCP)', rules: peers[0]!.rules, runs: peers };
    console.log(`\nside by side on the folders the peer reads (${names}), ${plural(runs, 'run')} each, interleaved, medians:`);
    if (shared.skipped.length) console.log(`  left out (the peer has no reader): ${shared.skipped.map((s) => basename(s)).join(', ')}`);
    printTable([oursRow, peerRow]);
    const byPlatform = Object.entries((sameFolders ? ours : oursShared)[0]!.report.platforms).map(([p, v]) => `${p} ${v.rules}`);
    console.log(`  ruleatlas rules: ${byPlatform.join(', ')}`);
    console.log(
      `  peer rules: ${Object.entries(peers[0]!.byType)
        .map(([t, n]) => `${t} ${n}`)
        .join(', ')}`,
    );
    const indexed = peers.map((p) => p.indexedMs).filter((ms): ms is number => ms !== undefined);
    if (indexed.length) {
      const until = (median(indexed) / 1000).toFixed(2);
      console.log(
        `  peer until its "Indexed N detections" line: median ${until} s (the rest: procedures, junction tables, ATT&CK, server start)`,
      );
    }
    console.log(`  ruleatlas / peer: ${peerRatio(oursRow, peerRow)}`);
    return { ours, sideBySide: { ours: oursRow, peer: peerRow }, baseline: base && baseRuns };
  }
  if (!values.peer)
    console.log('  (pass --peer DIR, a built checkout of MHaggis/Security-Detections-MCP, to time the peer in the same run)');
  return { ours, baseline: base && baseRuns };
}

function peerRatio(ours: Row, peer: Row): string {
  const ratio = (key: 'wallMs' | 'cpuMs') => (rate(ours, key) / rate(peer, key)).toFixed(2);
  return `${ratio('wallMs')}x the rules per second, ${ratio('cpuMs')}x the rules per CPU-second`;
}

const cpuOf = (runs: Measured[]) => runs.map((r) => r.cpuMs);

/** Ours against the baseline over the interleaved pairs: the median ratio and how often ours took less. */
function pairsLine(p: PairedCpu): string {
  return `ours / baseline CPU: median ${p.medianRatio.toFixed(2)} over the pairs, ours lower in ${p.oursLower} of ${p.pairs}`;
}

/** The run in one line: our full build, the one-file re-syncs, the peer's build and the ratio, with the load. */
function summary(ours: BuildRun[], resyncs: ResyncResult[], sideBySide: SideBySide | undefined, baseRuns: BuildRun[] | undefined): void {
  const seconds = (ms: number) => (ms / 1000).toFixed(2);
  console.log(`\nsummary (load average ${loadAverage()}):`);
  const cpu = median(ours.map((r) => r.cpuMs));
  console.log(`  full build: ${seconds(median(ours.map((r) => r.wallMs)))} s wall, ${seconds(cpu)} CPU s, ${ours[0]!.report.rules} rules`);
  if (baseRuns?.length) {
    const baseCpu = median(cpuOf(baseRuns));
    console.log(
      `    baseline: ${seconds(median(baseRuns.map((r) => r.wallMs)))} s wall, ${seconds(baseCpu)} CPU s, ${baseRuns[0]!.report.rules} rules; ${pairsLine(pairedCpu(cpuOf(ours), cpuOf(baseRuns)))}`,
    );
  }
  for (const r of resyncs) {
    console.log(`  re-sync, ${r.label}: ${seconds(r.wallMs)} s wall, ${seconds(r.cpuMs)} CPU s`);
    if (r.baseline)
      console.log(`    baseline: ${seconds(r.baseline.wallMs)} s wall, ${seconds(r.baseline.cpuMs)} CPU s; ${pairsLine(r.baseline.pairs)}`);
  }
  if (!sideBySide) return;
  const peerWall = median(sideBySide.peer.runs.map((r) => r.wallMs));
  console.log(
    `  peer build: ${seconds(peerWall)} s wall, ${sideBySide.peer.rules} rules; ruleatlas / peer: ${peerRatio(sideBySide.ours, sideBySide.peer)}`,
  );
}

/** The corpus written N times over, built by the ruleatlas command; this run's full build as the 1x reference. */
async function corpusCopies(copies: number, work: string, base: BuildRun[]): Promise<void> {
  if (!existsSync(values.corpus)) return console.log(`\ncorpus copies: no corpus at ${values.corpus}`);
  console.log(
    `\nbuild of the corpus written ${copies} times (ruleatlas build, heap cap ${defaultHeapMb()} MB), load average ${loadAverage()}:`,
  );
  let run: CopiesRun;
  try {
    run = await buildCorpusCopies({ repo, corpus: values.corpus, copies, work });
  } catch (err) {
    return console.log(`  ${err instanceof Error ? err.message : String(err)}`);
  }
  printTable([
    { label: '1x (the full build above)', rules: base[0]!.report.rules, runs: base },
    { label: `${copies}x`, rules: run.report.rules, runs: [run] },
  ]);
  const platforms = Object.keys(run.report.platforms).length;
  const repeated = `${run.report.duplicates} repeated native ids (1x: ${base[0]!.report.duplicates}, the corpus's own)`;
  const catalog = `catalog ${mib(run.catalogBytes)} (1x: ${mib(statSync(base[0]!.db).size)})`;
  console.log(`  sources ${mib(run.sourceBytes)} in ${platforms} platforms; ${catalog}; ${repeated}`);
  if (!run.heapOverflow) return console.log(`  the build stayed under the default ${defaultHeapMb()} MB heap`);
  const attempt = run.overflowAfterMs === undefined ? '' : ` after ${(run.overflowAfterMs / 1000).toFixed(1)} s`;
  console.log(`  the build needed more than the ${defaultHeapMb()} MB heap${attempt}: the command ran it again without a cap`);
  console.log('  (wall time counts both attempts; CPU and peak RSS are those of the processes that finished)');
}

/** Search, Explore and rule page latency at a fixed request count, with the page cache off and on. */
async function latency(db: string): Promise<void> {
  const terms = searchTerms;
  for (const cacheMb of [0, 64]) {
    const server = await startServer(db, cacheMb);
    try {
      const searchUrls = terms.map((q) => `${server.url}/api/rules?q=${encodeURIComponent(q)}`);
      const explorePages = terms.map((q) => `${server.url}/?q=${encodeURIComponent(q)}`);
      const ruleIds = await new Promise<string[]>((resolve, reject) => {
        http
          .get(`${server.url}/api/rules?size=200`, (res) => {
            let body = '';
            res.on('data', (d) => (body += d));
            res.on('end', () => resolve((JSON.parse(body) as { items: { id: string }[] }).items.map((r) => r.id)));
          })
          .on('error', reject);
      });
      const pageUrls = ruleIds.map((id) => `${server.url}/rules/${encodeURIComponent(id)}`);
      const count = Number(values.requests);
      const concurrency = Number(values.concurrency);
      await load([...searchUrls, ...pageUrls, ...explorePages], 600, concurrency); // warm-up
      const mode = cacheMb ? `page cache ${cacheMb} MB (repeat visits)` : 'no page cache (every request rendered)';
      console.log(`\nlatency under load, ${mode}: ${count} requests each, ${concurrency} in flight, keep-alive, loopback`);
      for (const [label, urls] of [
        ['/api/rules?q=...', searchUrls],
        ['/?q=... (Explore)', explorePages],
        ['/rules/<id>', pageUrls],
      ] as const) {
        const r = await load([...urls], count, concurrency);
        const [p50, p95] = [0.5, 0.95].map((p) => percentile(r.latencies, p).toFixed(2));
        console.log(`  ${label.padEnd(20)} p50 ${p50} ms  p95 ${p95} ms  ${r.perSecond.toFixed(0)} req/s`);
      }
    } finally {
      server.stop();
    }
  }
}

/** The server under sustained load (load.ts), page cache off. */
async function sustainedLoad(db: string, work: string): Promise<void> {
  await benchLoad({
    bin,
    db,
    work,
    seconds: Number(values['load-seconds']),
    concurrency: Number(values['load-clients']),
    rate: Number(values['load-rate']),
    workers: Number(values['load-workers']),
  });
}

/** --db: the parts that need only a catalog, on that one; no build. */
async function catalogOnly(db: string, parts: Set<string>): Promise<void> {
  const others = [...parts].filter((p) => !catalogParts.includes(p));
  if (others.length) return console.log(`--db runs only ${catalogParts.join(', ')} (no build); not ${others.join(', ')}`);
  if (!existsSync(db)) return console.log(`no catalog at ${db}`);
  console.log(`${new Date().toISOString()}, ${availableParallelism()} CPUs, Node ${process.version}, load average ${loadAverage()}`);
  const work = mkdtempSync(join(tmpdir(), 'ruleatlas-bench-'));
  try {
    if (parts.has('latency')) await latency(db);
    if (parts.has('first')) await firstLoad(db, work);
    if (parts.has('load')) await sustainedLoad(db, work);
    if (parts.has('fire')) await fire(db, work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The first load of every kind of page on a fresh server, then its warm p95 (first-load.ts). */
async function firstLoad(db: string, work: string): Promise<void> {
  await benchFirstLoad({ bin, db, work, warmRequests: Number(values['first-warm']), loadAverage });
}

async function fire(db: string, work: string): Promise<void> {
  await benchFire({ db, work, corpus: values.corpus, bin, seconds: Number(values['fire-seconds']), loadAverage });
}

async function main() {
  const parts = new Set((values.only ?? allParts.join(',')).split(',').map((p) => p.trim()));
  const unknown = [...parts].filter((p) => !allParts.includes(p));
  if (unknown.length) {
    console.log(`--only takes ${allParts.join(', ')} (comma-separated); not ${unknown.join(', ')}`);
    return;
  }
  if (values.db) return await catalogOnly(values.db, parts);
  const srcs = sources();
  if (!srcs.length) {
    console.log(`no corpus found at ${values.corpus}; pass --corpus DIR or --source DIR`);
    return;
  }
  const work = mkdtempSync(join(tmpdir(), 'ruleatlas-bench-'));
  try {
    const db = join(work, 'bench.db');
    console.log(`${new Date().toISOString()}, ${availableParallelism()} CPUs, Node ${process.version}`);
    console.log(`sources: ${srcs.map((s) => s.replace(`${join(repo, '..')}/`, '../')).join(', ')}`);
    if (baseline && 'error' in baseline) {
      console.log(baseline.error);
      return;
    }
    const { ours: runs, sideBySide, baseline: baseRuns } = await fullBuilds(srcs, work, baseline);
    const wall = median(runs.map((r) => r.wallMs));
    const copies = Number(values['corpus-copies'] ?? 0);
    if (copies >= 1) await corpusCopies(copies, work, runs);

    let resyncs: ResyncResult[] = [];
    if (parts.has('resync') || parts.has('build')) {
      const attack = join(values.corpus, 'attack', 'enterprise-attack.json');
      // Asked for alone, the build part keeps the one-file re-syncs that matter most (a query edit).
      const oneFile = !parts.has('resync');
      resyncs = await benchResync({
        bin,
        baseline,
        sources: srcs,
        attack: existsSync(attack) ? attack : undefined,
        work,
        // Against a baseline, every run asked for: the ratios need pairs.
        runs: oneFile && !baseline ? Math.min(3, Number(values['resync-runs'])) : Number(values['resync-runs']),
        fullBuildMs: wall,
        oneFile,
      });
    }
    if (parts.has('build') || parts.has('resync')) summary(runs, resyncs, sideBySide, baseRuns);
    if (parts.has('parse')) {
      console.log('\nparse throughput per language (after warm-up, one process):');
      const parse = await parseThroughput();
      for (const [language, p] of Object.entries(parse)) {
        const l = runs[0]!.report.languages[language];
        const parsed = l ? `${((100 * l.parsed) / Math.max(1, l.rules)).toFixed(1)}% parsed` : '';
        const speed = `${p.perSecond.toFixed(0).padStart(7)} queries/s  median ${p.medianMs.toFixed(3)} ms`;
        console.log(`  ${language.padEnd(8)} ${String(p.queries).padStart(5)} queries  ${speed}  ${parsed}`);
      }
    }
    if (parts.has('latency')) await latency(db);
    if (parts.has('first')) await firstLoad(db, work);
    if (parts.has('load')) await sustainedLoad(db, work);
    if (parts.has('fire')) await fire(db, work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
