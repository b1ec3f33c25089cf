// Watch mode for rule authors: local folder sources are watched; a change re-syncs them through
// the in-place update (git sources are left as the last sync left them) and the server reloads.
import { watch, type FSWatcher } from 'node:fs';
import type { Notes } from '../pipeline/notes.js';
import { CatalogStore } from '../store/read.js';
import type { SyncConfig } from './config.js';
import { runSync } from './sync.js';

export interface Watching {
  /** Resolves once no sync is running or waiting (tests). */
  idle(): Promise<void>;
  stop(): void;
}

export function watchSources(opts: {
  config: SyncConfig;
  db: string;
  attack?: string;
  notes: Notes;
  /** Receives the reloaded catalog after each sync. */
  onReload: (store: CatalogStore) => void;
  debounceMs?: number;
  /** How long a sync waits for another writer of the catalog (ms; default 10 minutes). */
  waitMs?: number;
}): Watching {
  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let pending = false;
  const resync = async () => {
    try {
      const outcome = await runSync(
        // Another writer (a `sync` run by hand, a build) is waited for: failing at once would leave
        // this change unsynced until the next save.
        { config: opts.config, db: opts.db, attack: opts.attack, offline: true, waitMs: opts.waitMs ?? 600_000 },
        { note: (text) => opts.notes.note(text) },
      );
      const s = outcome.summary;
      opts.notes.note(
        `watch: sync ${s.sync}: ${s.analysed} files analysed, rules added ${s.changes.added}, changed ${s.changes.changed}, removed ${s.changes.removed}`,
      );
      opts.onReload(CatalogStore.open(opts.db));
    } catch (err) {
      opts.notes.note(`watch: sync failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const schedule = () => {
    pending = true;
    clearTimeout(timer);
    // Editors write a file in several steps: wait for them to settle, one sync at a time.
    timer = setTimeout(() => {
      pending = false;
      running = running.then(resync);
    }, opts.debounceMs ?? 300);
  };
  for (const source of opts.config.sources) {
    if (source.kind !== 'dir') continue;
    const w = watch(source.dir, { recursive: true }, (_event, name) => {
      if (name && /(^|\/)\.git(\/|$)/.test(String(name))) return;
      schedule();
    });
    w.on('error', (err) => opts.notes.note(`watch: ${source.dir}: ${err.message}`));
    watchers.push(w);
  }
  return {
    async idle() {
      while (pending) await new Promise((r) => setTimeout(r, 50));
      await running;
    },
    stop() {
      clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}
