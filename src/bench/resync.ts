// The re-sync benchmark: the whole corpus as local folder sources, synced once, then re-synced
// unchanged and after one Sigma or one KQL (Sentinel) rule file changed, three ways: a comment
// appended (the rule's analysis is as it was: no corpus pass needed), its title edited (the corpus
// pass runs again over every rule's stored pass input), and a value added to its query (new
// indicators: counts and similar rules move). Fresh process each time, its CPU time measured as the
// full builds' is (measure.ts): on a shared machine the wall clock swings with the load.
// `oneFile` keeps an unchanged sync, the Sigma title and value edits and the KQL title edit, for
// `--only build`. With a `baseline` (an older ruleatlas), its catalog of the same copy is synced
// after each edit too, the two in alternating order, and each case gets the ratio of ours to it.
import { appendFileSync, cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runMeasured } from './measure.js';
import type { Baseline } from './options.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

interface SyncRun {
  ms: number;
  cpuMs: number;
  analysed: number;
  inProcessMs: number;
}

async function syncOnce(bin: string, config: string, db: string): Promise<SyncRun> {
  const run = await runMeasured([bin, 'sync', '--config', config, '--db', db, '--json']);
  if (run.code !== 0) throw new Error(`sync exited ${run.code ?? run.signal}: ${run.stderr.at(-1)?.line ?? ''}`);
  const report = JSON.parse(run.stdout) as { millis: number; sync: { analysed: number } };
  return { ms: run.wallMs, cpuMs: run.cpuMs, analysed: report.sync.analysed, inProcessMs: report.millis };
}

/** Medians of one re-sync case, for the bench's summary line. */
export interface ResyncResult {
  label: string;
  wallMs: number;
  cpuMs: number;
  /** The baseline's medians for the same edits, and how the interleaved pairs compare. */
  baseline?: { wallMs: number; cpuMs: number; pairs: PairedCpu };
}

/** CPU time of ours against the baseline's, pair by pair (a pair: the same edit, synced by each, back to back). */
export interface PairedCpu {
  /** Median of ours / baseline over the pairs. */
  medianRatio: number;
  /** In how many pairs ours took less CPU time, of how many. */
  oursLower: number;
  pairs: number;
}

export function pairedCpu(ours: number[], baseline: number[]): PairedCpu {
  const ratios = ours.map((cpu, i) => cpu / baseline[i]!);
  return { medianRatio: median(ratios), oursLower: ours.filter((cpu, i) => cpu < baseline[i]!).length, pairs: ratios.length };
}

/** The first file below `dir` (sorted walk) whose name and text match. */
function findFile(dir: string, name: RegExp, text: RegExp): string | undefined {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const found = findFile(path, name, text);
      if (found) return found;
    } else if (name.test(entry.name) && text.test(readFileSync(path, 'utf8'))) return path;
  }
  return undefined;
}

