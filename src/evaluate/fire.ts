// Which rules fire on an event, trying only candidates. Rules are grouped by language and declared
// sources, whose log check is made once per group and event. Each rule's evaluation is planned once
// (evaluate/rule.ts `planOf`: its filtering conditions and gaps); a rule whose conditions hold no
// predicate answers by its log alone and is not evaluated again per event. Within a group every other
// rule is filed under predicates one of which every match needs (of an `and` the cheapest child's, of an
// `or` one from each branch), by what the language says the predicate needs of the event
// (`LanguageEvaluator.indexNeed`): an equality by the keys its values compare as (lowercase text,
// numbers as numbers), a containment by the rarest trigram of each alternative's texts, a field's
// presence by the field. An event is then tried against the rules one of its field values has a key
// of, and the rules with none. A predicate's need is a superset of what its test accepts, so a
// candidate may still not fire, and a rule that fires is never left out: evaluatePlan decides.
// Per log, once: the groups whose log check is not false, the indexed fields some of their rules are
// filed under (the only fields looked up), and their unindexed rules by the fields they read: such a
// rule is evaluated on an event holding one of them, and otherwise answers its log's answer for events
// lacking them all (kept per log; `missing` of its language says the answer depends on nothing else).
// An event mapped to one schema is tried on the rules of that schema's platforms only.
import { evaluatorFor } from '../languages/evaluate.js';
import { platformInfo } from '../platforms/registry.js';
import type { PredicateNode, Predicate, Rule } from '../model/types.js';
import { numberOf, textOf } from './match.js';
import { evaluatePlan, firesOn, planOf, PreparedEvent, type RulePlan } from './rule.js';
import { evaluateTree } from './tree.js';
import type { Evaluation, EventLog, IndexNeed, LanguageEvaluator, SourceCheck } from './types.js';

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

function trigrams(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 3 <= text.length; i++) out.push(`t:${text.slice(i, i + 3)}`);
  return out;
}

const PRESENT = 'p:';
const MISSING = 'm:';

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
    const usable = need.alternatives.length > 0 && need.alternatives.every((texts) => texts.some((t) => t.length >= 3));
    return usable ? need : undefined;
  }
  return need;
}

/**
 * The fields a rule's conditions read, when its language tells a missing field (`missing`) and the
 * answer on an event lacking them all depends on nothing else: not for a field standing for the
 * whole event (`*`, `_raw`, Sigma keywords) or an expansion's rows; a field compared with another reads both.
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
    } else if (node.kind === 'not') visit(node.child);
    else if (node.kind === 'and' || node.kind === 'or') node.children.forEach(visit);
  };
  for (const step of plan.steps) {
    if ('expand' in step) return undefined;
    if ('condition' in step) visit(step.condition);
  }
  return whole || fields.size === 0 ? undefined : [...fields];
}

/** The keys of one field: an event's values give their own keys, their trigrams (when some rule needs them), presence. */
interface FieldIndex {
  byKey: Map<string, number[]>;
  trigrams: boolean;
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

/** What a log (not its events) decides, kept per log: each group's log check, and the answers of its rules that need no event. */
interface LogState {
  /** Per group, its log check, or undefined when the log is not the group's. */
  sources: (SourceCheck | undefined)[];
  /** Per language with a live group, the indexed fields some live group's rule is filed under: the only ones looked up. */
  lookups: { evaluator: LanguageEvaluator; fields: { field: string; index: FieldIndex }[] }[];
  /** Live groups' `always` rules that read no field list (`FireIndex.fieldsOf`): tried on every event. */
  always: number[];
  /** Live groups' `always` rules with a field list, and per field (and its language) those of them reading it. */
  absentRules: number[];
  absentChecks: { evaluator: LanguageEvaluator; field: string; rules: number[] }[];
  /** The `logOnly` rules' answers, frozen: every event of the log shares them. */
  logOnly: Found[];
  /** Answers of rules every field of which an event lacked (`FireIndex.fieldsOf`), frozen: the same on every event of the log lacking them. */
  absent: Map<number, Found | 'no'>;
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
  /** Rules of languages without an evaluator: never tried. */
  readonly notEvaluated: number;
  /** Per rule, the last event it was tried on (candidates reached by several keys are tried once). */
  private readonly triedOn: Int32Array;
  /** Per rule with a field list, the last event found holding one of its fields. */
  private readonly touchedOn: Int32Array;
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

