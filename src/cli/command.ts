import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Output } from './output.js';

/** A command's options as parseArgs reads them (parseOptions adds --help). */
export type CommandOptions = NonNullable<ParseArgsConfig['options']>;

export interface Command {
  name: string;
  summary: string;
  /** Full `--help` text. */
  help: string;
  /** The options `run` parses, so that a test can hold the help text to them. */
  options?: CommandOptions;
  run(argv: string[], io: Output): Promise<number>;
}

export class UsageError extends Error {}

/** parseArgs with readable errors; every command accepts --help. */
export function parseOptions<T extends CommandOptions>(argv: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

/** `--wait SECONDS`: how long a writer waits for another writer of the catalog to end (ms); undefined: not at all. */
export function parseWait(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0) throw new UsageError(`--wait must be a number of seconds, got ${raw}`);
  return Math.round(seconds * 1000);
}
