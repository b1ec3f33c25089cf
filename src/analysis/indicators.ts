import { combine, eachPredicate, negate } from '../model/predicates.js';
import type { Correlation, Indicator, IndicatorGroup, Operator, Predicate, PredicateNode, Scalar, Stage } from '../model/types.js';

/** Membership operators read as one indicator per listed value. */
const perValue: Partial<Record<Operator, Operator>> = { in: 'eq', has_any: 'has', has_all: 'has' };

function text(value: Scalar): string {
  return value === null ? 'null' : String(value);
}

/** How a predicate's values combine: `has_all` needs each, a range is one bound pair, any other list any one of them. */
function valuesJoin(p: Predicate): 'and' | 'or' | 'one' {
  if (p.op === 'has_all') return 'and';
  if (p.op === 'range' || p.op === 'exists' || p.values.length < 2) return 'one';
  return 'or';
}

/**
 * A predicate that states no value of its field: compared with a field (a correlation,
 * correlationsOf), with values the analysis could not read (none written: Python `x in name` with
 * `name` unresolved), with the type names of Python `isinstance` (transform `type`), or a Python time
 * parsed from the field and related to the time now (transform `time:`, languages/python/timestamps.ts).
 */
function statesNoValue(p: Predicate): boolean {
  if (p.op === 'fieldref' || p.transform === 'type' || p.transform === 'json|type' || p.transform?.startsWith('time:')) return true;
  return p.values.length === 0 && p.op !== 'exists';
}

/** The indicator a predicate states for one of its values (all of them for `one`). */
function indicatorOf(p: Predicate, negated: boolean, value: Scalar | undefined): Indicator {
  const op = p.op === 'exists' || p.op === 'range' ? p.op : (perValue[p.op] ?? p.op);
  const stated = p.op === 'exists' ? '*' : p.op === 'range' ? p.values.map(text).join(' .. ') : text(value ?? null);
  // Written out, not spread from a base: one object per value of a list of tens of thousands.
  if (p.transform) return { field: p.field, negated, caseSensitive: p.caseSensitive, transform: p.transform, op, value: stated };
  return { field: p.field, negated, caseSensitive: p.caseSensitive, op, value: stated };
}

/** A stated indicator and where it sits, before roles are known. */
interface Placed {
  ind: Indicator;
  groups: IndicatorGroup[];
}

/**
 * Walks condition trees with each node's polarity (nots above it) and `base`, the polarity of the
 * group being read (a `notAll` group reads its members positively). A connective that is a
 * conjunction once negations are pushed down (De Morgan) keeps its children in the current branch; a
 * disjunction opens a group: `any` when it is written as one (`or`, a value list), `notAll` when it is
 * a negated conjunction, whose members are then excluded together, not each alone.
 */
class Placer {
  readonly placed: Placed[] = [];
  private nextGroup = 0;

  node(node: PredicateNode, negated: boolean, base: boolean, groups: IndicatorGroup[]): void {
    switch (node.kind) {
      case 'pred':
        this.predicate(node.predicate, negated !== node.predicate.negated, base, groups);
        return;
      case 'not':
        this.node(node.child, !negated, base, groups);
        return;
      // Its predicates' fields are full paths: read as they would be without the one-element scope.
      case 'some':
        this.node(node.child, negated, base, groups);
        return;
      case 'and':
      case 'or':
        this.connect(node.kind, negated, base, groups, node.children.length, (i, g, b) => this.node(node.children[i]!, negated, b, g));
        return;
      case 'other':
        return;
    }
  }

  private predicate(p: Predicate, negated: boolean, base: boolean, groups: IndicatorGroup[]): void {
    if (statesNoValue(p)) return;
    const join = valuesJoin(p);
    if (join === 'one') {
      this.placed.push({ ind: indicatorOf(p, negated, p.values[0]), groups });
      return;
    }
    this.connect(join, negated, base, groups, p.values.length, (i, g) =>
      this.placed.push({ ind: indicatorOf(p, negated, p.values[i]), groups: g }),
    );
  }

  private connect(
    kind: 'and' | 'or',
    negated: boolean,
    base: boolean,
    groups: IndicatorGroup[],
    count: number,
    each: (i: number, groups: IndicatorGroup[], base: boolean) => void,
  ): void {
    const relative = negated !== base;
    if ((kind === 'and') !== relative || count < 2) {
      for (let i = 0; i < count; i++) each(i, groups, base);
      return;
    }
    const id = this.nextGroup++;
    // A negated conjunction starts a group read at its own polarity: its members are what it excludes.
    const kindOfGroup = relative ? 'notAll' : 'any';
    const inner = relative ? negated : base;
    for (let i = 0; i < count; i++) each(i, [...groups, { id, kind: kindOfGroup, branch: i }], inner);
  }
}

/**
 * The keys (indicatorKey) a condition states in every way it can be satisfied: unions over a
 * conjunction, intersections over a disjunction, once negations are pushed down; a condition kept
 * as text states nothing. Sets are fresh per call, so a union fills its largest child's set.
 */
