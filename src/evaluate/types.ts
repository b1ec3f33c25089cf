// The answer to "would this rule fire on this event", and what each language's evaluator supplies.
import type { Predicate, PredicateNode, Rule, Scalar, Stage } from '../model/types.js';
import type { PreparedEvent } from './rule.js';

/** Three-valued truth: `unknown` where the answer depends on something not evaluated. */
export type Truth = boolean | 'unknown';

export type Fires = 'yes' | 'no' | 'unknown';

/** What was seen for one predicate of the rule. */
export interface PredicateTrace {
  field: string;
  /** The operator as the language spells it (`|contains|all`, `=~`), else the model's. */
  op: string;
  values: Scalar[];
  negated: boolean;
  /** The field's values in the event (array elements one by one), or `missing`. */
  seen: unknown[] | 'missing';
  matched: Truth;
  /** Why a predicate is `unknown` (a placeholder, an unsupported regex ...). */
  note?: string;
}

/** A stage whose part of the answer was not evaluated, and why. */
export interface StageGap {
  stage: string;
  what:
    'aggregation' | 'threshold' | 'join' | 'lookup' | 'external list' | 'machine learning' | 'correlation' | 'sequence' | 'not evaluated';
  reason: string;
}

/** Whether the event is of a log the rule reads. */
export interface SourceCheck {
  matched: Truth;
  reason: string;
}

export interface Evaluation {
  fires: Fires;
  source: SourceCheck;
  /** The rule's conditions alone (every filtering stage), whatever its source. */
  conditions: Truth;
  trace: PredicateTrace[];
  unevaluated: StageGap[];
}

/** What an event says, or the user says, about the log it comes from. */
export interface EventLog {
  /** The log as given with `--log-type` (a table, a Sigma logsource path, a channel ...). */
  given?: string;
  /** A Windows event (`Event.System` + `Event.EventData`, or already flat with `Channel` and `EventID`). */
  windows?: { channel: string; eventId: string; provider: string };
  /** An Elastic (ECS) event: its index (`_index`, or `logs-<data_stream.dataset>-<namespace>`), dataset and categories. */
  elastic?: { index?: string; dataset?: string; categories: string[] };
  /** A Panther event: its `p_log_type`. */
  panther?: { logType: string };
  /**
   * A Splunk event: its `sourcetype`, `source` and `index` fields, and the data-model objects its
   * fields are named after (`Processes` for `Processes.process_name`: a row of a CIM data model).
   */
  splunk?: { sourcetype?: string; source?: string; index?: string; dataModelObjects: string[] };
  /** A Google SecOps UDM event (a `metadata` object, or one under `udm`): its `metadata.log_type` when given. */
  udm?: { logType?: string };
  /** How the log was recognised, for people: `--log-type`, `Windows event shape: Event.System.Channel` ... */
  how: string;
}

/** The parts of a rule an evaluation reads. */
/** `type` (Elastic `threshold`, `new_terms`, `machine_learning` ...) and `schedule` (a Panther Threshold) when the format gives them. */
export type EvaluatedRule = Pick<Rule, 'language' | 'stages' | 'sources' | 'parsed'> & Partial<Pick<Rule, 'type' | 'schedule'>>;

/** The values of one field in an event: `found: false` when the event has no such field. */
export type Lookup = { found: false } | { found: true; values: unknown[] };

/**
 * What a stage contributes: its condition filters (or `condition`, what the language reads the
 * stage as requiring of one event when the parser gives it none), it changes nothing for one event,
 * or it is not evaluated.
 */
export type StageRole =
  | { role: 'filter'; condition?: PredicateNode }
  | { role: 'skip' }
  | { role: 'gap'; what: StageGap['what']; reason: string }
  /**
   * `reads`: the row's fields the expansion reads (KQL: the columns expanded); on rows lacking them all
   * it makes the same rows but for fields no later condition reads, as `missing` says of a condition.
   */
  | { role: 'expand'; expand: (view: unknown) => Expansion; reads?: readonly string[] };

/**
 * A stage that makes rows of a row (KQL `mv-expand`): the later stages run on each, and the event
 * fires when one of them comes out; no row at all drops the event. `unknown`: why this row's
 * expansion is not read (the answer is then `unknown`).
 */
export type Expansion = { rows: unknown[] } | { unknown: string };

/**
 * One language's semantics (`languages/<id>/evaluate.ts`, listed in `languages/evaluate.ts`): how its
 * rules see an event's fields and compare them, which stages filter, and which logs its rules read.
 * The tree walk, the three-valued logic and the answer are shared (`evaluate/rule.ts`).
 */
