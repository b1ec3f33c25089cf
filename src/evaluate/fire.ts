// Which rules fire on an event, trying only candidates. Rules are grouped by language and declared
// sources, whose log check is made once per group and event. Each rule's evaluation is planned once
// (evaluate/rule.ts `planOf`: its filtering conditions and gaps); a rule whose conditions hold no
// predicate answers by its log alone and is not evaluated again per event. Within a group every other
// rule is filed under predicates one of which every match needs (of an `and` the cheapest child's, of an
// `or` one from each branch), by what the language says the predicate needs of the event
// (`LanguageEvaluator.indexNeed`): an equality by the keys its values compare as (lowercase text,
// numbers as numbers), a containment by the rarest trigram of each alternative's texts, or of its
// bigrams or characters when its texts are all shorter (a value holding the piece is a candidate only
// when it holds all the alternative's texts: one pass over the value meets the pieces by a hash filter,
// and reads the text holding the piece where the piece is, not searching for it), a field's presence by
// the field. An event is then tried against the rules one of its field values has a key of, and the rules
// with none. A predicate's need is a superset of what its test accepts, so a candidate may still not
// fire, and a rule that fires is never left out: evaluatePlan decides.
// Per log, once: the groups whose log check is not false, the indexed fields some of their rules are
// filed under, and their unindexed rules by the fields they read, all filed by the keys of the view
// each field's lookup starts from (`LanguageEvaluator.roots`): an event looks up only the fields rooted
// at its own keys (`keys`); a field it does not hold reads as on an empty event of the log. An
// unindexed rule is evaluated on an event holding one of its fields; otherwise it answers its answer on
// the empty event (`missing` of its language says the answer depends on nothing else), kept per log in
// one baseline, in the order of ids, with the answers of rules that need no event.
// An event mapped to one schema is tried on the rules of that schema's platforms only.
import { evaluatorFor } from '../languages/evaluate.js';
import { platformInfo } from '../platforms/registry.js';
import type { PredicateNode, Predicate, Rule } from '../model/types.js';
import { numberOf, textOf } from './match.js';
import { evaluatePlan, firesOn, planOf, PreparedEvent, type RulePlan } from './rule.js';
import { evaluateTree } from './tree.js';
import type { Evaluation, EventLog, IndexNeed, LanguageEvaluator, Lookup, SourceCheck } from './types.js';

/** Calls `visit` with each key a value compares as: its lowercase text, and its number when it is one. */
function forEachKey(v: unknown, visit: (key: string) => void): void {
  const text = textOf(v);
  if (text === undefined) return;
  visit(`s:${text.toLowerCase()}`);
  const n = numberOf(v);
  if (n !== undefined) visit(`n:${n}`);
}

function keysOf(v: unknown): string[] {
  const out: string[] = [];
  forEachKey(v, (k) => out.push(k));
  return out;
}

/**
 * Characters most values hold (ASCII letters, digits, spaces, the punctuation of paths, numbers and
 * dates): filed under one, a rule would be a candidate for nearly every value, at the index's cost.
 */
