// The corpus step for event patterns: a rule that matches an event field by a pattern
// (`eventName startswith "Delete"`, `eventType: user.mfa.*`, `matches regex "^Stop"`) watches
// every event name the pattern admits. Which names exist is known only once every rule is
// analysed: the vocabulary of a provider is its `knownEvents` plus every name some rule of the
// corpus names exactly. Names compare case-insensitively, as sameAction links do.
import { hash } from 'node:crypto';
import type { Diagnostic, EventPattern, EventRef } from '../model/types.js';
import type { ProviderSpec } from '../providers/types.js';
import { normaliseEvent } from './events.js';
import { linearRegex } from './linear-regex.js';

/** What the step reads and writes of a rule (RuleCore has it). */
export interface PatternRule {
  events: EventRef[];
  eventPatterns?: EventPattern[];
}

/** Regex operators whose pattern must match the whole value (Lucene, EQL, ES|QL, Snowflake). */
const wholeValueRegex = new Set([':/', 'regex', 'regex~', 'rlike', 'not rlike', 'regexp', 'regexp_like', 're.fullmatch']);
/** Regex operators anchored at the start only (Python `re.match`). */
const startRegex = new Set(['re.match', '.match']);

/**
 * A pattern admitting more names than this selects a class of actions (`Create*`, `*_write`,
 * `user.authentication.*`: any write, any sign-in), not an action: linking such a rule to every
 * rule of each name would flood sameAction, and other predicates (`event.provider == "iam..."`)
 * usually narrow it in ways names alone cannot tell. It is left unexpanded.
 */
export const maxExpansion = 25;

const anyRun = Symbol('*');
const anyOne = Symbol('?');
type WildcardToken = string | typeof anyRun | typeof anyOne;

/** `*`/`?` globs (SQL and SPL `like` patterns are read into this syntax by their languages); a backslash escapes. */
function wildcardTokens(value: string): WildcardToken[] {
  const out: WildcardToken[] = [];
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '\\' && i + 1 < value.length) out.push(value[++i]!);
    else out.push(c === '*' ? anyRun : c === '?' ? anyOne : c);
  }
  return out;
}

/**
 * Whether the whole name matches the glob: the greedy match that goes back only to the last `*`,
 * at most (name length x pattern length) steps, whatever the pattern (no regex, no backtracking
 * engine: a rule's `*a*a*a*...` cannot stall the pass). `?` is one UTF-16 unit.
 */
function wildcardMatch(tokens: readonly WildcardToken[], name: string): boolean {
  let t = 0;
  let n = 0;
  let star = -1;
  let resume = 0;
  while (n < name.length) {
    const token = tokens[t];
    if (token !== undefined && token !== anyRun && (token === anyOne || token === name[n])) {
      t++;
      n++;
    } else if (token === anyRun) {
      star = t++;
      resume = n;
    } else if (star >= 0) {
      t = star + 1;
      n = ++resume;
    } else return false;
  }
  while (tokens[t] === anyRun) t++;
  return t === tokens.length;
}

const termChar = /[\p{L}\p{N}_]/u;

/** KQL `has`: the term occurs in the name with no letter or digit running on at either end. */
function hasTerm(name: string, term: string): boolean {
  for (let at = name.indexOf(term); at >= 0; at = name.indexOf(term, at + 1)) {
    const before = name[at - 1];
    const after = name[at + term.length];
    if ((before === undefined || !termChar.test(before)) && (after === undefined || !termChar.test(after))) return true;
  }
  return false;
}

/** Inline flags such as `(?i)` (PCRE, RE2) that JavaScript regexes reject. */
const inlineFlags = /^\(\?[imsx]+\)/;

/** A regex pattern's source, anchored as its operator anchors it. */
function regexSource(p: Pick<EventPattern, 'value' | 'nativeOp'>): string {
  const source = p.value.replace(inlineFlags, '');
  if (wholeValueRegex.has(p.nativeOp)) return `^(?:${source})$`;
  if (startRegex.has(p.nativeOp)) return `^(?:${source})`;
  return source;
}

