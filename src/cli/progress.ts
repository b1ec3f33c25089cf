import type { Output } from './output.js';

/** "analysing files: n/total" on one terminal line while a write analyses files (nothing when not a terminal). */
export function progressLine(io: Output): { update?: (p: { done: number; total: number }) => void; done(): void } {
  if (!io.isTTY) return { done() {} };
  let last = '';
  return {
    update(p) {
      const line = `\ranalysing files: ${p.done}/${p.total}`;
      if (line !== last) process.stderr.write(line.padEnd(60));
      last = line;
    },
    done() {
      if (last) process.stderr.write('\r'.padEnd(61) + '\r');
    },
  };
}
