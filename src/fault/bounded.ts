// Runs code that may hang (a catastrophic regex, a quadratic loop) in a helper thread with a time
// budget, so that a test of a hang fails instead of hanging the suite: a synchronous loop blocks
// the thread it runs on, and only another thread can stop it.
import { Worker } from 'node:worker_threads';

/**
 * Calls `exportName(...args)` of the compiled module at `moduleUrl` in a fresh thread; resolves to
 * its (structured-clone) result, or 'timeout' when it has not returned within `budgetMs`.
 */
export function callWithin(moduleUrl: URL, exportName: string, args: unknown[], budgetMs: number): Promise<unknown> {
  const source = `import { parentPort, workerData } from 'node:worker_threads';
const m = await import(workerData.url);
parentPort.postMessage(await m[workerData.name](...workerData.args));`;
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(source)}`), {
    workerData: { url: moduleUrl.href, name: exportName, args },
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      resolve('timeout');
    }, budgetMs);
    worker.once('message', (result: unknown) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(result);
    });
    worker.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
