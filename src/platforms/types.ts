// What a platform is: its name, the log schema its queries are written against, and how its rules name the
// log sources you collect. One folder per platform holds its `PlatformInfo`; `registry.ts` lists them.

/** A kind of log source a rule can read and "my log sources" can name (`table:SigninLogs`, `index:logs-okta*` ...). */
export type LogSourceKind = 'table' | 'index' | 'sourcetype' | 'logtype';

/** How some of a platform's rule `sources` are log sources of one kind. */
export interface LogSourceReading {
  kind: LogSourceKind;
  /**
   * Which sources are of this kind: `every` one; `prefixed`, those written `<kind>:<value>` (the value after
   * it, not empty); `index-pattern`, those that look like index patterns (`-`, `*` or `.`, no `:`), not
   * the EQL event categories (`process`, `any`) that sit beside them.
   */
  written: 'every' | 'prefixed' | 'index-pattern';
  /** A `dataset:` entry names such a source too, as the index `logs-<dataset>-<namespace>` (Elastic data streams). */
  dataset?: boolean;
}

export interface PlatformInfo {
  /** Stable id used in rule JSON and rule ids (`sentinel`, `elastic` ...). */
  id: string;
  /** Name shown to people. */
  name: string;
  /**
   * The log schema its queries are written against (`azure-monitor` tables, `ecs` fields ...).
   * Provider mappings are keyed by schema, so platforms sharing one share the mapping.
   */
  schema: string;
  /**
   * Which of its rules' sources are tables, indexes, sourcetypes or log types, for "my log sources"
   * (coverage/log-sources.ts); the first reading that takes a source names its kind. Empty: its rules are
   * judged by their providers only (Sigma's logsource parts, UDM log types are no collectable name).
   */
  logSources: readonly LogSourceReading[];
  /** How its rule types are written for people, by the type as rules store it (Splunk's are stored lower case). */
  ruleTypeNames?: Readonly<Record<string, string>>;
}
