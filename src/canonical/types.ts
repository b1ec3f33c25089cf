/**
 * Where a schema's field lands in the shared vocabulary (vocabulary.ts). A string names the
 * canonical field; `null` says the field has no canonical meaning here (used by `bySource`
 * to take back a default that does not hold for that log source).
 */
export type CanonicalTarget =
  | string
  | null
  | {
      field: string;
      /** Read an `eq` as this operator: Elastic `process.args` holds one token of the command line. */
      eqAs?: 'contains';
    };

/** One schema's fields in the shared vocabulary. Field names compare without case. */
export interface CanonicalFieldMap {
  /** Log schema id, as in PlatformInfo.schema. */
  schema: string;
  /** Native field → canonical field, whatever log the rule reads. */
  fields: Record<string, CanonicalTarget>;
  /**
   * Fields whose meaning depends on the log: a rule whose sources match one of `sources` (globs,
   * case-insensitive) reads `fields` this way. When a rule reads several logs that disagree on a
   * field, the field has no canonical form (rather than a guess).
   */
  bySource?: { sources: string[]; fields: Record<string, CanonicalTarget> }[];
  /** Prefixes dropped before the lookup when the full name is not listed (Splunk datamodel names). */
  prefixes?: string[];
  /** Suffixes dropped before the lookup (`.caseless`, `.text` multi-fields). */
  suffixes?: string[];
}
