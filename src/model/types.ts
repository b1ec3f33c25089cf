// The one vocabulary every format and language maps into.

/** A problem found while reading a file or parsing a query. Never fatal to a build. */
export interface Diagnostic {
  message: string;
  /** 1-based line and column inside the query (or file, when `scope` is "file"). */
  line?: number;
  column?: number;
  severity: 'error' | 'warning' | 'info';
  scope: 'file' | 'query' | 'metadata';
  /** For query diagnostics: the line in the rule file, where the format knows it. */
  fileLine?: number;
}

/**
 * Normalised operators. Negation is never part of the operator: `!=`, `!in`, `!contains`
 * are `eq`, `in`, `contains` with `negated: true`, so that counts line up across languages.
 */
export type Operator =
  | 'eq'
  | 'in'
  | 'contains'
  | 'startswith'
  | 'endswith'
  | 'has'
  | 'has_any'
  | 'has_all'
  | 'hasprefix'
  | 'hassuffix'
  | 'wildcard'
  | 'regex'
  | 'exists'
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte'
  | 'range'
  | 'cidr'
  | 'fieldref'
  | 'other';

export type Scalar = string | number | boolean | null;

/** One comparison of a field against literal values, as written in a query. */
export interface Predicate {
  field: string;
  op: Operator;
  values: Scalar[];
  /** The operator itself is negated (`!=`, `!in`, `not field:x` in kuery counts via the tree). */
  negated: boolean;
  caseSensitive: boolean;
  /** The operator as the language spells it (`=~`, `in~`, `:`, `like~` ...). */
  nativeOp: string;
  /** Exact source text of the comparison. */
  text: string;
  /**
   * How the written values are changed before they are compared (Sigma `base64offset`, `wide|base64`,
   * `expand`): the values are kept as written, and the match is not a plaintext match of them.
   */
  transform?: string;
  /** Regex flags beyond case (`m` multi-line, `s` dot matches newline), as the rule set them (Sigma `re|m|s`). */
  flags?: string;
  /**
   * Panther: the log types whose data model gave this field (`event.udm()`). On another log type's
   * event the name reads another model's field, so the test does not apply there: its positive
   * form is false (and events are not claimed for providers of other log types).
   */
  logTypes?: string[];
  /**
   * The language tested the piece of the field after its last `piece` separator (Python
   * `f.split("/")[-1]`), written here as a test on the field: its values alone name no event.
   */
  piece?: string;
}

/** The and/or/not tree a predicate sits in. `other` holds a condition we keep only as text. */
export type PredicateNode =
  | { kind: 'and'; children: PredicateNode[] }
  | { kind: 'or'; children: PredicateNode[] }
  | { kind: 'not'; child: PredicateNode }
  | { kind: 'pred'; predicate: Predicate }
  | { kind: 'other'; text: string }
  /**
   * Some element of the list at `field` satisfies `child`, whose fields name keys of that one element.
   * `json`: the code parsed a JSON text on the way to the list (Python `json.loads`): such a text is read parsed.
   * `atLeast`: at least this many elements satisfy `child` (Python `len([x for x in f if c]) >= n`); 1 when absent.
   */
  | { kind: 'some'; field: string; child: PredicateNode; json?: true; atLeast?: number };

/** One step of a query pipeline: a KQL source or pipe operator, an EQL sequence step or pipe ... */
export interface Stage {
  /** Keyword that names the stage: `source`, `where`, `extend`, `sequence`, `step`, `head` ... */
  kind: string;
  /** Exact text of the stage in the query. */
  text: string;
  /** Conditions of this stage, if it filters. */
  condition?: PredicateNode;
  /** Log sources the stage reads (tables, event categories, functions). */
  sources?: string[];
  /** 0 for the main pipeline; 1+ for stages inside a let body, join or union subquery. */
  depth?: number;
  /** The event variable the stage's conditions describe (YARA-L `$e1`): each variable is an event of its own. */
  variable?: string;
  /** Thresholds the stage sets on counts or aggregates (YARA-L condition `#e >= 4`): never values of a field. */
  thresholds?: Threshold[];
  /**
   * Set on the stages of one side of a query that only removes rows (an anti join's side, a `!in`
   * subquery), numbered within the query: each stage's condition is wrapped in a `not`, and the side
   * excludes the rows for which all of them hold, so indicators read them as one excluded conjunction.
   */
  excludedSide?: number;
}

