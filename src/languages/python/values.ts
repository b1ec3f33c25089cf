// Constant values of a Python module: literals, and module-level names bound to literals
// (lists, sets, tuples, frozensets, dict keys, strings, numbers, compiled regular expressions).
import type { Node } from 'web-tree-sitter';
import type { Scalar } from '../../model/types.js';

export type ConstValue =
  | { kind: 'scalar'; value: Scalar }
  /**
   * A list, set, tuple, frozenset, or the keys of a dict; `partial` when some element is not a
   * constant scalar. A dict literal also keeps its `entries` (a value not read is undefined), so
   * that `D["k"]`, `D.get("k")` and `D.values()` have values. `emptySequence`: an empty list or tuple.
   */
  | { kind: 'collection'; values: Scalar[]; partial?: boolean; entries?: DictEntry[]; emptySequence?: true }
  /** `re.compile(pattern[, flags])`. */
  | { kind: 'regex'; pattern: string; ignoreCase: boolean }
  /** A list, set or tuple of compiled regular expressions (a loop matches a field with any of them). */
  | { kind: 'regexes'; patterns: string[]; ignoreCase: boolean };

/** One entry of a constant dict: its key and its value, undefined when the value is not a constant. */
type DictEntry = [Scalar, ConstValue | undefined];

/** Named children without comments (tree-sitter keeps comments as named "extra" nodes). */
export function named(node: Node): Node[] {
  const out: Node[] = [];
  for (const child of node.namedChildren) if (child && child.type !== 'comment') out.push(child);
  return out;
}

export function field(node: Node, name: string): Node | undefined {
  return node.childForFieldName(name) ?? undefined;
}

/** Strips parentheses around an expression. */
export function unwrap(node: Node): Node {
  let n = node;
  while (n.type === 'parenthesized_expression') {
    const inner = named(n)[0];
    if (!inner) break;
    n = inner;
  }
  return n;
}

const simpleEscapes: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
  '\n': '',
};

function isHex(ch: string): boolean {
  return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

/** Decodes the escapes of a non-raw string literal body. Unknown escapes stay as written. */
function decodeEscapes(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\' || i + 1 >= body.length) {
      out += ch;
      continue;
    }
    const next = body[i + 1]!;
    const simple = simpleEscapes[next];
    if (simple !== undefined) {
      out += simple;
      i++;
      continue;
    }
    const width = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
    if (width) {
      const hex = body.slice(i + 2, i + 2 + width);
      if (hex.length === width && [...hex].every(isHex)) {
        out += String.fromCodePoint(parseInt(hex, 16));
        i += 1 + width;
        continue;
      }
    }
    out += ch;
  }
  return out;
}

/** Value of a string literal, or undefined for f-strings with interpolations and bytes. */
export function stringValue(node: Node): string | undefined {
  if (node.type === 'concatenated_string') {
    let out = '';
    for (const part of named(node)) {
      const v = stringValue(part);
      if (v === undefined) return undefined;
      out += v;
    }
    return out;
  }
  if (node.type !== 'string') return undefined;
  let start: Node | undefined;
  let end: Node | undefined;
  for (const child of node.children) {
    if (!child) continue;
    if (child.type === 'interpolation') return undefined;
    if (child.type === 'string_start') start = child;
    else if (child.type === 'string_end') end = child;
  }
  if (!start || !end) return undefined;
  const prefix = start.text.toLowerCase();
  if (prefix.includes('b')) return undefined;
  const body = node.text.slice(start.text.length, node.text.length - end.text.length);
  return prefix.includes('r') ? body : decodeEscapes(body);
}

