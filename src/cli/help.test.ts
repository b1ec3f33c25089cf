// Every command's --help, run in process: it exits 0, starts with a usage line and names every
// option the command parses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formats, platformInfo } from '../formats/registry.js';
import { captureOutput } from './capture-output.js';
import type { Command } from './command.js';
import { main } from './main.js';

/**
 * Options of the commands that do not declare them on the Command yet (build and sync are being
 * rewritten): the option names their run() parses.
 */
const undeclaredOptions: Record<string, string[]> = {
  build: ['source', 'mine', 'db', 'attack', 'json'],
  sync: ['config', 'db', 'cache', 'attack', 'json'],
};

async function run(...argv: string[]) {
  const io = captureOutput();
  const code = await main(argv, io);
  return { code, ...io };
}

/** The command names the top-level help lists (`  name  summary`). */
async function commandNames(): Promise<string[]> {
  const top = await run('--help');
  assert.equal(top.code, 0);
  return [...top.stdout.matchAll(/^ {2}(\S+) {2,}\S/gm)].map((m) => m[1]!);
}

/** `--name` (and `-x` for a short form) of every option a command parses, --help aside. */
function optionSpellings(command: Command): string[] {
  if (!command.options) return (undeclaredOptions[command.name] ?? []).map((name) => `--${name}`);
  return Object.entries(command.options).flatMap(([name, option]) => [`--${name}`, ...(option.short ? [`-${option.short}`] : [])]);
}

const commands = new Map<string, Command>();
async function commandNamed(name: string): Promise<Command> {
  // main() loads command modules by name; the modules export each command under `<name>Command`.
  const known = commands.get(name);
  if (known) return known;
  const module = (await import(`./commands/${name}.js`)) as Record<string, Command>;
  const command = module[`${name}Command`];
  assert.ok(command, `no ${name}Command in commands/${name}.js`);
  commands.set(name, command);
  return command;
}

test('the top-level help lists every command', async () => {
  assert.deepEqual(await commandNames(), ['build', 'sync', 'analyze', 'show', 'export', 'test', 'fire', 'report', 'serve', 'start', 'mcp']);
});

test('every command prints its help with --help and -h, exit 0, a Usage line naming every option it parses', async () => {
  for (const name of await commandNames()) {
    const command = await commandNamed(name);
    for (const flag of ['--help', '-h']) {
      const r = await run(name, flag);
      assert.equal(r.code, 0, `${name} ${flag}: ${r.stderr}`);
      assert.equal(r.stderr, '', name);
      assert.match(r.stdout, new RegExp(`^Usage: ruleatlas ${name}\\b`, 'm'), name);
    }
    const help = (await run(name, '--help')).stdout;
    const spellings = optionSpellings(command);
    assert.ok(spellings.length > 0, `${name}: no options known`);
    for (const spelling of spellings) {
      assert.match(help, new RegExp(`(^|[\\s\\[(,])${spelling}\\b`), `${name} --help does not mention ${spelling}`);
    }
  }
});

test('build --help names every rule format', async () => {
  const help = (await run('build', '--help')).stdout;
  for (const format of formats) {
    const names = [format.platform, ...(format.otherPlatforms ?? [])].map((p) => platformInfo(p)?.name ?? p);
    for (const name of names) assert.ok(help.includes(name), `build --help does not name ${name} (format ${format.id})`);
  }
});