/** A condition on how many events matched, or on an aggregate of them, rather than on a field's value. */
export interface Threshold {
  /** What is counted or aggregated, as written: `#e` (events of `$e`, or distinct values of a placeholder), `$total` (an outcome variable). */
  of: string;
  op: 'eq' | 'gt' | 'gte' | 'lt' | 'lte';
  value: number;
  /** `!=`, or under an odd number of `not`s. */
  negated: boolean;
  /** Exact source text of the comparison. */
  text: string;
}

export interface OutputField {
  field: string;
  /** Where the field comes from: `project`, `extend`, `summarize`, `entityMappings` ... */
  source: string;
  /** Alert mappings that also surface the field (`entityMappings`, `customDetails`). */
  mappedBy?: string[];
}

/** What a language analyser returns for one query. */
export interface QueryAnalysis {
  stages: Stage[];
  outputFields: OutputField[];
  /** Log sources the query reads (tables, functions, event categories). */
  sources: string[];
  diagnostics: Diagnostic[];
  /** False when the query did not parse (its diagnostics say why). */
  parsed: boolean;
  /** Native ids of the rules (same platform) whose alerts the query correlates, and so whose events it watches (Rule.inheritsEventsFrom). */
  inheritsEventsFrom?: string[];
}

export interface Indicator {
  field: string;
  op: Operator;
  value: string;
  negated: boolean;
  caseSensitive: boolean;
  /** As its predicate's: the value is encoded (or a placeholder) before it is compared; never a plaintext match. */
  transform?: string;
  /**
   * What the rule's conditions ask of it (analysis/indicators): `required` in every way the rule can
   * match; `alternative`, one of several (its `groups` say of which); `exclusion`, negated (alone, or
   * within `groups`). Absent in catalogs written before roles were derived.
   */
  role?: IndicatorRole;
  /** The groups it sits in, outermost first; absent for a required indicator or a standalone exclusion. */
  groups?: IndicatorGroup[];
  /** How many other rules in the catalog use the same field, op, value and negation. */
  corpusCount?: number;
  /**
   * The same indicator in the shared field vocabulary (src/canonical, analysis/canonical), when its field
   * maps to a common field: Sigma `Image endswith \certutil.exe`, Defender `FileName =~ "certutil.exe"`
   * and Elastic `process.name : "certutil.exe"` all become `process.name eq certutil.exe`.
   */
  canonical?: CanonicalIndicator;
}

type IndicatorRole = 'required' | 'alternative' | 'exclusion';

/**
 * One place in a group of a rule's conditions: `any`, one of its branches suffices (`a or b`, `in (a, b)`,
 * `has_any`); `notAll`, its members are excluded together (`not (a and b)`: not an exclusion of each).
 * Members of a `notAll` group read positively within it: an indicator's `negated` counts the group's `not`.
 */
export interface IndicatorGroup {
  /** Unique within the rule. */
  id: number;
  kind: 'any' | 'notAll';
  /** Which branch (any) or member (notAll), from 0. */
  branch: number;
}

/** One field compared with another field or a placeholder rather than a value. */
export interface Correlation {
  field: string;
  /** The other field, the same field (a join key), or a YARA-L placeholder (`$user`). */
  with: string;
  kind: 'join key' | 'placeholder' | 'field';
  negated: boolean;
  /** The operator as the language spells it (`on`, `=`, `using`, `|fieldref` ...). */
  nativeOp: string;
}

export interface CanonicalIndicator {
  field: string;
  op: Operator;
  /** Lower-cased, with path, wildcard and regex spellings of one intent brought together. */
  value: string;
  /** As the indicator's own negation: an exclusion never counts with a match. */
  negated: boolean;
  /** How many other rules (any platform) use the same canonical indicator. */
  corpusCount?: number;
}

/** A rule ranked by shared canonical indicators and techniques (for rules with no audit event). */
export interface SimilarRule {
  id: string;
  name: string;
  platform: string;
  /** 0..1, higher is closer. */
  score: number;
  /** What the two rules share, for display: canonical indicators and technique ids. */
  shared: string[];
}

