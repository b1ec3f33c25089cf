// Test support shared by the language tests and the conformance suite: analysing through the
// registry (so that a change of the analyse signature touches one place), the invariants every
// analysis keeps, and predicate builders.
import assert from 'node:assert/strict';
import type { AnalysisContext, Diagnostic, Predicate, PredicateNode, QueryAnalysis, Stage } from '../model/types.js';
import { analyseQuery } from './registry.js';

/** The analysis context of a query analysed on its own in a test: no platform, no declared sources. */
export const testContext: AnalysisContext = { platform: '', declaredSources: [] };

/** The analysis of a query that must parse; the assertion message carries its diagnostics. */
export function parsedAnalysis(languageId: string, query: string): QueryAnalysis {
  const analysis = analyseQuery(languageId, query, testContext);
  assert.equal(analysis.parsed, true, `did not parse: ${JSON.stringify(analysis.diagnostics)}`);
  return analysis;
}

/**
 * The one diagnostic of a query that must not parse: nothing else comes back (no stages, outputs
 * or sources), and the diagnostic is an error about the query.
 */
export function parseFailure(languageId: string, query: string): Diagnostic {
  const analysis = analyseQuery(languageId, query, testContext);
  assert.equal(analysis.parsed, false, `parsed: ${query}`);
  assert.deepEqual(analysis.stages, []);
  assert.deepEqual(analysis.outputFields, []);
  assert.deepEqual(analysis.sources, []);
  assert.equal(analysis.diagnostics.length, 1, JSON.stringify(analysis.diagnostics));
  const diagnostic = analysis.diagnostics[0]!;
  assert.equal(diagnostic.severity, 'error');
  assert.equal(diagnostic.scope, 'query');
  return diagnostic;
}

/** A predicate with every member given, in the order the language tests write them. */
export function pred(
  field: string,
  op: Predicate['op'],
  values: Predicate['values'],
  negated: boolean,
  caseSensitive: boolean,
  nativeOp: string,
  text: string,
): Predicate {
  return { field, op, values, negated, caseSensitive, nativeOp, text };
}

export function predNode(predicate: Predicate): PredicateNode {
  return { kind: 'pred', predicate };
}

const severities = new Set(['error', 'warning', 'info']);
const scopes = new Set(['file', 'query', 'metadata']);
/** Exception texts that say nothing to a rule author (parserCrash words a stack overflow for them). */
const javascriptErrors = /Maximum call stack size exceeded|Cannot read properties of|is not a function|is not iterable/;
const isPosition = (n: number | undefined) => n === undefined || (Number.isInteger(n) && n >= 1);

/**
 * What is wrong with an analysis as a value, whatever the query: members of the wrong type, a
 * failed parse with no error saying why, diagnostics with bad positions, an analyser crash
 * (the registry and parserCrash turn exceptions into `internal ...` diagnostics). Empty when sound.
 */
export function analysisProblems(analysis: QueryAnalysis): string[] {
  const problems: string[] = [];
  if (typeof analysis.parsed !== 'boolean') problems.push('parsed is not a boolean');
  for (const member of ['stages', 'outputFields', 'sources', 'diagnostics'] as const) {
    if (!Array.isArray(analysis[member])) problems.push(`${member} is not an array`);
  }
  if (problems.length) return problems;
  if (!analysis.parsed && !analysis.diagnostics.some((d) => d.severity === 'error')) problems.push('not parsed, but no error diagnostic');
  for (const stage of analysis.stages) {
    if (typeof stage.kind !== 'string' || typeof stage.text !== 'string')
      problems.push(`malformed stage ${JSON.stringify(stage).slice(0, 200)}`);
  }
  // One line per kind of problem: a million bad diagnostics are one finding.
  const bad = new Set<string>();
  for (const d of analysis.diagnostics) {
    if (typeof d.message !== 'string' || !d.message) bad.add('a diagnostic without a message');
    else if (/^internal /.test(d.message)) bad.add(`analyser crash: ${d.message.slice(0, 200)}`);
    else if (javascriptErrors.test(d.message)) bad.add(`a JavaScript exception as the message: ${d.message.slice(0, 200)}`);
    if (!severities.has(d.severity)) bad.add(`a diagnostic with severity ${String(d.severity)}`);
    if (!scopes.has(d.scope)) bad.add(`a diagnostic with scope ${String(d.scope)}`);
    if (!isPosition(d.line) || !isPosition(d.column)) bad.add(`a diagnostic at line ${d.line}, column ${d.column}`);
  }
  return [...problems, ...bad];
}

/** The predicate of a condition that must be a single comparison. */
export function singlePredicate(condition: PredicateNode | undefined): Predicate {
  assert.ok(condition, 'no condition');
  assert.equal(condition.kind, 'pred', `not a predicate: ${JSON.stringify(condition)}`);
  return condition.predicate;
}

/** The nth stage of a kind (first by default). */
export function stageOfKind(analysis: QueryAnalysis, kind: string, nth = 0): Stage {
  const stage = analysis.stages.filter((s) => s.kind === kind)[nth];
  assert.ok(stage, `no ${kind} stage #${nth}: ${JSON.stringify(analysis.stages.map((s) => s.kind))}`);
  return stage;
}

/**
 * A condition tree on one line, for compact assertions: `(a eq~ ["x"] and not b !in ["y"])`, `!`
 * for a negated predicate, `~` for a case-insensitive one (existence tests have no case), «text»
 * for what the analyser kept as text, `(none)` for no condition.
 */
export function conditionText(node: PredicateNode | undefined): string {
  if (!node) return '(none)';
  switch (node.kind) {
    case 'and':
    case 'or':
      return `(${node.children.map(conditionText).join(` ${node.kind} `)})`;
    case 'not':
      return `not ${conditionText(node.child)}`;
    case 'some':
      return `${node.atLeast ? `at least ${node.atLeast} of` : 'some'} ${node.field}[] ${conditionText(node.child)}`;
    case 'other':
      return `«${node.text}»`;
    case 'pred': {
      const p = node.predicate;
      return `${p.field} ${p.negated ? '!' : ''}${p.op}${p.caseSensitive || p.op === 'exists' ? '' : '~'} ${JSON.stringify(p.values)}`;
    }
  }
}
