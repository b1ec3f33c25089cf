// The process Panther Python runs in (started by runner.ts, never imported). It is started with an
// empty environment, Node's permission model (reads only of Pyodide's folder and the shim; no
// writes, child processes, threads or addons) and code generation from strings disallowed, so that
// a rule reaching JavaScript through Pyodide finds neither a secret nor a file nor a way to compile
// code. Pyodide gets a bare object as its `js` module, `js` and `pyodide_js` are unregistered, and
// Python refuses to import any module that reaches JavaScript (shim/ruleatlas_runner.py).
//
// Only node: modules are imported statically: every other file read must lie in an allowed folder.
import { constants as fsConstants, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The part of Emscripten's file system the shim is copied with (its types do not resolve here). */
interface MemoryFs {
  mkdirTree(path: string): void;
  writeFile(path: string, data: string): void;
}

interface Request {
  id: number;
  request: string;
}

const [pyodideDir, shimDir] = process.argv.slice(2) as [string, string];
/** Past this resident size (MB, the third argument) the process ends after its answer; the next call starts another. */
const maxRssBytes = Number(process.argv[4] ?? 1024) * 1024 * 1024;

/** Pyodide's file-system set-up asks process.binding for fs constants, which the permission model refuses. */
function allowConstantsBinding(): void {
  Object.defineProperty(process, 'binding', {
    configurable: true,
    value: (name: string) => {
      if (name === 'constants') return { fs: fsConstants };
      throw new Error(`process.binding('${name}') is not available`);
    },
  });
}

/** The shim's .py files, copied into Pyodide's own (in-memory) file system under /ruleatlas. */
function copyShim(fs: MemoryFs, from: string, to: string): void {
  fs.mkdirTree(to);
  for (const name of readdirSync(from)) {
    const path = join(from, name);
    if (statSync(path).isDirectory()) copyShim(fs, path, `${to}/${name}`);
    else if (name.endsWith('.py')) fs.writeFile(`${to}/${name}`, readFileSync(path, 'utf8'));
  }
}

/** What JavaScript globals could lend a rule that reached them: the network, timers are harmless. */
function removeHostReach(): void {
  const globals = globalThis as Record<string, unknown>;
  for (const name of ['fetch', 'WebSocket', 'Request', 'Response', 'Headers', 'EventSource', 'XMLHttpRequest']) delete globals[name];
  const proc = process as unknown as Record<string, unknown>;
  for (const name of ['getBuiltinModule', 'dlopen', '_linkedBinding', 'binding']) {
    Object.defineProperty(process, name, { configurable: false, value: undefined });
    void proc[name];
  }
}

async function start(): Promise<(request: string) => string> {
  allowConstantsBinding();
  const { loadPyodide } = (await import(pathToFileURL(join(pyodideDir, 'pyodide.mjs')).href)) as typeof import('pyodide');
  const py = await loadPyodide({
    indexURL: pyodideDir + '/',
    jsglobals: Object.create(null) as object,
    env: { HOME: '/home/pyodide' },
    stdout: () => undefined,
    stderr: () => undefined,
  });
  copyShim((py as unknown as { FS: MemoryFs }).FS, shimDir, '/ruleatlas/shim');
  py.runPython(`
import sys
sys.path.insert(0, "/ruleatlas/shim")
import ruleatlas_runner
ruleatlas_runner.lock_down()
`);
  const globals = py.globals as unknown as { get(name: string): { handle: (request: string) => string } };
  const { handle } = globals.get('ruleatlas_runner');
  py.unregisterJsModule('js');
  py.unregisterJsModule('pyodide_js');
  removeHostReach();
  return handle;
}

const started = Date.now();
start().then(
  (handle) => {
    process.send?.({ ready: true, loadMillis: Date.now() - started });
    process.on('message', (message: Request) => {
      let answer: string;
      let retire = false;
      try {
        answer = handle(message.request);
      } catch (err) {
        // Python itself failed (a stack overflow inside WebAssembly): Pyodide is unusable after it.
        answer = JSON.stringify({ error: `runner failure: ${(err as Error).message.slice(-500)}`, millis: 0 });
        retire = true;
      }
      // WebAssembly memory never shrinks: a process a rule made grow is replaced after its answer.
      if (process.memoryUsage().rss > maxRssBytes) retire = true;
      process.send?.({ id: message.id, answer, retiring: retire }, () => retire && process.exit(0));
    });
  },
  (err: Error) => {
    process.send?.({ fatal: err.message.slice(-2000) });
    process.exit(1);
  },
);
// The host is gone: nothing else will be asked.
process.on('disconnect', () => process.exit(0));