  constructor(readonly rules: readonly Rule[]) {
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
            need.alternatives.flatMap((texts) => texts.flatMap(trigrams)),
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
    /** The keys a rule is filed under for a need: equal values' own keys, each alternative's rarest trigram, presence. */
    const keysFor = (field: string, need: IndexNeed): string[] => {
      const missing = need.orMissing ? [MISSING] : [];
      if (need.kind === 'equal') return [...new Set(need.values.flatMap(keysOf)), ...missing];
      if (need.kind === 'present') return [PRESENT, ...missing];
      const rarest = (texts: readonly string[]) => texts.flatMap(trigrams).reduce((a, k) => (size(field, k) < size(field, a) ? k : a));
      return [...new Set(need.alternatives.map(rarest)), ...missing];
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
        if (!index) byField.set(field, (index = { byKey: new Map(), trigrams: false, groups: new Set() }));
        index.groups.add(group.number);
        if (need.kind === 'contains') index.trigrams = true;
        for (const k of keysFor(field, need)) {
          const list = index.byKey.get(k);
          if (list) list.push(at);
          else index.byKey.set(k, [at]);
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
    // The order of ids, once: sorting each answer by localeCompare cost more than evaluating it.
    const order = rules.map((_, at) => at).sort((a, b) => rules[a]!.id.localeCompare(rules[b]!.id));
    this.rank = new Int32Array(rules.length);
    order.forEach((at, i) => {
      const previous = order[i - 1];
      this.rank[at] = previous !== undefined && rules[previous]!.id.localeCompare(rules[at]!.id) === 0 ? this.rank[previous]! : i;
    });
  }

  private logState(log: EventLog, prepared: PreparedEvent, schema: string | undefined): LogState {
    const key = schema === undefined ? JSON.stringify(log) : `${schema}\0${JSON.stringify(log)}`;
    const kept = (at: number) => schema === undefined || this.schemaOf[at] === schema;
    let state = this.logStates.get(key);
    if (state) return state;
    state = { sources: [], lookups: [], always: [], absentRules: [], absentChecks: [], logOnly: [], absent: new Map() };
    const absentChecks = new Map<LanguageEvaluator, Map<string, number[]>>();
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
        state.logOnly.push(sharedFound(this.rules[at]!, at, evaluatePlan(this.plans[at]!, prepared, { trace: true, source })));
      for (const at of group.always.filter(kept)) {
        const fields = this.fieldsOf[at];
        if (!fields) {
          state.always.push(at);
          continue;
        }
        state.absentRules.push(at);
        let byField = absentChecks.get(group.evaluator);
        if (!byField) absentChecks.set(group.evaluator, (byField = new Map<string, number[]>()));
        for (const field of fields) {
          const list = byField.get(field);
          if (list) list.push(at);
          else byField.set(field, [at]);
        }
      }
    }
    for (const [evaluator, byField] of absentChecks)
      for (const [field, rules] of byField) state.absentChecks.push({ evaluator, field, rules });
    const sources = state.sources;
    for (const [evaluator, byField] of this.byLanguage) {
      const fields = [...byField]
        .filter(([, index]) => [...index.groups].some((g) => sources[g] !== undefined))
        .map(([field, index]) => ({ field, index }));
      if (fields.length) state.lookups.push({ evaluator, fields });
    }
    // In the order of ids once: each event's answer merges its candidates into them.
    state.logOnly.sort((a, b) => this.rank[a.at]! - this.rank[b.at]!);
    if (this.logStates.size >= 256) this.logStates.clear();
    this.logStates.set(key, state);
    return state;
  }

  /**
   * Every rule that fires (`yes`) or may (`unknown`) on the event, with its evaluation and trace;
   * with `schema`, only the rules of platforms on that log schema (an event mapped to it: evaluate/fire-mapped.ts).
   */
  fire(event: unknown, log: EventLog, schema?: string): FiredRule[] {
    const prepared = new PreparedEvent(event, log);
    const number = this.eventNumber++;
    const state = this.logState(log, prepared, schema);
    const found: Found[] = [];
    const evaluate = (at: number, source: SourceCheck) => {
      const plan = this.plans[at]!;
      if (firesOn(plan, prepared, source) === 'no') return;
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
      const source = state.sources[this.groupOf[at]!];
      if (!source || (schema !== undefined && this.schemaOf[at] !== schema)) return;
      const fields = this.fieldsOf[at];
      const evaluator = this.plans[at]!.evaluator!;
      if (fields && fields.every((field) => prepared.lacks(evaluator, field))) absent(at, source);
      else evaluate(at, source);
    };
    const tryKey = (byKey: Map<string, number[]>, key: string) => {
      const list = byKey.get(key);
      if (list) for (const at of list) tryRule(at);
    };
    for (const at of state.always) tryRule(at);
    // Rules tried on every event that read a field list: evaluated when the event holds one of their fields, else their log's answer.
    for (const { evaluator, field, rules } of state.absentChecks)
      if (!prepared.lacks(evaluator, field)) for (const at of rules) this.touchedOn[at] = number;
    for (const at of state.absentRules) {
      this.triedOn[at] = number;
      const source = state.sources[this.groupOf[at]!]!;
      if (this.touchedOn[at] === number) evaluate(at, source);
      else absent(at, source);
    }
    for (const { evaluator, fields } of state.lookups) {
      const view = prepared.viewFor(evaluator);
      for (const { field, index } of fields) {
        const values = evaluator.lookup!(view, field);
        const byKey = index.byKey;
        if (!values.found) {
          tryKey(byKey, MISSING);
          continue;
        }
        let present = false;
        for (const v of values.values) {
          if (v !== null) present = true;
          forEachKey(v, (k) => tryKey(byKey, k));
          const text = index.trigrams ? textOf(v) : undefined;
          if (text !== undefined) for (const k of new Set(trigrams(text.toLowerCase()))) tryKey(byKey, k);
        }
        if (present) tryKey(byKey, PRESENT);
      }
    }
    found.sort((a, b) => this.rank[a.at]! - this.rank[b.at]!);
    return this.merged(state.logOnly, found);
  }

  /** Two lists in the order of ids made one (a rule is in one of them only). */
  private merged(a: readonly Found[], b: readonly Found[]): FiredRule[] {
    const out: FiredRule[] = new Array<FiredRule>(a.length + b.length);
    let i = 0;
    let j = 0;
    for (let k = 0; k < out.length; k++)
      out[k] = (j >= b.length || (i < a.length && this.rank[a[i]!.at]! <= this.rank[b[j]!.at]!) ? a[i++]! : b[j++]!).fired;
    return out;
  }
}
