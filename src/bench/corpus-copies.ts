// `--corpus-copies N`: the corpus written N times over (scripts/multiply-corpus.mjs: distinct source
// names, native ids and titles per copy) into a temporary folder, then built by the ruleatlas
// command as a user runs it: under the default heap cap, again without one when the heap overflows
// (the command says so on stderr; that is how an overflow is told here).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { BuildReport } from '../report/report.js';
import { runMeasured, type Measured } from './measure.js';

export interface CopiesRun extends Measured {
  copies: number;
  sourceBytes: number;
  catalogBytes: number;
  report: BuildReport;
  /** True when the capped build ran out of heap and the command ran it again without a cap. */
  heapOverflow: boolean;
  /** When the command said so: the time the capped attempt took (its CPU is not counted: it died of a signal). */
  overflowAfterMs?: number;
}

/** The cap the command gives a build (bin/ruleatlas.js reads the same variable). */
export const defaultHeapMb = () => Number(process.env.RULEATLAS_HEAP_MB || 256);

export async function buildCorpusCopies(opts: { repo: string; corpus: string; copies: number; work: string }): Promise<CopiesRun> {
  const out = join(opts.work, `corpus-x${opts.copies}`);
  const script = join(opts.repo, 'scripts', 'multiply-corpus.mjs');
  const made = spawnSync(process.execPath, [script, '--copies', String(opts.copies), '--out', out, '--corpus', opts.corpus, '--json'], {
    encoding: 'utf8',
  });
  if (made.status !== 0) throw new Error(`multiply-corpus failed: ${made.stderr}`);
  const written = JSON.parse(made.stdout) as { folders: string[]; bytes: number };
  const db = join(opts.work, `corpus-x${opts.copies}.db`);
  const args = [
    join(opts.repo, 'bin', 'ruleatlas.js'),
    'build',
    '--db',
    db,
    '--json',
    ...written.folders.flatMap((f) => ['--source', join(out, f)]),
  ];
  const run = await runMeasured(args);
  if (run.code !== 0)
    throw new Error(
      `build of ${opts.copies} copies exited ${run.code ?? run.signal}: ${run.stderr
        .slice(-5)
        .map((l) => l.line)
        .join('\n')}`,
    );
  const overflow = run.stderr.find((l) => /needed more than \d+ MB of heap/.test(l.line));
  const report = JSON.parse(run.stdout) as BuildReport;
  const sizes = { sourceBytes: written.bytes, catalogBytes: catalogSize(db) };
  return { ...run, ...sizes, copies: opts.copies, report, heapOverflow: !!overflow, overflowAfterMs: overflow?.ms };
}

/** The catalog file and whatever SQLite left beside it (-wal, -shm). */
function catalogSize(db: string): number {
  const dir = dirname(db);
  const name = basename(db);
  return readdirSync(dir)
    .filter((f) => f === name || f.startsWith(`${name}-`))
    .reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
}
