import type { EventPattern, EventRef, Predicate, PredicateNode, Stage } from '../model/types.js';
import type { ProviderSelector, ProviderSpec } from '../providers/types.js';
import { compileGlob } from '../model/glob.js';

/**
 * Positive predicates a rule states, outside every `not`: under one, even a doubly negated test
 * (`not (a and not resource: pods)`) only says which rows are let through, not what the rule watches.
 */
function positivePredicates(stages: Stage[]): Predicate[] {
  const out: Predicate[] = [];
  const walk = (node: PredicateNode | undefined) => {
    if (!node) return;
    if (node.kind === 'pred') {
      // A test on a piece of the field (`split(".")[-1]`) says what the piece is, not the field's name.
      if (!node.predicate.negated && node.predicate.piece === undefined) out.push(node.predicate);
    } else if (node.kind === 'and' || node.kind === 'or') node.children.forEach(walk);
    else if (node.kind === 'some') walk(node.child);
  };
  for (const stage of stages) walk(stage.condition);
  return out;
}

/**
 * For each predicate under an `and` (directly, or in an `or` of predicates only, as
 * `field IN ("a*", "b*")` reads), the other children of that `and`, each as its alternatives.
 */
function andSiblings(stages: Stage[]): Map<Predicate, Predicate[][]> {
  const out = new Map<Predicate, Predicate[][]>();
  const walk = (node: PredicateNode | undefined) => {
    if (!node) return;
    if (node.kind === 'and') {
      const groups = node.children.flatMap((c) => {
        if (c.kind === 'pred') return [[c.predicate]];
        if (c.kind === 'or' && c.children.every((x) => x.kind === 'pred'))
          return [c.children.map((x) => (x as { predicate: Predicate }).predicate)];
        return [];
      });
      for (const g of groups)
        for (const p of g)
          out.set(
            p,
            groups.filter((o) => o !== g),
          );
      node.children.forEach(walk);
    } else if (node.kind === 'or') node.children.forEach(walk);
  };
  for (const stage of stages) walk(stage.condition);
  // Consecutive filters of one pipeline (`| where f has_any ("Remove") | where f contains "Phish"`)
  // hold together: one `and`.
  let run: PredicateNode[] = [];
  let depth: number | undefined;
  for (const stage of [...stages, undefined]) {
    const filter = stage?.condition && ROW_FILTERS.has(stage.kind) && stage.variable === undefined ? stage.condition : undefined;
    if (filter && stage!.depth === depth && run.length > 0) {
      run.push(filter);
      continue;
    }
    if (run.length > 1) walk({ kind: 'and', children: run.flatMap((c) => (c.kind === 'and' ? c.children : [c])) });
    run = filter ? [filter] : [];
    depth = stage?.depth;
  }
  return out;
}

/** Stages that only keep the rows their condition holds for, in every language's naming. */
const ROW_FILTERS = new Set(['where', 'filter', 'having', 'qualify']);

/**
 * Values a rule excludes outright: a negated `eq` / `in` that every row must pass (a conjunct of a
 * main stage's condition), by field (lower-cased). No event whose field holds one can match, so an
 * early `if f in REMOVALS: return False` takes those names out of a later `f in ACTIONS`.
 */
function excludedValues(stages: Stage[]): Map<string, ((v: string) => boolean)[]> {
  const out = new Map<string, ((v: string) => boolean)[]>();
  for (const stage of stages) {
    if (!stage.condition || (stage.depth ?? 0) > 0 || stage.excludedSide !== undefined || stage.variable !== undefined) continue;
    const conjuncts = stage.condition.kind === 'and' ? stage.condition.children : [stage.condition];
    for (const c of conjuncts) {
      // `f not in X`: a negated predicate, or a `not` over a plain one.
      const node = c.kind === 'not' && c.child.kind === 'pred' && !c.child.predicate.negated ? c.child : c;
      if (node.kind !== 'pred' || (node === c && !node.predicate.negated)) continue;
      const p = node.predicate;
      if ((p.op !== 'eq' && p.op !== 'in') || p.piece !== undefined || p.transform || p.logTypes) continue;
      const fold = (v: string) => (p.caseSensitive ? v : v.toLowerCase());
      const values = new Set(p.values.filter((v) => v !== null).map((v) => fold(String(v))));
      const key = p.field.toLowerCase();
      out.set(key, [...(out.get(key) ?? []), (v) => values.has(fold(v))]);
    }
  }
  return out;
}