const common = /[A-Za-z0-9 \t\r\n.,:;\\/\-_=+'"()]/;

/**
 * The pieces an alternative is filed under, one of which a value holding its texts holds: its texts'
 * trigrams, or for texts all shorter (`^^`, an emoji's two code units, a Cyrillic letter, a regex's
 * backtick) their bigrams or uncommon characters; none when it has none (code units, as `includes` compares).
 */
function piecesOf(texts: readonly string[]): string[] {
  const n = Math.min(3, Math.max(0, ...texts.map((t) => t.length)));
  const out: string[] = [];
  for (const text of texts) for (let i = 0; i + n <= text.length; i++) out.push(text.slice(i, i + n));
  return n === 1 ? out.filter((c) => !common.test(c)) : out;
}
const PRESENT = 'p:';
const MISSING = 'm:';

/**
 * Each rule a field's lookup reaches in its index: by its values' keys (a text by its lowercase, a
 * number as a number, asked only when some rule is filed under one), their presence or the field's
 * absence, and each value's lowercase text by its pieces when some rule is filed under one.
 */
function forEachLookupRule(values: Lookup, index: FieldIndex, visit: (at: number) => void): void {
  if (!values.found) {
    if (index.missing) for (const at of index.missing) visit(at);
    return;
  }
  let present = false;
  const texts = index.byGram.size > 0;
  const numbers = index.byNumber.size > 0;
  // Many values against few pieces (keywords): lowercased first, and each searched only for the pieces their join holds.
  const lowers = texts && index.byGram.size <= index.fewPieces && values.values.length > 1 ? values.values.map(lowerText) : undefined;
  const few = lowers && piecesHeld(lowers, index.pieces);
  for (let i = 0; i < values.values.length; i++) {
    const v = values.values[i];
    if (v !== null) present = true;
    // keysOf's keys, the text read and lowercased once for its key and its pieces; no key text made per value.
    const lower = lowers ? lowers[i] : lowerText(v);
    if (lower === undefined) continue;
    const byText = index.byText.get(lower);
    if (byText) for (const at of byText) visit(at);
    if (numbers) {
      const n = numberOf(v);
      const byNumber = n === undefined ? undefined : index.byNumber.get(n);
      if (byNumber) for (const at of byNumber) visit(at);
    }
    if (texts && (!few || few.length > 0)) forEachGramRule(index, lower, visit, few);
  }
  if (present && index.present) for (const at of index.present) visit(at);
}

const lowerText = (v: unknown): string | undefined => textOf(v)?.toLowerCase();

/**
 * Of a field's few pieces, those its values' lowercase texts joined by newlines hold (and any holding a
 * newline): a piece no value holds is not in the join, so each value is searched only for these (keywords
 * read hundreds of values).
 */
function piecesHeld(lowers: readonly (string | undefined)[], pieces: readonly Piece[]): Piece[] {
  const joined = lowers.join('\n');
  return pieces.filter((piece) => piece.text.includes('\n') || joined.includes(piece.text));
}

/**
 * The rules a lowercase text is a candidate for by its pieces: those filed under one of its pieces whose
 * alternative's texts it holds, every one (the need in full: the piece only finds the alternative).
 */
function forEachGramRule(index: FieldIndex, lower: string, visit: (at: number) => void, few?: readonly Piece[]): void {
  const scan = ++index.scans;
  // Few pieces (Sigma keywords, KQL `*` terms: read on every value of the event): each looked for in the text, natively.
  if (index.byGram.size <= index.fewPieces) {
    // A list, not the map's entries: iterating a map makes an entry per piece and value.
    for (const piece of few ?? index.pieces)
      if (lower.includes(piece.text)) for (const e of piece.entries) visitHolding(e, lower, scan, visit);
    return;
  }
  // An empty piece (texts all empty) is in every text.
  const everywhere = index.byGram.get('');
  if (everywhere) for (const e of everywhere) visitHolding(e, lower, scan, visit);
  // Called for every value of the event (hundreds): no closure, set or piece text made per call.
  const filters = index.gramFilters;
  const ones = filters[0];
  const twos = filters[1];
  const threes = filters[2];
  // One pass for the three sizes; most of a text's pieces file no rule: the filters say so without reading further.
  let previous = 0;
  let before = 0;
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    if (ones && (ones[c >>> 3]! & (1 << (c & 7))) !== 0) pieceAt(index.byHash[0]!.get(c), lower, i, scan, visit);
    if (i >= 1 && twos) {
      const h = ((previous << 8) ^ c) & 0xffff;
      if ((twos[h >>> 3]! & (1 << (h & 7))) !== 0) pieceAt(index.byHash[1]!.get(h), lower, i - 1, scan, visit);
    }
    if (i >= 2 && threes) {
      const h = (before * 961 + previous * 31 + c) & 0xffff;
      if ((threes[h >>> 3]! & (1 << (h & 7))) !== 0) pieceAt(index.byHash[2]!.get(h), lower, i - 2, scan, visit);
    }
    before = previous;
    previous = c;
  }
}

/**
 * The pieces of one hash the filter let through, at `from` in the text: those the text holds there, and
 * of their alternatives those whose text holds the piece there (read in place, not searched for) and
 * whose other texts the text holds.
 */
function pieceAt(pieces: readonly Piece[] | undefined, lower: string, from: number, scan: number, visit: (at: number) => void): void {
  if (!pieces) return;
  for (const piece of pieces) {
    if (!lower.startsWith(piece.text, from)) continue;
    for (const e of piece.entries) {
      if (e.scan === scan) continue;
      const anchor = e.texts[e.anchor]!;
      let held = false;
      for (const offset of e.offsets) if (offset <= from && lower.startsWith(anchor, from - offset)) held = true;
      if (held && e.others.every((t) => lower.includes(t))) {
        e.scan = scan;
        visit(e.at);
      }
    }
  }
}

/** An alternative whose piece the text holds somewhere: visited when the text holds all its texts, once per scan. */
function visitHolding(e: GramEntry, lower: string, scan: number, visit: (at: number) => void): void {
  if (e.scan === scan || !e.texts.every((t) => lower.includes(t))) return;
  e.scan = scan;
  visit(e.at);
}

/**
 * Pieces up to which a field's are each looked for in a text with `includes` (native) rather than by
 * the pass over the text's pieces: Sigma keywords and KQL `*` terms, read on every value of an event.
 */
const fewPieces = 16;

/** A language with `lookup` but no `indexNeed`: equality and caseless containment of plain values (no wildcard characters). */
function plainNeed(p: Predicate): IndexNeed | undefined {
  const plain =
    !p.negated &&
    !p.transform &&
    p.values.length > 0 &&
    p.values.every((v) => keysOf(v).length > 0 && !(typeof v === 'string' && /[*?\\]/.test(v)));
  if (!plain) return undefined;
  if (p.op === 'eq' || p.op === 'in') return { kind: 'equal', values: p.values };
  if ((p.op === 'contains' || p.op === 'startswith' || p.op === 'endswith') && !p.caseSensitive)
    return { kind: 'contains', alternatives: p.values.map((v) => [String(v).toLowerCase()]) };
  return undefined;
}

/** Values past which a predicate is not filed: each is a key (a list of 200 file names is still cheaper filed than tried on every event). */
const maxIndexedValues = 1024;

