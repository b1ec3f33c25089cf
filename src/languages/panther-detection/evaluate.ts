// Panther YAML detections for the evaluator (evaluate/): the contract between this folder's parser
// (index.ts) and the shared evaluation.
//
// - Fields: `Key` a top-level key, `DeepKey` / `KeyPath` a path (the parser writes `a.b`); a key
//   holding a list matches when any element does. Each top-level item of the Detection block is a
//   stage, and all must hold.
// - Equals / IsIn compare the whole value, with case unless the condition has the `I` prefix
//   (IEquals ...); numbers compare as numbers, also given as strings. Contains / StartsWith / EndsWith
//   on text; IsGreaterThan ... on numbers (a value that is not a number does not match);
//   IsIPAddressInCIDR on addresses. A missing key matches nothing, so the DoesNot... forms hold.
// - Exists / DoesNotExist: the key is there (null too); IsNotNull / IsNull: there and not null;
//   IsNotNullOrEmpty / IsNullOrEmpty: also not `''`, `[]` or `{}`.
// - Multi-key Equals (`Values: [{Key: a}, {Key: b}]`) compares the two fields.
// - Not evaluated (`unknown`): conditions the parser keeps as `other` (IsIPAddressPublic ...), an item
//   with OnlyOne or a list comprehension (AnyElement, AllElements, NoElement, OnlyOneElement: the parser
//   reads them approximately), correlation rules, a Threshold above 1, and AlwaysFalse (kept as text).
// - Source: the rule's LogTypes (`logtype:<LogType>`) against the event's `p_log_type` or `--log-type`;
//   neither given: `unknown`.
import { matchShared, pathLookup, pathRoots, recordKeys, sharedIndexNeed } from '../../evaluate/match.js';
import type {
  EvaluatedRule,
  EventLog,
  IndexNeed,
  LanguageEvaluator,
  SourceCheck,
  StageGap,
  StageRole,
  Truth,
} from '../../evaluate/types.js';
import type { Predicate, Stage } from '../../model/types.js';

type Outcome = { matched: Truth; seen: unknown[] | 'missing'; note?: string };

function isEmpty(v: unknown): boolean {
  if (v === null || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v).length === 0;
}

/** The key's raw value (lists not flattened), for the emptiness conditions. */
function rawValue(event: unknown, field: string): { found: boolean; value?: unknown } {
  let current: unknown = event;
  for (const key of field.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current) || !Object.hasOwn(current, key)) return { found: false };
    current = (current as Record<string, unknown>)[key];
  }
  return { found: true, value: current };
}

function exists(p: Predicate, event: unknown): Outcome {
  const raw = rawValue(event, p.field);
  const seen = raw.found ? [raw.value] : ('missing' as const);
  const condition = p.nativeOp.replace(/^I(?=[A-Z])/, '');
  let present = raw.found;
  if (/Null/.test(condition)) present &&= raw.value !== null;
  if (/Empty/.test(condition)) present &&= !isEmpty(raw.value);
  return { matched: p.negated ? !present : present, seen };
}

function matchOne(p: Predicate, seen: unknown, wanted: unknown): boolean | string {
  return matchShared(p, seen, wanted) ?? `condition ${p.nativeOp} is not evaluated`;
}

function test(p: Predicate, event: unknown): Outcome {
  if (p.op === 'exists') return exists(p, event);
  const found = pathLookup(event, p.field);
  if (p.op === 'other')
    return { matched: 'unknown', seen: found.found ? found.values : 'missing', note: `condition ${p.nativeOp} is not evaluated` };
  if (!found.found) return { matched: p.negated, seen: 'missing' };
  const seen = found.values;
  let wanted: unknown[] = p.values;
  if (p.op === 'fieldref') {
    const others = p.values.map((f) => pathLookup(event, String(f)));
    if (others.some((o) => !o.found)) return { matched: p.negated, seen };
    wanted = others.flatMap((o) => (o.found ? o.values : []));
  }
  const op = p.op === 'fieldref' ? { ...p, op: 'eq' as const } : p;
  let note: string | undefined;
  let matched = false;
  for (const s of seen) {
    for (const w of wanted) {
      const r = matchOne(op, s, w);
      if (r === true) matched = true;
      else if (typeof r === 'string') note = r;
    }
  }
  if (!matched && note) return { matched: 'unknown', seen, note };
  return { matched: p.negated ? !matched : matched, seen };
}

const APPROXIMATE = /\b(OnlyOne|AnyElement|AllElements|NoElement|OnlyOneElement)\b/;

function stage(s: Stage): StageRole {
  switch (s.kind) {
    case 'detection':
      if (APPROXIMATE.test(s.text)) {
        return { role: 'gap', what: 'not evaluated', reason: 'OnlyOne or a list comprehension (read approximately by the parser)' };
      }
      return { role: 'filter' };
    case 'correlation':
      return { role: 'gap', what: 'correlation', reason: 'a correlation over the alerts of other rules' };
    case 'step':
    case 'transition':
      return { role: 'skip' };
    default:
      return { role: 'gap', what: 'not evaluated', reason: `stage ${s.kind}` };
  }
}

function source(rule: EvaluatedRule, log: EventLog): SourceCheck {
  const logTypes = rule.sources.filter((s) => s.startsWith('logtype:')).map((s) => s.slice('logtype:'.length));
  const reads = logTypes.join(', ') || 'no LogTypes';
  const given = log.given ?? log.panther?.logType;
  if (given === undefined)
    return { matched: 'unknown', reason: `the event's log type is not known (p_log_type, or --log-type); the rule reads ${reads}` };
  const why = `the event is ${given}${log.given !== undefined ? ' (--log-type)' : ' (p_log_type)'}; the rule reads ${reads}`;
  if (logTypes.length === 0) return { matched: 'unknown', reason: why };
  return { matched: logTypes.some((t) => t.toLowerCase() === given.toLowerCase()), reason: why };
}

/** A Threshold above 1: the rule alerts after that many matching events. */
function ruleGaps(rule: EvaluatedRule): StageGap[] {
  const threshold = /^>=\s*(\d+)$/.exec(rule.schedule?.trigger ?? '');
  if (threshold && Number(threshold[1]) > 1) {
    return [{ stage: 'rule', what: 'threshold', reason: `alerts after ${threshold[1]} matching events (Threshold)` }];
  }
  return [];
}

/** For the fire index: the shared comparisons' needs; Exists (null too), conditions kept as text and two-key Equals say nothing. */
function indexNeed(p: Predicate): IndexNeed | undefined {
  return p.op === 'exists' || p.op === 'other' || p.op === 'fieldref' ? undefined : sharedIndexNeed(p);
}

export const pantherDetectionEvaluator: LanguageEvaluator = {
  view: (event) => event,
  test,
  stage,
  source,
  ruleGaps,
  lookup: pathLookup,
  // A missing field: the answer depends on the predicate alone.
  missing: (event, field) => !pathLookup(event, field).found,
  roots: pathRoots,
  keys: recordKeys,
  indexNeed,
};
