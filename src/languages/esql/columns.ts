// How each ES|QL command changes the columns a query is known to produce.
//
// Without index mappings the columns of a FROM are unknown ("open"): the list holds only the
// columns the query itself names. STATS and ROW define the whole list; KEEP selects (and closes
// an open list); EVAL, DISSECT, GROK, ENRICH ... WITH, COMPLETION, CHANGE_POINT and INLINE STATS
// add (a name defined again moves to the end, as ES|QL does); DROP and RENAME edit; LOOKUP JOIN
// and ENRICH without WITH bring unknown columns (open again); filters and sorts leave it alone.
// Each column's `source` is the lower-case command that last defined or kept it.
//
// KEEP patterns: an exact name keeps that column (or, on an open list, names an index field); a
// wildcard pattern keeps the known columns it matches, and on an open list also stands for the
// index fields it matches, so the pattern itself (`host.*`, `*`) is listed. When the list is
// still open at the end (the query returns whole documents), only the columns the query computed
// are listed: METADATA fields (`_id`, `_index` ...) are left out.
import type { OutputField } from '../../model/types.js';
import type { Command, Field, Pattern } from './ast.js';
import { compileGlob } from '../../model/glob.js';

export class Columns {
  fields: OutputField[] = [];
  open = false;

  constructor(private readonly query: string) {}

  clone(): Columns {
    const copy = new Columns(this.query);
    copy.fields = [...this.fields];
    copy.open = this.open;
    return copy;
  }

  /** The name ES|QL gives a column: its assigned name, else the expression as written. */
  nameOf(field: Field): string {
    return field.name ?? this.query.slice(field.x.s, field.x.e);
  }

  private has(name: string): boolean {
    return this.fields.some((f) => f.field === name);
  }

  /** Define a column at the end, dropping an earlier one of the same name. */
  private append(field: string, source: string): void {
    this.fields = this.fields.filter((f) => f.field !== field);
    this.fields.push({ field, source });
  }

  apply(command: Command): void {
    switch (command.cmd) {
      case 'from':
      case 'ts':
        this.open = true;
        this.fields = command.metadata.map((field) => ({ field, source: 'metadata' }));
        return;
      case 'row':
        this.open = false;
        this.fields = [];
        for (const f of command.fields) this.append(this.nameOf(f), 'row');
        return;
      case 'show':
        this.open = false;
        this.fields = [];
        return;
      case 'eval':
        for (const f of command.fields) this.append(this.nameOf(f), 'eval');
        return;
      case 'stats':
        this.open = false;
        this.fields = [];
        for (const f of [...command.aggs, ...command.by]) this.append(this.nameOf(f), 'stats');
        return;
      case 'inlinestats':
        for (const f of command.aggs) this.append(this.nameOf(f), 'inlinestats');
        return;
      case 'keep':
        this.keep(command.patterns);
        return;
      case 'drop': {
        const res = command.patterns.map((p) => glob(p.name));
        this.fields = this.fields.filter((f) => !res.some((re) => re.test(f.field)));
        return;
      }
      case 'rename':
        for (const { from, to } of command.renames) this.rename(from.name, to.name);
        return;
      case 'dissect':
        for (const name of dissectKeys(command.pattern)) this.append(name, 'dissect');
        return;
      case 'grok':
        for (const pattern of command.patterns) for (const name of grokNames(pattern)) this.append(name, 'grok');
        return;
      case 'enrich':
        if (command.with.length === 0) this.open = true;
        for (const w of command.with) this.append(w.name ?? w.field, 'enrich');
        return;
      case 'lookup join':
        this.open = true;
        return;
      case 'completion':
        this.append(command.target ?? 'completion', 'completion');
        return;
      case 'change_point':
        for (const name of command.as.length > 0 ? command.as : ['type', 'pvalue']) this.append(name, 'change_point');
        return;
      case 'fork':
        // Each branch is applied by the caller; see `merge`.
        return;
      default:
        // where, sort, limit, mv_expand, sample: the columns stay.
        return;
    }
  }

  /** FORK: the union of the branches' columns, plus `_fork` naming the branch. */
  merge(branches: Columns[]): void {
    const fields: OutputField[] = [];
    for (const b of branches) for (const f of b.fields) if (!fields.some((x) => x.field === f.field)) fields.push(f);
    this.fields = fields;
    this.append('_fork', 'fork');
    this.open = branches.some((b) => b.open);
  }

  private keep(patterns: Pattern[]): void {
    const exact = new Set(patterns.filter((p) => !p.name.includes('*')).map((p) => p.name));
    const kept: OutputField[] = [];
    const add = (field: string) => {
      if (!kept.some((k) => k.field === field)) kept.push({ field, source: 'keep' });
    };
    for (const p of patterns) {
      if (!p.name.includes('*')) {
        if (this.has(p.name) || this.open) add(p.name);
        continue;
      }
      const re = glob(p.name);
      for (const f of this.fields) if (re.test(f.field) && !exact.has(f.field)) add(f.field);
      if (this.open) add(p.name);
    }
    this.fields = kept;
    this.open = false;
  }

  private rename(from: string, to: string): void {
    const i = this.fields.findIndex((f) => f.field === from);
    if (i < 0) {
      if (this.open) this.append(to, 'rename');
      return;
    }
    this.fields = this.fields.filter((f, j) => j === i || f.field !== to);
    const at = this.fields.findIndex((f) => f.field === from);
    this.fields[at] = { field: to, source: 'rename' };
  }

  /** The final columns, as output fields. */
  outputs(): OutputField[] {
    return this.open ? this.fields.filter((f) => f.source !== 'metadata') : this.fields;
  }
}

const glob = (pattern: string) => compileGlob(pattern);

/**
 * Columns a DISSECT pattern creates: `%{name}`, `%{+name}` (appended to name), `%{name->}`;
 * not `%{}` / `%{?name}` (skipped) nor `%{*name}` / `%{&name}` (names taken from the data).
 */
export function dissectKeys(pattern: string): string[] {
  const out: string[] = [];
  for (const m of pattern.matchAll(/%\{([^}]*)\}/g)) {
    let key = m[1]!.replace(/->$/, '');
    if (key === '' || /^[?*&]/.test(key)) continue;
    if (key.startsWith('+')) key = key.slice(1).replace(/\/\d+$/, '');
    if (key && !out.includes(key)) out.push(key);
  }
  return out;
}

/** Columns a GROK pattern creates: `%{SYNTAX:name}` / `%{SYNTAX:name:type}` and `(?<name>...)`. */
export function grokNames(pattern: string): string[] {
  const out: string[] = [];
  const add = (name: string | undefined) => {
    if (name && !out.includes(name)) out.push(name);
  };
  for (const m of pattern.matchAll(/%\{[^}:]+:([^}:]+)(?::[^}]*)?\}|\(\?<([^>]+)>/g)) add(m[1] ?? m[2]);
  return out;
}