/** The predicate's need when the index can use it: keys to file the rule under exist for every alternative. */
function needOf(evaluator: LanguageEvaluator, p: Predicate, plan: RulePlan): IndexNeed | undefined {
  if (p.negated || p.field === '' || p.values.length > maxIndexedValues) return undefined;
  const own = evaluator.indexNeed ? evaluator.indexNeed(p, plan.rule) : 'plain';
  const need = own !== 'plain' ? own : p.field === '*' ? undefined : plainNeed(p);
  if (!need) return undefined;
  if (need.kind === 'equal') return need.values.some((v) => keysOf(v).length > 0) ? need : undefined;
  if (need.kind === 'contains') {
    const usable = need.alternatives.length > 0 && need.alternatives.every((texts) => piecesOf(texts).length > 0);
    return usable ? need : undefined;
  }
  return need;
}

/**
 * The fields a rule's conditions read, when its language tells a missing field (`missing`) and the
 * answer on an event lacking them all depends on nothing else: not for a field standing for the
 * whole event (`*`, `_raw`, Sigma keywords) or an expansion not naming what it reads (`reads`); a field
 * compared with another reads both.
 */
function readFields(plan: RulePlan): string[] | undefined {
  if (!plan.evaluator?.missing) return undefined;
  const fields = new Set<string>();
  let whole = false;
  const visit = (node: PredicateNode): void => {
    if (node.kind === 'pred') {
      const p = node.predicate;
      if (p.field === '' || p.field === '*' || p.field === '_raw') whole = true;
      fields.add(p.field);
      if (p.op === 'fieldref') fields.add(String(p.values[0]));
    } else if (node.kind === 'not' || node.kind === 'some') visit(node.child);
    else if (node.kind === 'and' || node.kind === 'or') node.children.forEach(visit);
  };
  for (const step of plan.steps) {
    // An expansion of columns the event lacks makes the same rows (`reads`); of anything else, rows that depend on the event.
    if ('expand' in step) {
      if (!step.reads) return undefined;
      for (const field of step.reads) fields.add(field);
    }
    if ('condition' in step) visit(step.condition);
  }
  return whole || fields.size === 0 ? undefined : [...fields];
}

/** Files a rule under one of a field's keys (`keysFor`). */
function fileKey(index: FieldIndex, key: string, at: number): void {
  const add = <K>(map: Map<K, number[]>, k: K) => {
    const list = map.get(k);
    if (list) list.push(at);
    else map.set(k, [at]);
  };
  if (key === PRESENT) (index.present ??= []).push(at);
  else if (key === MISSING) (index.missing ??= []).push(at);
  else if (key.startsWith('s:')) add(index.byText, key.slice(2));
  else add(index.byNumber, Number(key.slice(2)));
}

/** Files an alternative of a containment under its piece: the text holding it and where, to read it there when the pass meets the piece. */
function filePiece(index: FieldIndex, piece: string, texts: readonly string[], at: number): void {
  // Texts shorter than the piece are still checked: the alternative's other texts found it.
  const anchor = texts.findIndex((t) => t.includes(piece));
  const offsets: number[] = [];
  if (piece) for (let o = texts[anchor]!.indexOf(piece); o >= 0; o = texts[anchor]!.indexOf(piece, o + 1)) offsets.push(o);
  const entry: GramEntry = { at, texts, anchor, offsets, others: texts.filter((_, i) => i !== anchor), scan: 0 };
  const filed = index.byGram.get(piece);
  if (filed) {
    filed.push(entry);
    return;
  }
  // The piece's first alternative: its bit in the filter, and the list the pass and `byGram` share.
  const entries = [entry];
  index.byGram.set(piece, entries);
  index.pieces.push({ text: piece, entries });
  const n = piece.length;
  // Texts all empty (`contains ''`): every text holds them, without a pass.
  if (n === 0) return;
  const filter = (index.gramFilters[n - 1] ??= new Uint8Array(8192));
  const h = gramHash(piece, 0, n);
  filter[h >>> 3]! |= 1 << (h & 7);
  const byHash = index.byHash[n - 1]!;
  const pieces = byHash.get(h);
  if (pieces) pieces.push({ text: piece, entries });
  else byHash.set(h, [{ text: piece, entries }]);
}

/** A piece's bit in `FieldIndex.gramFilters` (a character's own code for one). */
function gramHash(text: string, at: number, n: number): number {
  if (n === 1) return text.charCodeAt(at);
  if (n === 2) return ((text.charCodeAt(at) << 8) ^ text.charCodeAt(at + 1)) & 0xffff;
  return (text.charCodeAt(at) * 961 + text.charCodeAt(at + 1) * 31 + text.charCodeAt(at + 2)) & 0xffff;
}

/**
 * An alternative of a containment filed under a piece: its rule, the texts a value must hold, the text
 * holding the piece (`anchor`) and where in it (`offsets`), the others; `scan`: the last text it was found in.
 */
interface GramEntry {
  at: number;
  texts: readonly string[];
  anchor: number;
  offsets: number[];
  others: string[];
  scan: number;
}

/** A piece some alternatives are filed under, and those alternatives. */
interface Piece {
  text: string;
  entries: GramEntry[];
}

