// Panther Python rules' stored tests run for real by the server (POST /api/rules/<id>/test), on the
// fenced runner `ruleatlas test` uses (languages/python/runtime): one runner process per server,
// started by the first request that runs a Python test, each call under the runner's time limit,
// in a child process, so the event loop only waits on its answers. One request's tests run at a
// time, in order on one module loaded afresh for the request, as Panther's runner runs a file's.
import { PythonTests } from '../evaluate/run-python-tests.js';
import type { PythonRunner } from '../languages/python/runtime/runner.js';
import type { CatalogStore } from '../store/read.js';

export class ServerPythonTests {
  private readonly tests: PythonTests;
  /** The request whose tests run now: the next waits for it to end. */
  private turn: Promise<unknown> = Promise.resolve();
  private requests = 0;
  private closed = false;

  /** `store`: the catalog served now (its `test_code` holds the texts a run names); `start`: a new runner. */
  constructor(store: () => CatalogStore, start: () => PythonRunner) {
    this.tests = new PythonTests((sha1) => store().testCode(sha1), start);
  }

  /** Runs `work` with the runner to itself; `module` names the module its tests share (new for each request). */
  exclusive<T>(work: (python: PythonTests, module: string) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the server is closing'));
    const module = `request ${++this.requests}`;
    const run = this.turn.then(() => work(this.tests, module));
    this.turn = run.catch(() => undefined);
    return run;
  }

  /** Whether a runner process was started (a request ran a Python test). */
  started(): boolean {
    return this.tests.started();
  }

  /** Ends the runner process once the running request is answered. */
  async close(): Promise<void> {
    this.closed = true;
    await this.turn;
    await this.tests.close();
  }
}
