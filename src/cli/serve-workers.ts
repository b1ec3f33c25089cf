// `serve --workers N`: N server processes (node:cluster) answering on one port, each with the catalog
// opened read-only and its own indexes: one Node process renders on one core, and a page is CPU
// work. Memory is N times a server's. The primary holds no catalog: it starts the workers, prints the
// address once every one listens, forwards SIGINT, SIGTERM and SIGHUP to them and ends when they have;
// a worker ends when its primary is gone (the IPC channel closes), even after a SIGKILL of it.
import cluster, { type Worker } from 'node:cluster';
import { constants } from 'node:os';
import { UsageError } from './command.js';
import type { Output } from './output.js';

/** What a worker tells the primary once it listens. */
interface Ready {
  kind: 'ruleatlas-ready';
  rules: number;
  url: string;
}

const forwarded = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export function parseWorkers(raw: string | undefined): number {
  if (raw === undefined) return 1;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--workers must be 1-64, got ${raw}`);
  return n;
}

/** True in a process started by `runWorkers`. */
export function isServeWorker(): boolean {
  return cluster.isWorker;
}

/** Whether this process is the worker that reports progress (the others would repeat it). */
export function reportsProgress(): boolean {
  return !cluster.isWorker || cluster.worker?.id === 1;
}

/**
 * In a worker, before it opens the catalog: keep the channel to the primary referenced (listening
 * and every connection go through it; bin/ruleatlas.js unrefs it, for children that only watch
 * it), and end with the primary: the channel closes when it exits or is killed.
 */
export function workerStarting(): void {
  process.channel?.ref();
  process.on('disconnect', () => process.exit(0));
}

/** In a worker: tell the primary that this worker listens. */
export function workerListening(rules: number, url: string): void {
  const ready: Ready = { kind: 'ruleatlas-ready', rules, url };
  process.send?.(ready);
}

/**
 * In the primary: runs `count` workers of `exec args` (this command again), and resolves with the
 * address once every worker listens. A worker that ends while the server runs ends the others and
 * this process (exit 1): a server missing a worker would answer slower without a word.
 */
export function runWorkers(count: number, exec: string, args: readonly string[], io: Output): Promise<{ rules: number; url: string }> {
  cluster.setupPrimary({ exec, args: [...args] });
  const workers: Worker[] = [];
  let stopping = false;
  const stopAll = (signal: NodeJS.Signals, exitCode: number) => {
    stopping = true;
    const alive = workers.filter((w) => !w.isDead());
    if (!alive.length) process.exit(exitCode);
    let left = alive.length;
    for (const w of alive) {
      w.once('exit', () => {
        if (--left === 0) process.exit(exitCode);
      });
      w.process.kill(signal);
    }
  };
  for (const signal of forwarded) process.on(signal, () => stopAll(signal, 128 + constants.signals[signal]));
  return new Promise((resolve, reject) => {
    const ready = new Map<number, Ready>();
    cluster.on('exit', (worker, code, signal) => {
      if (stopping) return;
      const why = `server worker ${worker.process.pid} ended (${signal ?? `exit ${code}`}); stopping the server`;
      // Before every worker listens, the command fails with this error; after, it is said here.
      if (ready.size < count) reject(new Error(why));
      else io.err(`ruleatlas: ${why}`);
      stopAll('SIGTERM', 1);
    });
    for (let i = 0; i < count; i++) {
      const worker = cluster.fork();
      workers.push(worker);
      worker.on('message', (message: Ready) => {
        if (message?.kind !== 'ruleatlas-ready') return;
        ready.set(worker.id, message);
        if (ready.size === count) resolve({ rules: message.rules, url: message.url });
      });
    }
  });
}
