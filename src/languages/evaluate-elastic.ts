// Elastic's semantics for the evaluator (evaluate/), shared by Kibana KQL (kuery/evaluate.ts), Lucene
// (lucene/evaluate.ts) and EQL (eql/evaluate.ts): the contract between their parsers and the shared
// evaluation. The parsers already chose each comparison by the field's mapping (elastic-terms.ts):
//
// - Fields: an ECS event, nested objects or dotted keys; a field holding a list matches when any element does.
//   A missing field matches nothing (so `not f: x` holds); `f: *`, `_exists_:f`, EQL `f != null`: present and not null.
// - `eq`/`in` compare the whole value, with case unless the parser says not (caseless fields, EQL `:`
//   and `~` forms); numbers compare as numbers, also given as strings.
// - `has` (a text field): the value's words, in order, among the field's words; `has_any`: any word.
//   Words approximate Elasticsearch's standard analyzer: runs of letters, digits and `_`, joined by
//   `.` `'` between them (`cmd.exe` is one word), lower-cased.
// - Wildcards: `*` any text, `?` one character (Lucene and EQL; in kuery `?` is itself); the whole
//   value must match. The kuery and Lucene parsers write an escaped `*` (`\*`) and a backslash before
//   a wildcard (`C:\Windows\*`) alike: where the two readings differ, `unknown`. On a text field a pattern matches one word: a
//   pattern that matches only the whole value there is `unknown`.
// - Regexes (Lucene `/re/`, EQL `regex`): Lucene's syntax, anchored to the whole value, on RE2; its
//   own operators (`@`, `&`, `~`, `<>`, `#`) and a regex RE2 cannot run are `unknown`.
// - Ranges and `>`/`<`: numbers; bounds that are not numbers (dates, `now-1d`) are `unknown`; a value
//   that is not a number does not match.
// - A value with no field (Lucene's default field, a kuery bare term): any value equal to it (`yes`),
//   else a word of some value (`unknown`: it depends on the fields' mappings), else `no`.
// - Source: the rule's index patterns against the event's index (`_index`, or `logs-<data_stream.dataset>-<namespace>`,
//   or `--log-type` as an index or a dataset); an EQL rule's event categories against `event.category`
//   (`any` reads every one). No index known, or a rule with no index patterns: `unknown`.
// - Rule types: threshold, new terms and machine-learning rules are not evaluated beyond their query
//   (a gap), nor are EQL sequences and samples.
import { linearRegex, type Compiled } from '../analysis/linear-regex.js';
import { ecsFieldTypes, ecsMultiFieldTypes } from '../canonical/ecs-field-types.js';
import {
  allScalars,
  compareNumbers,
  compileWildcard,
  equalValues,
  fold,
  matchShared,
  pathLookup,
  regexOutcome,
  sharedIndexNeed,
  textOf,
  type WildcardPart,
} from '../evaluate/match.js';
import type { EvaluatedRule, EventLog, IndexNeed, SourceCheck, StageGap, Truth } from '../evaluate/types.js';
import type { Predicate } from '../model/types.js';

type Outcome = { matched: Truth; seen: unknown[] | 'missing'; note?: string };

/** How a language writes wildcard patterns. */
export interface WildcardSyntax {
  /** `?` stands for one character (Lucene, EQL), or is itself (kuery). */
  question: boolean;
  /** `\` escapes the next character (kuery, Lucene), or is itself (EQL: its strings were unescaped already). */
  backslash: boolean;
}

function isTextField(field: string): boolean {
  const own = ecsFieldTypes.get(field);
  if (own !== undefined) return own === 'text';
  const dot = field.lastIndexOf('.');
  return dot > 0 && ecsFieldTypes.has(field.slice(0, dot)) && ecsMultiFieldTypes.get(field.slice(dot + 1)) === 'text';
}

