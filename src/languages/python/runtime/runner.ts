// Runs Panther Python rules for real: Pyodide (CPython compiled to WebAssembly) in a separate
// Node process that holds nothing of the host (sandbox-process.ts says how it is fenced), with a
// time limit per call: a call past it has its process killed, and the next call starts a new one.
import { type ChildProcess, fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PythonModules } from '../../../model/types.js';

/** A rule's Python module: its text, and the file name its errors name. */
export interface RuleModule {
  code: string;
  filename?: string;
}

/**
 * A log type's data model as `event.udm()` reads it: UDM name → JSON path (`$.a.b`), and UDM
 * name → the name of a function of the model's own module (`code`), called with the event.
 */
export interface PythonDataModel {
  paths: Record<string, string>;
  methods?: Record<string, string>;
  code?: string;
  filename?: string;
}

/** A test's mock: the rule module's `objectName` becomes a MagicMock returning `returnValue`. */
export interface RuleMock {
  objectName: string;
  returnValue: unknown;
}

export interface RunRuleRequest {
  rule: RuleModule;
  /** The helper modules the rule may import (`global_helpers/`), by module name → text. */
  helpers?: PythonModules;
  event: unknown;
  /** The event's log type: set as `p_log_type` when the event has none, as Panther's ingestion does. */
  logType?: string;
  mocks?: RuleMock[];
  dataModel?: PythonDataModel;
  /** The function to call: `rule` (default when defined) or `policy`. */
  function?: 'rule' | 'policy';
  /** Also call title(), dedup(), alert_context() ... when the rule returns True. */
  outputs?: boolean;
  /** Load the rule's module afresh instead of reusing the one loaded by an earlier call. */
  fresh?: boolean;
}

export interface RunRuleResult {
  /** What rule() returned (JSON-able; a value JSON cannot carry is its repr). */
  result?: unknown;
  /** Why the rule gave no boolean: an exception, a non-boolean result, a time limit. */
  error?: string;
  timedOut?: boolean;
  outputs?: Record<string, unknown>;
  outputErrors?: Record<string, string>;
  /** Time spent in Python on this call. */
  millis: number;
}

export interface PythonRunnerOptions {
  /** Time limit of one call (default 5 s): past it the process is killed and restarted. */
  timeoutMs?: number;
  /** Time limit of loading Pyodide (default 120 s: a loaded machine takes 6-13 s). */
  startTimeoutMs?: number;
  /** Heap cap of the process's JavaScript, in MB (default 512). */
  heapMb?: number;
  /**
   * Resident size past which the process is replaced after a call, in MB (default 1024): Python's
   * memory is WebAssembly memory, which only grows (to 4 GB at most), and no heap cap bounds it.
   */
  maxRssMb?: number;
}

export interface PythonRunner {
  runRule(request: RunRuleRequest): Promise<RunRuleResult>;
  /** Time the current process took to load Pyodide (after its first call). */
  loadMillis(): number | undefined;
  /** How many processes were started (1 + one per time-out or crash). */
  starts(): number;
  close(): Promise<void>;
}

interface Session {
  child: ChildProcess;
  ready: Promise<number>;
  /** Digests of the helper texts this process has been sent. */
  sent: Set<string>;
}

const here = dirname(fileURLToPath(import.meta.url));

function pyodideFolder(): string {
  return dirname(createRequire(import.meta.url).resolve('pyodide/package.json'));
}

/** Node 22.13+ names its permission model --permission; Node 20 --experimental-permission. */
function permissionFlag(): string {
  return process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';
}

/** Texts' digests, kept: a rule's tests send the same helper texts on every call. */
const digests = new Map<string, string>();
function digest(text: string): string {
  let known = digests.get(text);
  if (known === undefined) {
    if (digests.size >= 4096) digests.clear();
    known = createHash('sha1').update(text).digest('hex');
    digests.set(text, known);
  }
  return known;
}

/** Data models' digests, by object: the same model object is passed for each test of its log type. */
const modelDigests = new WeakMap<PythonDataModel, string>();
function modelDigest(model: PythonDataModel): string {
  let known = modelDigests.get(model);
  if (known === undefined) modelDigests.set(model, (known = digest(JSON.stringify(model))));
  return known;
}