export interface EventRef {
  provider: string;
  event: string;
  /**
   * Set when the rule names the event through a pattern, not by name: the pattern as
   * `<op> <value>` (`startswith Delete`, `wildcard Stop*`), expanded at corpus level against the
   * event names known for the provider (analysis/event-patterns).
   */
  via?: string;
}

/** A pattern a rule compares a provider's event field with (startswith, wildcard, regex ...). */
export interface EventPattern {
  provider: string;
  op: Operator;
  value: string;
  /** The language's spelling of the operator: tells whether a regex must match the whole name. */
  nativeOp: string;
  /** The selector's eventPattern, which an expanded name must match too. */
  eventPattern?: string;
  /** Patterns the rule ands with this one on the same field: a name must match one of each group. */
  and?: { op: Operator; value: string; nativeOp: string }[][];
  /**
   * From a log many products share (ProviderSelector.knownOnly): an exact name (op `eq`) names
   * the event only when the vocabulary knows it, and a `has` term no known name holds names nothing.
   */
  knownOnly?: boolean;
}

export interface AttackTactic {
  id: string;
  name: string;
}

export interface AttackTechnique {
  id: string;
  name: string;
  /** Tactic ids this rule places the technique under. */
  tactics: string[];
}

export interface AttackCoverage {
  tactics: AttackTactic[];
  techniques: AttackTechnique[];
}

interface Schedule {
  interval?: string;
  /** How far back each run reads: a duration (`30m`), or Elastic date math as written (`now-30m`). */
  lookback?: string;
  trigger?: string;
  /** How long alerts of one key are merged into one (Panther `DedupPeriodMinutes`): not a look-back. */
  dedup?: string;
}

/** A span of a file's text: UTF-16 offsets, `start` included, `end` excluded (like prettier's locStart / locEnd). */
export interface TextRange {
  start: number;
  end: number;
}

/** A rule as a format reads it from a file, before its query is analysed. */
/**
 * UDM name → the log fields it stands for under a rule's log types (several when they differ); an
 * entry may name the log types whose model gives it (`event.udm()` reads only the event's own).
 */
export type DataModelTable = Record<string, (string | DataModelField)[]>;

/** A data model's field (or `method:` / `udm:` reference) and the log types whose model maps the name so. */
interface DataModelField {
  field: string;
  logTypes: string[];
}

/**
 * What a rule's format knows that changes how its query is analysed, handed to the language with
 * the query (`QueryLanguage.analyse(query, context)`). The same text may read differently under
 * another context, so the analysis cache and a sync's reuse of a stored analysis key on it too.
 */
export interface AnalysisContext {
  /** Platform id (`panther`, `sentinel` ...). */
  platform: string;
  /** Log sources the format declares (`logtype:Okta.SystemLog`, Elastic index patterns ...). */
  declaredSources: readonly string[];
  /** Panther: the data model of the rule's LogTypes, for `event.udm("name")`. */
  dataModel?: DataModelTable;
  /** Panther: the source's helper modules the rule's Python imports, by module name → their text (PythonModules). */
  pythonModules?: PythonModules;
  /**
   * Panther: one test's `Mocks` (objectName → returnValue), the names of the rule's module that test
   * gives a value: the rule read as that test runs it (catalog/mocked-tests.ts), never the catalog's.
   */
  mocks?: Record<string, unknown>;
}

/** Python modules of a rule's source (Panther `global_helpers`), by module name (`panther_base_helpers`) → source text. */
export type PythonModules = Record<string, string>;