/** Words as the standard analyzer approximately gives them, lower-cased. */
export function words(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}_]+(?:[.'’][\p{L}\p{N}_]+)*/gu) ?? []) as string[];
}

function phraseIn(text: string, phrase: string): boolean {
  const have = words(text);
  const want = words(phrase);
  if (want.length === 0) return false;
  for (let i = 0; i + want.length <= have.length; i++) if (want.every((w, j) => have[i + j] === w)) return true;
  return false;
}

function wildcardParts(pattern: string, syntax: WildcardSyntax, caseSensitive: boolean, escapes: boolean): WildcardPart[] {
  const parts: WildcardPart[] = [];
  let literal = '';
  const flush = () => {
    if (literal) parts.push(fold(literal, caseSensitive));
    literal = '';
  };
  const wild = (c: string | undefined) => c === '*' || (c === '?' && syntax.question);
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (escapes && c === '\\' && wild(pattern[i + 1])) literal += pattern[++i];
    else if (wild(c)) {
      flush();
      parts.push({ any: c === '*' ? 'many' : 'one' });
    } else literal += c;
  }
  flush();
  return parts;
}

/** A rule value's test of an event text, with what depends on the rule value alone read once. */
type TextTest = (text: string) => boolean | string;

/**
 * A wildcard pattern, compiled. The parsers write an escaped `*` as `\*`, and a backslash before a
 * wildcard (`C:\Windows\*`) the same way: both readings are tried, and where they differ the answer is `unknown`.
 */
function compilePattern(pattern: string, syntax: WildcardSyntax, caseSensitive: boolean): TextTest {
  const asEscape = compileWildcard(wildcardParts(pattern, syntax, caseSensitive, syntax.backslash));
  if (!syntax.backslash || !/\\[*?]/.test(pattern)) return asEscape;
  const asBackslash = compileWildcard(wildcardParts(pattern, syntax, caseSensitive, false));
  return (text) => {
    const escaped = asEscape(text);
    return escaped === asBackslash(text) ? escaped : 'an escaped wildcard or a backslash before a wildcard: the parser writes them alike';
  };
}

