import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import type { Rule } from '../model/types.js';

/**
 * Analysed rules wait on disk between analysis and the corpus pass: memory then holds only what
 * the corpus pass needs (see RuleCore), whatever the size of the corpus.
 */
export class StagingArea {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement<[string, string]>;
  private count = 0;

  constructor(private readonly path: string) {
    rmSync(path, { force: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.exec('CREATE TABLE staged (seq INTEGER PRIMARY KEY, json TEXT NOT NULL, body TEXT NOT NULL)');
    this.insert = this.db.prepare('INSERT INTO staged (json, body) VALUES (?, ?)');
    this.db.exec('BEGIN');
  }

  /** Keep a rule (without its corpus-level fields, which are decided later). */
  add(rule: Rule): void {
    const { body, ...rest } = rule;
    this.insert.run(JSON.stringify(rest), body);
    this.count++;
  }

  get size(): number {
    return this.count;
  }

  /** The staged rules, in the order they were added. */
  *entries(): Generator<{ json: string; body: string }> {
    if (this.db.inTransaction) this.db.exec('COMMIT');
    yield* this.db.prepare('SELECT json, body FROM staged ORDER BY seq').iterate() as Iterable<{ json: string; body: string }>;
  }

  dispose(): void {
    if (this.db.open) this.db.close();
    rmSync(this.path, { force: true });
  }
}
