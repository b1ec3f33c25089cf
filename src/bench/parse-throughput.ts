import { resolve } from 'node:path';
import { analysisContextOf } from '../analysis/analyse-rule.js';
import { readSourceFile } from '../catalog/source-file.js';
import { listFiles } from '../catalog/walk.js';
import { containerOf, parseContainer } from '../formats/containers.js';
import { formats } from '../formats/registry.js';
import { analyseQuery, isAnalysed, prepareLanguages } from '../languages/registry.js';
import type { AnalysisContext } from '../model/types.js';

/** Time each analysed query on its own, after one warm-up pass per language. */
export async function measureParsing(sources: string[]): Promise<Record<string, { queries: number; perSecond: number; medianMs: number }>> {
  await prepareLanguages();
  const queries = new Map<string, { query: string; context: AnalysisContext }[]>();
  for (const source of sources) {
    const root = resolve(source);
    for (const path of listFiles(root).files) {
      const container = containerOf(path);
      const candidates = formats.filter((f) => f.container === container);
      if (!candidates.length) continue;
      try {
        const { text } = readSourceFile(root, path);
        const doc = parseContainer(container, text);
        const format = candidates.find((f) => f.detect(doc, { path, text }));
        for (const raw of format?.read(doc, { path, text }) ?? []) {
          if (!isAnalysed(raw.language) || !raw.query) continue;
          const list = queries.get(raw.language) ?? [];
          list.push({ query: raw.query, context: analysisContextOf(raw) });
          queries.set(raw.language, list);
        }
      } catch {
        // Broken files are the build report's business, not the benchmark's.
      }
    }
  }
  const out: Record<string, { queries: number; perSecond: number; medianMs: number }> = {};
  for (const [language, list] of queries) {
    for (const q of list.slice(0, 20)) analyseQuery(language, q.query, q.context);
    const times: number[] = [];
    const started = performance.now();
    for (const q of list) {
      const t0 = performance.now();
      analyseQuery(language, q.query, q.context);
      times.push(performance.now() - t0);
    }
    const total = performance.now() - started;
    times.sort((a, b) => a - b);
    out[language] = { queries: list.length, perSecond: list.length / (total / 1000), medianMs: times[Math.floor(times.length / 2)] ?? 0 };
  }
  return out;
}
