// ES|QL for the evaluator: Elastic's shared semantics (../evaluate-elastic.ts) for its comparisons
// (`==` with case, `TO_LOWER(f)` folded by the parser, LIKE with `*`/`?`, RLIKE anchored in Lucene's
// syntax, IN, IS [NOT] NULL), and ES|QL's own:
// - A missing field is null, and a comparison with null is null: the row is dropped, `!=` too. A
//   `NOT` over a null is null as well, which a Boolean tree cannot say: in a rule with a NOT, a
//   predicate on a missing field is `unknown`.
// - Stages: FROM (the index, gated like every Elastic rule), WHERE filters; SORT, LIMIT, KEEP, DROP,
//   EVAL, RENAME keep the row; a WHERE on a column EVAL, RENAME, STATS, DISSECT, GROK or ENRICH
//   defines is `unknown`; STATS is an aggregation and a WHERE after it a threshold; other commands
//   (ENRICH, LOOKUP JOIN, MV_EXPAND ...) are not evaluated.
import type { EvaluatedRule, IndexNeed, LanguageEvaluator, StageRole } from '../../evaluate/types.js';
import { pathLookup, pathRoots, recordKeys } from '../../evaluate/match.js';
import type { Predicate, PredicateNode, Stage } from '../../model/types.js';
import { elasticIndexNeed, elasticRuleGaps, elasticSource, elasticTest } from '../evaluate-elastic.js';

const DEFINING = new Set(['eval', 'rename', 'stats', 'dissect', 'grok', 'enrich']);
const KEEPING = new Set(['from', 'sort', 'limit', 'keep', 'drop', 'eval', 'rename']);

interface RuleFacts {
  defined: Set<string>;
  hasNot: boolean;
}
const facts = new WeakMap<Stage[], RuleFacts>();

function hasNot(node: PredicateNode | undefined): boolean {
  if (!node) return false;
  if (node.kind === 'not') return true;
  return (node.kind === 'and' || node.kind === 'or') && node.children.some(hasNot);
}

function factsOf(rule: EvaluatedRule): RuleFacts {
  let f = facts.get(rule.stages);
  if (!f) {
    const defined = new Set<string>();
    for (const s of rule.stages) {
      if (!DEFINING.has(s.kind)) continue;
      for (const m of s.text.matchAll(/([A-Za-z_@][\w.]*)\s*=(?!=)/g)) defined.add(m[1]!);
      if (s.kind !== 'eval' && s.kind !== 'stats') for (const m of s.text.matchAll(/[A-Za-z_@][\w.]*/g)) defined.add(m[0]);
    }
    f = { defined, hasNot: rule.stages.some((s) => hasNot(s.condition)) };
    facts.set(rule.stages, f);
  }
  return f;
}

function test(p: Predicate, event: unknown, rule: EvaluatedRule) {
  const f = factsOf(rule);
  if (f.defined.has(p.field))
    return { matched: 'unknown' as const, seen: [], note: `${p.field} is computed by an earlier command, not evaluated` };
  if (p.op !== 'exists' && !pathLookup(event, p.field).found && p.field !== '*') {
    if (f.hasNot) return { matched: 'unknown' as const, seen: 'missing' as const, note: 'null under a NOT is null: not evaluated' };
    return { matched: false, seen: 'missing' as const };
  }
  return elasticTest(p, event, { question: true, backslash: true });
}

function stage(s: Stage, rule: EvaluatedRule): StageRole {
  const before = rule.stages.slice(0, rule.stages.indexOf(s));
  if (s.kind === 'where') {
    if (before.some((x) => x.kind === 'stats')) return { role: 'gap', what: 'threshold', reason: 'a WHERE on the result of STATS' };
    return { role: 'filter' };
  }
  if (KEEPING.has(s.kind)) return { role: 'skip' };
  if (s.kind === 'stats') return { role: 'gap', what: 'aggregation', reason: 'STATS over several events' };
  return { role: 'gap', what: 'not evaluated', reason: `command ${s.kind}` };
}

/** For the fire index: Elastic's needs, on a field no command computes; in a rule with a NOT, a missing field too (`unknown` there). */
function indexNeed(p: Predicate, rule: EvaluatedRule): IndexNeed | undefined {
  const f = factsOf(rule);
  const need = f.defined.has(p.field) ? undefined : elasticIndexNeed(p);
  return need && f.hasNot && p.op !== 'exists' ? { ...need, orMissing: true } : need;
}

export const esqlEvaluator: LanguageEvaluator = {
  view: (event) => event,
  test,
  stage,
  source: elasticSource,
  ruleGaps: elasticRuleGaps,
  lookup: pathLookup,
  roots: pathRoots,
  keys: recordKeys,
  indexNeed,
  missing: (event, field) => !pathLookup(event, field).found,
};
