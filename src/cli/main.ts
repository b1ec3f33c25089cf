import { type Command, UsageError } from './command.js';
import { type Output, processOutput } from './output.js';

/** Each command's module, loaded only when that command runs (a sync need not load the web server). */
const loaders: Record<string, () => Promise<Command>> = {
  build: async () => (await import('./commands/build.js')).buildCommand,
  sync: async () => (await import('./commands/sync.js')).syncCommand,
  analyze: async () => (await import('./commands/analyze.js')).analyzeCommand,
  show: async () => (await import('./commands/show.js')).showCommand,
  export: async () => (await import('./commands/export.js')).exportCommand,
  test: async () => (await import('./commands/test.js')).testCommand,
  fire: async () => (await import('./commands/fire.js')).fireCommand,
  report: async () => (await import('./commands/report.js')).reportCommand,
  serve: async () => (await import('./commands/serve.js')).serveCommand,
  start: async () => (await import('./commands/start.js')).startCommand,
  mcp: async () => (await import('./commands/mcp.js')).mcpCommand,
};

async function help(): Promise<string> {
  const commands = await Promise.all(Object.values(loaders).map((load) => load()));
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'ruleatlas: catalog and analysis of security detection rules',
    '',
    'Usage: ruleatlas <command> [options]   (ruleatlas <command> --help for details)',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

export async function main(argv: string[], io: Output = processOutput): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(await help());
    return name ? 0 : 2;
  }
  const load = Object.hasOwn(loaders, name) ? loaders[name] : undefined;
  if (!load) {
    io.err(`unknown command: ${name}\n\n${await help()}`);
    return 2;
  }
  const command = await load();
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
