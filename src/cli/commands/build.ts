import { basename, resolve } from 'node:path';
import { AttackCatalog } from '../../attack/catalog.js';
import { locateAttackBundle } from '../../attack/locate.js';
import { languageName, prepareLanguages } from '../../languages/registry.js';
import { writeCatalog } from '../../pipeline/write.js';
import type { SyncedSource } from '../../sync/keys.js';
import type { BuildReport } from '../../report/report.js';
import { type Command, parseOptions, parseWait, UsageError } from '../command.js';
import { json, type Output, table } from '../output.js';
import { notesFor } from '../notes.js';

export interface BuildOptions {
  sources: string[];
  /** Folders of the user's own rules (sources too, marked as theirs). */
  mine?: string[];
  db: string;
  attack?: string;
  /** How long to wait for another writer of the catalog (ms). */
  waitMs?: number;
}

/**
 * Build a catalog: the one write path (pipeline/write.ts) against an empty catalog, written to a
 * temporary file and renamed into place; it keeps the history of the catalog it replaces. Returns
 * the report, or undefined when nothing usable was found (nothing is written then).
 */
export async function runBuild(opts: BuildOptions, io: Output): Promise<BuildReport | undefined> {
  const now = new Date().toISOString();
  const folder = (dir: string): SyncedSource => ({ name: basename(resolve(dir)), root: dir, commit: '', date: now });
  const sources = uniqueNames([...opts.sources.map(folder), ...(opts.mine ?? []).map(folder)]);
  const mine = sources.slice(opts.sources.length);
  const notes = notesFor(io);
  for (const s of sources) {
    if (s.renamedFrom) notes.note(`note: another source folder is named "${s.renamedFrom}"; the one at ${s.root} is named "${s.name}"`);
  }
  const result = await writeCatalog(opts.db, sources, {
    fresh: true,
    waitMs: opts.waitMs,
    mine: mine.map((m) => m.name),
    prepare: async (languages) => {
      await prepareLanguages(languages);
      const attackPath = opts.attack ?? locateAttackBundle([...opts.sources, ...(opts.mine ?? [])]);
      if (!attackPath) notes.note('note: no ATT&CK bundle found (use --attack FILE); techniques are shown by id only');
      return { attack: AttackCatalog.loadIfPresent(attackPath), attackPath };
    },
    onProgress: notes.progress,
  });
  notes.end?.();
  return result.written ? result.report : undefined;
}

/**
 * Sources named by their folder, each name unique: a folder whose name an earlier one has (a fork
 * beside its upstream) is named `<name>-2`, `-3` ..., and keeps the name it would have had in `renamedFrom`.
 */
export function uniqueNames(sources: SyncedSource[]): SyncedSource[] {
  const taken = new Set(sources.map((s) => s.name));
  const seen = new Set<string>();
  return sources.map((source) => {
    if (!seen.has(source.name)) {
      seen.add(source.name);
      return source;
    }
    let n = 2;
    while (taken.has(`${source.name}-${n}`)) n++;
    const name = `${source.name}-${n}`;
    taken.add(name);
    seen.add(name);
    return { ...source, name, renamedFrom: source.name };
  });
}