const glob = (pattern: string) => compileGlob(pattern, true);

const eventPatterns = new Map<string, RegExp>();
/** A selector's eventPattern, compiled once (ruleEventsOf runs for every rule). */
function eventPatternOf(selector: ProviderSelector): RegExp | undefined {
  const source = selector.eventPattern;
  if (source === undefined) return undefined;
  let re = eventPatterns.get(source);
  if (!re) eventPatterns.set(source, (re = new RegExp(source)));
  return re;
}

/**
 * A rule's source selects a selector's pattern when, with its own trailing wildcards dropped,
 * it matches the pattern: `logs-okta*` selects `logs-okta*`, while `logs-*` or `filebeat-*` do not.
 */
function sourceMatches({ source, concrete }: RuleSource, pattern: string): boolean {
  return (concrete.length > 0 && glob(pattern).test(concrete)) || glob(pattern).test(source);
}

/** A rule's source and the same without its trailing wildcards: made once a rule, not once per selector pattern. */
interface RuleSource {
  source: string;
  concrete: string;
}
const ruleSource = (source: string): RuleSource => ({ source, concrete: source.replace(/[-.]?\*+$/, '') });

// A word match (`has`: a term on an analysed text field) selects a log as an equality does.
const selectorOps = new Set(['eq', 'in', 'wildcard', 'has', 'has_any']);
const eventOps = new Set(['eq', 'in', 'has', 'has_any']);

function selects(selector: ProviderSelector, sources: RuleSource[], preds: Predicate[]): boolean {
  if (selector.sources?.some((pattern) => sources.some((s) => sourceMatches(s, pattern)))) return true;
  return (selector.where ?? []).some((w) =>
    preds.some(
      (p) =>
        selectorOps.has(p.op) &&
        p.field.toLowerCase() === w.field.toLowerCase() &&
        p.values.some((v) => v !== null && w.values.some((wanted) => glob(wanted).test(String(v)))),
    ),
  );
}

/**
 * Whether a predicate speaks of the selector's log: one a data model gave (Predicate.logTypes) only
 * of a log whose selector reads one of those log types (a Panther rule over several models names
 * Box's event values through Box's model, never Asana's).
 */
function readsLogOf(selector: ProviderSelector, p: Predicate): boolean {
  if (!p.logTypes) return true;
  const logTypes = p.logTypes;
  return (
    (selector.sources ?? []).some((pattern) => logTypes.some((t) => glob(pattern).test(`logtype:${t}`))) ||
    (selector.where ?? []).some(
      (w) => w.field.toLowerCase() === 'p_log_type' && logTypes.some((t) => w.values.some((wanted) => glob(wanted).test(t))),
    )
  );
}

const rewriteCache = new Map<string, RegExp>();

/** The provider's one spelling of an event name (ProviderSpec.normalise). */
export function normaliseEvent(provider: ProviderSpec, name: string): string {
  for (const { match, replace } of provider.normalise ?? []) {
    let re = rewriteCache.get(match);
    if (!re) rewriteCache.set(match, (re = new RegExp(match)));
    name = name.replace(re, replace);
  }
  return name;
}

/** A wildcard the normalisers turn into a name without wildcards (`google.iam.admin.v*.SetIAMPolicy`). */
function exactWildcard(provider: ProviderSpec, p: Predicate, value: string): string | undefined {
  if (p.op !== 'wildcard' || !provider.normalise) return undefined;
  const name = normaliseEvent(provider, value);
  return name !== value && !/[*?]/.test(name) ? name : undefined;
}

/**
 * Operators that name events by a pattern, expanded later against known event names. KQL's
 * `has` looks for whole terms: `has "Add service principal"` matches `Add service principal
 * credentials` too, so its value is a pattern, not a name.
 */
const patternOps = new Set(['contains', 'startswith', 'endswith', 'hasprefix', 'hassuffix', 'wildcard', 'regex', 'has', 'has_any']);

export interface RuleEvents {
  events: EventRef[];
  /** Patterns over event fields, for the corpus step (analysis/event-patterns). */
  patterns: EventPattern[];
  /** The event fields (lower-cased) of the providers whose log the rule selects, each with those providers. */
  eventFields: Map<string, ProviderSpec[]>;
}

