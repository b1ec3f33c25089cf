import type { Diagnostic, Predicate, PredicateNode, Stage } from './types.js';

/** 1-based line and column of an offset in text. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

export function queryError(message: string, text?: string, offset?: number): Diagnostic {
  const pos = text !== undefined && offset !== undefined ? lineColumn(text, offset) : {};
  return { message, severity: 'error', scope: 'query', ...pos };
}

/**
 * Names the construct a condition kept as text stands for (`ago()`, `descendant of`), for its info
 * diagnostic; undefined when it is no gap (a match-all `*`). `predicate` is set for a predicate
 * whose operator is `other`.
 */
export type ConstructNamer = (text: string, predicate?: Predicate) => string | undefined;

const maxUnreadDiagnostics = 8;

// Words that are followed by `(` without being a function call.
const operatorWords = new Set([
  'in',
  'not',
  'and',
  'or',
  'between',
  'has_any',
  'has_all',
  'like',
  'ilike',
  'rlike',
  'any',
  'all',
  'of',
  'exists',
  'select',
  'is',
  'when',
  'then',
  'else',
  'case',
]);

/**
 * The construct most conditions kept as text are: a subquery, a function call, a list held in a
 * variable, a comparison with a non-literal. A bare `*`, `true` or `false` is read, and no gap.
 */
export function constructOf(text: string): string | undefined {
  const t = text.trim();
  if (t === '*' || /^(true|false)$/i.test(t)) return undefined;
  if (/\(\s*select\b/i.test(t)) return 'a subquery';
  for (const m of t.matchAll(/(?<![\w.$@"'`])([A-Za-z_][\w.]*)~?\s*\(/g)) {
    if (!operatorWords.has(m[1]!.toLowerCase())) return `\`${m[1]}()\``;
  }
  if (/\b(in~?|has_any|has_all)\s*\(\s*[A-Za-z_]\w*\s*\)\s*$/i.test(t)) return 'a list held in a variable';
  if (/\bbetween\s*\(/i.test(t)) return '`between` with computed bounds';
  if (/[=<>]|!~/.test(t)) return 'a comparison with another field or a computed value';
  if (/^[\w.@$]+$/.test(t)) return 'a field or variable used as a condition';
  return 'an expression used as a condition';
}

/**
 * One info diagnostic per construct an analysis kept as text (`other` nodes, predicates whose
 * operator is `other`), so that what is not read is counted, not hidden; at most a few a query.
 * A node a warning or error already points at gets none.
 */
export function unreadConstructDiagnostics(
  query: string,
  stages: readonly Stage[],
  existing: readonly Diagnostic[],
  nameOf: ConstructNamer,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const named = new Set<string>();
  const flagged = new Set(existing.filter((d) => d.severity !== 'info' && d.line !== undefined).map((d) => `${d.line}:${d.column}`));
  const note = (text: string, predicate?: Predicate) => {
    if (out.length >= maxUnreadDiagnostics) return;
    const construct = nameOf(text, predicate);
    if (construct === undefined || named.has(construct)) return;
    const offset = query.indexOf(text);
    const pos = offset >= 0 && text !== '' ? lineColumn(query, offset) : undefined;
    if (pos && flagged.has(`${pos.line}:${pos.column}`)) return;
    named.add(construct);
    out.push({ message: `${construct} is not read: its condition is kept as text`, severity: 'info', scope: 'query', ...pos });
  };
  const visit = (node: PredicateNode | undefined): void => {
    if (!node) return;
    if (node.kind === 'other') note(node.text);
    else if (node.kind === 'pred') {
      if (node.predicate.op === 'other') note(node.predicate.text, node.predicate);
    } else if (node.kind === 'not' || node.kind === 'some') visit(node.child);
    else for (const c of node.children) visit(c);
  };
  for (const stage of stages) visit(stage.condition);
  return out;
}