/** The keys of one field: an event's values give their own keys, their pieces (when some rule needs them), presence. */
interface FieldIndex {
  /** Equalities' rules by a value's lowercase text, and by its number. */
  byText: Map<string, number[]>;
  byNumber: Map<number, number[]>;
  /** Rules filed under the field's presence (a value not null), and its absence. */
  present?: number[];
  missing?: number[];
  /** A containment's rules, each alternative under its rarest piece (`piecesOf`), with the texts a value must hold. */
  byGram: Map<string, GramEntry[]>;
  /** `byGram` as a list, in the same order. */
  pieces: Piece[];
  /** Per piece size (1 to 3), the pieces by their hash (`gramHash`), as the pass over a text meets them. */
  byHash: Map<number, Piece[]>[];
  /** Texts scanned for pieces (`forEachGramRule`). */
  scans: number;
  /** Pieces up to which each is looked for in a text with `includes` rather than by a pass over the text's pieces. */
  fewPieces: number;
  /** Per piece size (1 to 3), a bit per hash some piece of `byGram` has (65,536 bits, allocated with the first piece of that size). */
  gramFilters: (Uint8Array | undefined)[];
  /** The groups of the rules filed under the field: a log none of them reads never looks the field up. */
  groups: Set<number>;
}

interface Group {
  /** Its position in `FireIndex.groups`. */
  number: number;
  evaluator: LanguageEvaluator;
  /** A rule of the group: the log check reads only its language and sources. */
  first: Rule;
  /** Rules with no indexed predicate: tried on every event of the group's log. */
  always: number[];
  /** Rules whose conditions hold no predicate and are not false: they fire or may on every event of the group's log. */
  logOnly: number[];
}

/** A rule found on an event: its position in `FireIndex.rules`, and the answer. */
interface Found {
  at: number;
  fired: FiredRule;
}

/** A field some live rule of a language is filed under or reads, as a log's events look it up. */
interface FieldEntry {
  field: string;
  /** The field's keys and their rules, when a rule is filed under it. */
  index?: FieldIndex;
  /** `always` rules with a field list that read the field: evaluated on an event holding it. */
  readers?: number[];
  /** The rules an event not looking the field up is a candidate for: the keys of its lookup on an empty event (`m:`, KQL's empty text). */
  whenAbsent?: number[];
  /** The last event that looked the field up. */
  seenOn: number;
}

/** A language's fields for a log's events: by the view's keys they start from, and those looked up on every event. */
interface LanguageFields {
  evaluator: LanguageEvaluator;
  /** By each key of `LanguageEvaluator.roots`: an event looks up only the fields rooted at one of its own keys. */
  byRoot: Map<string, FieldEntry[]>;
  /** The language has no `roots`, or none for these fields (keywords, the whole event): looked up on every event. */
  everywhere: FieldEntry[];
  /** Rooted entries with `whenAbsent` rules: tried on an event that did not look them up. */
  absentTries: FieldEntry[];
}

/** What a log (not its events) decides, kept per log: each group's log check, and the answers of its rules that need no event. */
interface LogState {
  /** Per group, its log check, or undefined when the log is not the group's. */
  sources: (SourceCheck | undefined)[];
  /** Per language with a live group, the fields some live rule is filed under or reads (`LogState.readers`). */
  languages: LanguageFields[];
  /** Live groups' `always` rules that read no field list (`FireIndex.fieldsOf`): tried on every event. */
  always: number[];
  /**
   * In the order of ids, frozen, shared by every event of the log: the answers of rules whose conditions
   * hold no predicate, and of live groups' `always` rules with a field list (their readers) on an event
   * lacking all their fields; an event holding one of a reader's fields evaluates it instead.
   */
  baseline: Found[];
  /** The baseline as `merged` reads it, side by side (hundreds read per event: no object visited but the answer copied): each answer's rule, its place in the order of ids, and the answer. */
  baselineAt: Int32Array;
  baselineRank: Int32Array;
  baselineFired: FiredRule[];
  /** Answers of indexed rules every field of which an event lacked (`FireIndex.fieldsOf`), frozen: the same on every event of the log lacking them. */
  absent: Map<number, Found | 'no'>;
  /**
   * Indexed rules a field's absence makes candidates of, whose fields all have roots: readers (their
   * answer on an event lacking their fields in the baseline), not tried through the index.
   */
  baselined: Uint8Array;
}

const deepFreeze = (evaluation: Evaluation): Evaluation => {
  for (const gap of evaluation.unevaluated) Object.freeze(gap);
  Object.freeze(evaluation.trace);
  Object.freeze(evaluation.unevaluated);
  Object.freeze(evaluation.source);
  return Object.freeze(evaluation);
};

/** An answer every event of a log shares: frozen, and one object for all of them. */
const sharedFound = (rule: Rule, at: number, evaluation: Evaluation): Found =>
  Object.freeze({ at, fired: Object.freeze({ rule, evaluation: deepFreeze(evaluation) }) });

export interface FiredRule {
  rule: Rule;
  evaluation: Evaluation;
}