/**
 * Events a rule watches: for each provider whose log it selects, the event names it compares the
 * provider's event fields with, and the patterns (startswith, wildcard, regex ...) it matches them by.
 */
export function ruleEventsOf(stages: Stage[], sources: string[], schema: string, providers: readonly ProviderSpec[]): RuleEvents {
  const variables = stages.filter((s) => s.variable !== undefined);
  if (variables.length > 1) return perEventVariable(variables, sources, schema, providers);
  const allPreds = positivePredicates(stages);
  let siblings: Map<Predicate, Predicate[][]> | undefined;
  const events: EventRef[] = [];
  const patterns: EventPattern[] = [];
  const eventFields = new Map<string, ProviderSpec[]>();
  const seen = new Set<string>();
  const ruleSources = sources.map(ruleSource);
  const addEvent = (provider: string, event: string) => {
    const key = `${provider}\u0000${event.toLowerCase()}`;
    if (seen.has(key)) return;
    seen.add(key);
    events.push({ provider, event });
  };
  const addPattern = (p: EventPattern) => {
    const key = `${p.provider}\u0000${p.op}\u0000${p.nativeOp}\u0000${p.value}\u0000${JSON.stringify(p.and ?? [])}`;
    if (seen.has(key)) return;
    seen.add(key);
    patterns.push(p);
  };
  const excluded = excludedValues(stages);
  const isExcluded = (field: string, value: string) => excluded.get(field.toLowerCase())?.some((test) => test(value)) ?? false;
  for (const provider of providers) {
    for (const selector of provider.selectors[schema] ?? []) {
      const preds = allPreds.some((p) => p.logTypes) ? allPreds.filter((p) => readsLogOf(selector, p)) : allPreds;
      if (!selects(selector, ruleSources, preds)) continue;
      for (const event of selector.events ?? []) addEvent(provider.id, normaliseEvent(provider, event));
      if (selector.aliases) for (const event of aliasedEvents(selector.aliases, preds)) addEvent(provider.id, event);
      const pattern = eventPatternOf(selector);
      if (selector.eventParts) {
        for (const { name, firsts } of composedEvents(selector.eventParts, stages, preds, (p) => readsLogOf(selector, p))) {
          if (pattern && !pattern.test(name)) continue;
          if (firsts) addPattern({ provider: provider.id, op: 'wildcard', value: name, nativeOp: 'parts', and: [firsts] });
          else if (name.includes('*')) addPattern({ provider: provider.id, op: 'wildcard', value: name, nativeOp: 'parts' });
          else addEvent(provider.id, name);
        }
      }
      const fields = new Set(selector.eventFields.map((f) => f.toLowerCase()));
      for (const field of fields) {
        const list = eventFields.get(field);
        if (!list) eventFields.set(field, [provider]);
        else if (!list.includes(provider)) list.push(provider);
      }
      for (const p of preds) {
        if (!fields.has(p.field.toLowerCase())) continue;
        const byPattern = patternOps.has(p.op);
        if (!byPattern && !eventOps.has(p.op)) continue;
        for (const v of p.values) {
          if (v === null || v === '') continue;
          const value = String(v);
          if (!byPattern && isExcluded(p.field, value)) continue;
          const exact = byPattern ? exactWildcard(provider, p, value) : undefined;
          if (exact !== undefined) {
            if (!pattern || pattern.test(value)) addEvent(provider.id, exact);
          } else if (byPattern) {
            const found: EventPattern = { provider: provider.id, op: p.op === 'has_any' ? 'has' : p.op, value, nativeOp: p.nativeOp };
            if (selector.eventPattern) found.eventPattern = selector.eventPattern;
            if (selector.knownOnly) found.knownOnly = true;
            siblings ??= andSiblings(stages);
            // Only groups that test this field by patterns alone narrow the names.
            const and = (siblings.get(p) ?? [])
              .filter((g) => g.every((q) => !q.negated && patternOps.has(q.op) && fields.has(q.field.toLowerCase())))
              .map((g) => g.flatMap((q) => q.values.map((x) => ({ op: q.op, value: String(x), nativeOp: q.nativeOp }))));
            if (and.length) found.and = and;
            addPattern(found);
          } else if (pattern && !pattern.test(value)) continue;
          else if (selector.knownOnly)
            addPattern({ provider: provider.id, op: 'eq', value: normaliseEvent(provider, value), nativeOp: p.nativeOp, knownOnly: true });
          else addEvent(provider.id, normaliseEvent(provider, value));
        }
      }
    }
  }
  return { events, patterns, eventFields };
}

