import type { AttackCatalog } from '../attack/catalog.js';
import { analyseRule } from '../analysis/analyse-rule.js';
import { containerOf, parseContainer } from '../formats/containers.js';
import { formats } from '../formats/registry.js';
import type { SourceFile } from '../formats/types.js';
import type { FileError, Rule } from '../model/types.js';

export type FileOutcome =
  | { kind: 'rules'; rules: Rule[] }
  | { kind: 'error'; error: FileError }
  | { kind: 'skipped'; skipped: FileError };

function message(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  // YAML errors carry a multi-line snippet; the first line says what and where.
  return text.split('\n')[0]!.slice(0, 500);
}

/** Read one file into analysed rules, or say why it yielded none. Never throws. */
export function readRuleFile(file: SourceFile, ctx: { attack: AttackCatalog; sourceName: string }): FileOutcome {
  const container = containerOf(file.path);
  const candidates = formats.filter((f) => f.container === container);
  if (candidates.length === 0) {
    return { kind: 'skipped', skipped: { path: file.path, reason: 'no rule format reads this kind of file' } };
  }
  let doc: unknown;
  try {
    doc = parseContainer(container, file.text);
  } catch (err) {
    return { kind: 'error', error: { path: file.path, reason: `${container.toUpperCase()} does not parse: ${message(err)}` } };
  }
  const format = candidates.find((f) => f.detect(doc, file));
  if (!format) {
    return { kind: 'skipped', skipped: { path: file.path, reason: `no rule format recognises this ${container.toUpperCase()} file` } };
  }
  try {
    const raws = format.read(doc, file);
    const rules = raws.map((raw) => analyseRule(raw, { attack: ctx.attack, path: file.path, sourceName: ctx.sourceName, body: file.text }));
    return { kind: 'rules', rules };
  } catch (err) {
    return { kind: 'error', error: { path: file.path, reason: `${format.id} rule could not be read: ${message(err)}` } };
  }
}
