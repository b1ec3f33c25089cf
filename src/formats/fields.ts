// Small readers for untrusted documents: a field of the wrong type reads as absent.

export type Doc = Record<string, unknown>;

export function isDoc(value: unknown): value is Doc {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function str(doc: Doc | undefined, key: string): string | undefined {
  const v = doc?.[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

export function strList(doc: Doc | undefined, key: string): string[] {
  const v = doc?.[key];
  if (typeof v === 'string') return v.trim() ? [v] : [];
  if (!Array.isArray(v)) return [];
  return v.filter((x): x is string | number => typeof x === 'string' || typeof x === 'number').map(String);
}

export function docList(doc: Doc | undefined, key: string): Doc[] {
  const v = doc?.[key];
  if (Array.isArray(v)) return v.filter(isDoc);
  if (isDoc(v)) return [v];
  return [];
}

export function sub(doc: Doc | undefined, key: string): Doc | undefined {
  const v = doc?.[key];
  return isDoc(v) ? v : undefined;
}

/** 1-based line of the first line that starts with `prefix`, for pointing diagnostics at a file. */
export function lineOf(text: string, prefix: string): number | undefined {
  let line = 1;
  let start = 0;
  while (start <= text.length) {
    if (text.startsWith(prefix, start)) return line;
    const next = text.indexOf('\n', start);
    if (next < 0) return undefined;
    start = next + 1;
    line++;
  }
  return undefined;
}

export function unique<T>(items: Iterable<T>): T[] {
  return [...new Set(items)];
}
