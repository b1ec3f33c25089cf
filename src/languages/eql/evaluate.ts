// EQL for the evaluator: Elastic's shared semantics (../evaluate-elastic.ts), with EQL's own:
// `:` compares without case and takes `*`/`?` wildcards, `==` with case, `~` forms (`like~`, `in~`,
// `regex~`) without; `regex` is Lucene's syntax, anchored; `startsWith`/`endsWith`/`stringContains`/
// `cidrMatch` as the parser reads them, any other function `unknown`. The event's `event.category`
// must be the query's category (`any` reads all). `where` and `| filter` stages filter; `head`/`tail`
// keep an event; samples and other pipes (`unique`, `count`) are not evaluated. A sequence is not
// evaluated on one event; over an ordered list of events (evaluate/events.ts), evaluate-sequence.ts
// says how its steps, `by` keys, `maxspan` and `until` are read.
import type { EvaluatedRule, EventLog, LanguageEvaluator, SourceCheck, StageRole } from '../../evaluate/types.js';
import { pathLookup, pathRoots, recordKeys } from '../../evaluate/match.js';
import { categoryCheck, elasticIndexNeed, elasticRuleGaps, elasticSource, elasticTest } from '../evaluate-elastic.js';
import type { PredicateNode, Stage } from '../../model/types.js';
import { eqlSequence } from './evaluate-sequence.js';

/** `where true` (the parser keeps the literal as text): every event of the category. */
export const matchesAll = (node: PredicateNode) => node.kind === 'other' && node.text.trim().toLowerCase() === 'true';

function stage(s: Stage): StageRole {
  switch (s.kind) {
    case 'where':
    case 'filter':
      return s.condition && matchesAll(s.condition) ? { role: 'skip' } : { role: 'filter' };
    case 'head':
    case 'tail':
      return { role: 'skip' };
    case 'sequence':
    case 'step':
    case 'until':
    case 'sample':
      return { role: 'gap', what: 'sequence', reason: `an EQL ${s.kind} over several events (give them as a list)` };
    default:
      return { role: 'gap', what: 'aggregation', reason: `pipe ${s.kind}` };
  }
}

function source(rule: EvaluatedRule, log: EventLog): SourceCheck {
  const index = elasticSource(rule, log);
  const categories = rule.stages.filter((s) => s.kind === 'where').flatMap((s) => s.sources ?? []);
  const category = categoryCheck(categories, log);
  if (category === true) return index;
  const why = `${index.reason}; the query reads ${categories.join(', ')} events, the event's category is ${log.elastic?.categories.join(', ') || 'not known'}`;
  return { matched: category === false || index.matched === false ? false : 'unknown', reason: why };
}

export const eqlEvaluator: LanguageEvaluator = {
  view: (event) => event,
  test: (p, event) => elasticTest(p, event, { question: true, backslash: false }),
  stage,
  source,
  ruleGaps: elasticRuleGaps,
  overEvents: (rule, events, opts) => eqlSequence(eqlEvaluator, rule, events, opts),
  lookup: pathLookup,
  // A missing field's answer is the predicate's alone (false, `exists` false, a computed value `unknown`).
  missing: (event, field) => !pathLookup(event, field).found,
  roots: pathRoots,
  keys: recordKeys,
  indexNeed: elasticIndexNeed,
};
