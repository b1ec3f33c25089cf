import type Database from 'better-sqlite3';
import { hash } from 'node:crypto';
import type { Dictionary, KeyKind, MemoryDictionary } from '../catalog/pass.js';

/** What pass_keys looks a key up by (column `hash`): 48 bits of its sha1, a whole number in JavaScript and SQLite. */
const keyHash = (kind: KeyKind, key: string) => hash('sha1', `${kind}\u0000${key}`, 'buffer').readUIntBE(0, 6);

/** A fresh write's dictionary into its empty pass_keys table. */
export function insertPassKeys(db: Database.Database, dict: MemoryDictionary): void {
  const insert = db.prepare('INSERT INTO pass_keys (id, kind, key, text, hash) VALUES (?,?,?,?,?)');
  dict.keys.forEach((key, id) => insert.run(id, dict.kinds[id], key, dict.text(id), keyHash(dict.kinds[id]!, key)));
}

/**
 * The catalog's dictionary of pass keys (table pass_keys), read a key at a time: a sync looks up
 * only the keys of the rules it analysed and the texts of what it rewrites. New keys are added; keys
 * no rule uses any more stay until the next full build.
 */
export class StoredDictionary implements Dictionary {
  private readonly ids = new Map<string, number>();
  private readonly texts = new Map<number, string>();
  private readonly byKey: Database.Statement<[number, string, string], number>;
  private readonly byId: Database.Statement<[number], string>;
  private readonly insert: Database.Statement<[string, string, string, number]>;

  constructor(db: Database.Database) {
    this.byKey = db.prepare<[number, string, string], number>('SELECT id FROM pass_keys WHERE hash = ? AND kind = ? AND key = ?').pluck();
    this.byId = db.prepare<[number], string>('SELECT text FROM pass_keys WHERE id = ?').pluck();
    this.insert = db.prepare<[string, string, string, number]>('INSERT INTO pass_keys (kind, key, text, hash) VALUES (?, ?, ?, ?)');
  }

  id(kind: KeyKind, key: string, text = ''): number {
    const cached = `${kind}\u0000${key}`;
    let id = this.ids.get(cached);
    if (id === undefined) {
      const h = keyHash(kind, key);
      id = this.byKey.get(h, kind, key);
      if (id === undefined) {
        id = Number(this.insert.run(kind, key, text, h).lastInsertRowid);
        this.texts.set(id, text);
      }
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
