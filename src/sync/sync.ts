// `ruleatlas sync`: fetch every source, rebuild the catalog incrementally, keep history.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AttackCatalog } from '../attack/catalog.js';
import { locateAttackBundle } from '../attack/locate.js';
import type { Output } from '../cli/output.js';
import { prepareLanguages } from '../languages/registry.js';
import { makeReport, type BuildReport, type SourceStatus, type SyncSummary } from '../report/report.js';
import { CatalogWriter } from '../store/writer.js';
import type { SyncConfig } from './config.js';
import { checkoutSource } from './git.js';
import { incrementalBuild, type SyncedSource } from './incremental.js';
import { PreviousCatalog } from './previous.js';

export interface SyncOptions {
  config: SyncConfig;
  db: string;
  /** Where git sources are cloned; default `.ruleatlas-cache` beside the catalog. */
  cache?: string;
  attack?: string;
}

export interface SyncOutcome {
  report: BuildReport;
  summary: SyncSummary;
  /** True when some source could not be fetched or read. */
  failed: boolean;
}

const reasonOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Fetch the sources (a failed one keeps its previous rules) and write the new catalog. */
export async function runSync(opts: SyncOptions, io: Output): Promise<SyncOutcome> {
  const cache = resolve(opts.cache ?? join(dirname(resolve(opts.db)), '.ruleatlas-cache'));
  const now = new Date().toISOString();
  const statuses: SourceStatus[] = [];
  const synced: SyncedSource[] = [];
  for (const source of opts.config.sources) {
    if (io.isTTY) process.stderr.write(`syncing ${source.name} ...\n`);
    try {
      if (source.kind === 'git') {
        mkdirSync(cache, { recursive: true });
        const c = checkoutSource(source, cache);
        synced.push({ name: source.name, root: c.dir, commit: c.commit, date: c.date });
        statuses.push({ name: source.name, kind: 'git', ok: true, commit: c.commit, date: c.date });
      } else {
        if (!existsSync(source.dir) || !statSync(source.dir).isDirectory()) throw new Error(`folder ${source.dir} does not exist`);
        synced.push({ name: source.name, root: source.dir, commit: '', date: now });
        statuses.push({ name: source.name, kind: 'dir', ok: true, date: now });
      }
    } catch (err) {
      const where = source.kind === 'git' ? source.git : source.dir;
      io.err(`source "${source.name}" (${where}) could not be synced: ${reasonOf(err)}; its rules are kept as they were`);
      synced.push({ name: source.name, commit: '', date: now });
      statuses.push({ name: source.name, kind: source.kind, ok: false, error: reasonOf(err) });
    }
  }

  await prepareLanguages();
  const roots = synced.flatMap((s) => (s.root ? [s.root, join(s.root, 'enterprise-attack')] : []));
  const attackPath = opts.attack ?? opts.config.attack ?? locateAttackBundle(roots);
  const attack = AttackCatalog.loadIfPresent(attackPath);
  if (!attackPath) io.err('note: no ATT&CK bundle found (set "attack" in the config); techniques are shown by id only');

  const prev = PreviousCatalog.open(opts.db);
  const writer = new CatalogWriter(opts.db);
  try {
    const sync = Number(prev?.meta('lastSync') ?? '0') + 1;
    let last = '';
    const result = incrementalBuild(synced, {
      attack,
      writer,
      prev,
      sync,
      onProgress: io.isTTY
        ? (p) => {
            const line = `\ranalysing files: ${p.done}/${p.total}`;
            if (line !== last) process.stderr.write(line.padEnd(60));
            last = line;
          }
        : undefined,
    });
    if (io.isTTY) process.stderr.write('\r'.padEnd(61) + '\r');
    prev?.close();
    const summary: SyncSummary = { sync, at: now, ...result.counts, changes: result.changes, sources: statuses };
    // The report counts the rules that exist upstream; removed ones are in the catalog only.
    const report: BuildReport = { ...makeReport({ ...result, rules: result.rules.filter((r) => !r.removed) }), sync: summary };
    writer.setMeta('lastSync', String(sync));
    if (attack.size) writer.setMeta('attackMatrix', JSON.stringify(attack.matrix()));
    writer.finish(result.rules, report);
    return { report, summary, failed: statuses.some((s) => !s.ok) };
  } catch (err) {
    prev?.close();
    writer.abort();
    throw err;
  }
}
