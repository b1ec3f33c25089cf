// The peer in the benchmark: MHaggis/Security-Detections-MCP, an MCP server that indexes rule
// folders into SQLite with regular expressions. `--peer DIR` names a checkout of it that is already
// built (`npm install && npm run build` in it; nothing of it is vendored here). We run its own entry
// point, `node DIR/dist/index.js`, as its users do: the folders go in its environment variables
// (SIGMA_PATHS, SPLUNK_PATHS, ...), its catalog goes to $HOME/.cache/security-detections-mcp, so
// each run gets a fresh HOME (it indexes only into an empty catalog), and with stdin at its end
// the server it starts after indexing exits. Its start-up work after indexing (procedure
// extraction, junction tables, the ATT&CK bundle) is timed with it: that is what it does before it
// answers; the time until its "Indexed N detections" line is shown apart.
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { type Measured, runMeasured } from './measure.js';

export interface PeerRun extends Measured {
  rules: number;
  /** Rules by the peer's `source_type` (sigma, splunk_escu, elastic, kql, ...). */
  byType: Record<string, number>;
  /** Time until its log says how many detections it indexed; undefined when the line is missing. */
  indexedMs?: number;
}

/** The entry point of a built checkout, or why DIR is not one. */
export function peerEntry(dir: string): { entry: string } | { error: string } {
  const entry = join(dir, 'dist', 'index.js');
  if (existsSync(entry) && existsSync(join(dir, 'dist', 'indexer.js'))) return { entry };
  return { error: `${dir} is not a built checkout of Security-Detections-MCP (no dist/index.js; run npm install && npm run build in it)` };
}

/**
 * The peer's environment for our source folders, by folder name; folders it has no reader for
 * (Panther, Chronicle, Sigma regression data) are left out. It reads Markdown and .kql files under
 * KQL_PATHS; Splunk detections and stories are separate variables.
 */
export function peerFolders(sources: string[]): { env: Record<string, string>; used: string[]; skipped: string[] } {
  const paths: Record<string, string[]> = {};
  const add = (key: string, path: string) => (paths[key] ??= []).push(path);
  const used: string[] = [];
  const skipped: string[] = [];
  for (const src of sources) {
    const name = basename(src).toLowerCase();
    if (name.startsWith('sigma') && !name.includes('regression')) add('SIGMA_PATHS', src);
    else if (name.startsWith('elastic')) add('ELASTIC_PATHS', src);
    else if (name.startsWith('kql') || name.startsWith('sentinel')) add('KQL_PATHS', src);
    else if (name.startsWith('splunk')) {
      const detections = join(src, 'detections');
      add('SPLUNK_PATHS', existsSync(detections) ? detections : src);
      if (existsSync(join(src, 'stories'))) add('STORY_PATHS', join(src, 'stories'));
    } else {
      skipped.push(src);
      continue;
    }
    used.push(src);
  }
  const env = Object.fromEntries(Object.entries(paths).map(([key, list]) => [key, list.join(',')]));
  return { env, used, skipped };
}

/** One indexing by the peer in a fresh process and a fresh catalog. */
export async function runPeer(entry: string, sources: string[], attack: string | undefined): Promise<PeerRun> {
  const home = mkdtempSync(join(tmpdir(), 'ruleatlas-peer-home-'));
  try {
    const env: Record<string, string> = { ...peerFolders(sources).env, HOME: home };
    if (attack) env.ATTACK_STIX_PATH = attack;
    const run = await runMeasured([entry], { env });
    if (run.code !== 0) {
      const tail = run.stderr
        .slice(-5)
        .map((l) => l.line)
        .join('\n');
      throw new Error(`the peer exited ${run.code ?? run.signal}:\n${tail}`);
    }
    const indexedLine = run.stderr.find((l) => /Indexed \d+ detections/.test(l.line));
    const byType = countRules(join(home, '.cache', 'security-detections-mcp', 'detections.sqlite'));
    const logged = indexedLine ? Number(/Indexed (\d+) detections/.exec(indexedLine.line)![1]) : undefined;
    const rules = byType ? Object.values(byType).reduce((a, b) => a + b, 0) : (logged ?? 0);
    return { ...run, rules, byType: byType ?? {}, indexedMs: indexedLine?.ms };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** Rules in the peer's catalog by source type; undefined when its schema is not the one known here. */
function countRules(db: string): Record<string, number> | undefined {
  if (!existsSync(db)) return undefined;
  const conn = new Database(db, { readonly: true });
  try {
    const rows = conn.prepare('SELECT source_type AS type, count(*) AS n FROM detections GROUP BY source_type').all() as {
      type: string;
      n: number;
    }[];
    return Object.fromEntries(rows.map((r) => [r.type, r.n]));
  } catch {
    return undefined; // another schema: the count of its log line is used
  } finally {
    conn.close();
  }
}