export class FireIndex {
  private readonly groups: Group[] = [];
  private readonly plans: (RulePlan | undefined)[];
  /** Each rule's group (by position in `groups`). */
  private readonly groupOf: Int32Array;
  /** Per language with `lookup`: field → key → rules, across its groups. */
  private readonly byLanguage = new Map<LanguageEvaluator, Map<string, FieldIndex>>();
  /** Each rule's place in the order of ids (the order `fire` answers in). */
  private readonly rank: Int32Array;
  /** Each rule's position in `rules`. */
  private readonly positionOf = new Map<Rule, number>();
  /** Rules of languages without an evaluator: never tried. */
  readonly notEvaluated: number;
  /** Per rule, the last event it was tried on (candidates reached by several keys are tried once). */
  private readonly triedOn: Int32Array;
  /** Per rule with a field list, the last event found holding one of its fields. */
  private readonly touchedOn: Int32Array;
  /** Per rule, 1 when it fired or may on the last event it was evaluated on (`fire`'s `evaluate`). */
  private readonly firedLast: Uint8Array;
  private eventNumber = 0;
  /**
   * Per rule whose language says when a field is missing (`LanguageEvaluator.missing`), the fields its
   * conditions read: on an event lacking all of them, its answer is its log's (kept in `LogState.absent`).
   */
  private readonly fieldsOf: (readonly string[] | undefined)[];
  /** Each rule's platform's log schema: an event mapped to one schema is tried on its rules only. */
  private readonly schemaOf: (string | undefined)[];
  /** The logs seen lately (events of one log share them), by their JSON (and the schema asked for). */
  private readonly logStates = new Map<string, LogState>();

  /** `fewPieces`: a field's pieces up to which each is looked for in a text on its own (tests set it to try both ways). */
  constructor(
    readonly rules: readonly Rule[],
    options: { fewPieces?: number } = {},
  ) {
    const byGroup = new Map<string, Group>();
    const choices: { group: Group; at: number; tree: PredicateNode }[] = [];
    const bucketSize = new Map<string, number>();
    const needs = new Map<Predicate, IndexNeed | undefined>();
    const keyOf = (field: string, k: string) => `${field}\0${k}`;
    const size = (field: string, k: string) => bucketSize.get(keyOf(field, k)) ?? 0;
    const count = (field: string, keys: Iterable<string>) => {
      for (const k of new Set(keys)) bucketSize.set(keyOf(field, k), size(field, k) + 1);
    };
    let notEvaluated = 0;
    const groupOf = new Int32Array(rules.length).fill(-1);
    this.plans = rules.map((rule) => {
      const evaluator = evaluatorFor(rule.language);
      if (!evaluator) notEvaluated++;
      return evaluator && !rule.removed ? planOf(rule) : undefined;
    });
    const countKeys = (node: PredicateNode, evaluator: LanguageEvaluator, plan: RulePlan): void => {
      if (node.kind === 'pred') {
        const need = needOf(evaluator, node.predicate, plan);
        needs.set(node.predicate, need);
        if (!need) return;
        const field = node.predicate.field;
        if (need.kind === 'equal') count(field, need.values.flatMap(keysOf));
        else if (need.kind === 'present') count(field, [PRESENT]);
        else
          count(
            field,
            need.alternatives.flatMap((texts) => piecesOf(texts).map((t) => `t:${t}`)),
          );
        if (need.orMissing) count(field, [MISSING]);
      } else if (node.kind === 'and' || node.kind === 'or') for (const c of node.children) countKeys(c, evaluator, plan);
    };
    this.plans.forEach((plan, at) => {
      if (!plan?.evaluator) return;
      const rule = rules[at]!;
      const evaluator = plan.evaluator;
      // Everything the log check reads of a rule (types.ts `source`): its language, its sources and its stages' (EQL's categories).
      const groupKey = `${rule.language}\0${JSON.stringify(rule.sources)}\0${JSON.stringify(rule.stages.map((s) => [s.kind, s.sources ?? []]))}`;
      let group = byGroup.get(groupKey);
      if (!group) byGroup.set(groupKey, (group = { number: byGroup.size, evaluator, first: rule, always: [], logOnly: [] }));
      groupOf[at] = group.number;
      const conditions = plan.steps.flatMap((s) => ('condition' in s ? [s.condition] : []));
      if (plan.eventFree) {
        // No predicate to test: the conditions' truth is the same on every event; false never fires.
        const never = conditions.some(
          (c) =>
            evaluateTree(c, () => {
              throw new Error('a condition without predicates tested one');
            }) === false,
        );
        if (!never) group.logOnly.push(at);
        return;
      }
      // Every filtering stage's condition must hold: together, one `and`.
      const tree: PredicateNode = { kind: 'and', children: conditions };
      if (evaluator.lookup) countKeys(tree, evaluator, plan);
      choices.push({ group, at, tree });
    });
    const rarest = (field: string, texts: readonly string[]) =>
      piecesOf(texts).reduce((a, k) => (size(field, `t:${k}`) < size(field, `t:${a}`) ? k : a));
    /** The keys a rule is filed under for a need: equal values' own keys, each alternative's rarest piece, presence. */
    const keysFor = (field: string, need: IndexNeed): string[] => {
      const missing = need.orMissing ? [MISSING] : [];
      if (need.kind === 'equal') return [...new Set(need.values.flatMap(keysOf)), ...missing];
      if (need.kind === 'present') return [PRESENT, ...missing];
      return [...new Set(need.alternatives.map((texts) => `t:${rarest(field, texts)}`)), ...missing];
    };
    /**
     * Predicates one of which every match needs, with the rules their keys' buckets hold: a predicate
     * itself; of an `and`, its child's cheapest; of an `or`, one from each child (none when a child has none).
     */
    const cover = (node: PredicateNode): { preds: { field: string; need: IndexNeed }[]; cost: number } | undefined => {
      if (node.kind === 'pred') {
        const need = needs.get(node.predicate);
        if (!need) return undefined;
        const field = node.predicate.field;
        return { preds: [{ field, need }], cost: keysFor(field, need).reduce((sum, k) => sum + size(field, k), 0) };
      }
      if (node.kind === 'and') {
        let best: ReturnType<typeof cover>;
        for (const c of node.children) {
          const found = cover(c);
          if (found && (!best || found.cost < best.cost)) best = found;
        }
        return best;
      }
      if (node.kind === 'or') {
        const parts = node.children.map(cover);
        if (!parts.length || parts.some((x) => !x)) return undefined;
        return { preds: parts.flatMap((x) => x!.preds), cost: parts.reduce((sum, x) => sum + x!.cost, 0) };
      }
      return undefined;
    };
    for (const { group, at, tree } of choices) {
      const best = group.evaluator.lookup ? cover(tree) : undefined;
      if (!best) {
        group.always.push(at);
        continue;
      }
      let byField = this.byLanguage.get(group.evaluator);
      if (!byField) this.byLanguage.set(group.evaluator, (byField = new Map<string, FieldIndex>()));
      for (const { field, need } of best.preds) {
        let index = byField.get(field);
        if (!index)
          byField.set(
            field,
            (index = {
              byText: new Map(),
              byNumber: new Map(),
              byGram: new Map(),
              pieces: [],
              byHash: [new Map<number, Piece[]>(), new Map<number, Piece[]>(), new Map<number, Piece[]>()],
              gramFilters: [],
              groups: new Set(),
              scans: 0,
              fewPieces: options.fewPieces ?? fewPieces,
            }),
          );
        index.groups.add(group.number);
        if (need.kind !== 'contains') keysFor(field, need).forEach((k) => fileKey(index, k, at));
        else {
          if (need.orMissing) fileKey(index, MISSING, at);
          for (const texts of need.alternatives) filePiece(index, rarest(field, texts), texts, at);
        }
      }
    }
    this.fieldsOf = this.plans.map((plan) => (plan && !plan.eventFree ? readFields(plan) : undefined));
    this.groups = [...byGroup.values()];
    this.groupOf = groupOf;
    this.notEvaluated = notEvaluated;
    this.triedOn = new Int32Array(rules.length).fill(-1);
    this.schemaOf = rules.map((rule) => platformInfo(rule.platform)?.schema);
    this.touchedOn = new Int32Array(rules.length).fill(-1);
    this.firedLast = new Uint8Array(rules.length);
    // The order of ids, once: sorting each answer by localeCompare cost more than evaluating it.
    const order = rules.map((_, at) => at).sort((a, b) => rules[a]!.id.localeCompare(rules[b]!.id));
    this.rank = new Int32Array(rules.length);
    rules.forEach((rule, at) => this.positionOf.set(rule, at));
    order.forEach((at, i) => {
      const previous = order[i - 1];
      this.rank[at] = previous !== undefined && rules[previous]!.id.localeCompare(rules[at]!.id) === 0 ? this.rank[previous]! : i;
    });
  }