function requiredKeys(node: PredicateNode, negated: boolean): Set<string> {
  switch (node.kind) {
    case 'pred': {
      const p = node.predicate;
      if (statesNoValue(p)) return new Set();
      const neg = negated !== p.negated;
      const join = valuesJoin(p);
      if (join === 'one') return new Set([indicatorKey(indicatorOf(p, neg, p.values[0]))]);
      return combineKeys(
        (join === 'and') !== neg,
        p.values.map((v) => () => new Set([indicatorKey(indicatorOf(p, neg, v))])),
      );
    }
    case 'not':
      return requiredKeys(node.child, !negated);
    case 'some':
      return requiredKeys(node.child, negated);
    case 'and':
    case 'or':
      return combineKeys(
        (node.kind === 'and') !== negated,
        node.children.map((c) => () => requiredKeys(c, negated)),
      );
    case 'other':
      return new Set();
  }
}

function combineKeys(conjunction: boolean, parts: (() => Set<string>)[]): Set<string> {
  if (conjunction) {
    let out = new Set<string>();
    for (const part of parts) {
      let keys = part();
      if (keys.size > out.size) [out, keys] = [keys, out];
      for (const k of keys) out.add(k);
    }
    return out;
  }
  let out: Set<string> | undefined;
  for (const part of parts) {
    const keys = part();
    if (!out) out = keys;
    else for (const k of out) if (!keys.has(k)) out.delete(k);
    // Nothing left in common: the other branches cannot add any.
    if (out.size === 0) break;
  }
  return out ?? new Set();
}

/**
 * The stages' conditions as one tree each, but the stages of one excluded side (Stage.excludedSide),
 * each negated, joined under one `not`: a side excludes the rows all its conditions hold for, not
 * the rows each holds for. A side sits where its first stage does.
 */
function conditionsOf(stages: Stage[]): PredicateNode[] {
  const out: (PredicateNode | PredicateNode[])[] = [];
  const sides = new Map<number, PredicateNode[]>();
  for (const { condition, excludedSide } of stages) {
    if (!condition) continue;
    if (excludedSide === undefined || condition.kind !== 'not') {
      out.push(condition);
      continue;
    }
    let side = sides.get(excludedSide);
    if (!side) {
      sides.set(excludedSide, (side = []));
      out.push(side);
    }
    side.push(condition.child);
  }
  return out.map((c) => (Array.isArray(c) ? negate(combine('and', c)) : c));
}

const groupsText = (groups: IndicatorGroup[]) => groups.map((g) => `${g.id}:${g.branch}`).join('/');

/**
 * One indicator per (field, operator, value, negation) and place in the conditions, in the order the
 * query states them, with its role: stages are read as all applying (each filters the rows). An
 * indicator required (or excluded) in every way the rule matches is one, wherever it is written.
 */
export function indicatorsOf(stages: Stage[]): Indicator[] {
  const placer = new Placer();
  const required = new Set<string>();
  for (const condition of conditionsOf(stages)) {
    placer.node(condition, false, false, []);
    for (const k of requiredKeys(condition, false)) required.add(k);
  }
  const out: Indicator[] = [];
  const seen = new Set<string>();
  for (const { ind, groups } of placer.placed) {
    const key = indicatorKey(ind);
    const everywhere = required.has(key);
    const place = everywhere ? '' : groupsText(groups);
    const placedKey = `${key}\u0000${place}`;
    if (seen.has(placedKey)) continue;
    seen.add(placedKey);
    const role = ind.negated ? 'exclusion' : everywhere ? 'required' : 'alternative';
    // The placed indicator is this function's own: it takes its role (and groups) in place of a copy.
    ind.role = role;
    if (!everywhere && groups.length) ind.groups = groups;
    out.push(ind);
  }
  return out;
}

/** Identity of an indicator across the corpus: values compare without case; an encoded value is not its plaintext. */
export function indicatorKey(ind: Pick<Indicator, 'field' | 'op' | 'value' | 'negated' | 'transform'>): string {
  const key = `${ind.field}\u0000${ind.op}\u0000${ind.negated ? 1 : 0}\u0000${ind.value.toLowerCase()}`;
  return ind.transform ? `${key}\u0000${ind.transform}` : key;
}

/** Every field the query relates to another field or a placeholder, once each, in the order stated. */
export function correlationsOf(stages: Stage[]): Correlation[] {
  const out: Correlation[] = [];
  const seen = new Set<string>();
  for (const stage of stages) {
    eachPredicate(stage.condition, (p, negated) => {
      if (p.op !== 'fieldref') return;
      for (const value of p.values) {
        const other = text(value);
        const kind: Correlation['kind'] = other.startsWith('$') ? 'placeholder' : other === p.field ? 'join key' : 'field';
        const key = `${p.field}\u0000${other}\u0000${negated ? 1 : 0}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ field: p.field, with: other, kind, negated, nativeOp: p.nativeOp });
      }
    });
  }
  return out;
}
