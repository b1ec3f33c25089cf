import { analyzeCommand } from './commands/analyze.js';
import { buildCommand } from './commands/build.js';
import { exportCommand } from './commands/export.js';
import { reportCommand } from './commands/report.js';
import { serveCommand } from './commands/serve.js';
import { showCommand } from './commands/show.js';
import { startCommand } from './commands/start.js';
import { syncCommand } from './commands/sync.js';
import { type Command, UsageError } from './command.js';
import { type Output, processOutput } from './output.js';

const commands: readonly Command[] = [buildCommand, syncCommand, analyzeCommand, showCommand, exportCommand, reportCommand, serveCommand, startCommand];

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'ruleatlas: catalog and analysis of security detection rules',
    '',
    'Usage: ruleatlas <command> [options]   (ruleatlas <command> --help for details)',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

/** Run the CLI; resolves to the exit status. */
export async function main(argv: string[], io: Output = processOutput): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(help());
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`unknown command: ${name}\n\n${help()}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`${err.message}\n\n${command.help}`);
      return 2;
    }
    io.err(err instanceof Error ? err.message : String(err));
    return 1;
  }
}
