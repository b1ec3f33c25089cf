import type { Notes } from '../pipeline/notes.js';
import type { Output } from './output.js';

/**
 * A write's notes on a command's output: lines on stderr, and on a terminal the steps and an
 * "analysing files: n/total" line kept up to date in place.
 */
export function notesFor(io: Output): Notes {
  let last = '';
  const clear = () => {
    if (last) process.stderr.write('\r'.padEnd(61) + '\r');
    last = '';
  };
  return {
    note: (text) => {
      clear();
      io.err(text);
    },
    step: io.isTTY ? (text) => (clear(), process.stderr.write(`${text}\n`)) : undefined,
    progress: io.isTTY
      ? (p) => {
          const line = `\ranalysing files: ${p.done}/${p.total}`;
          if (line !== last) process.stderr.write(line.padEnd(60));
          last = line;
        }
      : undefined,
    end: clear,
  };
}
