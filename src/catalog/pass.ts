// The corpus pass's own view of a rule: a few strings and interned keys, so that a sync can load the
// whole corpus's pass input (not every rule's core) and run the pass again over it in a fraction of
// a second, then rewrite only the rules whose corpus-level fields changed (see passSignature).
import { hash } from 'node:crypto';
import { canonicalKey, canonicalText } from '../analysis/canonical.js';
import { indicatorKey } from '../analysis/indicators.js';
import type { Diagnostic, EventPattern, EventRef } from '../model/types.js';
import { detached } from '../model/detached.js';
import type { CorpusRule } from './corpus.js';
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
  /** Undefined where the key spells the text out (text() gives it). */
  private readonly texts: (string | undefined)[] = [];

  id(kind: KeyKind, key: string, text = ''): number {
    const ids = this.ids[kind];
    let id = ids.get(key);
    if (id === undefined) {
      // Kept for the whole write: copies of their own. A text its key spells out is not kept twice
      // (a field's and a technique's are their key; a canonical indicator's, its key's parts).
      const kept = detached(key);
      id = this.keys.push(kept) - 1;
      this.kinds.push(kind);
      this.texts.push(text === kept ? kept : text === textOfKey(kind, kept) ? undefined : detached(text));
      ids.set(kept, id);
    }
    return id;
  }

  text(id: number): string {
    const text = this.texts[id];
    return text ?? textOfKey(this.kinds[id]!, this.keys[id]!) ?? '';
  }
}

/** The display text a key spells out (canonicalText of a canonical key), if it does. */
function textOfKey(kind: KeyKind, key: string): string | undefined {
  if (kind !== 'c') return undefined;
  const [field, op, negated] = key.split('\u0000', 3);
  if (op === undefined || negated === undefined) return undefined;
  const value = key.slice(field!.length + op.length + negated.length + 3);
  return `${field} ${negated === '1' ? 'not ' : ''}${op} ${value}`;
}

/**
 * A rule's indicators as the pass reads them, four numbers each (no object per indicator: a sync
 * loads ten thousand rules' worth, and objects cost most of its time in garbage collection):
 * its per-field key (field, operator, negation, value without case), its canonical key (-1: none),
 * the canonical field's key, and flags: INDICATOR_EXCLUDED when the canonical form is negated (or
 * the indicator an exclusion), INDICATOR_ALTERNATIVE when it is one alternative among several.
 */
export const IND_STRIDE = 4;
export const INDICATOR_EXCLUDED = 1;
export const INDICATOR_ALTERNATIVE = 2;

/** A rule sameAction links: applyPass writes its id, name and platform onto the core. */
export type SameActionLink = Pick<CorpusRule, 'id' | 'name' | 'platform' | 'nativeId'>;

/** A rule's sameAction links: its list without its own copies (same platform and native id), as a reader of the stored list does (store/read.ts). */
export function sameActionOf(rule: Pick<CorpusRule, 'nativeId' | 'platform' | 'sameActionList'>): SameActionLink[] {
  return rule.sameActionList?.filter((other) => other.nativeId !== rule.nativeId || other.platform !== rule.platform) ?? [];
}

/** A rule ranked similar, with the interned items both rules share (see similar.ts). */
export interface PassSimilar {
  id: string;
  name: string;
  platform: string;
  score: number;
  shared: number[];
}

/**
 * What the corpus pass reads and writes of a rule: its core's strings (parse outcome for the build
 * report), its indicators and techniques as keys, and the pass's outcome.
 */
export interface PassRule extends Pick<
  RuleCore,
  | 'id'
  | 'nativeId'
  | 'platform'
  | 'language'
  | 'name'
  | 'path'
  | 'sourceName'
  | 'version'
  | 'updated'
  | 'parsed'
  | 'firstError'
  | 'removed'
  | 'events'
  | 'eventPatterns'
  | 'inheritsEventsFrom'
  | 'duplicates'
> {
  /** Per indicator, IND_STRIDE numbers (see there). */
  ind: number[];
  /** Technique keys. */
  techniques: number[];
  /** Per indicator: how many other rules use it, and its canonical form (-1: none). */
  counts?: number[];
  canonicalCounts?: number[];
  /** See CorpusRule.sameActionList (sameActionOf: the rule's links). */
  sameActionList?: readonly SameActionLink[];
  similar?: PassSimilar[];
}

