// Lucene query syntax analyser (Elastic rules with `language = "lucene"`, ES|QL `QSTR()`).
//
// The grammar (lucene.peggy) follows Lucene's classic query parser as Elasticsearch's
// `query_string` uses it. (The `liqe` package was tried first and dropped: it rejects field
// groups `f:(a OR b)`, backslash escapes `C\:\\Windows`, `+`/`&&`/`||`, date and open ranges
// `[2020-01-01 TO *]` — the first alone fails the only Lucene rule of the Elastic corpus — and it
// reads two clauses without an operator as AND where Elasticsearch reads OR.)
//
// Conventions (those of kuery where the languages overlap):
// - One stage `{ kind: 'query', text: <query trimmed>, condition }`; no sources, no output
//   fields. An empty query parses (match all) to one stage with empty text and no condition.
// - `field:value` → `eq`, case-sensitive (keyword fields match exactly), nativeOp `:`; on a field the
//   ECS table types otherwise, what Elasticsearch runs there (../elastic-terms.ts): `has` for a term
//   or phrase on a text field, not case-sensitive; `cidr` for a CIDR block on an ip field; wildcards
//   and regexes on text and caseless fields are not case-sensitive.
// - unquoted value with an unescaped `*` or `?` → `wildcard`; the pattern keeps them, a literal
//   (escaped) one is written `\*` / `\?`; other escapes are removed (`C\:\\Windows\\*` gives
//   `C:\Windows\*`).
// - A lower-case `and`/`or`/`not` is a word to search for, as in Lucene; a warning says so.
// - `"a phrase"` → `eq` with the text, even with `*` inside; `/regex/` → `regex`.
// - `field:*` and `_exists_:field` → `exists`; a bare `*` or `*:*` (match all) → `other`.
// - `[a TO b]` → `range` [a, b] (nativeOp the brackets, `[]`, `{}`, `[}`, `{]`); with one open
//   end (`*`) → `gt`/`gte`/`lt`/`lte`; `field:>=v` → `gte` etc. (nativeOp as written).
// - fuzzy `term~2` and proximity `"a b"~3` → `other` (neither is an exact comparison).
// - `field:(a OR b)` → the same tree over predicates on `field`, each with the text of the whole
//   `field:(...)`, as kuery does.
// - free text without a field → field `*`, case-insensitive.
// - Boolean logic is Lucene's: each clause is required (`+`, either side of AND), prohibited
//   (`-`, `!`, NOT) or optional (OR, or no operator: Elasticsearch's default operator is OR). The
//   tree is and(required..., not(prohibited)...); optional clauses join it as one `or` when no
//   clause is required, and otherwise only affect scoring: they are left out, with an info
//   diagnostic (so `a AND b OR c` is `a and b`, as Lucene runs it).
// - Values are strings as written (numbers and dates too), escapes removed.
import { queryError } from '../../model/diagnostics.js';
import { combine, negate, other, predicate } from '../../model/predicates.js';
import type { Diagnostic, Operator, PredicateNode, QueryAnalysis } from '../../model/types.js';
import type { QueryLanguage } from '../types.js';
import { parse, SyntaxError as PeggySyntaxError } from './lucene.parser.js';
import { failedAnalysis as failed } from '../failure.js';
import { patternCaseSensitive, termComparison } from '../elastic-terms.js';
import { luceneHighlight } from './lucene.keywords.js';
import { luceneConstruct } from './unread.js';

type Value =
  | { k: 'word'; value: string; pattern: string; wildcard: boolean; fuzzy: string | null }
  | { k: 'phrase'; value: string; slop: string | null }
  | { k: 'regex'; value: string }
  | { k: 'range'; lower: string | null; upper: string | null; lowerInclusive: boolean; upperInclusive: boolean }
  | { k: 'compare'; op: '>' | '>=' | '<' | '<='; value: string };

interface Clause {
  conj: 'AND' | 'OR' | null;
  mod: '+' | '-' | null;
  node: Node;
}

type Node =
  | { t: 'bool'; clauses: Clause[]; s: number; e: number }
  | { t: 'group'; field: string | null; query: Node; s: number; e: number }
  | { t: 'term'; field: string | null; value: Value; s: number; e: number };

const COMPARE: Record<string, Operator> = { '>': 'gt', '>=': 'gte', '<': 'lt', '<=': 'lte' };

