// What a changed file's stored version derived from its rules' queries: a rule whose query inputs
// are as stored takes that analysis instead of being analysed again (pipeline/write.ts).
import { type QueryDerived, queryInputsKey } from '../analysis/analyse-rule.js';
import { type FileTask, readRawText } from '../catalog/analyse-files.js';
import type { Rule } from '../model/types.js';

/** A row as first loaded: what finds a rule's file and history without its core. */
export interface LightRow {
  rowid: number;
  id: string;
  nativeId: string;
  platform: string;
  language: string;
  sourceName: string;
  path: string;
  name: string;
  sha: string;
  current: number;
}

/**
 * What the stored version of a changed file derived from each rule's query, by its query inputs:
 * a rule whose query, language, platform and declared sources and outputs are as they were (its
 * title, description or severity edited) takes it instead of being analysed again. The old version
 * is read again from the stored file text, queries not analysed; each of its rules is matched with
 * its stored row by native id and query.
 */
export function previousDerived(
  task: FileTask,
  old: readonly LightRow[],
  stored: (rowid: number) => { json: string; body: string } | undefined,
): Map<string, QueryDerived> {
  const out = new Map<string, QueryDerived>();
  const texts = old.map((row) => stored(row.rowid));
  const raws = texts[0] && readRawText(task, { text: texts[0].body });
  if (!raws) return out;
  // Two rules of one file with the same native id and query are left to be analysed: which is which is not known.
  const byQuery = new Map<string, Rule | null>();
  for (const text of texts) {
    if (!text) continue;
    const rule = JSON.parse(text.json) as Rule;
    const key = `${rule.nativeId}\u0000${rule.query}`;
    byQuery.set(key, byQuery.has(key) ? null : rule);
  }
  const seen = new Set<string>();
  for (const raw of raws) {
    const key = `${raw.nativeId}\u0000${raw.query}`;
    const rule = seen.has(key) ? null : byQuery.get(key);
    seen.add(key);
    if (!rule) continue;
    const { stages, sources, parsed, indicators, correlations, events, eventPatterns, inheritsEventsFrom, outputFields, diagnostics } =
      rule;
    out.set(queryInputsKey(raw), {
      stages,
      sources,
      parsed,
      indicators,
      ...(correlations ? { correlations } : {}),
      events,
      ...(eventPatterns ? { eventPatterns } : {}),
      ...(inheritsEventsFrom ? { inheritsEventsFrom } : {}),
      outputFields,
      diagnostics,
    });
  }
  return out;
}
