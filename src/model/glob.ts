// `*` wildcards (table names, index patterns, column names) as regexes, compiled once per pattern.

const caches = new Map<string, Map<string, RegExp>>();

/**
 * The whole-string regex of a `*` glob; `flags` as for RegExp (`i` to ignore case). With
 * `capture`, each `*` is a group, so that a match gives what the wildcards stood for.
 */
export function globRegExp(pattern: string, flags = '', capture = false): RegExp {
  const key = `${flags}${capture ? 'c' : ''}`;
  let cache = caches.get(key);
  if (!cache) caches.set(key, (cache = new Map<string, RegExp>()));
  let re = cache.get(pattern);
  if (!re) {
    const body = pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join(capture ? '(.*)' : '.*');
    cache.set(pattern, (re = new RegExp(`^${body}$`, flags)));
  }
  return re;
}
