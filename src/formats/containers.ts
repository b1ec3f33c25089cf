import { loadYaml } from './yaml.js';
import { parse as parseToml } from 'smol-toml';
import type { Container } from './types.js';

const byExtension: Record<string, Container> = {
  yml: 'yaml',
  yaml: 'yaml',
  toml: 'toml',
};

export function containerOf(path: string): Container {
  const dot = path.lastIndexOf('.');
  const slash = path.lastIndexOf('/');
  if (dot <= slash) return 'text';
  return byExtension[path.slice(dot + 1).toLowerCase()] ?? 'text';
}

/** A YAML document read key by key after the whole file failed to parse. */
export interface RecoveredYaml {
  doc: Record<string, unknown>;
  /** Why the whole file did not parse (first line of the YAML error). */
  reason: string;
  /** Top-level keys that still did not parse on their own, with their 1-based line. */
  lost: { key: string; line: number }[];
  /** Top-level block scalars (`key: |`) with uneven indentation, taken as their literal lines. */
  literal: { key: string; line: number }[];
}

const BLOCK_SCALAR = /^[A-Za-z_][\w.-]*\s*:\s*[|>][-+]?\s*$/;

/** The lines of a block scalar whose indentation YAML rejects, with their common indentation removed. */
function literalBlock(lines: string[]): string {
  const body = lines.slice(1);
  while (body.length && body[body.length - 1]!.trim() === '') body.pop();
  const indents = body.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return body.map((l) => l.slice(cut)).join('\n');
}

const TOP_LEVEL_KEY = /^([A-Za-z_][\w.-]*)\s*:/;

/**
 * Rule repositories hold a few files that YAML rejects because of one badly indented block (an
 * entity mapping, a description). Reading each top-level key on its own keeps the rest of the
 * rule (its id, name and query) instead of losing the whole file. Returns undefined when nothing
 * at the top level parses, or when the file is not a mapping of top-level keys.
 */
export function recoverYaml(text: string, reason: string): RecoveredYaml | undefined {
  const lines = text.split('\n');
  const starts: { key: string; line: number }[] = [];
  lines.forEach((line, i) => {
    const m = TOP_LEVEL_KEY.exec(line);
    if (m) starts.push({ key: m[1]!, line: i });
  });
  if (starts.length === 0) return undefined;
  const doc: Record<string, unknown> = {};
  const lost: RecoveredYaml['lost'] = [];
  const literal: RecoveredYaml['literal'] = [];
  starts.forEach((start, n) => {
    const end = starts[n + 1]?.line ?? lines.length;
    const chunk = lines.slice(start.line, end);
    try {
      const part = loadYaml(chunk.join('\n'));
      if (part && typeof part === 'object' && !Array.isArray(part) && start.key in part) {
        doc[start.key] = (part as Record<string, unknown>)[start.key];
        return;
      }
    } catch {
      if (BLOCK_SCALAR.test(chunk[0]!)) {
        doc[start.key] = literalBlock(chunk);
        literal.push({ key: start.key, line: start.line + 1 });
        return;
      }
    }
    lost.push({ key: start.key, line: start.line + 1 });
  });
  if (Object.keys(doc).length === 0) return undefined;
  return { doc, reason, lost, literal };
}

/** Parse a file's text into the document its formats inspect. Throws with a readable message. */
export function parseContainer(container: Container, text: string): unknown {
  switch (container) {
    case 'yaml':
      // JSON_SCHEMA keeps dates and `1.0` versions as written instead of guessing types.
      return loadYaml(text);
    case 'toml':
      return parseToml(text);
    case 'text':
      return text;
  }
}
