import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { exploreIndex } from '../../explore/index.js';
import { createMcpServer } from '../../mcp/server.js';
import { warmCoverage } from '../../web/coverage-routes.js';
import { ServerPythonTests } from '../../web/python-tests.js';
import { createPythonRunner } from '../../languages/python/runtime/runner.js';
import { CatalogStore } from '../../store/read.js';
import { type Command, type CommandOptions, parseOptions, UsageError } from '../command.js';

const options = { db: { type: 'string' } } as const satisfies CommandOptions;

export const mcpCommand: Command = {
  name: 'mcp',
  options,
  summary: 'serve a catalog to AI assistants over MCP (stdio)',
  help: `Usage: ruleatlas mcp --db FILE

Runs a Model Context Protocol server on standard input and output for an AI assistant
(Claude Code, Cursor, VS Code, Codex ...): tools to search rules, read one, find the
same rule on other platforms, ATT&CK and provider coverage, and to analyse a query or a
rule file; resources (ruleatlas://rules/<id>, ruleatlas://report) and prompts.
It only reads the catalog. \`serve\` offers the same server over HTTP at /mcp.

Options:
  --db FILE  the catalog`,
  async run(argv, io) {
    const { values } = parseOptions(argv, options);
    if (values.help) return (io.out(this.help), 0);
    if (!values.db) throw new UsageError('--db FILE is required');
    const store = CatalogStore.open(values.db);
    // test_rule runs Panther Python tests on one runner, started by the first that needs it.
    const python = new ServerPythonTests(
      () => store,
      () => createPythonRunner(),
    );
    const server = createMcpServer(() => store, python);
    // The per-catalog indexes (seconds on a large catalog) are built once the client is set up,
    // while its user is still typing, not inside the first search or coverage call.
    server.server.oninitialized = () =>
      setTimeout(() => {
        exploreIndex(store);
        warmCoverage(store);
      }, 0);
    const transport = new StdioServerTransport();
    // Standard output is the protocol's: what the server has to say goes to standard error.
    io.err(`ruleatlas mcp: ${store.rules.length} rules from ${values.db}`);
    const closed = new Promise<void>((resolve) => {
      transport.onclose = resolve;
      // The client ending its side of the pipe ends the session.
      process.stdin.once('end', resolve);
    });
    await server.connect(transport);
    await closed;
    await server.close();
    await python.close();
    store.close();
    return 0;
  },
};