function numberValue(text: string): number | undefined {
  const clean = text.split('_').join('').toLowerCase();
  if (clean.endsWith('j')) return undefined;
  const n = clean.startsWith('0o') ? parseInt(clean.slice(2), 8) : Number(clean);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Module-level names bound by simple assignments, evaluated lazily and once. Names the module does
 * not bind (`from helpers import NAMES`, `helpers.NAMES`) are asked of `imported`.
 */
export class Constants {
  private readonly nodes = new Map<string, Node>();
  private readonly cache = new Map<string, ConstValue | undefined>();
  private readonly evaluating = new Set<string>();

  constructor(
    module: Node,
    private readonly imported?: (name: string) => ConstValue | undefined,
  ) {
    for (const stmt of named(module)) {
      if (stmt.type !== 'expression_statement') continue;
      const assign = named(stmt)[0];
      if (!assign || assign.type !== 'assignment') continue;
      const left = field(assign, 'left');
      const right = field(assign, 'right');
      if (left?.type === 'identifier' && right) this.nodes.set(left.text, right);
    }
  }

  has(name: string): boolean {
    return this.nodes.has(name);
  }

  /** The name no longer holds its constant (a test mocks it, test-mocks.ts). */
  forget(name: string): void {
    this.nodes.delete(name);
    this.cache.set(name, undefined);
  }

  get(name: string): ConstValue | undefined {
    if (this.cache.has(name)) return this.cache.get(name);
    const node = this.nodes.get(name);
    if (!node) return this.imported?.(name);
    if (this.evaluating.has(name)) return undefined;
    this.evaluating.add(name);
    const value = this.evaluate(node);
    this.evaluating.delete(name);
    this.cache.set(name, value);
    return value;
  }

  /** The literal a module-level name is bound to (the node itself for anything else). */
  literal(node: Node): Node | undefined {
    const n = unwrap(node);
    return n.type === 'identifier' ? this.nodes.get(n.text) : n;
  }

  /**
   * The entries of a dict literal, or of a module-level name bound to one, keys and values
   * constant scalars; undefined for anything else.
   */
  dictEntries(node: Node): [Scalar, Scalar][] | undefined {
    let n = unwrap(node);
    if (n.type === 'identifier') {
      const bound = this.nodes.get(n.text);
      if (!bound) return undefined;
      n = unwrap(bound);
    }
    if (n.type !== 'dictionary') return undefined;
    const out: [Scalar, Scalar][] = [];
    for (const pair of named(n)) {
      const key = pair.type === 'pair' ? field(pair, 'key') : undefined;
      const value = pair.type === 'pair' ? field(pair, 'value') : undefined;
      const k = key && this.evaluate(key);
      const v = value && this.evaluate(value);
      if (k?.kind !== 'scalar' || v?.kind !== 'scalar') return undefined;
      out.push([k.value, v.value]);
    }
    return out;
  }

  /** Value of a constant expression; identifiers resolve through module constants only. */
  evaluate(node: Node, lookup?: (name: string) => ConstValue | undefined): ConstValue | undefined {
    const n = unwrap(node);
    switch (n.type) {
      case 'string':
      case 'concatenated_string': {
        const v = stringValue(n);
        return v === undefined ? undefined : { kind: 'scalar', value: v };
      }
      case 'integer':
      case 'float': {
        const v = numberValue(n.text);
        return v === undefined ? undefined : { kind: 'scalar', value: v };
      }
      case 'true':
        return { kind: 'scalar', value: true };
      case 'false':
        return { kind: 'scalar', value: false };
      case 'none':
        return { kind: 'scalar', value: null };
      case 'unary_operator': {
        const arg = field(n, 'argument');
        const op = field(n, 'operator')?.text;
        const v = arg ? this.evaluate(arg, lookup) : undefined;
        if (v?.kind === 'scalar' && typeof v.value === 'number' && (op === '-' || op === '+')) {
          return { kind: 'scalar', value: op === '-' ? -v.value : v.value };
        }
        return undefined;
      }
      case 'identifier':
        // A lookup answers for the names it binds and falls back to the module itself: a name it
        // shadows (a local reassigned to what is not a constant) is not the module constant.
        return lookup ? lookup(n.text) : this.get(n.text);
      case 'attribute': {
        // `module.NAME` of an imported module.
        const obj = field(n, 'object');
        const attr = field(n, 'attribute');
        return obj?.type === 'identifier' && attr ? this.imported?.(`${obj.text}.${attr.text}`) : undefined;
      }
      case 'list':
      case 'set':
      case 'tuple':
      case 'expression_list': {
        const value = this.compiledList(named(n), lookup) ?? this.collection(named(n), lookup);
        // An empty list or tuple: `x in []` is False whatever x is (an empty set raises on an unhashable x).
        return n.type !== 'set' && value.kind === 'collection' && value.values.length === 0 && !value.partial
          ? { ...value, emptySequence: true }
          : value;
      }
      case 'dictionary':
        return this.dictionary(n, lookup);
      case 'subscript':
        return this.subscript(n, lookup);
      case 'binary_operator': {
        const op = field(n, 'operator')?.text;
        const l = field(n, 'left');
        const r = field(n, 'right');
        if (!l || !r || (op !== '+' && op !== '|')) return undefined;
        const a = this.evaluate(l, lookup);
        const b = this.evaluate(r, lookup);
        if (a?.kind === 'collection' && b?.kind === 'collection')
          return {
            kind: 'collection',
            values: [...new Set([...a.values, ...b.values])],
            ...(a.partial || b.partial ? { partial: true } : {}),
          };
        if (op === '+' && a?.kind === 'scalar' && b?.kind === 'scalar' && typeof a.value === 'string' && typeof b.value === 'string') {
          return { kind: 'scalar', value: a.value + b.value };
        }
        return undefined;
      }
      case 'call':
        return this.evaluateCall(n, lookup);
      case 'list_comprehension':
      case 'set_comprehension':
        return this.comprehension(n, lookup);
      default:
        return undefined;
    }
  }

  /**
   * `[f(x) for x in C]` over a constant collection, every element constant (`re.compile(p, re.I)
   * for p in PATTERNS`, `p.lower() for p in NAMES`): the collection (or the regexes) it builds.
   * A filter (`if ...`) or a second `for` is not evaluated.
   */
  private comprehension(n: Node, lookup?: (name: string) => ConstValue | undefined): ConstValue | undefined {
    const body = field(n, 'body');
    const clauses = named(n).slice(1);
    const clause = clauses[0];
    if (!body || clauses.length !== 1 || clause?.type !== 'for_in_clause') return undefined;
    const left = field(clause, 'left');
    const right = field(clause, 'right');
    const over = right ? this.evaluate(right, lookup) : undefined;
    if (left?.type !== 'identifier' || over?.kind !== 'collection') return undefined;
    const items: ConstValue[] = [];
    for (const value of over.values) {
      const item = this.evaluate(body, (name) => (name === left.text ? { kind: 'scalar', value } : lookup ? lookup(name) : this.get(name)));
      if (!item) return undefined;
      items.push(item);
    }
    if (items.length > 0 && items.every((i) => i.kind === 'regex'))
      return { kind: 'regexes', patterns: items.map((i) => i.pattern), ignoreCase: items.every((i) => i.ignoreCase) };
    const values: Scalar[] = [];
    for (const i of items) if (i.kind === 'scalar') values.push(i.value);
    return values.length === items.length ? { kind: 'collection', values } : undefined;
  }

  /** A dict literal: its keys as a collection, with the entries whose keys are constants. */
  private dictionary(n: Node, lookup?: (name: string) => ConstValue | undefined): ConstValue {
    const keys: Node[] = [];
    const entries: DictEntry[] = [];
    let spread: Extract<ConstValue, { kind: 'collection' }> | undefined;
    for (const pair of named(n)) {
      // `{**A, **B}`: the entries of constant dicts, a later key replacing an earlier one.
      if (pair.type === 'dictionary_splat') {
        const inner = named(pair)[0];
        const v = inner ? this.evaluate(inner, lookup) : undefined;
        const known = v?.kind === 'collection' && v.entries ? v : undefined;
        spread = { kind: 'collection', values: [...(spread?.values ?? []), ...(known?.values ?? [])] };
        if (!known || known.partial || spread.partial) spread.partial = true;
        for (const entry of known?.entries ?? []) entries.push(entry);
        continue;
      }
      const key = pair.type === 'pair' ? field(pair, 'key') : undefined;
      const value = pair.type === 'pair' ? field(pair, 'value') : undefined;
      if (!key) continue;
      keys.push(key);
      const k = this.evaluate(key, lookup);
      if (k?.kind === 'scalar') entries.push([k.value, value ? this.evaluate(value, lookup) : undefined]);
    }
    const own = this.collection(keys, lookup);
    if (!spread) return { ...own, entries };
    const latest = new Map<Scalar, ConstValue | undefined>();
    // A key given again keeps its first place, as in Python.
    for (const [k, v] of entries) latest.set(k, v);
    const partial = own.partial === true || spread.partial === true;
    return {
      kind: 'collection',
      values: [...new Set([...spread.values, ...own.values])],
      ...(partial ? { partial } : {}),
      entries: [...latest],
    };
  }

  /** `D["k"]` of a constant dict: the entry's value (a key not in it raises: no value). */
  private subscript(n: Node, lookup?: (name: string) => ConstValue | undefined): ConstValue | undefined {
    const value = field(n, 'value');
    const subs = n.childrenForFieldName('subscript').filter((s): s is Node => s !== null);
    if (!value || subs.length !== 1) return undefined;
    const dict = this.evaluate(value, lookup);
    const key = this.evaluate(subs[0]!, lookup);
    if (dict?.kind !== 'collection' || !dict.entries || key?.kind !== 'scalar') return undefined;
    return dictEntry(dict.entries, key.value);
  }

  /** Elements that are all compiled regular expressions, as one value; undefined otherwise. */
  private compiledList(nodes: Node[], lookup?: (name: string) => ConstValue | undefined): ConstValue | undefined {
    if (nodes.length === 0) return undefined;
    const patterns: string[] = [];
    let ignoreCase = true;
    for (const el of nodes) {
      const v = el.type === 'comment' ? undefined : this.evaluate(el, lookup);
      if (v?.kind !== 'regex') return undefined;
      patterns.push(v.pattern);
      ignoreCase &&= v.ignoreCase;
    }
    return { kind: 'regexes', patterns, ignoreCase };
  }

  /** The scalar elements; an element that is not one (a name not resolved, a tuple) makes the collection partial. */
  private collection(nodes: Node[], lookup?: (name: string) => ConstValue | undefined): Extract<ConstValue, { kind: 'collection' }> {
    const values: Scalar[] = [];
    let partial = false;
    for (const el of nodes) {
      if (el.type === 'list_splat' || el.type === 'dictionary_splat') {
        const inner = named(el)[0];
        const v = inner ? this.evaluate(inner, lookup) : undefined;
        if (v?.kind === 'collection') {
          values.push(...v.values);
          partial ||= v.partial === true;
        } else partial = true;
        continue;
      }
      const v = this.evaluate(el, lookup);
      if (v?.kind === 'scalar') values.push(v.value);
      else partial = true;
    }
    return { kind: 'collection', values, ...(partial ? { partial: true } : {}) };
  }

  private evaluateCall(n: Node, lookup?: (name: string) => ConstValue | undefined): ConstValue | undefined {
    const fn = field(n, 'function');
    const args = field(n, 'arguments');
    if (!fn || !args) return undefined;
    const positional = named(args).filter((a) => a.type !== 'keyword_argument');
    if (fn.type === 'identifier' && ['frozenset', 'set', 'list', 'tuple', 'sorted'].includes(fn.text)) {
      if (positional.length === 0) return { kind: 'collection', values: [] };
      const v = positional[0] ? this.evaluate(positional[0], lookup) : undefined;
      return v?.kind === 'collection' ? v : undefined;
    }
    // `EVENTS.keys()`: a dict's value is its keys already.
    if (fn.type === 'attribute' && field(fn, 'attribute')?.text === 'keys' && positional.length === 0) {
      const obj = field(fn, 'object');
      const v = obj ? this.evaluate(obj, lookup) : undefined;
      return v?.kind === 'collection' ? v : undefined;
    }
    const dictMethod = fn.type === 'attribute' ? this.dictMethod(fn, positional, lookup) : undefined;
    if (dictMethod) return dictMethod;
    // `"Name".lower()`: a constant string's case.
    const method = fn.type === 'attribute' ? field(fn, 'attribute')?.text : undefined;
    if ((method === 'lower' || method === 'upper') && positional.length === 0) {
      const obj = field(fn, 'object');
      const v = obj ? this.evaluate(obj, lookup) : undefined;
      if (v?.kind === 'scalar' && typeof v.value === 'string')
        return { kind: 'scalar', value: method === 'lower' ? v.value.toLowerCase() : v.value.toUpperCase() };
      return undefined;
    }
    if (fn.type === 'attribute' && field(fn, 'object')?.text === 're' && field(fn, 'attribute')?.text === 'compile') {
      const pattern = positional[0] ? this.evaluate(positional[0], lookup) : undefined;
      if (pattern?.kind !== 'scalar' || typeof pattern.value !== 'string') return undefined;
      return { kind: 'regex', pattern: pattern.value, ignoreCase: hasIgnoreCase(named(args).slice(1)) };
    }
    return undefined;
  }

  /**
   * `D.get(k[, default])` and `D.values()` of a constant dict. A key not among its entries gives
   * the default (None without one) only when every key of the dict was read.
   */
  private dictMethod(fn: Node, args: Node[], lookup?: (name: string) => ConstValue | undefined): ConstValue | undefined {
    const method = field(fn, 'attribute')?.text;
    if (method !== 'get' && method !== 'values') return undefined;
    const obj = field(fn, 'object');
    const dict = obj ? this.evaluate(obj, lookup) : undefined;
    if (dict?.kind !== 'collection' || !dict.entries) return undefined;
    if (method === 'values') {
      if (args.length > 0) return undefined;
      const values: Scalar[] = [];
      let partial = dict.partial === true;
      for (const [, v] of dict.entries) {
        if (v?.kind === 'scalar') values.push(v.value);
        else partial = true;
      }
      return { kind: 'collection', values, ...(partial ? { partial: true } : {}) };
    }
    const key = args[0] && args.length <= 2 ? this.evaluate(args[0], lookup) : undefined;
    if (key?.kind !== 'scalar') return undefined;
    if (dict.entries.some(([k]) => constEquals(k, key.value))) return dictEntry(dict.entries, key.value);
    if (dict.partial) return undefined;
    return args[1] ? this.evaluate(args[1], lookup) : { kind: 'scalar', value: null };
  }
}

/** Python `==` between constant scalars: numbers with numbers (booleans are numbers), the rest by type. */
function constEquals(a: Scalar, b: Scalar): boolean {
  const num = (v: Scalar) => (typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : undefined);
  const x = num(a);
  const y = num(b);
  if (x !== undefined || y !== undefined) return x === y;
  return a === b;
}

/** The value of a dict's entry (the last one written wins, as in Python). */
function dictEntry(entries: DictEntry[], key: Scalar): ConstValue | undefined {
  let found: ConstValue | undefined;
  for (const [k, v] of entries) if (constEquals(k, key)) found = v;
  return found;
}

/** `re.I`, `re.IGNORECASE`, `flags=re.IGNORECASE | re.M` among regex call arguments. */
export function hasIgnoreCase(args: Node[]): boolean {
  return args.some((a) => {
    const stack = [a];
    while (stack.length) {
      const cur = stack.pop()!;
      if (cur.type === 'attribute') {
        const attr = field(cur, 'attribute')?.text;
        if (attr === 'I' || attr === 'IGNORECASE') return true;
      }
      stack.push(...named(cur));
    }
    return false;
  });
}