  private logState(log: EventLog, schema: string | undefined): LogState {
    const key = schema === undefined ? JSON.stringify(log) : `${schema}\0${JSON.stringify(log)}`;
    let state = this.logStates.get(key);
    if (state) return state;
    const kept = (at: number) => schema === undefined || this.schemaOf[at] === schema;
    // An event holding nothing: what an event of this log lacking a field reads there (evaluate/types.ts `roots`).
    const empty = new PreparedEvent({}, log);
    state = {
      sources: [],
      languages: [],
      always: [],
      baseline: [],
      baselineAt: new Int32Array(0),
      baselineRank: new Int32Array(0),
      baselineFired: [],
      absent: new Map(),
      baselined: new Uint8Array(this.rules.length),
    };
    const byLanguage = new Map<LanguageEvaluator, Map<string, FieldEntry>>();
    const entry = (evaluator: LanguageEvaluator, field: string): FieldEntry => {
      let fields = byLanguage.get(evaluator);
      if (!fields) byLanguage.set(evaluator, (fields = new Map<string, FieldEntry>()));
      let found = fields.get(field);
      if (!found) fields.set(field, (found = { field, seenOn: -1 }));
      return found;
    };
    for (const group of this.groups) {
      // The log check reads only the rule's language and sources: the same for the whole group.
      const source = group.evaluator.source(group.first, log);
      if (source.matched === false) {
        state.sources.push(undefined);
        continue;
      }
      state.sources.push(source);
      // Conditions without predicates and not false: the answer is the log's (and the gaps').
      for (const at of group.logOnly.filter(kept))
        state.baseline.push(sharedFound(this.rules[at]!, at, evaluatePlan(this.plans[at]!, empty, { trace: true, source })));
      for (const at of group.always.filter(kept)) {
        const fields = this.fieldsOf[at];
        // A reader's answer on an event lacking its fields is the empty event's (`missing`: it depends on nothing else).
        if (!fields || !fields.every((field) => empty.lacks(group.evaluator, field))) {
          state.always.push(at);
          continue;
        }
        const plan = this.plans[at]!;
        if (firesOn(plan, empty, source) !== 'no')
          state.baseline.push(sharedFound(this.rules[at]!, at, evaluatePlan(plan, empty, { trace: true, source })));
        for (const field of fields) (entry(group.evaluator, field).readers ??= []).push(at);
      }
    }
    const sources = state.sources;
    // The rules each indexed field's absence makes candidates of: its keys on the empty event.
    const whenAbsent = new Map<FieldEntry, Set<number>>();
    for (const [evaluator, byField] of this.byLanguage) {
      const emptyView = empty.viewFor(evaluator);
      for (const [field, index] of byField) {
        if (![...index.groups].some((g) => sources[g] !== undefined)) continue;
        const found = entry(evaluator, field);
        found.index = index;
        if (!evaluator.keys || !evaluator.roots?.(field)) continue;
        const rules = new Set<number>();
        const add = (at: number) => rules.add(at);
        forEachLookupRule(evaluator.lookup!(emptyView, field), index, add);
        if (rules.size) whenAbsent.set(found, rules);
      }
    }
    // Of those, a rule whose fields an event lacks unless it holds one of their roots answers as on the empty
    // event: that answer joins the baseline, and the rule is a reader of its fields (`missing`: ES|QL's nulls under a NOT).
    for (const rules of whenAbsent.values())
      for (const at of rules) {
        if (state.baselined[at] || !kept(at)) continue;
        const source = sources[this.groupOf[at]!];
        const fields = this.fieldsOf[at];
        const evaluator = this.plans[at]!.evaluator!;
        if (!source || !fields || !fields.every((f) => evaluator.roots!(f) && empty.lacks(evaluator, f))) continue;
        state.baselined[at] = 1;
        const plan = this.plans[at]!;
        if (firesOn(plan, empty, source) !== 'no')
          state.baseline.push(sharedFound(this.rules[at]!, at, evaluatePlan(plan, empty, { trace: true, source })));
        for (const field of fields) (entry(evaluator, field).readers ??= []).push(at);
      }
    for (const [evaluator, fields] of byLanguage) {
      const language: LanguageFields = { evaluator, byRoot: new Map(), everywhere: [], absentTries: [] };
      for (const found of fields.values()) {
        const roots = evaluator.keys ? evaluator.roots?.(found.field) : undefined;
        // A reader's field must read as missing on an event not holding it, or it is looked up on every event.
        if (!roots || (found.readers && !empty.lacks(evaluator, found.field))) {
          language.everywhere.push(found);
          continue;
        }
        for (const root of new Set(roots)) {
          const list = language.byRoot.get(root);
          if (list) list.push(found);
          else language.byRoot.set(root, [found]);
        }
        const rules = [...(whenAbsent.get(found) ?? [])].filter((at) => !state.baselined[at] && kept(at) && sources[this.groupOf[at]!]);
        if (rules.length) {
          found.whenAbsent = rules;
          language.absentTries.push(found);
        }
      }
      state.languages.push(language);
    }
    // In the order of ids once: each event's answer merges its candidates into them.
    state.baseline.sort((a, b) => this.rank[a.at]! - this.rank[b.at]!);
    state.baselineAt = Int32Array.from(state.baseline, (b) => b.at);
    state.baselineRank = Int32Array.from(state.baseline, (b) => this.rank[b.at]!);
    state.baselineFired = state.baseline.map((b) => b.fired);
    if (this.logStates.size >= 256) this.logStates.clear();
    this.logStates.set(key, state);
    return state;
  }

