import { constructOf } from '../../model/diagnostics.js';

/**
 * A Lucene clause kept as text: a fuzzy or proximity search (`~`), `_exists_` of a non-name, an
 * open range over all fields. A bare `*` matches every document and is no gap.
 */
export function luceneConstruct(text: string): string | undefined {
  const t = text.trim();
  if (t === '*' || t === '*:*') return undefined;
  if (/"\s*~\d*(\.\d+)?$/.test(t)) return 'proximity search `"..."~N`';
  if (/~\d*(\.\d+)?$/.test(t)) return 'fuzzy search `~`';
  if (/^_exists_\s*:/.test(t)) return '`_exists_` of a value that is not a field name';
  if (/^[[{]/.test(t)) return 'a range over all fields';
  return constructOf(text);
}
