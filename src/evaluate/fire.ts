// Which rules fire on an event, trying only candidates. Rules are grouped by language and declared
// sources, whose log check is made once per group and event; within a group each rule is filed
// under the predicates one of which every match needs (of an `and` the cheapest child's, of an `or`
// one from each branch; not negated, plain values), chosen to be rare: an equality (`eq`/`in`) by the keys its values compare
// as, a containment without case (`contains`/`startswith`/`endswith`) by the rarest trigram of each
// value, which any matching text holds. An event is then tried against the rules one of its field
// values has a key of, and the rules with none. Keys are a superset of the evaluator's comparisons
// (lowercase text, numbers as numbers), so a candidate may still not fire, and a rule that fires is
// never left out: evaluateRule decides.
import { evaluatorFor } from '../languages/evaluate.js';
import type { PredicateNode, Predicate, Rule } from '../model/types.js';
import { numberOf, textOf } from './match.js';
import { evaluateRule, PreparedEvent } from './rule.js';
import type { Evaluation, EventLog, LanguageEvaluator, SourceCheck } from './types.js';

/** The keys a value compares as: its lowercase text, and its number when it is one. */
function keysOf(v: unknown): string[] {
  const text = textOf(v);
  if (text === undefined) return [];
  const n = numberOf(v);
  return n === undefined ? [`s:${text.toLowerCase()}`] : [`s:${text.toLowerCase()}`, `n:${n}`];
}

const plainValues = (p: Predicate) =>
  !p.negated &&
  !p.transform &&
  p.field !== '' &&
  p.field !== '*' &&
  p.values.length > 0 &&
  p.values.length <= 64 &&
  p.values.every((v) => keysOf(v).length > 0 && !(typeof v === 'string' && /[*?\\]/.test(v)));

/** Equality on plain values: keyed by the values themselves. */
const byEquality = (p: Predicate) => (p.op === 'eq' || p.op === 'in') && plainValues(p);

/** Text containment (contains, startswith, endswith) without case, values of 3 characters or more: keyed by one trigram of each value. */
const byTrigram = (p: Predicate) =>
  (p.op === 'contains' || p.op === 'startswith' || p.op === 'endswith') &&
  !p.caseSensitive &&
  plainValues(p) &&
  p.values.every((v) => typeof v === 'string' && v.length >= 3);

function trigrams(text: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + 3 <= text.length; i++) out.add(`t:${text.slice(i, i + 3)}`);
  return out;
}

interface Group {
  evaluator: LanguageEvaluator;
  /** A rule of the group: the log check reads only its language and sources. */
  first: Rule;
  /** field → key → rules (by position in the index's rule list). */
  byValue: Map<string, Map<string, number[]>>;
  /** Fields some rule is filed under by trigram: an event's values of them give their trigrams as keys too. */
  trigramFields: Set<string>;
  /** Rules with no indexed predicate: tried on every event of the group's log. */
  always: number[];
}

export interface FiredRule {
  rule: Rule;
  evaluation: Evaluation;
}

export class FireIndex {
  private readonly groups: Group[] = [];
  /** Rules of languages without an evaluator: never tried. */
  readonly notEvaluated: number;
  /** Per rule, the last event it was tried on (candidates reached by several keys are tried once). */
  private readonly triedOn: Int32Array;
  private eventNumber = 0;

