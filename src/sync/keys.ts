// How sync names a file and a rule across runs.
import type { RuleCore } from '../catalog/staged.js';
import { detached } from '../model/detached.js';
import type { HistoryEntry } from '../model/types.js';

/** What history follows: platform, native id and where the rule lives. */
export const historyKey = (rule: Pick<RuleCore, 'platform' | 'nativeId' | 'sourceName' | 'path'>) =>
  `${rule.platform}:${rule.nativeId}:${rule.sourceName}/${rule.path}`;

export const fileKey = (source: string, path: string) => `${source}\0${path}`;

/** A source as this sync found it. */
export interface SyncedSource {
  name: string;
  /** Where its files are; undefined when it could not be fetched (its previous files are kept as they were). */
  root?: string;
  /** Commit and commit date; for folder sources an empty commit and the sync time. */
  commit: string;
  date: string;
  /** The name it would have had, when another source already had it (`build` names folder sources by their folder). */
  renamedFrom?: string;
}

export interface SyncCounts {
  /** Files read and analysed (new or changed content). */
  analysed: number;
  /** Files whose stored analysis was reused. */
  reused: number;
  /** Files gone from their source. */
  removed: number;
  /** Of the files analysed, how many for a reason other than their own content (the analyser changed, a file they read changed). */
  why?: Record<string, number>;
}

export interface RuleChanges {
  added: number;
  changed: number;
  removed: number;
}

/** History as it grows during one sync: per rule key, plus the entries this sync adds. */
export class HistoryLog {
  readonly added: { key: string; entry: HistoryEntry }[] = [];
  readonly changes: RuleChanges = { added: 0, changed: 0, removed: 0 };

  constructor(
    readonly byKey: Map<string, HistoryEntry[]>,
    private readonly sync: number,
  ) {}

  /** Live: seen and not removed at its last change. */
  isLive(key: string): boolean {
    const last = this.byKey.get(key)?.at(-1);
    return last !== undefined && last.change !== 'removed';
  }

  record(key: string, change: HistoryEntry['change'], src: Pick<SyncedSource, 'commit' | 'date'>): void {
    const entry: HistoryEntry = { change, commit: src.commit, date: src.date, sync: this.sync };
    // Kept for the whole write: a key made of a rule's native id would keep its file's text alive.
    key = detached(key);
    this.byKey.set(key, [...(this.byKey.get(key) ?? []), entry]);
    this.added.push({ key, entry });
    this.changes[change]++;
  }
}
