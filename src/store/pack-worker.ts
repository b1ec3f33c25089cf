// The thread of store/pack-thread.ts: deflates what it is sent, exactly as store/rows.ts would.
import { type MessagePort, workerData } from 'node:worker_threads';
import { deflateBytes, FAST_LEVEL, pack } from './codec.js';
import type { PackRequest, PackResult } from './pack-thread.js';

const { port, shared } = workerData as { port: MessagePort; shared: SharedArrayBuffer };
const posted = new Int32Array(shared);

port.on('message', ({ json, body, packBody, core }: PackRequest) => {
  const bodyBytes = Buffer.from(body);
  const jsonBytes = Buffer.from(json.buffer, json.byteOffset, json.byteLength);
  const result: PackResult = { json: deflateBytes(jsonBytes, bodyBytes), core: pack(core, jsonBytes, undefined, FAST_LEVEL) };
  if (packBody) result.body = pack(body);
  // Copied, not transferred: a small deflated value may sit in Node's shared Buffer pool.
  port.postMessage(result);
  Atomics.add(posted, 0, 1);
  Atomics.notify(posted, 0);
});
