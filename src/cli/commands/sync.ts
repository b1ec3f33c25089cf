import { findConfig, loadConfig } from '../../sync/config.js';
import { runSync } from '../../sync/sync.js';
import type { SyncSummary } from '../../report/report.js';
import { type Command, parseOptions, parseWait, UsageError } from '../command.js';
import { notesFor } from '../notes.js';
import { json, type Output } from '../output.js';

function syncLines(s: SyncSummary): string {
  const lines = [
    `sync ${s.sync}: files analysed ${s.analysed}, reused ${s.reused}, removed ${s.removed}`,
    ...Object.entries(s.why ?? {}).map(([why, n]) => `  ${n} analysed again although unchanged: ${why}`),
    `rules added ${s.changes.added}, changed ${s.changes.changed}, removed ${s.changes.removed}`,
  ];
  for (const src of s.sources) {
    lines.push(`  ${src.name}: ${src.ok ? (src.commit ? `${src.commit.slice(0, 12)} (${src.date})` : 'folder') : `FAILED: ${src.error}`}`);
  }
  return lines.join('\n');
}

export const syncCommand: Command = {
  name: 'sync',
  summary: 'fetch the configured rule sources (git) and update a catalog incrementally',
  help: `Usage: ruleatlas sync [--config FILE] --db FILE [--cache DIR] [--attack FILE] [--prune] [--wait SECONDS] [--json]

Reads the sources of ruleatlas.config.json (or ruleatlas.config.yaml) in the working folder:
git sources are cloned shallow and sparse into the cache (later syncs fetch the ref again),
folder sources are read in place. Only files whose content changed are analysed again; rules
of deleted files stay in the catalog marked as removed, and every rule keeps its history.
A source that cannot be fetched keeps the rules of the previous sync.

Options:
  --config FILE  the sources config (default ./ruleatlas.config.json or .yaml)
  --db FILE      the catalog to update (in place, in one transaction; written from scratch,
                 atomically, when there is none or it has an older schema)
  --cache DIR    where git sources are checked out (default .ruleatlas-cache beside the catalog)
  --attack FILE  ATT&CK enterprise bundle (default: "attack" in the config, or found in a source)
  --prune        mark the rules of sources no longer in the config removed (history kept); without
                 it a sync that would lose a source's rules is refused (a renamed or mistyped source)
  --wait SECONDS when another process is writing the catalog, wait up to SECONDS for it to end
                 (default: fail at once, naming that process)
  --json         print the build report as JSON (its "sync" member has the counts)
Exit status: 0 when every source synced, 1 when some source failed, 2 on usage errors.`,
  async run(argv, io: Output) {
    const { values } = parseOptions(argv, {
      config: { type: 'string' },
      db: { type: 'string' },
      cache: { type: 'string' },
      attack: { type: 'string' },
      prune: { type: 'boolean' },
      wait: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.help) return (io.out(this.help), 0);
    if (!values.db) throw new UsageError('--db FILE is required');
    const config = loadConfig(findConfig(values.config));
    const waitMs = parseWait(values.wait);
    const outcome = await runSync(
      { config, db: values.db, cache: values.cache, attack: values.attack, prune: values.prune, waitMs },
      notesFor(io),
    );
    // The summary names languages: their modules are loaded for it, not for --json.
    const summarise = async () => (await import('./build.js')).summarise(outcome.report);
    io.out(values.json ? json(outcome.report) : `${syncLines(outcome.summary)}\n\n${await summarise()}`);
    return outcome.failed ? 1 : 0;
  },
};
