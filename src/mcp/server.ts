// The MCP server over a catalog: tools, resources, prompts and completions, on any transport
// (stdio: `ruleatlas mcp`; Streamable HTTP: `serve` at /mcp, mcp/http.ts).
import { readFileSync } from 'node:fs';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { platformInfo } from '../platforms/registry.js';
import type { CatalogStore } from '../store/read.js';
import { registerAuthoringTools } from './authoring-tools.js';
import { registerCatalogTools } from './catalog-tools.js';
import { registerCoverageTools } from './coverage-tools.js';
import { registerCrossTools } from './cross-tools.js';
import { registerPrompts } from './prompts.js';
import { registerEvaluateTools } from './evaluate-tools.js';
import type { ServerPythonTests } from '../web/python-tests.js';
import { registerResources } from './resources.js';
import { registerThreatTools } from './threat-tools.js';

/** Read once: an HTTP server makes a server per request. */
let version: string | undefined;

function packageVersion(): string {
  return (version ??= readVersion());
}

function readVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Instructions per catalog: an HTTP server makes a server per request, a catalog's counts never change. */
const instructionsOf = new WeakMap<CatalogStore, string>();

/** What the assistant is told the server holds, from the catalog itself. */
function instructions(store: CatalogStore): string {
  let text = instructionsOf.get(store);
  if (text === undefined) instructionsOf.set(store, (text = describeCatalog(store)));
  return text;
}

function describeCatalog(store: CatalogStore): string {
  const byPlatform = new Map<string, number>();
  for (const r of store.rules) byPlatform.set(r.platform, (byPlatform.get(r.platform) ?? 0) + 1);
  const platforms = [...byPlatform]
    .sort((a, b) => b[1] - a[1])
    .map(([p, n]) => `${platformInfo(p)?.name ?? p} ${n}`)
    .join(', ');
  return [
    `A ruleatlas catalog of ${store.rules.length} security detection rules (${platforms || 'none'}), each with its query parsed: ` +
      'pipeline stages, indicators (field, operator, value; also in a canonical field vocabulary shared across platforms), the provider events it watches (Okta, CloudTrail, Windows Security ...), ' +
      'ATT&CK techniques, and links to rules on other platforms detecting the same action.',
    'Rule ids are `platform:nativeId`; tools also take a native id or the rule file path. Answers are compact: page with `page`/`pageSize`, ask for detail with `include`, read a whole rule at ruleatlas://rules/<id>.',
    'Start with search_rules (words and filters) or facet_values (what values a filter takes). For "do we cover X": attack_coverage, technique_detail, provider_events, compare_platforms. ' +
      'For "are we ready for this actor": list_threats, threat_coverage; for a CVE: cve_coverage; for "what do we see with these logs": log_visibility. ' +
      'For "which rules do the same as this one": find_equivalents; "would it fire on this log": fire_event, test_rule. Before writing a rule: analyze_query or analyze_rule_text (which also lists the nearest existing rules).',
    `${store.mine.size ? `Sources marked as the user's own: ${[...store.mine].join(', ')} (my_coverage_gaps).` : ''}`,
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * An MCP server reading `catalog()` at each request (a watching server swaps catalogs); `python`:
 * the runner test_rule runs a Panther Python rule's stored tests on (none: they are `unknown`).
 */
export function createMcpServer(catalog: () => CatalogStore, python?: ServerPythonTests): McpServer {
  const server = new McpServer(
    { name: 'ruleatlas', title: 'ruleatlas detection rule catalog', version: packageVersion() },
    { instructions: instructions(catalog()), capabilities: { completions: {} } },
  );
  registerCatalogTools(server, catalog);
  registerCrossTools(server, catalog);
  registerCoverageTools(server, catalog);
  registerThreatTools(server, catalog);
  registerAuthoringTools(server, catalog);
  registerEvaluateTools(server, catalog, python);
  registerResources(server, catalog);
  registerPrompts(server, catalog);
  return server;
}
