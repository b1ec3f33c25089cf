// KQL `mv-expand` (and `mv-apply` whose body only filters) on one row, for the evaluator
// (evaluate.ts): the row becomes one row per element, and the rule fires when one of them comes out
// of the later stages. Kusto's semantics, as documented for the operator:
//
// - `[Name =] Expr`: Expr is a column (`a`), a path into a dynamic column (`a.b`, `a["b"]`, `a[0]`), or
//   `todynamic(...)` / `parse_json(...)` of one; a column exported as JSON text is parsed, as the
//   evaluator reads dynamic columns. Without `Name =`, a column keeps its name and `a.b` becomes `a_b`.
//   Any other expression (`split(...)`, `pack_array(...)`, a computed column) is not read: `unknown`.
// - An array gives one row per element, in order; a property bag one row per property, as a one-entry
//   bag `{key: value}` (`kind=bag`, the default) or as `[key, value]` (`kind=array`, also written
//   `bagexpansion=array`); null (a missing column or path) one row holding null; an empty array or bag
//   no row at all (the event then cannot fire). A scalar (a string that is not JSON, a number) is not
//   read: `unknown`.
// - Several expressions expand in parallel: as many rows as the longest, the shorter filled with null.
// - `to typeof(T)`: an element not of type T becomes null (a cast, no conversion): string, bool, long /
//   int (integers), real / double / decimal (numbers), dynamic; other types are not read.
// - `with_itemindex=I`: column I holds the element's position, from 0. `limit N`: at most N rows.
// - `mv-apply ... on (subquery)`: read as the same expansion followed by the subquery's `where`
//   stages (evaluate.ts takes them as filters of each row); a body with anything else is not read.
import type { Expansion } from '../../evaluate/types.js';

interface ExpandedItem {
  /** The output column. */
  name: string;
  /** The column and path read (`['a', 'b', 0]`). */
  path: (string | number)[];
  type?: string;
}

export interface ExpansionSpec {
  items: ExpandedItem[];
  bags: 'bag' | 'array';
  index?: string;
  limit?: number;
}

type Token = { kind: 'name' | 'string' | 'number' | 'punct'; text: string };

/** The stage's tokens (a character of no token is a token of its own: the reader then stops there). */
function tokens(text: string): Token[] {
  const out: Token[] = [];
  const re = /\s+|\/\/[^\n]*|([A-Za-z_]\w*(?:-(?:expand|apply))?)|"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(\d+)|([=,()[\].|])/y;
  let at = 0;
  while (at < text.length) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) {
      out.push({ kind: 'punct', text: text[at++]! });
      continue;
    }
    at = re.lastIndex;
    if (m[1] !== undefined) out.push({ kind: 'name', text: m[1] });
    else if (m[2] !== undefined || m[3] !== undefined) out.push({ kind: 'string', text: (m[2] ?? m[3]!).replace(/\\(.)/g, '$1') });
    else if (m[4] !== undefined) out.push({ kind: 'number', text: m[4] });
    else if (m[5] !== undefined) out.push({ kind: 'punct', text: m[5] });
  }
  return out;
}

const DYNAMIC_TYPES = new Set(['string', 'bool', 'boolean', 'long', 'int', 'real', 'double', 'decimal', 'dynamic']);
const PARSERS = new Set(['todynamic', 'parse_json']);

/**
 * An `mv-expand` or `mv-apply` stage's text read; a string saying what is not read otherwise. For
 * `mv-apply`, the text up to its `on (` (the body is the stages after it).
 */
