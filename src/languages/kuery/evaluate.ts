// Kibana KQL (kuery) for the evaluator: Elastic's shared semantics (../evaluate-elastic.ts), with
// kuery's wildcards: `*` any text, `?` itself, `\` escapes. The query is one filtering stage.
import type { LanguageEvaluator, StageRole } from '../../evaluate/types.js';
import { pathLookup, pathRoots, recordKeys } from '../../evaluate/match.js';
import { elasticIndexNeed, elasticRuleGaps, elasticSource, elasticTest } from '../evaluate-elastic.js';

const stage = (s: { kind: string }): StageRole =>
  s.kind === 'query' ? { role: 'filter' } : { role: 'gap', what: 'not evaluated', reason: `stage ${s.kind}` };

export const kueryEvaluator: LanguageEvaluator = {
  view: (event) => event,
  test: (p, event) => elasticTest(p, event, { question: false, backslash: true }),
  stage,
  source: elasticSource,
  ruleGaps: elasticRuleGaps,
  lookup: pathLookup,
  // A missing field's answer is the predicate's alone (false, `exists` false, a computed value `unknown`).
  missing: (event, field) => !pathLookup(event, field).found,
  roots: pathRoots,
  keys: recordKeys,
  indexNeed: elasticIndexNeed,
};
