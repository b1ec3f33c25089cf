// `deep_get(D, "a", "b", default=d)` / `deep_walk(...)` of a constant dict (an allow list's entry:
// `for entry in ALLOW_LIST: deep_walk(entry, "principals", default=[])`): the constant it gives, as
// panther_base_helpers computes it. deep_get gives the default where a key is missing, a step is no
// dict or the value found is None; deep_walk the same, and the default for an empty list found. A
// list on the way (deep_walk's walk into its elements) or a value that is no constant is not read.
import type { ConstValue } from './values.js';

export type DeepGetter = 'deep_get' | 'deep_walk';

/** What `getter(dict, ...keys, default=fallback)` gives; undefined where that is not decided. */
export function constantDeepGet(getter: DeepGetter, dict: ConstValue, keys: string[], fallback: ConstValue): ConstValue | undefined {
  let current: ConstValue = dict;
  for (const key of keys) {
    if (current.kind !== 'collection' || !current.entries) {
      // deep_get reads any non-mapping as the default; deep_walk walks into a list.
      if (getter === 'deep_get' || current.kind === 'scalar') return fallback;
      return undefined;
    }
    const entry = current.entries.find(([k]) => k === key);
    if (!entry) return fallback;
    const value = entry[1];
    if (value === undefined) return undefined;
    if (value.kind === 'scalar' && value.value === null) return fallback;
    current = value;
  }
  if (current.kind === 'scalar' && current.value === null) return fallback;
  // deep_walk: an empty list found (no elements at all) is the default.
  if (getter === 'deep_walk' && current.kind === 'collection' && !current.entries && !current.partial && current.values.length === 0)
    return fallback;
  return current;
}
