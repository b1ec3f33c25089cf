import { Worker } from 'node:worker_threads';
import type { ProbeOutcome } from './probe-worker.js';

export type { ProbeOutcome } from './probe-worker.js';

/**
 * Analyses of one language in a helper thread, each within a time budget: past it the thread is
 * stopped (the next probe starts a fresh one) and the outcome says so instead of hanging the suite.
 */
export class LanguageProbe {
  private worker: Promise<Worker> | undefined;
  /** Probes run one after the other: the thread answers one query at a time. */
  private queue: Promise<unknown> = Promise.resolve();

  /** `warmUp` is analysed before the first probe: a grammar's first query compiles most of its code. */
  constructor(
    private readonly languageId: string,
    private readonly warmUp: string,
  ) {}

  /** The outcome, or 'timeout' when the analysis took longer than `budgetMs` (set-up and warm-up not counted). */
  analyse(query: string, budgetMs: number): Promise<ProbeOutcome | 'timeout'> {
    const next = this.queue.then(() => this.run(query, budgetMs));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async run(query: string, budgetMs: number): Promise<ProbeOutcome | 'timeout'> {
    const worker = await (this.worker ??= this.start());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        this.stop();
        resolve('timeout');
      }, budgetMs);
      const onMessage = (outcome: ProbeOutcome) => (cleanup(), resolve(outcome));
      const onError = (err: Error) => (cleanup(), this.stop(), reject(err));
      const cleanup = () => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.postMessage(query);
    });
  }

  stop(): void {
    const worker = this.worker;
    this.worker = undefined;
    // A thread that failed to start has nothing to stop.
    void worker?.then(
      (w) => w.terminate(),
      () => undefined,
    );
  }

  /** The compiled worker beside this module: the suite runs from dist/ (tsx's hooks do not reach worker threads). */
  private start(): Promise<Worker> {
    const worker = new Worker(new URL('./probe-worker.js', import.meta.url), {
      workerData: { languageId: this.languageId, warmUp: this.warmUp },
    });
    return new Promise((resolve, reject) => {
      worker.once('message', () => resolve(worker));
      worker.once('error', reject);
    });
  }
}
