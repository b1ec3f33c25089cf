// Runs a Node program as a child process and measures it the same way whatever it is (our build,
// the peer's indexer, the ruleatlas command): wall time from spawn to exit, CPU time and peak RSS
// of every Node process it ran (through the rusage-at-exit preload), and its output.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const preload = fileURLToPath(new URL('./rusage-at-exit.js', import.meta.url));

export interface Measured {
  wallMs: number;
  /** User + system CPU time summed over the processes that exited normally (one killed by a signal writes nothing). */
  cpuMs: number;
  /** The largest peak RSS of one process. */
  maxRssMb: number;
  processes: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** Each stderr line with the time it arrived, in ms after spawn (phases of a program that logs them). */
  stderr: { ms: number; line: string }[];
}

interface UsageRecord {
  userUs: number;
  systemUs: number;
  maxRssKb: number;
}

export function runMeasured(
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string; echoStderr?: boolean } = {},
): Promise<Measured> {
  const usageDir = mkdtempSync(join(tmpdir(), 'ruleatlas-usage-'));
  const nodeOptions = [process.env.NODE_OPTIONS ?? '', `--import=${pathToFileURL(preload).href}`].join(' ').trim();
  const env = { ...process.env, ...opts.env, NODE_OPTIONS: nodeOptions, RULEATLAS_BENCH_USAGE_DIR: usageDir };
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // stdin is /dev/null: a program that serves on stdin (the peer's MCP server) sees its end and exits.
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env, cwd: opts.cwd });
    let stdout = '';
    let partial = '';
    const stderr: Measured['stderr'] = [];
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => {
      const ms = performance.now() - started;
      const lines = (partial + d.toString()).split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        stderr.push({ ms, line });
        if (opts.echoStderr) process.stderr.write(`${line}\n`);
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const wallMs = performance.now() - started;
      if (partial) stderr.push({ ms: wallMs, line: partial });
      try {
        const usage = readdirSync(usageDir).map((f) => JSON.parse(readFileSync(join(usageDir, f), 'utf8')) as UsageRecord);
        resolve({
          wallMs,
          cpuMs: usage.reduce((sum, u) => sum + (u.userUs + u.systemUs) / 1000, 0),
          maxRssMb: Math.max(0, ...usage.map((u) => u.maxRssKb / 1024)),
          processes: usage.length,
          code,
          signal,
          stdout,
          stderr,
        });
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      } finally {
        rmSync(usageDir, { recursive: true, force: true });
      }
    });
  });
}