export interface RawRule {
  nativeId: string;
  /** Platform id from the platform registry (`sentinel`, `elastic` ...). */
  platform: string;
  /** Format id from the format registry. */
  format: string;
  /** Language id from the language registry; `none` for rules without a query. */
  language: string;
  name: string;
  description: string;
  severity: string;
  type: string;
  status: string;
  authors: string[];
  created?: string;
  updated?: string;
  version?: string;
  references: string[];
  tags: string[];
  /** Connectors, data types, index patterns, integrations: where the data comes from. */
  dataSources: string[];
  schedule?: Schedule;
  /** ATT&CK as the file writes it: tactic ids or names, technique ids. */
  attackRaw: {
    tactics: string[];
    techniques: string[];
    /** Tactics a technique is filed under, where the format pairs them (Elastic threat entries). */
    techniqueTactics?: Record<string, string[]>;
  };
  query: string;
  /** 1-based line in the file where the query starts, for diagnostics. */
  queryLine?: number;
  /** Where the query sits in its file (the rule's body), as its format read it: absent when the query is not in the file. */
  queryRange?: TextRange;
  /** Output fields the format declares (entityMappings, customDetails ...). */
  declaredOutputs: OutputField[];
  /** Log sources the format declares (Elastic index patterns ...). */
  declaredSources: string[];
  /** The data model the query's `event.udm(...)` calls read (Panther), part of its AnalysisContext. */
  dataModel?: DataModelTable;
  /** The helper modules the query imports from its source (Panther), part of its AnalysisContext. */
  pythonModules?: PythonModules;
  /** Investigation guide or runbook, as prose (Elastic `note`, Panther `Runbook`). */
  guide?: string;
  /** How to set up the data the rule needs (Elastic `setup`, Splunk `how_to_implement`). */
  setup?: string;
  /** Format-specific fields kept verbatim (requiredDataConnectors, threshold, risk_score ...). */
  extra: Record<string, unknown>;
  diagnostics: Diagnostic[];
}

export interface DuplicateInfo {
  /** Ids of the other files that carry the same native id: the newest first, at most `maxDuplicateOthers`. */
  others: string[];
  /** How many files carry the native id, this one included, when `others` lists only some of them. */
  copies?: number;
  /** True when this copy is the newest of the group. */
  newest: boolean;
}

/** A fully analysed rule, as stored and served. */
export interface Rule extends Omit<RawRule, 'attackRaw' | 'declaredOutputs' | 'declaredSources' | 'dataModel' | 'pythonModules'> {
  id: string;
  /** Path relative to the --source folder it was found in. */
  path: string;
  /** Name of the source (folder) it came from. */
  sourceName: string;
  body: string;
  attack: AttackCoverage;
  stages: Stage[];
  sources: string[];
  parsed: boolean;
  indicators: Indicator[];
  /** Fields the query relates to other fields or placeholders (join keys, YARA-L `$user`): correlations, not values, so never indicators. */
  correlations?: Correlation[];
  events: EventRef[];
  /** Event patterns not yet expanded (the corpus step adds the events they match to `events`). */
  eventPatterns?: EventPattern[];
  /**
   * Native ids of the rules on the same platform whose alerts this rule correlates (a Panther
   * correlation rule's members, absent ones left out): the corpus pass adds their events to
   * `events`, each `via` `rule <native id>`.
   */
  inheritsEventsFrom?: string[];
  outputFields: OutputField[];
  sameAction: { id: string; name: string; platform: string }[];
  /** Rules sharing canonical indicators and techniques, best first. */
  similar?: SimilarRule[];
  duplicates?: DuplicateInfo;
  /** Set by `sync`: the rule's file (or the rule) is gone upstream; kept, shown as removed. */
  removed?: boolean;
  /** Set by `sync`: when the rule was added, changed (its file's content changed) or removed. */
  history?: HistoryEntry[];
  /** When the rule's file last changed upstream, where known (sync/file-dates.ts). */
  fileDate?: FileDate;
}

/** A file's last change: its last commit in a git work tree with history (`git`), else its modification time (`file`). */
export interface FileDate {
  /** ISO 8601. */
  date: string;
  from: 'git' | 'file';
}

export interface HistoryEntry {
  change: 'added' | 'changed' | 'removed';
  /** The source's commit at that sync; empty for folder sources. */
  commit: string;
  /** The commit date (ISO 8601), or the sync time for folder sources. */
  date: string;
  /** Which sync (1, 2 ...) saw the change. */
  sync: number;
}

/** A file that yielded no rule, with the reason. */
export interface FileError {
  path: string;
  reason: string;
  /** The file had this error, yet its rules were read (with a diagnostic saying what was lost). */
  partial?: boolean;
}