  /**
   * Every rule that fires (`yes`) or may (`unknown`) on the event, with its evaluation and trace;
   * with `schema`, only the rules of platforms on that log schema (an event mapped to it: evaluate/fire-mapped.ts).
   */
  fire(event: unknown, log: EventLog, schema?: string): FiredRule[] {
    const prepared = new PreparedEvent(event, log, Date.now());
    const number = this.eventNumber++;
    const state = this.logState(log, schema);
    const found: Found[] = [];
    const evaluate = (at: number, source: SourceCheck) => {
      const plan = this.plans[at]!;
      // A rule that fired or may on the last event it was evaluated on is evaluated once, with its trace (a
      // search most events may match: tried and then traced, it was evaluated twice); a rule that did not, first without.
      if (this.firedLast[at]) {
        const evaluation = evaluatePlan(plan, prepared, { trace: true, source });
        if (evaluation.fires === 'no') this.firedLast[at] = 0;
        else found.push({ at, fired: { rule: this.rules[at]!, evaluation } });
        return;
      }
      if (firesOn(plan, prepared, source) === 'no') return;
      this.firedLast[at] = 1;
      found.push({ at, fired: { rule: this.rules[at]!, evaluation: evaluatePlan(plan, prepared, { trace: true, source }) } });
    };
    /** A rule on an event lacking every field it reads: its log's answer, worked out on the first such event. */
    const absent = (at: number, source: SourceCheck) => {
      let answer = state.absent.get(at);
      if (answer === undefined) {
        const plan = this.plans[at]!;
        answer =
          firesOn(plan, prepared, source) === 'no'
            ? 'no'
            : sharedFound(this.rules[at]!, at, evaluatePlan(plan, prepared, { trace: true, source }));
        state.absent.set(at, answer);
      }
      if (answer !== 'no') found.push(answer);
    };
    const tryRule = (at: number) => {
      if (this.triedOn[at] === number) return;
      this.triedOn[at] = number;
      // Its answer is the baseline's, or it is evaluated as a reader of a field the event holds.
      if (state.baselined[at]) return;
      const source = state.sources[this.groupOf[at]!];
      if (!source || (schema !== undefined && this.schemaOf[at] !== schema)) return;
      const fields = this.fieldsOf[at];
      const evaluator = this.plans[at]!.evaluator!;
      if (fields && fields.every((field) => prepared.lacks(evaluator, field))) absent(at, source);
      else evaluate(at, source);
    };
    /** Readers of a field the event holds: evaluated, their baseline answers left out. */
    const touched: number[] = [];
    for (const at of state.always) tryRule(at);
    for (const language of state.languages) {
      const { evaluator } = language;
      const view = prepared.viewFor(evaluator);
      const lookUp = (entry: FieldEntry) => {
        if (entry.seenOn === number) return;
        entry.seenOn = number;
        if (entry.index) forEachLookupRule(evaluator.lookup!(view, entry.field), entry.index, tryRule);
        if (entry.readers && !prepared.lacks(evaluator, entry.field))
          for (const at of entry.readers)
            if (this.touchedOn[at] !== number) {
              this.touchedOn[at] = number;
              touched.push(at);
            }
      };
      // The fields rooted at the event's own keys, and those any event may hold.
      if (language.byRoot.size)
        for (const key of evaluator.keys!(view)) {
          const entries = language.byRoot.get(key);
          if (entries) for (const e of entries) lookUp(e);
        }
      for (const e of language.everywhere) lookUp(e);
      // A field the event does not hold reads as on an empty event: the rules its absence is a candidate for.
      for (const e of language.absentTries) if (e.seenOn !== number) for (const at of e.whenAbsent!) tryRule(at);
    }
    for (const at of touched) {
      this.triedOn[at] = number;
      evaluate(at, state.sources[this.groupOf[at]!]!);
    }
    found.sort((a, b) => this.rank[a.at]! - this.rank[b.at]!);
    return this.merged(state, found, touched.length > 0 ? number : -1);
  }

