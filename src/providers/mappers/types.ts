/**
 * An event mapper: one provider's raw event (the vendor's own log record) written in each platform's
 * schema, so that one event can be tried on every platform's rules for that provider (evaluate/map-event.ts).
 * Data, not code: field names come from the rules that read them and from the platforms' published
 * schemas. What a mapper cannot fill (a value the platform's collector derives, enriches or renames
 * per event type) it leaves out; a rule reading it then sees a missing field.
 */

/** Where a mapped field's value comes from: a dotted path into the raw event, or a constant. */
export type FieldSource =
  | string
  /** The first of these paths the event has (the same field as two exports spell it: `logName`, Panther's `logname`). */
  | string[]
  | {
      /** A dotted path into the raw event (through an array, each element's value); of several, the first the event has. */
      from: string | string[];
      /**
       * `lowercase` (ECS `event.outcome`), `string` (a number as text), `json` (a whole object or array as
       * JSON text), `name-value` (a list of `{Name, Value}` items as one object: Office 365 `Parameters`),
       * `basename` (a Windows or POSIX path's last part: `process.name` from `Image`), `windows-args` (a
       * command line split as Windows splits it, CommandLineToArgvW: Elastic's `process.args`).
       */
      as?: 'lowercase' | 'string' | 'json' | 'name-value' | 'basename' | 'windows-args';
      /** Values renamed (compared without case); a value not listed is left out. */
      values?: Record<string, string>;
      /** Only values whose text matches this regex (ECS `source.ip` holds an address, not `AWS Internal`). */
      matches?: string;
      /** The value when the path gives none (Elastic's Office 365 pipeline: an outcome it cannot read is a success). */
      otherwise?: string;
    }
  | { value: string | number | boolean }
  /** One value when the path is present (and not null), another when not (CloudTrail: an `errorCode` is a failure). */
  | { ifPresent: string; then: string; else: string };

/** How a platform keeps a JSON record's nested fields when no field is listed for them. */
export type Flattening =
  /** The record as is (Panther, Sigma: rules name the vendor's own fields). */
  | 'raw'
  /**
   * Log Analytics custom logs (the HTTP Data Collector API, Sentinel `*_CL` tables and `OktaSSO`):
   * nested keys joined by `_`, each column suffixed by its type (`_s` text, `_d` number, `_b`
   * boolean, `_t` an ISO 8601 date, `_g` a GUID); an array is one `_s` column holding its JSON.
   */
  | 'log-analytics'
  /** Splunk's JSON extraction (`spath`, KV_MODE=json): nested keys joined by `.`, array items as `name{}`. */
  | 'spath';

/** The raw event written in one platform schema. */
export interface MapTarget {
  /** The log schema (platforms/registry `schema`): only rules of platforms on this schema are tried on it. */
  schema: string;
  /** Only events whose paths hold one of these values (without case): a table or dataset that holds one kind of event. */
  when?: Record<string, string[]>;
  /** The logs the mapped event is of (a Sentinel table, an Elastic dataset, a Sigma logsource path, a sourcetype): one mapped event each. */
  logs: string[];
  /** What the raw event's own fields become before `fields` are added (none when left out). */
  flatten?: Flattening;
  /** Every field of the raw event (of a Windows event, its EventData) also under this prefix, nested (ECS `winlog.event_data.`). */
  copyUnder?: string;
  /** Target field (dotted: nested objects in the mapped event) → its source. */
  fields?: Record<string, FieldSource>;
}

/** How a raw event of the provider is told by its shape: every path present, values matching. */
interface EventShape {
  has: string[];
  /** Path → values one of which it must equal (without case). */
  equals?: Record<string, string[]>;
  /** Path → a regex its text must match. */
  matches?: Record<string, string>;
}

export interface EventMapper {
  /** The provider's id (providers/<id>.ts). */
  provider: string;
  /** Log names that say an event is the provider's raw log (`--log-type`, a Panther `p_log_type`); compared without case. */
  logs: string[];
  /** Shapes of the raw event; any one recognises it. */
  shapes: EventShape[];
  /** The raw event is a Windows event (`Event.System` + `Event.EventData`, or flat): shapes and paths read it flattened. */
  windowsEvent?: boolean;
  targets: MapTarget[];
}
