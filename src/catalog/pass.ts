// The corpus pass's own view of a rule: a few strings and interned keys, so that a sync can load the
// whole corpus's pass input (not every rule's core) and run the pass again over it in a fraction of
// a second, then rewrite only the rules whose corpus-level fields changed (see passSignature).
import { createHash } from 'node:crypto';
import { canonicalKey, canonicalText } from '../analysis/canonical.js';
import { indicatorKey } from '../analysis/indicators.js';
import type { Diagnostic, DuplicateInfo, EventPattern, EventRef, Rule } from '../model/types.js';
import type { RuleCore } from './staged.js';

/**
 * Keys and display texts of the things rules share (indicators, canonical indicators, their
 * fields, techniques), as numbers: the same key gets the same number for as long as a catalog lives.
 */
export interface Dictionary {
  /**
   * The number of `key` of a kind (i: indicator, c: canonical indicator, f: canonical field,
   * t: technique), given one on first sight; `text` is what it reads as on a page.
   */
  id(kind: KeyKind, key: string, text?: string): number;
  /** The display text of a number `id` gave (its key's text). */
  text(id: number): string;
}

export type KeyKind = 'i' | 'c' | 'f' | 't';

/** An in-memory dictionary (a build, tests); `kinds`, `keys` and `texts` are what a catalog stores of it, by number. */
export class MemoryDictionary implements Dictionary {
  // A map per kind: no kind-prefixed copy of each key to build and hash.
  private readonly ids: Record<KeyKind, Map<string, number>> = { i: new Map(), c: new Map(), f: new Map(), t: new Map() };
  readonly kinds: KeyKind[] = [];
  readonly keys: string[] = [];
  readonly texts: string[] = [];

  id(kind: KeyKind, key: string, text = ''): number {
    const ids = this.ids[kind];
    let id = ids.get(key);
    if (id === undefined) {
      id = this.keys.push(key) - 1;
      this.kinds.push(kind);
      this.texts.push(text);
      ids.set(key, id);
    }
    return id;
  }

  text(id: number): string {
    return this.texts[id] ?? '';
  }
}

export interface PassCanonical {
  key: number;
  /** Its canonical field, interned. */
  field: number;
  negated: boolean;
  corpusCount?: number;
}

export interface PassIndicator {
  /** The per-field indicator (field, operator, negation, value without case), interned. */
  key: number;
  canonical?: PassCanonical;
  corpusCount?: number;
}

/** A rule ranked similar, with the interned items both rules share (see similar.ts). */
export interface PassSimilar {
  id: string;
  name: string;
  platform: string;
  score: number;
  shared: number[];
}

/** What the corpus pass reads and writes of a rule. */
export interface PassRule {
  id: string;
  nativeId: string;
  platform: string;
  language: string;
  name: string;
  path: string;
  sourceName: string;
  version?: string;
  updated?: string;
  /** For the build report. */
  parsed: boolean;
  firstError?: Diagnostic;
  removed?: boolean;
  indicators: PassIndicator[];
  events: EventRef[];
  eventPatterns?: EventPattern[];
  techniques: { id: string; key: number }[];
  duplicates?: DuplicateInfo;
  sameAction: Rule['sameAction'];
  similar?: PassSimilar[];
}

/** A core's pass view, its corpus-level fields cleared. */
export function passRuleOf(core: RuleCore, dict: Dictionary): PassRule {
  return {
    id: core.id,
    nativeId: core.nativeId,
    platform: core.platform,
    language: core.language,
    name: core.name,
    path: core.path,
    sourceName: core.sourceName,
    version: core.version,
    updated: core.updated,
    parsed: core.parsed,
    firstError: core.firstError,
    removed: core.removed,
    indicators: core.indicators.map((ind) => {
      const c = ind.canonical;
      return {
        key: dict.id('i', indicatorKey(ind)),
        ...(c && { canonical: { key: dict.id('c', canonicalKey(c), canonicalText(c)), field: dict.id('f', c.field, c.field), negated: c.negated } }),
      };
    }),
    // Copied: the pattern step replaces a rule's list.
    events: [...core.events],
    eventPatterns: core.eventPatterns,
    techniques: core.techniques.map(({ id }) => ({ id, key: dict.id('t', id, id) })),
    sameAction: [],
  };
}

