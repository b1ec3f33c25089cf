// Sends an export as it is serialized: a batch of pieces at a time, waiting for the socket to drain
// and yielding to the event loop between batches, so that a whole-catalog export neither holds its
// body in memory nor keeps other requests waiting. It stops at a size limit with a message.
import type { ServerResponse } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ExportStream } from '../export/export.js';

/** Bytes serialized before the loop yields: a few milliseconds of work. */
const batchBytes = 256 * 1024;

/** The line an export that reached its limit ends with, instead of the rest of its rules. */
function limitMessage(limitBytes: number, written: number, total: number): string {
  const mb = (limitBytes / 2 ** 20).toFixed(limitBytes < 2 ** 20 ? 2 : 0);
  return (
    `\nruleatlas: export stopped at the ${mb} MB limit after ${written} of ${total} rules; ` +
    'narrow the filters, or use `ruleatlas export` (no limit) or `serve --export-mb`\n'
  );
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** Write the export's pieces to `res` (headers already sent) until they end or reach `limitBytes`. */
export async function streamExport(res: ServerResponse, stream: ExportStream, limitBytes: number): Promise<void> {
  let sent = 0;
  let pieces = 0;
  let batch = 0;
  for (const piece of stream.pieces) {
    if (res.destroyed) return;
    const bytes = Buffer.byteLength(piece);
    if (sent + bytes > limitBytes) {
      // The first piece of a CSV is its header, of a JSON export the first rule: rules written = pieces before.
      const rulesWritten = Math.max(0, stream.contentType.startsWith('text/csv') ? pieces - 1 : pieces);
      res.end(limitMessage(limitBytes, rulesWritten, stream.rules));
      return;
    }
    sent += bytes;
    pieces++;
    batch += bytes;
    const more = res.write(piece);
    if (!more) await drained(res);
    if (batch >= batchBytes) {
      batch = 0;
      await nextTurn();
    }
  }
  res.end();
}
