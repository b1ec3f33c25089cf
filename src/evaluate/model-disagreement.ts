// Why our predicate-tree model of a rule (evaluateRule) did not give a test's expected result: a
// class per disagreement, so that the fidelity of each language's analysis is measured by cause
// (`ruleatlas test --json` `disagreements`, `--model-report`).
import type { PredicateNode, Rule } from '../model/types.js';
import type { StoredTest } from './stored-tests.js';
import type { Evaluation, Fires } from './types.js';

/** The first `other` node (a condition kept as text) of the rule's filtering stages. */
function firstOther(node: PredicateNode | undefined): string | undefined {
  if (!node) return undefined;
  switch (node.kind) {
    case 'other':
      return node.text;
    case 'not':
    case 'some':
      return firstOther(node.child);
    case 'and':
    case 'or':
      for (const c of node.children) {
        const t = firstOther(c);
        if (t !== undefined) return t;
      }
      return undefined;
    default:
      return undefined;
  }
}

/** What kind of text an `other` node holds, for a class: a call the analysis did not read through, a handler, a construct. */
function otherClass(text: string): string {
  const t = text.trim();
  if (/^except\b/.test(t)) return 'unknown construct: try/except';
  if (/^[\w.]+\(/.test(t)) return 'helper or library call not inlined';
  if (t === 'False') return 'unknown construct: returns False';
  return 'unknown construct';
}

/**
 * The outside source (the time now, Panther's cache, an AWS or HTTP lookup) the analysis said the
 * rule reads (languages/python/outside-world.ts): no model of the event alone answers such a rule,
 * so a condition kept as text there is put in a class of its own, apart from calls not read through.
 */
function outsideWorld(rule: Rule, test: StoredTest): { call: string; what: string } | undefined {
  // A call the test mocks is its input, read as such (test.mockedStages): no longer the outside world.
  const mocked = new Set(Array.isArray(test.mocks) ? test.mocks.map((m: { objectName?: unknown }) => m?.objectName) : []);
  for (const d of rule.diagnostics) {
    const m = /^call (\S+) reads (.+?): what depends on it is read as text/.exec(d.message);
    if (m && !(test.mockedStages && mocked.has(m[1]!.replace(/\(\)$/, '')))) return { call: m[1]!, what: m[2]! };
  }
  return undefined;
}

const short = (text: string) => (text.length > 100 ? `${text.slice(0, 97)}...` : text);

export interface Disagreement {
  class: string;
  detail: string;
}

/**
 * The class of a disagreement between the model's answer and the expected one. `evaluation`: the
 * model's evaluation of the test's first event (with its trace).
 */
export function disagreement(test: StoredTest, rule: Rule, model: Fires, evaluation: Evaluation): Disagreement {
  const other = () => rule.stages.map((s) => firstOther(s.condition)).find((t) => t !== undefined);
  if (model === 'unknown') {
    if (rule.language === 'none') return { class: 'no query in the catalog', detail: rule.diagnostics[0]?.message ?? '' };
    if (!rule.parsed) return { class: 'query did not parse', detail: rule.diagnostics[0]?.message ?? '' };
    const gap = evaluation.unevaluated[0];
    if (gap) return { class: `not evaluated: ${gap.what}`, detail: gap.reason };
    if (evaluation.source.matched === 'unknown') return { class: 'log type not known', detail: evaluation.source.reason };
    const open = evaluation.trace.find((t) => t.matched === 'unknown');
    if (open?.note?.includes('data-model method')) return { class: 'data-model method not resolved', detail: open.field };
    if (open?.note?.includes('could not resolve'))
      return { class: 'value not resolved (a name the analysis cannot read)', detail: short(open.field) };
    if (open?.note) return { class: `predicate not evaluated: ${open.note.replace(/:.*$/, '')}`, detail: `${open.field} ${open.op}` };
    const text = other();
    const outside = text === undefined ? undefined : outsideWorld(rule, test);
    if (text !== undefined && outside)
      return { class: `reads the outside world: ${outside.what}`, detail: short(`${outside.call}; ${text}`) };
    if (text !== undefined) return { class: otherClass(text), detail: short(text) };
    return { class: 'unknown construct', detail: '' };
  }
  const mocks = Array.isArray(test.mocks) && test.mocks.length > 0 && !test.mockedStages;
  if (mocks) return { class: 'test mocks a function (the model cannot)', detail: JSON.stringify(test.mocks).slice(0, 100) };
  if (model === 'no' && evaluation.source.matched === false) return { class: 'log type gate', detail: evaluation.source.reason };
  if (model === 'yes') return { class: 'fires where the code does not (a guard or exclusion not extracted)', detail: '' };
  return { class: 'misses where the code fires (a condition read too narrowly)', detail: '' };
}