export interface LanguageEvaluator<View = unknown> {
  /**
   * The event as this language's field names see it (Sigma flattens a Windows event's System and EventData);
   * `now`: the caller's clock (milliseconds since the epoch), for rules that read the time now.
   */
  view(event: unknown, log: EventLog, now?: number): View;
  /** One predicate against the event (the rule, for what its earlier stages computed). */
  test(predicate: Predicate, event: View, rule: EvaluatedRule): { matched: Truth; seen: unknown[] | 'missing'; note?: string };
  stage(stage: Stage, rule: EvaluatedRule): StageRole;
  /** Reads only the rule's language, `sources` and its stages' `sources` (the fire index checks the log once for rules alike in these). */
  source(rule: EvaluatedRule, log: EventLog): SourceCheck;
  /** What the rule does beyond its stages and is not evaluated (an Elastic threshold or new-terms rule). */
  ruleGaps?(rule: EvaluatedRule): StageGap[];
  /**
   * The values of a field as `test` sees them, for the fire index (evaluate/fire.ts): without it,
   * every rule of the language is a candidate for every event of its log.
   */
  lookup?(view: View, field: string): Lookup;
  /**
   * For a `some` node (model/types.ts): one view per element of the list at `field`, each the view
   * with that one element in the list's place; undefined when the language cannot split it there.
   * `json`: a JSON text on the way to the list is read parsed (the `some` node's own flag).
   */
  elementViews?(view: View, field: string, json?: boolean): View[] | undefined;
  /**
   * Whether `test` reads the field as missing from the view; then its answer for a predicate on that
   * field depends on the predicate and the rule alone (the same trace, whatever else the event holds),
   * which lets the fire index keep a rule's answer per log for events lacking all its fields.
   */
  missing?(view: View, field: string): boolean;
  /**
   * For the fire index: the keys of a view (as `keys` names them) one of which it must hold for
   * `lookup` and `missing` to find the field, or undefined when the language cannot say (keywords, the
   * whole event). A view holding none of them reads the field as the view of an empty event of the
   * same log does, so the index looks up only the fields rooted at one of the event's own keys.
   */
  roots?(field: string): readonly string[] | undefined;
  /** The view's own keys, as `roots` names them. */
  keys?(view: View): Iterable<string>;
  /**
   * A rule over several events (an EQL sequence) on an ordered list of events (evaluate/events.ts);
   * undefined for a rule of single events, which the list answers event by event.
   */
  overEvents?(rule: EvaluatedRule, events: readonly PreparedEvent[], context: EventsContext): EventsEvaluation | undefined;
  /**
   * For the fire index: what an event's values of the predicate's field (as `lookup` gives them) must
   * hold for `test` to answer anything but false, or undefined when the language cannot say (the
   * answer may be true or `unknown` without it: a computed column, a negation, a regex). Without it,
   * or where it answers `plain`, the index files equality and caseless containment of plain values.
   */
  indexNeed?(predicate: Predicate, rule: EvaluatedRule): IndexNeed | 'plain' | undefined;
}

/** What a rule over several events may need besides the events. */
export interface EventsContext {
  trace?: boolean;
  /** The rules a correlation names, by name or id (Sigma correlations); without it, they are not found. */
  rules?: (reference: string) => EvaluatedRule | undefined;
  /** A single-event rule on one event (evaluate/rule.ts, handed over so that evaluators need not import it). */
  evaluate(rule: EvaluatedRule, event: PreparedEvent): Evaluation;
}

/** The answer over an ordered list of events. */
export interface EventsEvaluation extends Evaluation {
  /** Positions in the list of the events the answer rests on: a sequence's events in step order, or the event that fires. */
  events: number[];
}

/**
 * What a predicate needs of an event's values of its field to be anything but false: `equal`, one
 * value comparing as one of these (same lowercase text, or same number: evaluate/fire.ts `keysOf`);
 * `contains`, for one of the alternatives, one value whose lowercase text holds each of the
 * alternative's (lowercase) texts; `present`, a value that is not null. `orMissing`: or the field is
 * missing (`lookup` finds nothing), where the language answers `unknown` (ES|QL's null under a NOT).
 */
export type IndexNeed = (
  { kind: 'equal'; values: readonly Scalar[] } | { kind: 'contains'; alternatives: readonly (readonly string[])[] } | { kind: 'present' }
) & { orMissing?: boolean };