/** A Lucene regex (anchored, its own syntax) on RE2, compiled on its first test; `unknown` for Lucene's operators RE2 does not share. */
function compileLuceneRegex(pattern: string, caseSensitive: boolean): TextTest {
  const unescaped = pattern.replace(/\\./g, '');
  if (/[@&~<>#]/.test(unescaped)) return () => 'a Lucene regex operator (@ & ~ <> #) is not evaluated';
  let compiled: Compiled | undefined;
  return (text) => {
    compiled ??= linearRegex(`^(?:${pattern})$`, caseSensitive ? '' : 'i');
    const r = regexOutcome(compiled, text);
    return r.matched === 'unknown' ? (r.note ?? 'regex not run') : r.matched;
  };
}

/**
 * Per predicate, its values' wildcard patterns or regexes compiled for the syntax it was last tested
 * with (a predicate is tested on every event: parsing a list of 200 patterns per test cost more than matching them).
 */
const textTests = new WeakMap<Predicate, { question: boolean; backslash: boolean; tests: (TextTest | undefined)[] }>();

function textTestsOf(p: Predicate, syntax: WildcardSyntax): (TextTest | undefined)[] {
  let kept = textTests.get(p);
  if (!kept || kept.question !== syntax.question || kept.backslash !== syntax.backslash) {
    const tests = p.values.map((wanted) => {
      const w = textOf(wanted);
      if (w === undefined) return undefined;
      return p.op === 'regex' ? compileLuceneRegex(w, p.caseSensitive) : compilePattern(w, syntax, p.caseSensitive);
    });
    textTests.set(p, (kept = { question: syntax.question, backslash: syntax.backslash, tests }));
  }
  return kept.tests;
}

const isNumber = (v: unknown) => compareNumbers('gte', v, -Number.MAX_VALUE);

/** One event value against one rule value (`compiled`: the value's pattern or regex, `textTestsOf`). */
function matchOne(p: Predicate, seen: unknown, wanted: unknown, compiled: TextTest | undefined): boolean | string {
  const cs = p.caseSensitive;
  if ((p.op === 'gt' || p.op === 'gte' || p.op === 'lt' || p.op === 'lte') && !isNumber(wanted))
    return `a bound that is not a number (${String(wanted)}) is not evaluated`;
  const shared = matchShared(p, seen, wanted);
  if (shared !== undefined) return shared;
  const text = textOf(seen);
  const w = textOf(wanted);
  if (text === undefined || w === undefined) return false;
  switch (p.op) {
    case 'has':
      return phraseIn(text, w);
    case 'has_any':
      return words(text).includes(fold(w, false));
    case 'wildcard': {
      if (isTextField(p.field)) {
        if (words(text).some((word) => compiled!(word) === true)) return true;
        const whole = compiled!(fold(text, cs));
        return whole === true ? 'a pattern on a text field matches its words, not the whole value' : whole;
      }
      return compiled!(fold(text, cs));
    }
    case 'regex':
      return compiled!(text);
    default:
      return `operator ${p.nativeOp || p.op} is not evaluated`;
  }
}

function range(p: Predicate, seen: unknown): boolean | string {
  const [low, high] = p.values;
  if (!isNumber(low) || !isNumber(high)) return `a range that is not numeric (${String(low)} .. ${String(high)}) is not evaluated`;
  const lowOp = p.nativeOp.startsWith('{') ? 'gt' : 'gte';
  const highOp = p.nativeOp.endsWith('}') ? 'lt' : 'lte';
  return compareNumbers(lowOp, seen, low) && compareNumbers(highOp, seen, high);
}

/** A bare value (no field): equal to some value anywhere, or (unknown) one of its words. */
function anyField(p: Predicate, event: unknown): Outcome {
  const seen = allScalars(event);
  const wanted = p.values.map((v) => textOf(v) ?? '');
  if (p.op !== 'eq' && p.op !== 'has') return { matched: 'unknown', seen, note: `a ${p.op} on every field is not evaluated` };
  if (seen.some((s) => wanted.some((w) => equalValues(s, w, false)))) return { matched: true, seen };
  const word = seen.some((s) => wanted.some((w) => phraseIn(textOf(s) ?? '', w)));
  if (word) return { matched: 'unknown', seen, note: 'a word of some field: whether it matches depends on the field mappings' };
  return { matched: false, seen };
}

export function elasticTest(p: Predicate, event: unknown, syntax: WildcardSyntax): Outcome {
  const result = positive(p, event, syntax);
  return p.negated && result.matched !== 'unknown' ? { ...result, matched: !result.matched } : result;
}

function positive(p: Predicate, event: unknown, syntax: WildcardSyntax): Outcome {
  if (p.field === '*') return anyField(p, event);
  if (p.field.includes('(')) return { matched: 'unknown', seen: [], note: `a computed value (${p.field}) is not evaluated` };
  const found = pathLookup(event, p.field);
  if (p.op === 'exists')
    return { matched: found.found && found.values.some((v) => v !== null), seen: found.found ? found.values : 'missing' };
  if (!found.found) return { matched: false, seen: 'missing' };
  const seen = found.values;
  const compiled = p.op === 'wildcard' || p.op === 'regex' ? textTestsOf(p, syntax) : undefined;
  let note: string | undefined;
  // In order: the first true decides; else the last reason it could not tell.
  for (const s of seen) {
    if (p.op === 'range') {
      const r = range(p, s);
      if (r === true) return { matched: true, seen };
      if (typeof r === 'string') note = r;
      continue;
    }
    for (let i = 0; i < p.values.length; i++) {
      const r = matchOne(p, s, p.values[i], compiled?.[i]);
      if (r === true) return { matched: true, seen };
      if (typeof r === 'string') note = r;
    }
  }
  return note ? { matched: 'unknown', seen, note } : { matched: false, seen };
}

/** Index patterns (`logs-endpoint.events.*`, `winlogbeat-*`): a rule's sources that are not EQL categories. */
function indexPatterns(rule: EvaluatedRule): string[] {
  // EQL's stages read event categories; an ES|QL FROM reads the index patterns themselves.
  const categories = new Set(rule.language === 'eql' ? rule.stages.flatMap((s) => s.sources ?? []) : []);
  return rule.sources.filter((s) => !categories.has(s) && !s.startsWith('ml:'));
}

const globs = new Map<string, (text: string) => boolean>();

/** An index pattern against an index, the pattern compiled once (each log's check reads every rule's patterns). */
function globMatch(pattern: string, text: string): boolean {
  let matches = globs.get(pattern);
  if (!matches) {
    if (globs.size >= 4096) globs.clear();
    globs.set(pattern, (matches = compileWildcard(wildcardParts(pattern, { question: false, backslash: false }, true, false))));
  }
  return matches(text);
}

/** The event's index candidates: its own, or the one `--log-type` names (an index, or a dataset's data stream). */
function eventIndexes(log: EventLog): string[] {
  if (log.given !== undefined) return [log.given, `logs-${log.given}-default`];
  if (log.elastic?.index) return [log.elastic.index];
  if (log.elastic?.dataset) return [`logs-${log.elastic.dataset}-default`];
  return [];
}

export function elasticSource(rule: EvaluatedRule, log: EventLog): SourceCheck {
  const patterns = indexPatterns(rule);
  const indexes = eventIndexes(log);
  const reads = patterns.join(', ') || 'no index pattern';
  if (indexes.length === 0)
    return { matched: 'unknown', reason: `the event's index is not known (name it with --log-type); the rule reads ${reads}` };
  const why = `the event's index is ${indexes[0]}${log.given !== undefined ? ' (--log-type)' : ''}; the rule reads ${reads}`;
  if (patterns.length === 0) return { matched: 'unknown', reason: why };
  if (!patterns.some((p) => indexes.some((i) => globMatch(p, i)))) return { matched: false, reason: why };
  return { matched: true, reason: why };
}

/** An EQL query's event categories against the event's `event.category` (`any` reads all). */
export function categoryCheck(categories: readonly string[], log: EventLog): Truth {
  if (categories.length === 0 || categories.includes('any')) return true;
  if (!log.elastic || log.elastic.categories.length === 0) return 'unknown';
  return categories.some((c) => log.elastic!.categories.includes(c));
}

export function elasticRuleGaps(rule: EvaluatedRule): StageGap[] {
  switch (rule.type) {
    case 'threshold':
      return [{ stage: 'rule', what: 'threshold', reason: 'a threshold rule counts the events its query matches' }];
    case 'new_terms':
      return [{ stage: 'rule', what: 'aggregation', reason: 'a new-terms rule fires on values not seen in its history window' }];
    case 'machine_learning':
      return [{ stage: 'rule', what: 'machine learning', reason: 'an anomaly of a machine-learning job' }];
    case 'threat_match':
      return [{ stage: 'rule', what: 'external list', reason: 'an indicator match against threat intelligence indices' }];
    default:
      return [];
  }
}

/**
 * For the fire index (`LanguageEvaluator.indexNeed`): what `elasticTest` needs of a field's values
 * (`pathLookup`) to hold: presence, equality, caseless containment, a phrase's words (each a piece of
 * the lowercase text), a word; wildcards and regexes say nothing.
 */
export function elasticIndexNeed(p: Predicate): IndexNeed | undefined {
  if (p.negated || p.field === '*' || p.field.includes('(')) return undefined;
  switch (p.op) {
    case 'exists':
      return { kind: 'present' };
    case 'has':
      return { kind: 'contains', alternatives: p.values.map((w) => words(textOf(w) ?? '')) };
    case 'has_any':
      return { kind: 'contains', alternatives: p.values.map((w) => [fold(textOf(w) ?? '', false)]) };
    default:
      return sharedIndexNeed(p);
  }
}