export async function benchResync(opts: {
  bin: string;
  baseline?: Baseline;
  sources: string[];
  attack?: string;
  work: string;
  runs: number;
  fullBuildMs: number;
  oneFile?: boolean;
}): Promise<ResyncResult[]> {
  // A copy, so that files can be changed; the shared corpus stays read-only.
  const copies = opts.sources.map((src) => {
    const name = src.split('/').filter(Boolean).at(-1)!;
    const dir = join(opts.work, 'resync', name);
    cpSync(src, dir, { recursive: true });
    return { name, dir };
  });
  const config = join(opts.work, 'resync', 'ruleatlas.config.json');
  writeFileSync(config, JSON.stringify({ sources: copies, attack: opts.attack }));
  const db = join(opts.work, 'resync', 'catalog.db');
  const baseDb = join(opts.work, 'resync', 'baseline.db');
  const first = await syncOnce(opts.bin, config, db);
  const against = opts.baseline ? `, each after the same edit as the baseline (${opts.baseline.dir}), interleaved` : '';
  console.log(`\nre-sync (whole corpus as local folder sources, fresh process each, ${opts.runs} runs, medians${against}):`);
  console.log(`  first sync (every file analysed): ${(first.ms / 1000).toFixed(2)} s, ${(first.cpuMs / 1000).toFixed(2)} CPU s`);
  if (opts.baseline) {
    const base = await syncOnce(opts.baseline.bin, config, baseDb);
    console.log(`  baseline's first sync: ${(base.ms / 1000).toFixed(2)} s, ${(base.cpuMs / 1000).toFixed(2)} CPU s`);
  }
  const dirOf = (name: string) => copies.find((c) => c.name === name)?.dir;
  // A Sigma rule whose detection has a list of command-line values (the query edit adds one: a
  // canonical indicator, so similar rules move too).
  const sigmaList = /^(detection:\n(?:[ \t][^\n]*\n)*?[ \t]+CommandLine\|contains:\n([ \t]+)- .+)(\n\2- 'ruleatlas-bench-\d+')?$/m;
  const sigma = dirOf('sigma') && findFile(dirOf('sigma')!, /\.ya?ml$/, sigmaList);
  const kql = dirOf('sentinel') && findFile(dirOf('sentinel')!, /\.ya?ml$/, /^query:/m);
  const comment = (file: string, i: number) => appendFileSync(file, `\n# bench edit ${i}\n`);
  // The first title line (Sigma `title:`, Sentinel `name:`) gets a new suffix each run.
  const retitle = (key: string) => (file: string, i: number) =>
    writeFileSync(file, readFileSync(file, 'utf8').replace(new RegExp(`^(${key}:.*?)( \\(bench \\d+\\))?$`, 'm'), `$1 (bench ${i})`));
  // A value of the query changed each run: Sigma, a list item of the detection gets a sibling;
  // KQL, the first `| where` line of the query gets one more condition.
  const edit = (file: string, from: RegExp, to: (m: string, ...groups: string[]) => string) => {
    const text = readFileSync(file, 'utf8');
    const at = text.search(from);
    if (at < 0) throw new Error(`${file}: nothing to edit`);
    writeFileSync(file, text.replace(from, to));
  };
  const sigmaValue = (file: string, i: number) =>
    edit(file, sigmaList, (_m, block: string, indent: string) => `${block}\n${indent}- 'ruleatlas-bench-${i}'`);
  const kqlValue = (file: string, i: number) =>
    edit(
      file,
      /^([ \t]+\|[ \t]*where [^\n/]+?)( and Computer != "ruleatlas-bench-\d+")?$/m,
      (_m, line: string) => `${line} and Computer != "ruleatlas-bench-${i}"`,
    );
  const cases: [string, string | undefined, ((file: string, i: number) => void) | undefined][] = [
    ['unchanged', undefined, undefined],
    ['one Sigma file, comment added', sigma, comment],
    ['one Sigma file, title edited', sigma, retitle('title')],
    ['one Sigma file, query value added', sigma, sigmaValue],
    ['one KQL (Sentinel) file, comment', kql, comment],
    ['one KQL (Sentinel) file, title', kql, retitle('name')],
    ['one KQL (Sentinel) file, query', kql, kqlValue],
  ];
  // For --only build: an unchanged sync, a title edit (the pass runs again) and a value edit (counts and similar rules move).
  const oneFileCases = new Set([
    'unchanged',
    'one Sigma file, title edited',
    'one Sigma file, query value added',
    'one KQL (Sentinel) file, title',
  ]);
  const results: ResyncResult[] = [];
  const seconds = (ms: number) => (ms / 1000).toFixed(2);
  for (const [label, file, edit] of cases) {
    if (label !== 'unchanged' && !file) continue;
    if (opts.oneFile && !oneFileCases.has(label)) continue;
    const runs: SyncRun[] = [];
    const baseRuns: SyncRun[] = [];
    for (let i = 0; i < opts.runs; i++) {
      if (file && edit) edit(file, i);
      // Alternating which goes first: the second finds the edited file in the page cache.
      if (opts.baseline && i % 2 === 1) baseRuns.push(await syncOnce(opts.baseline.bin, config, baseDb));
      runs.push(await syncOnce(opts.bin, config, db));
      if (opts.baseline && i % 2 === 0) baseRuns.push(await syncOnce(opts.baseline.bin, config, baseDb));
    }
    const m = median(runs.map((r) => r.ms));
    const cpu = median(runs.map((r) => r.cpuMs));
    const share = `${((100 * m) / opts.fullBuildMs).toFixed(1)}% of a full build`;
    console.log(
      `  ${label.padEnd(34)} ${seconds(m)} s process wall, ${seconds(cpu)} CPU s (${runs.at(-1)!.analysed} file analysed, ${share}), ${seconds(median(runs.map((r) => r.inProcessMs)))} s in-process`,
    );
    const result: ResyncResult = { label, wallMs: m, cpuMs: cpu };
    if (opts.baseline) {
      const pairs = pairedCpu(
        runs.map((r) => r.cpuMs),
        baseRuns.map((r) => r.cpuMs),
      );
      result.baseline = { wallMs: median(baseRuns.map((r) => r.ms)), cpuMs: median(baseRuns.map((r) => r.cpuMs)), pairs };
      console.log(
        `  ${'  baseline'.padEnd(34)} ${seconds(result.baseline.wallMs)} s process wall, ${seconds(result.baseline.cpuMs)} CPU s (${baseRuns.at(-1)!.analysed} file analysed); ours / baseline CPU: median ${pairs.medianRatio.toFixed(2)} over the pairs, ours lower in ${pairs.oursLower} of ${pairs.pairs}`,
      );
    }
    results.push(result);
  }
  return results;
}
