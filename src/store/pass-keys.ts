import type Database from 'better-sqlite3';
import type { Dictionary, KeyKind } from '../catalog/pass.js';

/**
 * The catalog's dictionary of pass keys (table pass_keys), read a key at a time: a sync looks up
 * only the keys of the rules it analysed and the texts of what it rewrites. New keys are added; keys
 * no rule uses any more stay until the next full build.
 */
export class StoredDictionary implements Dictionary {
  private readonly ids = new Map<string, number>();
  private readonly texts = new Map<number, string>();
  private readonly byKey: Database.Statement<[string, string], number>;
  private readonly byId: Database.Statement<[number], string>;
  private readonly insert: Database.Statement<[string, string, string]>;

  constructor(db: Database.Database) {
    this.byKey = db.prepare<[string, string], number>('SELECT id FROM pass_keys WHERE kind = ? AND key = ?').pluck();
    this.byId = db.prepare<[number], string>('SELECT text FROM pass_keys WHERE id = ?').pluck();
    this.insert = db.prepare<[string, string, string]>('INSERT INTO pass_keys (kind, key, text) VALUES (?, ?, ?)');
  }

  id(kind: KeyKind, key: string, text = ''): number {
    const cached = `${kind}\u0000${key}`;
    let id = this.ids.get(cached) ?? this.byKey.get(kind, key);
    if (id === undefined) {
      id = Number(this.insert.run(kind, key, text).lastInsertRowid);
      this.texts.set(id, text);
    }
    this.ids.set(cached, id);
    return id;
  }

  text(id: number): string {
    let text = this.texts.get(id);
    if (text === undefined) this.texts.set(id, (text = this.byId.get(id) ?? ''));
    return text;
  }
}