function indicatorsOf(core: RuleCore, dict: Dictionary): number[] {
  const ind: number[] = [];
  for (const i of core.indicators) {
    const c = i.canonical;
    ind.push(dict.id('i', indicatorKey(i)));
    const flags = (c?.negated || i.role === 'exclusion' ? INDICATOR_EXCLUDED : 0) | (i.role === 'alternative' ? INDICATOR_ALTERNATIVE : 0);
    if (c) ind.push(dict.id('c', canonicalKey(c), canonicalText(c)), dict.id('f', c.field, c.field), flags);
    else ind.push(-1, -1, 0);
  }
  return ind;
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
    ind: indicatorsOf(core, dict),
    // Copied: the pattern step replaces a rule's list.
    events: [...core.events],
    eventPatterns: core.eventPatterns,
    inheritsEventsFrom: core.inheritsEventsFrom,
    techniques: core.techniques.map(({ id }) => dict.id('t', id, id)),
  };
}

/** Write a pass's outcome for a rule onto its core (whose indicators are the ones the rule was made from). */
export function applyPass(core: RuleCore, rule: PassRule, dict: Dictionary): void {
  core.id = rule.id;
  core.duplicates = rule.duplicates;
  core.events = rule.events;
  // The pass links the rules themselves: their id, name and platform are copied.
  core.sameAction = sameActionOf(rule).map(({ id, name, platform }) => ({ id, name, platform }));
  core.indicators.forEach((ind, i) => {
    ind.corpusCount = rule.counts?.[i];
    if (ind.canonical) ind.canonical.corpusCount = rule.canonicalCounts?.[i] ?? 0;
  });
  core.similar = rule.similar?.map((s) => ({ ...s, shared: s.shared.map((id) => dict.text(id)) }));
}

/**
 * Everything the pass decided for a rule but its similar list (similarJson), as text, other rules
 * named by id: a sync rewrites a row when this changes, when its similar list changes, or when a
 * rule it names changed its name or platform.
 */
export function passSignature(rule: PassRule): string {
  const counts = rule.counts?.join(',') ?? '';
  const canonical = rule.canonicalCounts?.join(',') ?? '';
  let via = '';
  for (const e of rule.events) if (e.via !== undefined) via += `${e.provider}\u0001${e.event}\u0001${e.via}\u0002`;
  let links = '';
  for (const s of sameActionOf(rule)) links += `${s.id}\u0001`;
  const dup = rule.duplicates ? `${rule.duplicates.newest ? 1 : 0}${rule.duplicates.others.join('\u0001')}` : '';
  return `${rule.id}\u0000${dup}\u0000${counts}\u0000${canonical}\u0000${via}\u0000${links}`;
}

/** A rule's similar list as the catalog keeps it (rule_pass.similar): other rules by id, with scores and shared keys. */
export const similarJson = (rule: PassRule) => JSON.stringify((rule.similar ?? []).map((s) => [s.id, s.score, s.shared]));

/** A kept similar list, names and platforms taken from the rules it names now (`byId`). */
export function similarFromJson(json: string, byId: ReadonlyMap<string, Pick<PassRule, 'name' | 'platform'>>): PassSimilar[] {
  return (JSON.parse(json) as [string, number, number[]][]).map(([id, score, shared]) => {
    const other = byId.get(id)!;
    return { id, name: other.name, platform: other.platform, score, shared };
  });
}

/** The digest of a signature the catalog keeps beside a rule (rules.pass_sha). */
export const passDigest = (signature: string) => hash('sha1', signature, 'base64');

/** A rule's pass input as the catalog keeps it (rule_pass.input): what the `rules` row's columns do not hold. */
interface StoredInput {
  v?: string;
  u?: string;
  ok: boolean;
  err?: Diagnostic;
  /** PassRule.ind. */
  i: number[];
  e: EventRef[];
  p?: EventPattern[];
  /** PassRule.inheritsEventsFrom. */
  r?: string[];
  /** Technique keys. */
  t: number[];
}

export function passInputJson(rule: PassRule): string {
  const stored: StoredInput = {
    v: rule.version,
    u: rule.updated,
    ok: rule.parsed,
    err: rule.firstError,
    i: rule.ind,
    e: rule.events.filter((e) => e.via === undefined),
    p: rule.eventPatterns,
    r: rule.inheritsEventsFrom,
    t: rule.techniques,
  };
  return JSON.stringify(stored);
}

/** The columns of a rule's row that the pass reads. */
export type PassColumns = Pick<PassRule, 'nativeId' | 'platform' | 'language' | 'name' | 'path' | 'sourceName'>;

export const passColumnsOf = ({ nativeId, platform, language, name, path, sourceName }: PassColumns): PassColumns => ({
  nativeId,
  platform,
  language,
  name,
  path,
  sourceName,
});

export function passRuleFromStored(row: PassColumns, input: string): PassRule {
  const s = JSON.parse(input) as StoredInput;
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
    ind: s.i,
    events: s.e,
    eventPatterns: s.p,
    inheritsEventsFrom: s.r,
    techniques: s.t,
  };
}