/** Write a pass's outcome for a rule onto its core (whose indicators are the ones the rule was made from). */
export function applyPass(core: RuleCore, rule: PassRule, dict: Dictionary): void {
  core.id = rule.id;
  core.duplicates = rule.duplicates;
  core.events = rule.events;
  core.sameAction = rule.sameAction;
  core.indicators.forEach((ind, i) => {
    const out = rule.indicators[i]!;
    ind.corpusCount = out.corpusCount;
    if (ind.canonical) ind.canonical.corpusCount = out.canonical?.corpusCount;
  });
  core.similar = rule.similar?.map((s) => ({ ...s, shared: s.shared.map((id) => dict.text(id)) }));
}

/**
 * Everything the pass decided for a rule, as text, other rules named by id: a sync rewrites a row
 * when this changes, or when a rule it names changed its name or platform.
 */
export function passSignature(rule: PassRule): string {
  return JSON.stringify([
    rule.id,
    rule.duplicates ?? null,
    rule.indicators.map((i) => i.corpusCount ?? 0),
    rule.indicators.map((i) => (i.canonical ? i.canonical.corpusCount ?? 0 : null)),
    rule.events.filter((e) => e.via !== undefined),
    rule.sameAction.map((s) => s.id),
    (rule.similar ?? []).map((s) => [s.id, s.score, s.shared]),
  ]);
}

/** What a catalog keeps of a pass, rule by rule (same order as the rules): inputs and signature digests, and the dictionary. */
export interface PassRecord {
  inputs: string[];
  shas: string[];
  dict: MemoryDictionary;
}

/** The digest of a signature the catalog keeps beside a rule (rules.pass_sha). */
export const passDigest = (signature: string) => createHash('sha1').update(signature).digest('base64');

/** A rule's pass input as the catalog keeps it (rule_pass.input): what the `rules` row's columns do not hold. */
interface StoredInput {
  v?: string;
  u?: string;
  ok: boolean;
  err?: Diagnostic;
  /** Per indicator: key, canonical key (-1: none), canonical field, canonical negation (0/1). */
  i: number[];
  e: EventRef[];
  p?: EventPattern[];
  t: [string, number][];
}

export function passInputJson(rule: PassRule): string {
  const i: number[] = [];
  for (const ind of rule.indicators) {
    const c = ind.canonical;
    i.push(ind.key, c ? c.key : -1, c ? c.field : -1, c?.negated ? 1 : 0);
  }
  const stored: StoredInput = { v: rule.version, u: rule.updated, ok: rule.parsed, err: rule.firstError, i, e: rule.events.filter((e) => e.via === undefined), p: rule.eventPatterns, t: rule.techniques.map((t) => [t.id, t.key]) };
  return JSON.stringify(stored);
}

/** The columns of a rule's row that the pass reads. */
export interface PassColumns {
  nativeId: string;
  platform: string;
  language: string;
  name: string;
  path: string;
  sourceName: string;
}

export function passRuleFromStored(row: PassColumns, input: string): PassRule {
  const s = JSON.parse(input) as StoredInput;
  const indicators: PassIndicator[] = [];
  for (let k = 0; k < s.i.length; k += 4) {
    const ckey = s.i[k + 1]!;
    indicators.push(ckey < 0 ? { key: s.i[k]! } : { key: s.i[k]!, canonical: { key: ckey, field: s.i[k + 2]!, negated: s.i[k + 3] === 1 } });
  }
  return {
    id: '',
    nativeId: row.nativeId,
    platform: row.platform,
    language: row.language,
    name: row.name,
    path: row.path,
    sourceName: row.sourceName,
    version: s.v,
    updated: s.u,
    parsed: s.ok,
    firstError: s.err,
    indicators,
    events: s.e,
    eventPatterns: s.p,
    techniques: s.t.map(([id, key]) => ({ id, key })),
    sameAction: [],
  };
}