class Converter {
  readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly query: string) {}

  /** `inherited`: the field of an enclosing `field:( ... )` and that group's text. */
  convert(node: Node, inherited: { field: string; text: string } | null): PredicateNode {
    switch (node.t) {
      case 'bool':
        return this.bool(node, inherited);
      case 'group': {
        const field = node.field ?? inherited?.field;
        const scope =
          field === undefined ? null : { field, text: node.field !== null ? this.query.slice(node.s, node.e) : inherited!.text };
        return this.convert(node.query, scope);
      }
      case 'term': {
        const text = node.field === null && inherited ? inherited.text : this.query.slice(node.s, node.e);
        return this.term(node.field ?? inherited?.field ?? null, node.value, text);
      }
    }
  }

  /** Lucene's BooleanQuery occurs, as QueryParserBase.addClause assigns them (default operator OR). */
  private bool(node: Extract<Node, { t: 'bool' }>, inherited: { field: string; text: string } | null): PredicateNode {
    const occurs: ('must' | 'should' | 'not')[] = [];
    for (const clause of node.clauses) {
      const last = occurs.length - 1;
      if (last >= 0 && clause.conj === 'AND' && occurs[last] !== 'not') occurs[last] = 'must';
      const prohibited = clause.mod === '-';
      const required = clause.mod === '+' || (clause.conj === 'AND' && !prohibited);
      occurs.push(prohibited ? 'not' : required ? 'must' : 'should');
    }
    const must: PredicateNode[] = [];
    const not: PredicateNode[] = [];
    const should: PredicateNode[] = [];
    node.clauses.forEach((clause, i) => {
      const converted = this.convert(clause.node, inherited);
      if (occurs[i] === 'must') must.push(converted);
      else if (occurs[i] === 'not') not.push(negate(converted));
      else should.push(converted);
    });
    if (must.length > 0 && should.length > 0) {
      this.diagnostics.push({
        ...queryError(
          'optional clauses next to required ones (AND, +) only affect scoring; they are left out of the condition',
          this.query,
          node.s,
        ),
        severity: 'info',
      });
    }
    const parts = must.length > 0 ? must : should.length > 0 ? [combine('or', should)] : [];
    return combine('and', [...parts, ...not]);
  }

  /** `a or b`: Lucene operators are upper case; a lower-case one is searched for as a word. */
  private lowerCaseOperator(word: string, text: string): void {
    const message = `\`${word}\` is searched for as a word: Lucene operators are upper case (${word.toUpperCase()})`;
    if (this.diagnostics.some((d) => d.message === message)) return;
    const offset = this.query.indexOf(text);
    this.diagnostics.push({ ...queryError(message, this.query, offset < 0 ? undefined : offset), severity: 'warning' });
  }

  /** A term or phrase: on a typed field, what Elasticsearch compares there (../elastic-terms.ts); free text hits analysed text. */
  private termOrPhrase(name: string, value: string, freeText: boolean, text: string): PredicateNode {
    if (freeText) return predicate(name, 'eq', [value], { caseSensitive: false, nativeOp: ':', text });
    const term = termComparison(name, value, 'phrase');
    return predicate(name, term.op, term.values, { caseSensitive: term.caseSensitive, nativeOp: ':', text });
  }

  private term(field: string | null, value: Value, text: string): PredicateNode {
    const freeText = field === null;
    const name = field ?? '*';
    const caseSensitive = !freeText;
    const patternCase = caseSensitive && patternCaseSensitive(name);
    if (field === '_exists_') {
      if (value.k === 'word' || value.k === 'phrase')
        return predicate(value.value, 'exists', [], { caseSensitive: true, nativeOp: '_exists_', text });
      return other(text);
    }
    switch (value.k) {
      case 'word':
        if (value.fuzzy !== null) return other(text);
        if (/^(and|or|not)$/i.test(value.value) && !/^(AND|OR|NOT)$/.test(value.value)) this.lowerCaseOperator(value.value, text);
        if (value.wildcard && value.value === '*') {
          if (freeText || name === '*') return other(text);
          return predicate(name, 'exists', [], { caseSensitive, nativeOp: ':', text });
        }
        if (value.wildcard) return predicate(name, 'wildcard', [value.pattern], { caseSensitive: patternCase, nativeOp: ':', text });
        return this.termOrPhrase(name, value.value, freeText, text);
      case 'phrase':
        if (value.slop !== null) return other(text);
        return this.termOrPhrase(name, value.value, freeText, text);
      case 'regex':
        return predicate(name, 'regex', [value.value], { caseSensitive: patternCase, nativeOp: ':/', text });
      case 'compare':
        return predicate(name, COMPARE[value.op]!, [value.value], { caseSensitive, nativeOp: `:${value.op}`, text });
      case 'range': {
        const brackets = `${value.lowerInclusive ? '[' : '{'}${value.upperInclusive ? ']' : '}'}`;
        if (value.lower === null && value.upper === null) {
          if (freeText) return other(text);
          return predicate(name, 'exists', [], { caseSensitive, nativeOp: brackets, text });
        }
        if (value.upper === null) {
          return predicate(name, value.lowerInclusive ? 'gte' : 'gt', [value.lower], { caseSensitive, nativeOp: brackets, text });
        }
        if (value.lower === null) {
          return predicate(name, value.upperInclusive ? 'lte' : 'lt', [value.upper], { caseSensitive, nativeOp: brackets, text });
        }
        return predicate(name, 'range', [value.lower, value.upper], { caseSensitive, nativeOp: brackets, text });
      }
    }
  }
}

export function analyse(query: string): QueryAnalysis {
  const text = query.trim();
  let ast: Node | null;
  try {
    ast = parse(query) as Node | null;
  } catch (err) {
    if (err instanceof PeggySyntaxError) {
      return failed({
        message: err.message,
        line: err.location.start.line,
        column: err.location.start.column,
        severity: 'error',
        scope: 'query',
      });
    }
    if (err instanceof RangeError) return failed({ message: 'query is nested too deeply to analyse', severity: 'error', scope: 'query' });
    return failed(queryError(`Lucene parse failed: ${err instanceof Error ? err.message : String(err)}`));
  }
  const converter = new Converter(query);
  const condition = ast ? converter.convert(ast, null) : undefined;
  return {
    stages: [condition ? { kind: 'query', text, condition } : { kind: 'query', text }],
    outputFields: [],
    sources: [],
    diagnostics: converter.diagnostics,
    parsed: true,
  };
}

export const lucene: QueryLanguage = {
  id: 'lucene',
  name: 'Lucene',
  unreadConstruct: luceneConstruct,
  analyse,
  highlight: luceneHighlight,
};
