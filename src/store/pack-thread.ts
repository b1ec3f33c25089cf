// Deflates the file-level texts of new rules (store/rows.ts) on another thread while the main thread
// analyses the next files: deflating is about a tenth of a build's CPU, and a build analyses on one
// thread (catalog/parallel.ts). Results come back in the order the texts were sent, so rows are
// inserted in the order they would have been without it.
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { Packed } from './codec.js';

/** What the thread is given for one rule: its JSON, its file (packed unless the previous rule had it), its core value. */
export interface PackRequest {
  /** UTF-8 (a Buffer sent, a Uint8Array received). */
  json: Uint8Array;
  body: string;
  packBody: boolean;
  /** Core and full-text values as `rule_core.core` holds them before deflating (rows.ts packCore). */
  core: string;
}

export interface PackResult {
  json: Packed;
  body?: Packed;
  core: Packed;
}

/** A Buffer crosses threads as a plain Uint8Array: a Buffer again, over the same bytes. */
const asPacked = (v: Packed | Uint8Array): Packed =>
  typeof v === 'string' || Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength);

/** Slots of the shared counter: [0] results posted (the main thread waits on it when it must). */
const POSTED = 0;

export class PackThread {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly posted: Int32Array;
  private failure?: Error;
  private taken = 0;
  private sent = 0;

  constructor() {
    const { port1, port2 } = new MessageChannel();
    const shared = new SharedArrayBuffer(4);
    this.posted = new Int32Array(shared);
    this.worker = new Worker(new URL('./pack-worker.js', import.meta.url), {
      workerData: { port: port2, shared },
      transferList: [port2],
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 2 },
    });
    this.worker.on('error', (err) => (this.failure ??= err));
    // Its exit must not keep a finished write's process alive.
    this.worker.unref();
    this.port = port1;
  }

  /** Texts in flight. */
  get pending(): number {
    return this.sent - this.taken;
  }

  send(request: PackRequest): void {
    this.port.postMessage(request);
    this.sent++;
  }

  /** The next result, in sending order; with `wait`, blocks until it comes (undefined: nothing in flight, or not yet). */
  next(wait: boolean): PackResult | undefined {
    if (this.taken === this.sent) return undefined;
    for (;;) {
      const message = receiveMessageOnPort(this.port);
      if (message) {
        this.taken++;
        const { json, body, core } = message.message as {
          json: Packed | Uint8Array;
          body?: Packed | Uint8Array;
          core: Packed | Uint8Array;
        };
        return { json: asPacked(json), core: asPacked(core), ...(body !== undefined && { body: asPacked(body) }) };
      }
      if (this.failure) throw new Error(`the catalog's deflating thread failed: ${this.failure.message}`, { cause: this.failure });
      if (!wait) return undefined;
      // Woken when the thread posts (or after 50 ms, to notice a thread that died without posting).
      Atomics.wait(this.posted, POSTED, Atomics.load(this.posted, POSTED), 50);
    }
  }

  close(): void {
    this.port.close();
    void this.worker.terminate();
  }
}
