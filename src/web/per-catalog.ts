// What the pages derive from the whole catalog that no request changes (the matrix of every rule, the
// indicators of every rule, "your rules"), computed on first use and kept with the catalog served: a
// page over the whole catalog then only renders. Kept in a WeakMap keyed by the CatalogStore, so a
// catalog that `serve --watch` replaces takes its values with it and the next catalog starts afresh.
// Values, not answers: each page is still rendered per request. Bounded: the keys are a fixed set of
// views (and catalog-bounded choices: a provider, a pair of platforms), never free request text; and
// counted: each value's size is estimated once, and past the budget a value is no longer kept.
import type { CatalogStore } from '../store/read.js';

/** Bytes of derived values kept per catalog; past them a value is computed in every request that needs it. */
const budgetBytes = 64 * 1024 * 1024;

interface Kept {
  values: Map<string, unknown>;
  bytes: number;
  indexes: Map<string, unknown>;
  indexBytes: number;
  /** Bytes of the values kept under their own budget (perCatalogSized), apart from `budgetBytes`. */
  sizedBytes: number;
}

const kept = new WeakMap<CatalogStore, Kept>();

/** The value of `key` for this catalog: `build()` on first use, then the kept value. */
export function perCatalog<T>(store: CatalogStore, key: string, build: () => T): T {
  const mine = keptOf(store);
  if (mine.values.has(key)) return mine.values.get(key) as T;
  const value = build();
  // The catalog's rules are the store's memory, whatever holds them.
  const bytes = estimateBytes(value, (o) => store.byId.get((o as { id?: unknown }).id as string) === o);
  if (mine.bytes + bytes <= budgetBytes) {
    mine.values.set(key, value);
    mine.bytes += bytes;
  }
  return value;
}

function keptOf(store: CatalogStore): Kept {
  let mine = kept.get(store);
  if (!mine) kept.set(store, (mine = { values: new Map(), bytes: 0, indexes: new Map(), indexBytes: 0, sizedBytes: 0 }));
  return mine;
}

/**
 * An index of the catalog's rules (codes by field, rules by code ...) under `key`: built on first use and
 * always kept, since without it each request would scan every rule. Its size is linear in the catalog's;
 * it is estimated once and counted apart from the values' budget (perCatalogMemory `indexBytes`).
 */
export function perCatalogIndex<T>(store: CatalogStore, key: string, build: () => T, bytesOf?: (index: T) => number): T {
  const mine = keptOf(store);
  if (mine.indexes.has(key)) return mine.indexes.get(key) as T;
  const index = build();
  mine.indexes.set(key, index);
  // An index's own count where it has one (walking its every object took a tenth of a second on the whole corpus).
  mine.indexBytes += bytesOf
    ? bytesOf(index)
    : estimateBytes(index, (o) => o === store.rules || store.byId.get((o as { id?: unknown }).id as string) === o);
  return index;
}

/**
 * A value too large for the shared budget (every rule's highlighted code), kept under its own:
 * `build(budget)` keeps to `budget` bytes and says how many it holds; kept whatever its size, so that
 * it is built once per catalog, and counted in perCatalogMemory with the rest.
 */
export function perCatalogSized<T>(
  store: CatalogStore,
  key: string,
  budget: number,
  build: (budget: number) => { value: T; bytes: number },
): T {
  const mine = keptOf(store);
  if (mine.values.has(key)) return mine.values.get(key) as T;
  const { value, bytes } = build(budget);
  mine.values.set(key, value);
  mine.sizedBytes += Math.min(bytes, budget);
  return value;
}

/** What the catalog's kept values hold: their keys and estimated bytes in all (sized values included); and its indexes'. */
export function perCatalogMemory(store: CatalogStore): { keys: string[]; bytes: number; indexKeys: string[]; indexBytes: number } {
  const mine = kept.get(store);
  return {
    keys: [...(mine?.values.keys() ?? [])],
    bytes: (mine?.bytes ?? 0) + (mine?.sizedBytes ?? 0),
    indexKeys: [...(mine?.indexes.keys() ?? [])],
    indexBytes: mine?.indexBytes ?? 0,
  };
}

/**
 * A value's size on the heap, roughly (V8's: 16 bytes of header, 8 per slot, strings by their characters),
 * each object counted once however often it is referenced, none that `ownedElsewhere` says another holds.
 */
export function estimateBytes(value: unknown, ownedElsewhere: (o: object) => boolean = () => false): number {
  const seen = new Set<object>();
  let bytes = 0;
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'string') bytes += 16 + v.length * 2;
    else if (typeof v === 'number' || typeof v === 'boolean') bytes += 8;
    else if (v && typeof v === 'object') {
      if (seen.has(v)) continue;
      seen.add(v);
      if (ownedElsewhere(v)) continue;
      if (ArrayBuffer.isView(v)) bytes += 64 + v.byteLength;
      else if (v instanceof Map) {
        bytes += 32 + v.size * 24;
        for (const [k, x] of v) stack.push(k, x);
      } else if (v instanceof Set) {
        bytes += 32 + v.size * 16;
        for (const x of v) stack.push(x);
      } else if (Array.isArray(v)) {
        bytes += 16 + v.length * 8;
        for (const x of v) stack.push(x);
      } else {
        const entries = Object.values(v);
        bytes += 16 + entries.length * 8;
        for (const x of entries) stack.push(x);
      }
    }
  }
  return bytes;
}
