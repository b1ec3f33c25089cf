import { eachPredicate } from '../model/predicates.js';
import type { Correlation, Indicator, Operator, Scalar, Stage } from '../model/types.js';

/** Membership operators read as one indicator per listed value. */
const perValue: Partial<Record<Operator, Operator>> = { in: 'eq', has_any: 'has', has_all: 'has' };

function text(value: Scalar): string {
  return value === null ? 'null' : String(value);
}

/** One indicator per (field, operator, value, negation), in the order the query states them. */
export function indicatorsOf(stages: Stage[]): Indicator[] {
  const out: Indicator[] = [];
  const seen = new Set<string>();
  const add = (ind: Indicator) => {
    const key = indicatorKey(ind);
    if (seen.has(key)) return;
    seen.add(key);
    out.push(ind);
  };
  for (const stage of stages) {
    eachPredicate(stage.condition, (p, negated) => {
      // A field compared with a field or a placeholder is a correlation (correlationsOf), not a value.
      if (p.op === 'fieldref') return;
      const base = { field: p.field, negated, caseSensitive: p.caseSensitive, ...(p.transform ? { transform: p.transform } : {}) };
      if (p.op === 'exists') {
        add({ ...base, op: 'exists', value: '*' });
      } else if (p.op === 'range') {
        add({ ...base, op: 'range', value: p.values.map(text).join(' .. ') });
      } else {
        const op = perValue[p.op] ?? p.op;
        for (const v of p.values) add({ ...base, op, value: text(v) });
      }
    });
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