  constructor(readonly rules: readonly Rule[]) {
    const byGroup = new Map<string, Group>();
    const choices: { group: Group; at: number; tree?: PredicateNode }[] = [];
    const bucketSize = new Map<string, number>();
    let notEvaluated = 0;
    const countKeys = (node: PredicateNode): void => {
      if (node.kind === 'pred') {
        const p = node.predicate;
        if (!byEquality(p) && !byTrigram(p)) return;
        const keys = byEquality(p) ? p.values.flatMap(keysOf) : p.values.flatMap((v) => [...trigrams(String(v).toLowerCase())]);
        for (const k of new Set(keys)) bucketSize.set(`${p.field}\0${k}`, (bucketSize.get(`${p.field}\0${k}`) ?? 0) + 1);
      } else if (node.kind === 'and' || node.kind === 'or') node.children.forEach(countKeys);
    };
    rules.forEach((rule, at) => {
      const evaluator = evaluatorFor(rule.language);
      if (!evaluator || rule.removed) {
        if (!evaluator) notEvaluated++;
        return;
      }
      const groupKey = `${rule.language}\0${JSON.stringify(rule.sources)}`;
      let group = byGroup.get(groupKey);
      if (!group) byGroup.set(groupKey, (group = { evaluator, first: rule, byValue: new Map(), trigramFields: new Set(), always: [] }));
      // Every filtering stage's condition must hold: together, one `and`.
      const conditions = evaluator.lookup
        ? rule.stages.flatMap((s) => (s.condition && evaluator.stage(s, rule).role === 'filter' ? [s.condition] : []))
        : [];
      const tree: PredicateNode | undefined = conditions.length ? { kind: 'and', children: conditions } : undefined;
      if (tree) countKeys(tree);
      choices.push({ group, at, ...(tree ? { tree } : {}) });
    });
    const size = (field: string, k: string) => bucketSize.get(`${field}\0${k}`) ?? 0;
    /** The keys a rule is filed under for a predicate: its values' own keys, or each value's rarest trigram. */
    const keysFor = (p: Predicate): string[] =>
      byEquality(p)
        ? [...new Set(p.values.flatMap(keysOf))]
        : [
            ...new Set(
              p.values.map((v) => [...trigrams(String(v).toLowerCase())].reduce((a, k) => (size(p.field, k) < size(p.field, a) ? k : a))),
            ),
          ];
    /**
     * Predicates one of which every match needs, with the rules their keys' buckets hold: a predicate
     * itself; of an `and`, its child's cheapest; of an `or`, one from each child (none when a child has none).
     */
    const cover = (node: PredicateNode): { preds: Predicate[]; cost: number } | undefined => {
      if (node.kind === 'pred') {
        const p = node.predicate;
        if (!byEquality(p) && !byTrigram(p)) return undefined;
        return { preds: [p], cost: keysFor(p).reduce((sum, k) => sum + size(p.field, k), 0) };
      }
      if (node.kind === 'and') {
        let best: { preds: Predicate[]; cost: number } | undefined;
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
      const best = tree ? cover(tree) : undefined;
      if (!best) {
        group.always.push(at);
        continue;
      }
      for (const p of best.preds) {
        let byKey = group.byValue.get(p.field);
        if (!byKey) group.byValue.set(p.field, (byKey = new Map<string, number[]>()));
        if (byTrigram(p)) group.trigramFields.add(p.field);
        for (const k of keysFor(p)) {
          const list = byKey.get(k);
          if (list) list.push(at);
          else byKey.set(k, [at]);
        }
      }
    }
    this.groups = [...byGroup.values()];
    this.notEvaluated = notEvaluated;
    this.triedOn = new Int32Array(rules.length).fill(-1);
  }

  /** Every rule that fires (`yes`) or may (`unknown`) on the event, with its evaluation and trace. */
  fire(event: unknown, log: EventLog): FiredRule[] {
    const prepared = new PreparedEvent(event, log);
    const number = this.eventNumber++;
    const out: FiredRule[] = [];
    let source: SourceCheck = { matched: 'unknown', reason: '' };
    const tryRule = (at: number) => {
      if (this.triedOn[at] === number) return;
      this.triedOn[at] = number;
      const rule = this.rules[at]!;
      const quick = evaluateRule(rule, prepared, { source });
      if (quick.fires === 'no') return;
      out.push({ rule, evaluation: evaluateRule(rule, prepared, { trace: true, source }) });
    };
    for (const group of this.groups) {
      // The log check reads only the rule's language and sources: the same for the whole group.
      source = group.evaluator.source(group.first, log);
      if (source.matched === false) continue;
      for (const at of group.always) tryRule(at);
      if (!group.byValue.size) continue;
      const view = prepared.viewFor(group.evaluator);
      for (const [field, byKey] of group.byValue) {
        const found = group.evaluator.lookup!(view, field);
        if (!found.found) continue;
        const tri = group.trigramFields.has(field);
        for (const v of found.values) {
          for (const k of keysOf(v)) for (const at of byKey.get(k) ?? []) tryRule(at);
          const text = tri ? textOf(v) : undefined;
          if (text !== undefined) for (const k of trigrams(text.toLowerCase())) for (const at of byKey.get(k) ?? []) tryRule(at);
        }
      }
    }
    return out.sort((a, b) => a.rule.id.localeCompare(b.rule.id));
  }
}