/**
 * Warnings for a rule's regex patterns that are valid but use syntax a linear-time engine lacks
 * (lookaround, backreferences): those are not matched against event names (`patternTest`).
 */
export function patternDiagnostics(patterns: readonly EventPattern[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const p of patterns) {
    if (p.op !== 'regex') continue;
    const compiled = linearRegex(regexSource(p), 'i');
    if ('unsupported' in compiled) {
      out.push({
        message: `regex ${JSON.stringify(p.value)} is not matched against event names: RE2 (linear time) cannot run it: ${compiled.unsupported}`,
        severity: 'warning',
        scope: 'query',
      });
    }
  }
  return out;
}

/** The pattern as a test on names, or undefined when it is too broad or not a regex RE2 runs. */
export function patternTest(p: Pick<EventPattern, 'op' | 'value' | 'nativeOp'>): ((name: string) => boolean) | undefined {
  const v = p.value.toLowerCase();
  // A pattern with fewer than three literal characters (`*`, `.*`, `^.+$`) admits anything.
  if (v.replace(/[\\^$.*+?()[\]{}|]/g, '').length < 3) return undefined;
  switch (p.op) {
    case 'contains':
      return (n) => n.includes(v);
    case 'startswith':
    case 'hasprefix':
      return (n) => n.startsWith(v);
    case 'endswith':
    case 'hassuffix':
      return (n) => n.endsWith(v);
    case 'eq':
      return (n) => n === v;
    case 'has':
    case 'has_any':
      return (n) => hasTerm(n, v);
    case 'wildcard': {
      const tokens = wildcardTokens(v);
      return (n) => wildcardMatch(tokens, n);
    }
    case 'regex': {
      const compiled = linearRegex(regexSource(p), 'i');
      return 'regex' in compiled ? (n) => compiled.regex.test(n) : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * What patterns expanded to in the last write (`previous`, by provider vocabulary digest and pattern)
 * and in this one (`next`, filled here): a pattern is matched against its provider's names again only
 * when those names changed. Compiling a regex on RE2 costs milliseconds, and matching the few hundred
 * distinct patterns of the corpus against their vocabularies cost a one-line sync 60-90 ms of CPU, the
 * largest step of its corpus pass. The caller drops the memo when the analysis code changed.
 */
export interface ExpansionMemo {
  previous: ReadonlyMap<string, string[]>;
  next: Map<string, string[]>;
}

/**
 * Add to each rule's events the known names its event patterns match, marked `via` the pattern.
 * Runs after every rule is analysed and before sameAction links are made.
 */
export function expandEventPatterns(rules: PatternRule[], providers: readonly ProviderSpec[], memo?: ExpansionMemo): void {
  // Vocabulary per provider: lower-cased name → the spelling first seen.
  const vocab = new Map<string, Map<string, string>>();
  const add = (provider: string, name: string) => {
    let names = vocab.get(provider);
    if (!names) vocab.set(provider, (names = new Map<string, string>()));
    const key = name.toLowerCase();
    if (!names.has(key)) names.set(key, name);
  };
  for (const p of providers) for (const name of p.knownEvents ?? []) add(p.id, normaliseEvent(p, name));
  let any = false;
  for (const rule of rules) {
    if (rule.eventPatterns?.length) any = true;
    for (const e of rule.events) if (e.via === undefined) add(e.provider, e.event);
  }
  if (!any) return;
  const byId = new Map(providers.map((p) => [p.id, p]));
  // Many rules share a pattern: each is matched against the vocabulary once.
  const cache = new Map<string, string[]>();
  const digests = new Map<string, string>();
  // The names a pattern can match, in the order matches are listed.
  const vocabDigest = (provider: string) => {
    let digest = digests.get(provider);
    if (digest === undefined) {
      let text = '';
      for (const [lower, name] of vocab.get(provider) ?? []) text += `${lower}\u0001${name}\u0002`;
      digests.set(provider, (digest = hash('sha1', text, 'base64')));
    }
    return digest;
  };
  /** Every known name the pattern admits, however many. */
  const admitted = (p: EventPattern): string[] => {
    const key = `${p.provider}\u0000${p.op}\u0000${p.nativeOp}\u0000${p.eventPattern ?? ''}\u0000${p.value}\u0000${JSON.stringify(p.and ?? [])}`;
    let found = cache.get(key);
    if (found) return found;
    const memoKey = memo ? `${vocabDigest(p.provider)}\u0000${key}` : '';
    found = memo?.previous.get(memoKey);
    if (found) {
      memo!.next.set(memoKey, found);
      cache.set(key, found);
      return found;
    }
    found = [];
    const names = vocab.get(p.provider);
    const provider = byId.get(p.provider);
    // The vocabulary is in the provider's one spelling (normaliseEvent) while a rule writes the
    // pattern in its log's spelling (Entra ID's operations in the Microsoft 365 log end with a
    // period: `contains "Disable Strong Authentication."`): the pattern is tried in both, and the
    // selector's eventPattern, which describes that log's spelling, may hold on the pattern as
    // written, as it does for exact names before they are normalised.
    const tests = [patternTest(p)];
    const spelled = provider && p.op !== 'regex' ? normaliseEvent(provider, p.value) : p.value;
    if (spelled !== p.value) tests.push(patternTest({ ...p, value: spelled }));
    const test = (lower: string) => tests.some((t) => t?.(lower));
    const guard = p.eventPattern ? new RegExp(p.eventPattern) : undefined;
    const guardHolds = !guard || (provider?.normalise !== undefined && guard.test(p.value));
    // Anded patterns: one of each group's values must match too (an unusable one is no constraint).
    const also = (p.and ?? []).map((g) => g.map((alt) => patternTest(alt) ?? (() => true)));
    if (tests.some((t) => t) && names) {
      for (const [lower, name] of names) {
        if (test(lower) && (guardHolds || guard.test(name)) && also.every((g) => g.some((t) => t(lower)))) found.push(name);
      }
    }
    cache.set(key, found);
    memo?.next.set(memoKey, found);
    return found;
  };
  const matches = (p: EventPattern): string[] => {
    const found = admitted(p);
    return found.length > maxExpansion ? [] : found;
  };
  // A `has` term in no known name is taken for a name as written (`has "Download users"`), and
  // joins the vocabulary before patterns are expanded; a term in too many names names none.
  const termName = (p: EventPattern): string => {
    const provider = byId.get(p.provider);
    return provider ? normaliseEvent(provider, p.value) : p.value;
  };
  const terms = new Set<EventPattern>();
  for (const rule of rules)
    for (const p of rule.eventPatterns ?? [])
      if (p.op === 'has' && !p.knownOnly && !admitted(p).length && (!p.eventPattern || new RegExp(p.eventPattern).test(p.value)))
        terms.add(p);
  if (terms.size) {
    for (const p of terms) add(p.provider, termName(p));
    cache.clear();
    digests.clear();
  }
  for (const rule of rules) {
    if (!rule.eventPatterns?.length) continue;
    const have = new Set(rule.events.map((e) => `${e.provider}\u0000${e.event.toLowerCase()}`));
    const events = [...rule.events];
    for (const p of rule.eventPatterns) {
      // (A term too short to match by, `has "VM"`, names only itself.)
      let found = matches(p);
      if (!found.length && terms.has(p)) found = [termName(p)];
      for (const name of found) {
        const key = `${p.provider}\u0000${name.toLowerCase()}`;
        if (have.has(key)) continue;
        have.add(key);
        // Always marked `via`, even a term that is itself a name: the catalog keeps the events this
        // step adds by that mark (a sync's pass input holds the file-level ones, those without it).
        events.push({ provider: p.provider, event: name, via: `${p.op} ${p.value}` });
      }
    }
    rule.events = events;
  }
}
