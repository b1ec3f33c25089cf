// An analysed file as a helper thread posts it (analyse-worker.ts) and the main thread takes it back
// (parallel.ts). Every rule of a file holds the file's text as its `body`; a structured clone copies
// a string each time it meets it, so a file of 1,000 rules crossed threads as 1,000 copies of its
// text (a 176 KB .yaral file: 176 MB on each side). Each distinct text is posted once.
import type { AnalysedFile } from './analyse-files.js';

export interface PostedFile {
  analysed: AnalysedFile;
  /** The rules' texts, each once; every rule's `body` was emptied and is `bodies[bodyOf[i]]`. */
  bodies: string[];
  bodyOf: number[];
}

/** `analysed` ready to post: its rules' texts taken out (the rules are changed in place; it is not used after). */
export function forPosting(analysed: AnalysedFile): PostedFile {
  const bodies: string[] = [];
  const bodyOf: number[] = [];
  if (analysed.outcome.kind === 'rules') {
    const index = new Map<string, number>();
    for (const rule of analysed.outcome.rules) {
      let at = index.get(rule.body);
      if (at === undefined) index.set(rule.body, (at = bodies.push(rule.body) - 1));
      bodyOf.push(at);
      rule.body = '';
    }
  }
  return { analysed, bodies, bodyOf };
}

/** The analysed file a PostedFile was made from, its rules sharing each text. */
export function received({ analysed, bodies, bodyOf }: PostedFile): AnalysedFile {
  if (analysed.outcome.kind === 'rules') analysed.outcome.rules.forEach((rule, i) => (rule.body = bodies[bodyOf[i]!]!));
  return analysed;
}
