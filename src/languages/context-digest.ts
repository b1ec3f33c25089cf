// A stable digest of an analysis context: the same context gives the same digest whatever order
// its objects' keys were written in (a data-model table built from two LogTypes, say).
import { createHash } from 'node:crypto';
import type { AnalysisContext } from '../model/types.js';

/** JSON with object keys sorted at every level; arrays keep their order (it is meaningful). */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** sha1 of the context's canonical JSON. */
export function contextDigest(context: AnalysisContext): string {
  return createHash('sha1').update(canonicalJson(context)).digest('hex');
}
