// Every rule's pass input (catalog/pass.ts passInputJson), kept in parts of consecutive rowids, each
// part deflated whole: a sync reads every input, and inflating 10k small values one by one took
// about 130 ms of a 0.7 s one-file re-sync (most of it setting up zlib, once a value), against a few
// milliseconds for ten parts. A write rewrites only the parts whose inputs it changed.
import type Database from 'better-sqlite3';
import { pack, type Packed, unpack } from './codec.js';

/** Rowids per part (rowid >> partBits). */
const partBits = 10;

/** A part as stored: one line per rule, `rowid<TAB>input` (an input is JSON, which holds no raw newline). */
const partText = (inputs: Map<number, string>) =>
  [...inputs]
    .sort((a, b) => a[0] - b[0])
    .map(([rowid, input]) => `${rowid}\t${input}`)
    .join('\n');

export class PassInputs {
  private readonly parts = new Map<number, Map<number, string>>();
  private readonly dirty = new Set<number>();
  /** Whether every part was read (a sync): else rowids only grow, and a finished part is written and let go. */
  private loaded = false;
  private readonly put: Database.Statement<[number, Packed]>;
  private readonly drop: Database.Statement<[number]>;

  constructor(private readonly db: Database.Database) {
    this.put = db.prepare('INSERT OR REPLACE INTO pass_inputs (part, inputs) VALUES (?, ?)');
    this.drop = db.prepare('DELETE FROM pass_inputs WHERE part = ?');
  }

  /** Every stored input, by rowid in rowid order; the parts stay loaded, to be changed and written back. */
  loadAll(): [number, string][] {
    this.loaded = true;
    const out: [number, string][] = [];
    for (const [part, packed] of this.db.prepare('SELECT part, inputs FROM pass_inputs ORDER BY part').raw().all() as [number, Packed][]) {
      const inputs = new Map<number, string>();
      for (const line of unpack(packed).split('\n')) {
        const tab = line.indexOf('\t');
        const rowid = Number(line.slice(0, tab));
        const input = line.slice(tab + 1);
        inputs.set(rowid, input);
        out.push([rowid, input]);
      }
      this.parts.set(part, inputs);
    }
    return out;
  }

  /**
   * A rule's input, new or changed. Unless every part was read, rowids only grow (a fresh write): a part
   * is written and let go as soon as a later one starts.
   */
  set(rowid: number, input: string): void {
    const part = rowid >> partBits;
    if (!this.loaded) for (const p of this.dirty) if (p < part) this.writePart(p, true);
    this.partOf(part).set(rowid, input);
    this.dirty.add(part);
  }

  delete(rowid: number): void {
    const part = rowid >> partBits;
    if (this.partOf(part).delete(rowid)) this.dirty.add(part);
  }

  /** Writes the parts changed since they were read. */
  flush(): void {
    for (const part of [...this.dirty]) this.writePart(part, false);
  }

  private partOf(part: number): Map<number, string> {
    let inputs = this.parts.get(part);
    if (!inputs) {
      // A part not read yet (a write that did not load them all): its stored inputs first.
      inputs = new Map();
      const packed = this.db.prepare('SELECT inputs FROM pass_inputs WHERE part = ?').pluck().get(part) as Packed | undefined;
      if (packed !== undefined)
        for (const line of unpack(packed).split('\n')) {
          const tab = line.indexOf('\t');
          inputs.set(Number(line.slice(0, tab)), line.slice(tab + 1));
        }
      this.parts.set(part, inputs);
    }
    return inputs;
  }

  private writePart(part: number, forget: boolean): void {
    const inputs = this.parts.get(part)!;
    if (inputs.size) this.put.run(part, pack(partText(inputs)));
    else this.drop.run(part);
    this.dirty.delete(part);
    if (forget) this.parts.delete(part);
  }
}
