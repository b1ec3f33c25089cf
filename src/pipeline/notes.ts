/**
 * What a catalog write tells while it runs, whoever shows it: a terminal (cli/notes.ts), a watching
 * server's log, a test. The write and sync code know nothing of terminals.
 */
export interface Notes {
  /** A line for the person running it: a warning, a source that failed. */
  note: (text: string) => void;
  /** A step worth showing while it runs ("syncing elastic ..."). */
  step?: (text: string) => void;
  /** Files analysed so far. */
  progress?: (p: { done: number; total: number }) => void;
  /** The write is over: a live display is cleared. */
  end?: () => void;
}

/** Notes that keep nothing (benchmarks, quiet callers). */
export const silentNotes: Notes = { note: () => {} };