  /** The next rule `warm` reaches. */
  private warmed = 0;

  /**
   * Compiles ahead what the first events of a log would: each regex predicate of the rules tested once
   * on an empty event (a language compiles a regex on its first test, and KQL and YARA-L read a field an
   * event lacks as an empty text, which each log's baseline tests). False when `deadline`
   * (`performance.now()`) passed first: called again, it goes on where it stopped.
   */
  warm(deadline: number): boolean {
    const empty = new PreparedEvent({}, { how: 'compiling ahead' });
    const visit = (node: PredicateNode, test: (p: Predicate) => void): void => {
      if (node.kind === 'pred') {
        if (node.predicate.op === 'regex') test(node.predicate);
      } else if (node.kind === 'not' || node.kind === 'some') visit(node.child, test);
      else if (node.kind === 'and' || node.kind === 'or') for (const c of node.children) visit(c, test);
    };
    for (; this.warmed < this.plans.length; this.warmed++) {
      if (performance.now() > deadline) return false;
      const plan = this.plans[this.warmed];
      const evaluator = plan?.evaluator;
      if (!plan || !evaluator) continue;
      const view = empty.viewFor(evaluator);
      for (const step of plan.steps) if ('condition' in step) visit(step.condition, (p) => evaluator.test(p, view, plan.rule));
    }
    return true;
  }

  /** A rule's place in the order of ids, as `fire` answers (rules of equal ids share it); NaN for a rule not in the index. */
  orderOf(rule: Rule): number {
    const at = this.positionOf.get(rule);
    return at === undefined ? Number.NaN : this.rank[at]!;
  }

  /** Two of the index's rules in the order of ids, as `fire` answers (`localeCompare`, worked out once). */
  compare(a: Rule, b: Rule): number {
    const x = this.positionOf.get(a);
    const y = this.positionOf.get(b);
    return x === undefined || y === undefined ? a.id.localeCompare(b.id) : this.rank[x]! - this.rank[y]!;
  }

  /**
   * The log's baseline without the readers this event evaluated (`number`, or -1 when it evaluated none),
   * and the event's answers, in the order of ids (a rule is in one of them only).
   */
  private merged(state: LogState, found: readonly Found[], number: number): FiredRule[] {
    const { baselineAt, baselineRank, baselineFired } = state;
    // No reader evaluated (most events): the baseline copied whole (natively), each answer spliced in at its place.
    if (number < 0) {
      const out = baselineFired.slice();
      for (let j = found.length - 1; j >= 0; j--) {
        const at = this.rank[found[j]!.at]!;
        // After every baseline answer of its rank or before: a binary search in the ranks.
        let lo = 0;
        let hi = baselineRank.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (baselineRank[mid]! <= at) lo = mid + 1;
          else hi = mid;
        }
        out.splice(lo, 0, found[j]!.fired);
      }
      return out;
    }
    // Sized once (hundreds of shared answers per event: grown push by push, the list was copied over and over), cut to what it holds.
    const out = new Array<FiredRule>(baselineFired.length + found.length);
    const rank = this.rank;
    const touchedOn = this.touchedOn;
    let n = 0;
    let j = 0;
    for (let b = 0; b < baselineFired.length; b++) {
      if (touchedOn[baselineAt[b]!] === number) continue;
      const at = baselineRank[b]!;
      while (j < found.length && rank[found[j]!.at]! < at) out[n++] = found[j++]!.fired;
      out[n++] = baselineFired[b]!;
    }
    while (j < found.length) out[n++] = found[j++]!.fired;
    out.length = n;
    return out;
  }
}