export function createPythonRunner(options: PythonRunnerOptions = {}): PythonRunner {
  const timeoutMs = options.timeoutMs ?? 5000;
  const startTimeoutMs = options.startTimeoutMs ?? 120_000;
  let session: Session | undefined;
  let starts = 0;
  let loadMillis: number | undefined;
  let nextId = 1;
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  function spawn(): Session {
    starts++;
    const pyodideDir = pyodideFolder();
    const shimDir = join(here, 'shim');
    const child = fork(join(here, 'sandbox-process.js'), [pyodideDir, shimDir, String(options.maxRssMb ?? 1024)], {
      env: {},
      execArgv: [
        permissionFlag(),
        `--allow-fs-read=${pyodideDir}`,
        `--allow-fs-read=${here}`,
        '--disallow-code-generation-from-strings',
        `--max-old-space-size=${options.heapMb ?? 512}`,
        '--no-warnings',
      ],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    // A process that ends between calls (replaced after a call, or crashed) is not reused; a send
    // to it fails through send's callback, so its 'error' events carry nothing more to handle.
    child.on('exit', () => {
      if (session?.child === child) session = undefined;
    });
    child.on('error', () => undefined);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    const ready = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => (child.kill('SIGKILL'), reject(new Error(`Pyodide did not load within ${startTimeoutMs} ms`))),
        startTimeoutMs,
      );
      const onMessage = (message: { ready?: boolean; loadMillis?: number; fatal?: string }) => {
        if (message.ready) done(() => resolve(message.loadMillis ?? 0));
        else if (message.fatal) done(() => reject(new Error(`Pyodide failed to load: ${message.fatal}`)));
      };
      const onExit = (code: number | null) =>
        done(() => reject(new Error(`the Python process ended (${code}) while loading: ${stderr.trim()}`)));
      const done = (then: () => void) => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        then();
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
    });
    ready.then((ms) => (loadMillis = ms)).catch(() => undefined);
    return { child, ready, sent: new Set() };
  }

  function stop(): void {
    session?.child.kill('SIGKILL');
    session = undefined;
  }

  async function call(request: RunRuleRequest, retries = 1): Promise<RunRuleResult> {
    if (closed) throw new Error('the Python runner is closed');
    const current = (session ??= spawn());
    try {
      await current.ready;
    } catch (err) {
      if (session === current) session = undefined;
      throw err;
    }
    if (!current.child.connected) {
      // It ended after loading, before this call: a new process takes it (once).
      if (session === current) session = undefined;
      if (retries > 0) return call(request, retries - 1);
      return { error: 'the Python process ended before the call', millis: 0 };
    }
    const helpers: Record<string, { digest: string; text?: string }> = {};
    for (const [name, text] of Object.entries(request.helpers ?? {})) {
      const d = digest(text);
      helpers[name] = current.sent.has(d) ? { digest: d } : { digest: d, text };
    }
    const dataModel = request.dataModel && { ...request.dataModel, digest: modelDigest(request.dataModel) };
    const payload = JSON.stringify({
      rule: { ...request.rule, digest: digest(`${request.rule.filename ?? ''}\n${request.rule.code}`) },
      helpers,
      event: request.event,
      logType: request.logType,
      mocks: request.mocks ?? [],
      dataModel,
      function: request.function,
      outputs: request.outputs ?? false,
      fresh: request.fresh ?? false,
    });
    const id = nextId++;
    return new Promise<RunRuleResult>((resolve) => {
      const { child } = current;
      const timer = setTimeout(() => {
        cleanup();
        stop();
        resolve({ error: `time limit of ${timeoutMs} ms exceeded`, timedOut: true, millis: timeoutMs });
      }, timeoutMs);
      const onMessage = (message: { id?: number; answer?: string; retiring?: boolean }) => {
        if (message.id !== id || message.answer === undefined) return;
        cleanup();
        if (message.retiring && session === current) session = undefined;
        for (const entry of Object.values(helpers)) if (entry.text !== undefined) current.sent.add(entry.digest);
        resolve(JSON.parse(message.answer) as RunRuleResult);
      };
      const onExit = (code: number | null, signal: string | null) => {
        cleanup();
        if (session === current) session = undefined;
        resolve({ error: `the Python process ended (${signal ?? code})`, millis: 0 });
      };
      const cleanup = () => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
      child.send({ id, request: payload }, (err) => {
        if (!err) return;
        cleanup();
        if (session === current) session = undefined;
        resolve({ error: `the Python process could not be reached: ${err.message}`, millis: 0 });
      });
    });
  }

  return {
    runRule(request) {
      // One call at a time: the process answers in order, and a time-out must kill only its own call.
      const next = queue.then(() => call(request));
      queue = next.catch(() => undefined);
      return next;
    },
    loadMillis: () => loadMillis,
    starts: () => starts,
    async close() {
      closed = true;
      await queue;
      stop();
    },
  };
}
