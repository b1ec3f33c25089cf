/**
 * How one platform's rules select a provider's log and where the event name sits.
 * A rule selects the log when one of its sources matches `sources` or one of its positive
 * predicates matches `where`; its events are then the values it compares `eventFields` with.
 */
export interface ProviderSelector {
  /** Globs over the rule's log sources: KQL tables and functions, Elastic index patterns. */
  sources?: string[];
  /** Field-and-value predicates that select the log, such as `event.dataset: okta.system`. */
  where?: { field: string; values: string[] }[];
  /** Fields that carry the event name (case-insensitive). */
  eventFields: string[];
  /**
   * Instead of one field, an event named by several together, joined in order (Kubernetes:
   * `create pods/exec` from verb, resource and subresource). A part the rule leaves out is
   * `omit`ted, stands for `any` value (the event is then a pattern), or else gives no event.
   * When some parts are `anchor`s, a rule must give one of them: a verb alone names no action.
   */
  eventParts?: { fields: string[]; before?: string; missing?: 'omit' | 'any'; anchor?: boolean }[];
  /** Events the selection alone implies: a log (Sigma `ps_script`) that holds one event only. */
  events?: string[];
  /**
   * Values of other fields that stand for events: Elastic names Windows Security events by
   * `event.action` too (`added-member-to-group` is 4728, 4732 and 4756). Keys compare without case.
   */
  aliases?: { fields: string[]; names: Record<string, string[]> };
  /**
   * The log is shared by many products (Defender XDR's CloudAppEvents): a value names this
   * provider's event only when the vocabulary knows it (analysis/event-patterns), not as written.
   */
  knownOnly?: boolean;
  /** A value (or composed name) must match this to count as an event name (Windows event ids are four digits). */
  eventPattern?: string;
}

export interface ProviderSpec {
  /** Stable id used in rule JSON (`okta`, `aws-cloudtrail` ...). */
  id: string;
  name: string;
  /**
   * Event names the provider is known to log, beyond those rules name exactly: rule patterns
   * (`startswith`, wildcards, regexes) over event fields are expanded against both.
   */
  knownEvents?: string[];
  /**
   * Rewrites that make one spelling of each event, applied in order to every name a rule gives
   * (and to wildcards, which may become exact names): a gRPC method's package prefix, the
   * trailing period another log adds. `match` is a regex, `replace` its replacement.
   */
  normalise?: { match: string; replace: string }[];
  /** Selectors per log schema (`azure-monitor`, `ecs` ...); see PlatformInfo.schema. */
  selectors: Record<string, ProviderSelector[]>;
}
