// `ruleatlas sync`: fetch every source, update the catalog (in place when it can), keep history.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { locateAttackBundle } from '../attack/locate.js';
import type { Notes } from '../pipeline/notes.js';
import { writeCatalog } from '../pipeline/write.js';
import type { BuildReport, SourceStatus, SyncSummary } from '../report/report.js';
import type { SyncConfig } from './config.js';
import { checkoutSource } from './git.js';
import type { SyncedSource } from './keys.js';

export interface SyncOptions {
  config: SyncConfig;
  db: string;
  /** Where git sources are cloned; default `.ruleatlas-cache` beside the catalog. */
  cache?: string;
  attack?: string;
  /** Leave git sources as the last sync left them (watch mode: only local folders change). */
  offline?: boolean;
  /** Mark the rules of sources no longer configured removed (without it such a sync is refused). */
  prune?: boolean;
  /** How long to wait for another writer of the catalog (ms). */
  waitMs?: number;
}

export interface SyncOutcome {
  report: BuildReport;
  summary: SyncSummary;
  /** True when some source could not be fetched or read. */
  failed: boolean;
}

const reasonOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Fetch the sources (a failed one keeps its previous rules) and update the catalog through the one write path (in place when it can). */
/**
 * A git source's URL as the report keeps it (served at /api/report, linked from rule pages): http(s)
 * only, without credentials, a query or a fragment (a config may hold a token in its URL).
 */
export function publicUrl(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    parsed.hash = '';
    return parsed.href;
  } catch {
    return undefined;
  }
}

export async function runSync(opts: SyncOptions, notes: Notes): Promise<SyncOutcome> {
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
    notes.step?.(`syncing ${source.name} ...`);
    try {
      if (source.kind === 'git') {
        mkdirSync(cache, { recursive: true });
        const c = checkoutSource(source, cache);
        synced.push({ name: source.name, root: c.dir, commit: c.commit, date: c.date });
        statuses.push({ name: source.name, kind: 'git', url: publicUrl(source.git), ok: true, commit: c.commit, date: c.date });
      } else {
        if (!existsSync(source.dir) || !statSync(source.dir).isDirectory()) throw new Error(`folder ${source.dir} does not exist`);
        synced.push({ name: source.name, root: source.dir, commit: '', date: now });
        statuses.push({ name: source.name, kind: 'dir', ok: true, date: now });
      }
    } catch (err) {
      const where = source.kind === 'git' ? source.git : source.dir;
      notes.note(`source "${source.name}" (${where}) could not be synced: ${reasonOf(err)}; its rules are kept as they were`);
      synced.push({ name: source.name, commit: '', date: now });
      statuses.push({ name: source.name, kind: source.kind, ok: false, error: reasonOf(err) });
    }
  }

  // Languages and ATT&CK cost time to load, their modules too: only when a file is to be analysed.
  const prepare = async (languages?: string[]) => {
    const [{ prepareLanguages }, { AttackCatalog }] = await Promise.all([
      import('../languages/registry.js'),
      import('../attack/catalog.js'),
    ]);
    await prepareLanguages(languages);
    const roots = synced.flatMap((s) => (s.root ? [s.root, join(s.root, 'enterprise-attack')] : []));
    const attackPath = opts.attack ?? opts.config.attack ?? locateAttackBundle(roots);
    if (!attackPath) notes.note('note: no ATT&CK bundle found (set "attack" in the config); techniques are shown by id only');
    return { attack: AttackCatalog.loadIfPresent(attackPath), attackPath };
  };
  const mine = opts.config.sources.filter((s) => s.mine).map((s) => s.name);
  const result = await writeCatalog(opts.db, synced, {
    prepare,
    mine,
    prune: opts.prune,
    waitMs: opts.waitMs,
    summary: (counts, changes, sync) => ({ sync, at: now, ...counts, changes, sources: statuses }),
    onProgress: notes.progress,
  });
  notes.end?.();
  return { report: result.report, summary: result.report.sync!, failed: statuses.some((s) => !s.ok) };
}