export function summarise(report: BuildReport): string {
  const lines: string[] = [];
  lines.push(`${report.rules} rules from ${report.files} files in ${(report.millis / 1000).toFixed(1)} s`);
  lines.push('');
  const platformRows: (string | number)[][] = [['platform', 'rules', 'languages']];
  for (const [id, p] of Object.entries(report.platforms)) {
    platformRows.push([
      id,
      p.rules,
      Object.entries(p.languages)
        .map(([l, n]) => `${l} ${n}`)
        .join(', '),
    ]);
  }
  lines.push(table(platformRows), '');
  const langRows: (string | number)[][] = [['language', 'rules', 'parsed', 'failed', 'parsed %']];
  for (const [id, l] of Object.entries(report.languages)) {
    const analysed = l.rules - l.notAnalysed;
    langRows.push([
      languageName(id),
      l.rules,
      l.parsed,
      l.failed,
      analysed ? `${((100 * l.parsed) / analysed).toFixed(1)}%` : 'not analysed yet',
    ]);
  }
  lines.push(table(langRows), '');
  for (const r of report.renamedSources ?? []) lines.push(`source "${r.name}" is another folder named "${r.renamedFrom}", renamed`);
  if (report.duplicates) lines.push(`${report.duplicates} older copies of rules whose native id repeats (kept, marked)`);
  const partial = report.errors.filter((e) => e.partial).length;
  const unread = `${report.errors.length - partial} files could not be read${partial ? `, ${partial} were read in part` : ''}`;
  lines.push(`${report.failures.length} queries did not parse; ${unread}; ${report.skipped.length} files are not rules`);
  for (const e of report.errors.slice(0, 20)) lines.push(`  error: ${e.path}: ${e.reason}`);
  if (report.errors.length > 20) lines.push(`  ... and ${report.errors.length - 20} more (ruleatlas report)`);
  // Entries not read at all (links out of the source, pipes) are named, like errors; files that are not rules are only counted.
  const notRead = report.skipped.filter((s) => !s.reason.startsWith('no rule format'));
  for (const s of notRead.slice(0, 20)) lines.push(`  not read: ${s.path}: ${s.reason}`);
  if (notRead.length > 20) lines.push(`  ... and ${notRead.length - 20} more (ruleatlas report --json)`);
  const timing = report.timing;
  if (timing?.slowest) {
    const over = timing.over.length ? `; ${timing.over.length} over the ${timing.budgetMs} ms budget per file` : '';
    lines.push(`slowest file ${timing.slowest.path}: ${timing.slowest.ms} ms${over}`);
    for (const o of timing.over.slice(0, 20)) lines.push(`  over budget: ${o.path}: ${o.ms} ms`);
  }
  return lines.join('\n');
}

export const buildCommand: Command = {
  name: 'build',
  summary: 'read rule folders and write a catalog',
  help: `Usage: ruleatlas build --source DIR [--source DIR ...] [--mine DIR ...] --db FILE [--attack FILE] [--wait SECONDS] [--json]

Reads every file below each source folder, recognises rule formats by content
(Microsoft Sentinel YAML, Elastic Security TOML, Sigma YAML, Google SecOps (Chronicle)
.yaral, Panther YAML with its Python, Splunk ESCU YAML, KQL in markdown for Microsoft
Sentinel and Microsoft Defender XDR), parses every query and writes one SQLite catalog,
through the same write path as sync (a new catalog, renamed into place; the history of
the catalog it replaces is kept). Files that cannot be read are listed in the summary;
every other rule is kept.

Options:
  --source DIR   a folder of rule files (repeatable); its name is the rules' source name
                 (a second folder of one name is named <name>-2, and the report says so)
  --mine DIR     a folder of your own rules (repeatable): see the "Your rules" page
  --db FILE      the catalog to write (replaced atomically)
  --attack FILE  ATT&CK enterprise bundle (default: found beside a source, e.g. attack/enterprise-attack.json)
  --wait SECONDS when another process is writing the catalog, wait up to SECONDS for it to end
                 (default: fail at once, naming that process)
  --json         print the build report as JSON
Exit status: 0 when a catalog was written, 1 when no rule was found, 2 on usage errors.`,
  async run(argv, io) {
    const { values } = parseOptions(argv, {
      source: { type: 'string', multiple: true },
      mine: { type: 'string', multiple: true },
      db: { type: 'string' },
      attack: { type: 'string' },
      wait: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.help) return (io.out(this.help), 0);
    if (!values.source?.length && !values.mine?.length) throw new UsageError('--source DIR is required');
    if (!values.db) throw new UsageError('--db FILE is required');
    const report = await runBuild(
      { sources: values.source ?? [], mine: values.mine, db: values.db, attack: values.attack, waitMs: parseWait(values.wait) },
      io,
    );
    if (!report) {
      io.err('no rules found in the given sources; nothing was written');
      return 1;
    }
    io.out(values.json ? json(report) : summarise(report));
    return 0;
  },
};
