// The sameAction lists of a catalog (table action_lists), each stored once. The rules watching the
// same events on one platform share one list (catalog/corpus.ts linkSameAction), each leaving out
// its own copies: stored per rule, these lists grew with the square of the corpus (115 of the 165 MB
// of corpus-level fields with the shared corpus written four times over). A rule's row names its
// list (rules.action_list); a reader leaves out the rule's own copies (store/read.ts).
import type Database from 'better-sqlite3';
import { hash } from 'node:crypto';
import { pack, type Packed, unpack } from './codec.js';

export class ActionLists {
  private readonly byHash: Database.Statement<[Buffer], number>;
  private readonly insert: Database.Statement<[Buffer, Packed]>;
  /** Lists this writer has stored or found: the rules of one list share its array (one pass's). */
  private readonly seen = new WeakMap<object, number>();

  constructor(private readonly db: Database.Database) {
    this.byHash = db.prepare<[Buffer], number>('SELECT id FROM action_lists WHERE sha1 = ?').pluck();
    this.insert = db.prepare<[Buffer, Packed]>('INSERT INTO action_lists (sha1, ids) VALUES (?, ?)');
  }

  /** The number of a list of rules (their ids, in this order), stored on first sight. */
  id(list: readonly { id: string }[]): number {
    let id = this.seen.get(list);
    if (id !== undefined) return id;
    const text = JSON.stringify(list.map((r) => r.id));
    const sha1 = hash('sha1', text, 'buffer');
    id = this.byHash.get(sha1) ?? Number(this.insert.run(sha1, pack(text)).lastInsertRowid);
    this.seen.set(list, id);
    return id;
  }

  /** Drop the lists no rule names any more (a sync rewrote every row naming them). */
  prune(): void {
    this.db.exec('DELETE FROM action_lists WHERE id NOT IN (SELECT action_list FROM rules WHERE action_list IS NOT NULL)');
  }
}

/** Every stored list, by number. */
export function readActionLists(db: Database.Database): Map<number, string[]> {
  const rows = db.prepare('SELECT id, ids FROM action_lists').raw().all() as [number, Packed][];
  return new Map(rows.map(([id, ids]) => [id, JSON.parse(unpack(ids)) as string[]]));
}
