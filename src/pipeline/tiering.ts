// How soon V8 hands a function to its optimizing compiler (TurboFan) in a process that writes a
// catalog. V8 counts the bytecode a function runs against a budget (`--interrupt-budget`, 66 KB by
// default) and optimizes it after a few budgets are spent. A write runs most of its code a few
// thousand times (a one-file sync runs each pass step over 10k rules once), which is enough to be
// optimized but not to repay the compile on V8's background threads: eight times the budget leaves
// that code to the baseline compiler (Sparkplug) and optimizes only what stays hot (the parsers of a
// build). Measured on the 2-core machine this project is built on (loaded, load average 12-20):
// a one-file Sigma value re-sync 1.41 -> 1.27 CPU s (8 pairs; 32 times the budget no better);
// a whole-corpus build 0.78-0.94x the CPU s (three pairs, notes in bin/ruleatlas.js runCapped).
import { setFlagsFromString } from 'node:v8';

/** Bytecode budget of a writing process: eight times V8's default. */
const WRITE_INTERRUPT_BUDGET = 8 * 67584;

/** The flag for a process started to write (bin/ruleatlas.js gives it to a build's capped child). */
export const writeTieringFlag = `--interrupt-budget=${WRITE_INTERRUPT_BUDGET}`;

/**
 * From now on in this process, functions tier up as in a writing process (a sync run in the bin's own
 * process): V8 reads the budget whenever it resets a function's, so code loaded after this call gets it.
 */
export function useWriteTiering(): void {
  setFlagsFromString(writeTieringFlag);
}
