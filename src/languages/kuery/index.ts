// Kibana Query Language (KQL, "kuery") analyser.
//
// The grammar (kuery.peggy) builds a small AST; this module turns it into the shared
// PredicateNode tree. Conventions:
//
// - One stage `{ kind: 'query', text: <query trimmed>, condition }`; no sources, no output
//   fields (the index comes from rule metadata). An empty query parses (Kibana reads it as
//   "match all") to one stage with empty text and no condition.
// - `field:value`            → `eq`, case-sensitive (keyword fields match exactly), nativeOp `:`;
//   on a field the ECS table types otherwise, what Elasticsearch runs there (../elastic-terms.ts):
//   `has` on text fields (`has_any` over the words of an unquoted value), not case-sensitive;
//   `cidr` for a CIDR block on an ip field; a wildcard on a text or caseless field is not case-sensitive.
// - unquoted value with an unescaped `*` → `wildcard`; the value is the pattern with escapes
//   removed, keeping `*` (so `C\:\\Windows\\*` gives `C:\Windows\*`, as EQL would). Only a
//   literal (escaped) `*` is written `\*` in that pattern; `?` is no wildcard in KQL and stays.
// - quoted value             → always `eq` with the literal text, even if it contains `*` (a phrase
//   on a text field: `has` with the whole text).
// - `field:*`                → `exists`, no values.
// - `field > v` etc.         → `gt` / `gte` / `lt` / `lte`, nativeOp as written.
// - `field:(a or b and not c)` → the same and/or/not tree over predicates on `field`.
// - `parent:{ child:v }`     → predicates on `parent.child` (nesting composes).
// - free text without a field (`foo`, `"foo bar"`) → a predicate on field `*` (what Kibana
//   searches: every field), caseSensitive false (it hits analysed text fields); a bare `*`
//   (match all) becomes an `other` node with text `*`.
// - Values are always strings with escapes removed; numbers, dates, `true`/`false`/`null`
//   stay strings as written.
// - `text` is the exact source slice of the whole comparison: `field:value`, `field > 5`, or
//   for a value list the whole `field:(...)`, so every value of the list shares that text.
//   Inside a nested query it is the inner comparison (`child:v`).
//
// Relaxations of Kibana's grammar (queries Kibana rejects that we accept): `not(`, `or(`,
// `and(` without a space before the parenthesis; `not not x`; `not` in the middle of a word
// followed by a space (`cannot be`), which Kibana treats as a keyword and rejects.
import type { PredicateNode, QueryAnalysis } from '../../model/types.js';
import { combine, negate, other, predicate } from '../../model/predicates.js';
import { patternCaseSensitive, termComparison } from '../elastic-terms.js';
import { parserCrash } from '../failure.js';
import type { QueryLanguage } from '../types.js';
import { parse, SyntaxError as PeggySyntaxError } from './kuery.parser.js';
import { kueryHighlight } from './kuery.keywords.js';

/** A literal as the grammar returns it. */
interface Lit {
  quoted: boolean;
  value: string;
  wildcard: boolean;
  pattern: string;
  start: number;
  end: number;
}

type ValueNode = { type: 'or' | 'and'; children: ValueNode[] } | { type: 'not'; child: ValueNode } | { type: 'value'; lit: Lit };

type QueryNode =
  | { type: 'or' | 'and'; children: QueryNode[] }
  | { type: 'not'; child: QueryNode }
  | { type: 'is'; field: Lit | null; value: ValueNode; start: number; end: number }
  | { type: 'range'; field: Lit; op: '<' | '<=' | '>' | '>='; value: Lit; start: number; end: number }
  | { type: 'nested'; field: Lit; query: QueryNode; start: number; end: number };

const RANGE_OPS = { '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' } as const;

/** Field name of a literal: its text with escapes removed (a `*` in a field name stays). */
function fieldName(lit: Lit): string {
  return lit.value;
}

function valuePredicate(field: string | null, lit: Lit, text: string): PredicateNode {
  if (field === null) {
    if (!lit.quoted && lit.wildcard && lit.value === '*') return other('*');
    const op = !lit.quoted && lit.wildcard ? 'wildcard' : 'eq';
    return predicate('*', op, [op === 'wildcard' ? lit.pattern : lit.value], { caseSensitive: false, nativeOp: ':', text });
  }
  if (!lit.quoted && lit.wildcard && lit.value === '*') {
    return predicate(field, 'exists', [], { caseSensitive: true, nativeOp: ':', text });
  }
  if (!lit.quoted && lit.wildcard) {
    return predicate(field, 'wildcard', [lit.pattern], { caseSensitive: patternCaseSensitive(field), nativeOp: ':', text });
  }
  const term = termComparison(field, lit.value, lit.quoted ? 'phrase' : 'words');
  return predicate(field, term.op, term.values, { caseSensitive: term.caseSensitive, nativeOp: ':', text });
}

function convertValues(node: ValueNode, field: string | null, text: string): PredicateNode {
  switch (node.type) {
    case 'or':
    case 'and':
      return combine(
        node.type,
        node.children.map((c) => convertValues(c, field, text)),
      );
    case 'not':
      return negate(convertValues(node.child, field, text));
    case 'value':
      return valuePredicate(field, node.lit, text);
  }
}

function convert(node: QueryNode, query: string, prefix: string): PredicateNode {
  switch (node.type) {
    case 'or':
    case 'and':
      return combine(
        node.type,
        node.children.map((c) => convert(c, query, prefix)),
      );
    case 'not':
      return negate(convert(node.child, query, prefix));
    case 'is': {
      const text = query.slice(node.start, node.end);
      // Free text inside a nested query searches the nested object's fields.
      const field = node.field ? prefix + fieldName(node.field) : prefix ? prefix + '*' : null;
      return convertValues(node.value, field, text);
    }
    case 'range':
      return predicate(prefix + fieldName(node.field), RANGE_OPS[node.op], [node.value.value], {
        caseSensitive: true,
        nativeOp: node.op,
        text: query.slice(node.start, node.end),
      });
    case 'nested':
      return convert(node.query, query, prefix + fieldName(node.field) + '.');
  }
}

function analyse(query: string): QueryAnalysis {
  const text = query.trim();
  let ast: QueryNode | null;
  try {
    ast = parse(query) as QueryNode | null;
  } catch (err) {
    const diagnostic =
      err instanceof PeggySyntaxError
        ? {
            message: err.message,
            line: err.location.start.line,
            column: err.location.start.column,
            severity: 'error' as const,
            scope: 'query' as const,
          }
        : parserCrash(err, 'kuery');
    return { stages: [], outputFields: [], sources: [], diagnostics: [diagnostic], parsed: false };
  }
  const condition = ast ? convert(ast, query, '') : undefined;
  return {
    stages: [condition ? { kind: 'query', text, condition } : { kind: 'query', text }],
    outputFields: [],
    sources: [],
    diagnostics: [],
    parsed: true,
  };
}

export const kuery: QueryLanguage = {
  id: 'kuery',
  name: 'Kibana KQL (kuery)',
  analyse,
  // The parser and the conversion recurse per bracket; the shared corpus nests 12 deep at most.
  limits: { depth: 256 },
  highlight: kueryHighlight,
};
