// `ruleatlas sync`: fetch every source, update the catalog (in place when it can), keep history.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AttackCatalog } from '../attack/catalog.js';
import { locateAttackBundle } from '../attack/locate.js';
import type { Output } from '../cli/output.js';
import { prepareLanguages } from '../languages/registry.js';
import { makeReport, type BuildReport, type SourceStatus, type SyncSummary } from '../report/report.js';
import { CatalogWriter } from '../store/writer.js';
import type { SyncConfig } from './config.js';
import { fullBuild, readOldHistory } from './full.js';
import { checkoutSource } from './git.js';
import type { RuleChanges, SyncCounts, SyncedSource } from './keys.js';
import { updatableSync, updateInPlace } from './update.js';

export interface SyncOptions {
  config: SyncConfig;
  db: string;
  /** Where git sources are cloned; default `.ruleatlas-cache` beside the catalog. */
  cache?: string;
  attack?: string;
  /** Leave git sources as the last sync left them (watch mode: only local folders change). */
  offline?: boolean;
}

export interface SyncOutcome {
  report: BuildReport;
  summary: SyncSummary;
  /** True when some source could not be fetched or read. */
  failed: boolean;
}

const reasonOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Fetch the sources (a failed one keeps its previous rules) and update or write the catalog. */
export async function runSync(opts: SyncOptions, io: Output): Promise<SyncOutcome> {
  const cache = resolve(opts.cache ?? join(dirname(resolve(opts.db)), '.ruleatlas-cache'));
  const now = new Date().toISOString();
  const statuses: SourceStatus[] = [];
  const synced: SyncedSource[] = [];
  for (const source of opts.config.sources) {
    if (source.kind === 'git' && opts.offline) {
      synced.push({ name: source.name, commit: '', date: now });
      statuses.push({ name: source.name, kind: 'git', ok: true });
      continue;
    }
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

  // Languages and ATT&CK cost time to load: only when a file is to be analysed.
  const attackPathOf = () => {
    const roots = synced.flatMap((s) => (s.root ? [s.root, join(s.root, 'enterprise-attack')] : []));
    return opts.attack ?? opts.config.attack ?? locateAttackBundle(roots);
  };
  const loadAttack = async (languages?: string[]) => {
    await prepareLanguages(languages);
    const attackPath = attackPathOf();
    if (!attackPath) io.err('note: no ATT&CK bundle found (set "attack" in the config); techniques are shown by id only');
    return AttackCatalog.loadIfPresent(attackPath);
  };
  let last = '';
  const onProgress = io.isTTY
    ? (p: { done: number; total: number }) => {
        const line = `\ranalysing files: ${p.done}/${p.total}`;
        if (line !== last) process.stderr.write(line.padEnd(60));
        last = line;
      }
    : undefined;
  const mine = opts.config.sources.filter((s) => s.mine).map((s) => s.name);
  const summaryOf = (sync: number) => (counts: SyncCounts, changes: RuleChanges): SyncSummary => ({ sync, at: now, ...counts, changes, sources: statuses });

  const lastSync = updatableSync(opts.db);
  let written: { report: BuildReport; summary: SyncSummary };
  if (lastSync !== undefined) {
    const sync = lastSync + 1;
    const r = await updateInPlace(opts.db, synced, { sync, prepare: loadAttack, summary: summaryOf(sync), onProgress, mine });
    written = { report: r.report, summary: r.report.sync! };
  } else {
    const old = readOldHistory(opts.db);
    const sync = (old?.lastSync ?? 0) + 1;
    const attack = await loadAttack();
    const writer = new CatalogWriter(opts.db);
    try {
      const result = await fullBuild(synced, { attack, attackPath: attackPathOf(), writer, sync, history: old?.history, onProgress });
      const summary = summaryOf(sync)({ analysed: result.files, reused: 0, removed: 0 }, result.changes);
      const report: BuildReport = { ...makeReport(result), sync: summary };
      writer.setMeta('mine', JSON.stringify(mine));
      if (attack.size) writer.setMeta('attackMatrix', JSON.stringify(attack.matrix()));
      writer.finish(result.rules, report, result.pass);
      written = { report, summary };
    } catch (err) {
      writer.abort();
      throw err;
    }
  }
  if (io.isTTY) process.stderr.write('\r'.padEnd(61) + '\r');
  return { ...written, failed: statuses.some((s) => !s.ok) };
}
