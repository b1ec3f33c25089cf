import type { AttackCatalog } from '../attack/catalog.js';
import { analyseRule, type RuleContext } from '../analysis/analyse-rule.js';
import { containerOf, parseContainer, recoverYaml, type RecoveredYaml } from '../formats/containers.js';
import { WorkLimitError } from '../formats/yaml.js';
import { formats } from '../formats/registry.js';
import type { SourceFile } from '../formats/types.js';
import type { StoredTest } from '../evaluate/stored-tests.js';
import type { Diagnostic, FileError, RawRule, Rule } from '../model/types.js';

export type FileOutcome =
  /** `problem`: the file had an error but its rules were still read (see recoverYaml). */
  | {
      kind: 'rules';
      rules: Rule[];
      problem?: FileError;
      /** The tests the file holds (its rules' own, or regression samples), and the format that read them. */
      tests?: StoredTest[];
      format?: string;
    }
  | { kind: 'error'; error: FileError }
  | { kind: 'skipped'; skipped: FileError };

function message(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  // YAML errors carry a multi-line snippet; the first line says what and where.
  return text.split('\n')[0]!.slice(0, 500);
}

function recoveryNote(r: RecoveredYaml): Diagnostic {
  const keys = (list: RecoveredYaml['lost']) => list.map((k) => `\`${k.key}\` (line ${k.line})`).join(', ');
  const lost = r.lost.length ? `, without ${keys(r.lost)}` : '';
  const literal = r.literal.length ? `, taking ${keys(r.literal)} as its lines with their common indentation removed` : '';
  return {
    message: `${r.reason}; read key by key instead${lost}${literal}`,
    severity: 'error',
    scope: 'file',
    line: r.lost[0]?.line ?? r.literal[0]?.line ?? 1,
  };
}

/** A file to read into rules, with what reading its bytes noticed (catalog/decode.ts). */
export interface FileToRead extends SourceFile {
  /** Why its bytes were not read as text (an encoding not read): a file some format could read is then an error. */
  refused?: string;
  /** What is not as the bytes say (invalid UTF-8 replaced), of the file and of the files readRelated gave: it grows as the file is read. */
  notes?: string[];
}

/** A file's rules as its format reads them, before any query is analysed, or why it yielded none. */
type RawOutcome =
  | { kind: 'raws'; raws: RawRule[]; recovered?: RecoveredYaml; tests: StoredTest[]; format: string }
  | Exclude<FileOutcome, { kind: 'rules' }>;

function readRaws(file: FileToRead): RawOutcome {
  const container = containerOf(file.path);
  const candidates = formats.filter((f) => f.container === container);
  if (candidates.length === 0) {
    return { kind: 'skipped', skipped: { path: file.path, reason: 'no rule format reads this kind of file' } };
  }
  // Refused unread: an encoding the readers do not take, or over the size limit (catalog/source-file.ts).
  if (file.refused) return { kind: 'error', error: { path: file.path, reason: file.refused } };
  let doc: unknown;
  let recovered: RecoveredYaml | undefined;
  try {
    doc = parseContainer(container, file.text);
  } catch (err) {
    if (err instanceof WorkLimitError)
      return { kind: 'error', error: { path: file.path, reason: `${container.toUpperCase()} not read: ${message(err)}` } };
    const reason = `${container.toUpperCase()} does not parse: ${message(err)}`;
    recovered = container === 'yaml' ? recoverYaml(file.text, reason) : undefined;
    if (!recovered) return { kind: 'error', error: { path: file.path, reason } };
    doc = recovered.doc;
  }
  const format = candidates.find((f) => f.detect(doc, file));
  if (!format && recovered) return { kind: 'error', error: { path: file.path, reason: recovered.reason } };
  if (!format) {
    return { kind: 'skipped', skipped: { path: file.path, reason: `no rule format recognises this ${container.toUpperCase()} file` } };
  }
  try {
    const raws = format.read(doc, file);
    if (recovered) for (const raw of raws) raw.diagnostics.unshift(recoveryNote(recovered));
    const tests = format.readTests?.(doc, file) ?? [];
    return { kind: 'raws', raws, recovered, tests, format: format.id };
  } catch (err) {
    return { kind: 'error', error: { path: file.path, reason: `${format.id} rule could not be read: ${message(err)}` } };
  }
}

/** A file's rules as its format reads them, queries not analysed; undefined when it yields none. Never throws. */
export function readRawRules(file: FileToRead): RawRule[] | undefined {
  const outcome = readRaws(file);
  return outcome.kind === 'raws' ? outcome.raws : undefined;
}

/** Read one file into analysed rules, or say why it yielded none. Never throws. */
export function readRuleFile(
  file: FileToRead,
  ctx: { attack: AttackCatalog; sourceName: string; reuse?: RuleContext['reuse'] },
): FileOutcome {
  const outcome = readRaws(file);
  // Read after the format: the files it read add theirs.
  const notes = file.notes ?? [];
  if (outcome.kind === 'error' && notes.length)
    return { kind: 'error', error: { ...outcome.error, reason: [outcome.error.reason, ...notes].join('; ') } };
  if (outcome.kind !== 'raws') return outcome;
  const { raws, recovered } = outcome;
  const tests = outcome.tests.length ? { tests: outcome.tests } : {};
  // Said on each rule (the page shows it) and in the report, never silently.
  for (const raw of raws) for (const note of notes) raw.diagnostics.unshift({ message: note, severity: 'warning', scope: 'file' });
  try {
    const rules = raws.map((raw) =>
      analyseRule(raw, { attack: ctx.attack, path: file.path, sourceName: ctx.sourceName, body: file.text, reuse: ctx.reuse }),
    );
    formats.find((f) => f.id === outcome.format)?.analyseTests?.(outcome.tests, raws);
    const problems = [...(recovered ? [recoveryNote(recovered).message] : []), ...notes];
    if (!problems.length) return { kind: 'rules', rules, format: outcome.format, ...tests };
    return {
      kind: 'rules',
      rules,
      format: outcome.format,
      ...tests,
      problem: { path: file.path, reason: problems.join('; '), partial: true },
    };
  } catch (err) {
    return { kind: 'error', error: { path: file.path, reason: `a rule could not be analysed: ${message(err)}` } };
  }
}