/**
 * A rule of several event variables (YARA-L `$e1`, `$e2`: Stage.variable) watches each variable's
 * events, read from that variable's own predicates and sources (and the sources no variable names,
 * such as declared ones): one event's vendor never selects the log of another's event name. A
 * variable naming no log of its own (only a UDM event type, or nothing) is taken to be in the logs
 * its rule reads (an Okta sign-on joined to an Okta policy event by session).
 */
/** A source that names a log (a YARA-L log type, product or vendor), not a kind of event (`event_type:USER_LOGIN`). */
const LOG_SOURCE = /^(?:log_type|product|vendor):/;

function perEventVariable(variables: Stage[], sources: string[], schema: string, providers: readonly ProviderSpec[]): RuleEvents {
  const named = new Set(variables.flatMap((s) => s.sources ?? []));
  const common = sources.filter((s) => !named.has(s));
  const out: RuleEvents = { events: [], patterns: [], eventFields: new Map() };
  const seen = new Set<string>();
  for (const stage of variables) {
    const { variable: _alone, ...single } = stage;
    const namesLog = stage.sources?.some((s) => LOG_SOURCE.test(s)) ?? false;
    const own = ruleEventsOf([single], namesLog ? [...new Set([...stage.sources!, ...common])] : sources, schema, providers);
    for (const e of own.events) {
      const key = `${e.provider}\u0000${e.event.toLowerCase()}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.events.push(e);
    }
    for (const p of own.patterns) {
      const key = JSON.stringify(p);
      if (seen.has(key)) continue;
      seen.add(key);
      out.patterns.push(p);
    }
    for (const [field, list] of own.eventFields) {
      const known = out.eventFields.get(field);
      if (!known) out.eventFields.set(field, [...list]);
      else for (const provider of list) if (!known.includes(provider)) known.push(provider);
    }
  }
  return out;
}

/** Events a rule names through another field's values (ProviderSelector.aliases). */
function aliasedEvents(aliases: NonNullable<ProviderSelector['aliases']>, preds: Predicate[]): string[] {
  const fields = new Set(aliases.fields.map((f) => f.toLowerCase()));
  const out: string[] = [];
  for (const p of preds) {
    if (!eventOps.has(p.op) || !fields.has(p.field.toLowerCase())) continue;
    for (const v of p.values) {
      const key = String(v ?? '').toLowerCase();
      if (Object.hasOwn(aliases.names, key)) out.push(...aliases.names[key]!);
    }
  }
  return out;
}

/** Most names one rule's parts may combine into: a cross product of long lists says little. */
const maxParts = 64;

/**
 * The ways a rule's conditions can hold, each as the positive predicates on `fields` it asks for
 * together: the stages' conditions (all applying) projected on those fields and multiplied out,
 * `or` giving alternatives and `and` combining them. Undefined past `limit` ways.
 */
function conjunctionsOn(
  stages: Stage[],
  fields: ReadonlySet<string>,
  limit: number,
  applies: (p: Predicate) => boolean,
): Predicate[][] | undefined {
  // Ways asking for the same predicates are one (an `or` of fields the parts do not read gives many empty ones).
  const distinct = (ways: Predicate[][]) => {
    const seen = new Set<string>();
    const ids = new Map<Predicate, number>();
    const id = (p: Predicate) => ids.get(p) ?? (ids.set(p, ids.size), ids.size - 1);
    return ways.filter((w) => {
      const key = [...new Set(w.map(id))].sort((a, b) => a - b).join(',');
      return !seen.has(key) && seen.add(key);
    });
  };
  const product = (a: Predicate[][], b: Predicate[][]) => distinct(a.flatMap((x) => b.map((y) => [...x, ...y])));
  const ways = (node: PredicateNode | undefined): Predicate[][] | undefined => {
    if (node?.kind === 'pred') {
      const p = node.predicate;
      // Another log's data-model test holds on none of this log's events (its negation on all).
      if (!applies(p)) return p.negated ? [[]] : [];
      return !p.negated && p.piece === undefined && fields.has(p.field.toLowerCase()) ? [[p]] : [[]];
    }
    if (node?.kind !== 'and' && node?.kind !== 'or') return [[]];
    let out: Predicate[][] | undefined = node.kind === 'and' ? [[]] : [];
    for (const child of node.children) {
      const w = ways(child);
      out = w && (node.kind === 'and' ? product(out, w) : distinct([...out, ...w]));
      if (!out || out.length > limit) return undefined;
    }
    return out;
  };
  let all: Predicate[][] | undefined = [[]];
  for (const stage of stages) {
    const w = ways(stage.condition);
    all = w && product(all, w);
    if (!all || all.length > limit) return undefined;
  }
  return all;
}

/**
 * Events named by several fields: per way the rule can match (conjunctionsOn), every combination
 * of the values that way gives each part, so that `(verb: create and resource: csr) or (verb:
 * update and subresource: approval)` names `create csr` and `update csr/approval`, never `create
 * csr/approval`. Past a bound of ways, every value the rule gives each part (preds).
 */
function composedEvents(
  parts: NonNullable<ProviderSelector['eventParts']>,
  stages: Stage[],
  preds: Predicate[],
  applies: (p: Predicate) => boolean,
): Composed[] {
  const fields = new Set(parts.flatMap((part) => part.fields.map((f) => f.toLowerCase())));
  const ways = conjunctionsOn(stages, fields, maxParts, applies) ?? [preds];
  const names = new Map<string, Composed>();
  for (const way of ways) for (const c of composedFrom(parts, way)) names.set(`${c.name}\u0000${JSON.stringify(c.firsts ?? [])}`, c);
  return [...names.values()];
}

/**
 * A composed name, or, when the first part's values are too many to multiply out with the rest
 * (six verbs on seventeen resources), a pattern with that part as `*` and its values as what the
 * name must start with (`* secrets` starting `get ` or `list ` ...), expanded later against known names.
 */
interface Composed {
  name: string;
  firsts?: { op: 'startswith'; value: string; nativeOp: string }[];
}

/** Every combination of the values `preds` give each part. */
function composedFrom(parts: NonNullable<ProviderSelector['eventParts']>, preds: Predicate[]): Composed[] {
  const valuesOf = parts.map((part) => {
    const fields = new Set(part.fields.map((f) => f.toLowerCase()));
    const values = new Set<string>();
    for (const p of preds) {
      if (!eventOps.has(p.op) || !fields.has(p.field.toLowerCase())) continue;
      for (const v of p.values) if (v !== null && v !== '') values.add(String(v).toLowerCase());
    }
    return values;
  });
  const names = multiplied(parts, valuesOf);
  if (names) return names.map((name) => ({ name }));
  // Too many combinations: the first part's values become a condition on the name's start.
  const first = valuesOf[0]!;
  const next = parts.findIndex((part, i) => i > 0 && (valuesOf[i]!.size > 0 || part.missing !== 'omit'));
  if (first.size < 2 || next < 0) return [];
  const starts = [...first].map((v) => ({ op: 'startswith' as const, value: `${v}${parts[next]!.before ?? ' '}`, nativeOp: 'parts' }));
  return (multiplied(parts, [new Set(['*']), ...valuesOf.slice(1)]) ?? []).map((name) => ({ name, firsts: starts }));
}

/** The names the parts' values multiply out to, or undefined past maxParts. */
function multiplied(parts: NonNullable<ProviderSelector['eventParts']>, valuesOf: Set<string>[]): string[] | undefined {
  let names = [''];
  let anchored = !parts.some((part) => part.anchor);
  for (const [i, part] of parts.entries()) {
    const values = new Set(valuesOf[i]);
    if (values.size === 0) {
      if (part.missing === 'omit') continue;
      if (part.missing !== 'any') return [];
      values.add('*');
    } else if (part.anchor) anchored = true;
    names = names.flatMap((n) => [...values].map((v) => `${n}${n ? (part.before ?? ' ') : ''}${v}`));
    if (names.length > maxParts) return undefined;
  }
  return names[0] === '' || !anchored ? [] : names;
}

/** Events a rule names exactly (see ruleEventsOf for the patterns too). */
export function eventsOf(stages: Stage[], sources: string[], schema: string, providers: readonly ProviderSpec[]): EventRef[] {
  return ruleEventsOf(stages, sources, schema, providers).events;
}