export function readExpansion(text: string): ExpansionSpec | string {
  const all = tokens(text);
  let i = 0;
  const peek = (k = 0) => all[i + k];
  const is = (t: string, k = 0) => peek(k)?.text.toLowerCase() === t;
  if (is('|')) i++;
  const operator = peek()?.text.toLowerCase();
  if (operator !== 'mv-expand' && operator !== 'mvexpand' && operator !== 'mv-apply' && operator !== 'mvapply') return 'not an mv-expand';
  const apply = operator.endsWith('apply');
  i++;
  const spec: ExpansionSpec = { items: [], bags: 'bag' };
  // Options before the expressions.
  for (;;) {
    if ((is('kind') || is('bagexpansion')) && is('=', 1)) {
      const kind = peek(2)?.text.toLowerCase();
      if (kind !== 'bag' && kind !== 'array') return `mv-expand ${peek()!.text}=${kind ?? ''} is not read`;
      spec.bags = kind;
      i += 3;
    } else if (is('with_itemindex') && is('=', 1) && peek(2)?.kind === 'name') {
      spec.index = peek(2)!.text;
      i += 3;
    } else break;
  }
  /** A column name: an identifier or `['x']`. */
  const columnName = (): string | undefined => {
    if (peek()?.kind === 'name') return all[i++]!.text;
    if (is('[') && peek(1)?.kind === 'string' && is(']', 2)) {
      i += 3;
      return all[i - 2]!.text;
    }
    return undefined;
  };
  const path = (): (string | number)[] | undefined => {
    const root = columnName();
    if (root === undefined) return undefined;
    const steps: (string | number)[] = [root];
    for (;;) {
      if (is('.') && peek(1)?.kind === 'name') {
        steps.push(peek(1)!.text);
        i += 2;
      } else if (is('[') && (peek(1)?.kind === 'string' || peek(1)?.kind === 'number') && is(']', 2)) {
        steps.push(peek(1)!.kind === 'number' ? Number(peek(1)!.text) : peek(1)!.text);
        i += 3;
      } else return steps;
    }
  };
  for (;;) {
    let name: string | undefined;
    if ((peek()?.kind === 'name' && is('=', 1)) || (is('[') && is('=', 3))) {
      name = columnName();
      i++;
    }
    let read: (string | number)[] | undefined;
    if (peek()?.kind === 'name' && PARSERS.has(peek()!.text.toLowerCase()) && is('(', 1)) {
      i += 2;
      read = path();
      if (!is(')')) return `mv-expand of ${text.trim()} is not read (only a column, a path, or todynamic / parse_json of one)`;
      i++;
      if (name === undefined) return 'an unnamed mv-expand of a function call is not read';
    } else read = path();
    if (!read) return `mv-expand of ${text.trim()} is not read (only a column, a path, or todynamic / parse_json of one)`;
    const item: ExpandedItem = { name: name ?? read.join('_'), path: read };
    if (is('to') && is('typeof', 1) && is('(', 2) && is(')', 4)) {
      const type = peek(3)!.text.toLowerCase();
      if (!DYNAMIC_TYPES.has(type)) return `mv-expand to typeof(${type}) is not evaluated`;
      item.type = type;
      i += 5;
    }
    spec.items.push(item);
    if (is(',')) i++;
    else break;
  }
  if (is('limit') && peek(1)?.kind === 'number') {
    spec.limit = Number(peek(1)!.text);
    i += 2;
  }
  if (apply) return is('on') && is('(', 1) ? spec : 'an mv-apply this evaluator cannot read';
  return i === all.length ? spec : `mv-expand of ${text.trim()} is not read`;
}

/** Kusto's cast of an expanded element to `to typeof(T)`: null when it is not of that type. */
function cast(v: unknown, type: string | undefined): unknown {
  switch (type) {
    case undefined:
    case 'dynamic':
      return v;
    case 'string':
      return typeof v === 'string' ? v : null;
    case 'bool':
    case 'boolean':
      return typeof v === 'boolean' ? v : null;
    case 'long':
    case 'int':
      return Number.isInteger(v) ? v : null;
    default:
      return typeof v === 'number' ? v : null;
  }
}

/** A column read with the evaluator's rules: `found: false` when the event has no such column or path. */
export type PathReader = (row: Record<string, unknown>, path: (string | number)[]) => { found: boolean; value?: unknown };

/** The row's expansion: its rows, or why it is not read. */
export function expandRow(spec: ExpansionSpec, row: unknown, read: PathReader): Expansion {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return { unknown: 'the event is not a row' };
  const record = row as Record<string, unknown>;
  const lists: unknown[][] = [];
  for (const item of spec.items) {
    const found = read(record, item.path);
    const v = found.found ? found.value : null;
    if (v === null || v === undefined) lists.push([null]);
    else if (Array.isArray(v)) lists.push(v);
    else if (typeof v === 'object')
      lists.push(Object.entries(v as Record<string, unknown>).map(([k, x]) => (spec.bags === 'bag' ? { [k]: x } : [k, x])));
    else return { unknown: `${item.path.join('.')} is ${JSON.stringify(v)}, not an array or a property bag: its expansion is not read` };
  }
  let count = Math.max(0, ...lists.map((l) => l.length));
  if (spec.limit !== undefined) count = Math.min(count, spec.limit);
  const rows: unknown[] = [];
  for (let n = 0; n < count; n++) {
    const out: Record<string, unknown> = { ...record };
    spec.items.forEach((item, k) => {
      out[item.name] = n < lists[k]!.length ? cast(lists[k]![n], item.type) : null;
    });
    if (spec.index !== undefined) out[spec.index] = n;
    rows.push(out);
  }
  return { rows };
}
