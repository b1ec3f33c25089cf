import { canonicalFieldMaps } from '../canonical/registry.js';
import type { CanonicalFieldMap, CanonicalTarget } from '../canonical/types.js';
import { anyHash, byValue, hashByLength, nameFields, nameOfPath, switchFields, volumePrefix } from '../canonical/vocabulary.js';
import type { CanonicalIndicator, Indicator, Operator } from '../model/types.js';
import { compileGlob, type Glob } from '../model/glob.js';
import type { ProviderSpec } from '../providers/types.js';
import { normaliseEvent } from './events.js';

// Indicators in the shared field vocabulary (src/canonical), with values normalised so that equal
// intent compares equal: `Image endswith \certutil.exe`, `process.executable : *\\certutil.exe` and
// `FileName =~ "Certutil.exe"` (process table) all become `process.name eq certutil.exe`.

type Target = Exclude<CanonicalTarget, null | string>;

interface CompiledMap {
  fields: Map<string, Target | null>;
  bySource: { sources: Glob[]; fields: Map<string, Target | null> }[];
  prefixes: string[];
  suffixes: string[];
}

const toTarget = (t: CanonicalTarget): Target | null => (t === null || typeof t !== 'string' ? t : { field: t });
const lowerKeys = (fields: Record<string, CanonicalTarget>) =>
  new Map(Object.entries(fields).map(([k, v]) => [k.toLowerCase(), toTarget(v)] as const));

const glob = (pattern: string) => compileGlob(pattern, true);

function compile(map: CanonicalFieldMap): CompiledMap {
  return {
    fields: lowerKeys(map.fields),
    bySource: (map.bySource ?? []).map((b) => ({ sources: b.sources.map(glob), fields: lowerKeys(b.fields) })),
    prefixes: (map.prefixes ?? []).map((p) => p.toLowerCase()).sort((a, b) => b.length - a.length),
    suffixes: (map.suffixes ?? []).map((s) => s.toLowerCase()),
  };
}

const compiled = new Map(canonicalFieldMaps.map((m) => [m.schema, compile(m)]));

/** The field lookup for one rule: the schema's fields, with what its log sources say first. */
function resolver(map: CompiledMap, sources: string[]): (field: string) => Target | null | undefined {
  const overrides = new Map<string, Target | null>();
  const conflicting = new Set<string>();
  for (const entry of map.bySource) {
    if (!entry.sources.some((re) => sources.some((s) => re.test(s)))) continue;
    for (const [field, target] of entry.fields) {
      const known = overrides.get(field);
      if (known === undefined && !overrides.has(field)) overrides.set(field, target);
      else if ((known?.field ?? null) !== (target?.field ?? null)) conflicting.add(field);
    }
  }
  for (const field of conflicting) overrides.set(field, null);
  const look = (name: string): Target | null | undefined => (overrides.has(name) ? overrides.get(name) : map.fields.get(name));
  return (field) => {
    let name = field.toLowerCase();
    for (const s of map.suffixes) if (name.endsWith(s)) name = name.slice(0, -s.length);
    let found = look(name);
    if (found === undefined) {
      const prefix = map.prefixes.find((p) => name.startsWith(p));
      if (prefix) found = look(name.slice(prefix.length));
    }
    return found;
  };
}

// ---------- values ----------

/** `*x*`, `x*`, `*x` and `x` as contains / startswith / endswith / eq; other patterns stay wildcards. */
function fromWildcard(value: string): { op: Operator; value: string } | undefined {
  if (value.includes('?')) return { op: 'wildcard', value };
  const core = value.replace(/^\*+/, '').replace(/\*+$/, '');
  if (core === '') return undefined;
  if (core.includes('*')) return { op: 'wildcard', value };
  const lead = value.startsWith('*');
  const trail = value.endsWith('*');
  return { op: lead && trail ? 'contains' : lead ? 'endswith' : trail ? 'startswith' : 'eq', value: core };
}

const regexMeta = new Set('.^$*+?()[]{}|\\'.split(''));
// Escapes that stand for themselves; \d, \w, \s, \b ... make a real regex.
const literalEscape = /[^A-Za-z0-9]/;

/** A regex that is only an (anchored) literal reads as eq / startswith / endswith / contains. */
function fromRegex(source: string): { op: Operator; value: string } {
  let body = source.replace(/^\(\?i\)/, '');
  let start = false;
  let end = false;
  if (body.startsWith('^')) {
    start = true;
    body = body.slice(1);
  } else if (body.startsWith('.*')) body = body.slice(2);
  if (body.endsWith('.*') && !body.endsWith('\\.*')) body = body.slice(0, -2);
  else if (body.endsWith('$') && !body.endsWith('\\$')) {
    end = true;
    body = body.slice(0, -1);
  }
  let literal = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\') {
      const next = body[i + 1];
      if (next === undefined || !literalEscape.test(next)) return { op: 'regex', value: source };
      literal += next;
      i++;
    } else if (regexMeta.has(c)) return { op: 'regex', value: source };
    else literal += c;
  }
  if (literal === '') return { op: 'regex', value: source };
  return { op: start && end ? 'eq' : start ? 'startswith' : end ? 'endswith' : 'contains', value: literal };
}

const pathSeparators = /[\\/]/;

/** `...\certutil.exe` compared by its end, or a bare name compared with a path field, names the file. */
function pathToName(op: Operator, value: string): string | undefined {
  if (op === 'endswith' && pathSeparators.test(value[0] ?? '')) {
    const rest = value.slice(1);
    if (rest && !pathSeparators.test(rest) && !/[*?]/.test(rest)) return rest;
  }
  if (op === 'eq' && !pathSeparators.test(value) && !/[*?]/.test(value)) return value;
  return undefined;
}

/** Sigma `Hashes` lists `SHA256=...`; a bare hash says its algorithm by its length. */
function hashField(value: string): { field: string; value: string } | undefined {
  const named = /^(md5|sha1|sha256|imphash)=([0-9a-f]+)$/.exec(value);
  if (named) return { field: `hash.${named[1]}`, value: named[2]! };
  const field = /^[0-9a-f]+$/.test(value) ? hashByLength[value.length] : undefined;
  return field ? { field, value } : undefined;
}

// Operators with no canonical meaning: presence, field-to-field comparison, kept-as-text.
/** A leading switch character before a switch name that ends the value or is followed by a blank, `:` or `=`. */
const windashSwitch = /^[/\u2013\u2014\u2015](?=\w[\w.-]*(?:$|[\s:=]))/;

const skipped = new Set<Operator>(['exists', 'fieldref', 'other']);

/** One indicator in the shared vocabulary, or undefined when its field or value does not map. */
function canonicalOf(
  ind: Pick<Indicator, 'field' | 'op' | 'value' | 'negated' | 'transform'>,
  target: Target,
): CanonicalIndicator | undefined {
  // An encoded value (base64, UTF-16) or a placeholder says nothing about the plaintext field.
  if (skipped.has(ind.op) || ind.value === '' || ind.transform) return undefined;
  let op: Operator = ind.op;
  let value: string;
  if (op === 'regex') {
    ({ op, value } = fromRegex(ind.value));
    value = value.toLowerCase().trim();
  } else {
    // Doubled backslashes are an escape some languages leave in the value.
    // Surrounding blanks (Sigma's ' -enc ') only mark token edges.
    value = ind.value.toLowerCase().replace(/\\\\/g, '\\').trim();
    if (op === 'has') op = 'contains';
    if (op === 'wildcard') {
      const simple = fromWildcard(value);
      if (!simple) return undefined;
      ({ op, value } = simple);
    }
  }
  let field = target.field;
  if (op === 'eq' && target.eqAs) op = target.eqAs;
  if (field === anyHash) {
    const hash = hashField(value);
    if (!hash) return undefined;
    ({ field, value } = hash);
  }
  value = value.trim();
  // A Windows switch reads the same after -, /, an en or em dash or a horizontal bar (Sigma's
  // windash set): one form, `-`, and the switch kept whole (`-s`, never `s`). Paths (`/tmp/x`) and
  // long options (`--help`) are not switches of that kind and stay as written.
  if (op === 'contains' && switchFields.has(field)) value = value.replace(windashSwitch, '-');
  if (value === '') return undefined;
  if (ind.op === 'has' && nameFields.has(field)) op = 'eq';
  const nameField = nameOfPath[field];
  if (nameField && (op === 'eq' || op === 'wildcard') && volumePrefix.test(value)) {
    const rest = value.replace(volumePrefix, '');
    if (!/[*?]/.test(rest)) {
      op = 'endswith';
      value = rest;
    }
  }
  const name = nameField ? pathToName(op, value) : undefined;
  if (nameField && name !== undefined) {
    field = nameField;
    op = 'eq';
    value = name;
  }
  for (const rule of byValue) if (rule.field === field && rule.pattern.test(value)) field = rule.to;
  return { field, op, value, negated: ind.negated };
}

/** The event name fields of the providers whose log a rule selects (lower-cased), each with those providers. */
export type EventFields = ReadonlyMap<string, readonly ProviderSpec[]>;

const eventAction: Target = { field: 'event.action' };
const eventNameFields = new Set(['event.action', 'event.code']);

/** An event name as the first of the providers whose normaliser changes it spells it (CloudTrail, GCP ...), else as written. */
function providerSpelling(providers: readonly ProviderSpec[], value: string): string {
  for (const provider of providers) {
    const name = normaliseEvent(provider, value);
    if (name !== value) return name;
  }
  return value;
}

/**
 * Set `canonical` on every indicator whose field maps, reading the rule's log sources. Returns them.
 * A provider's event field is `event.action` (a numeric one `event.code`) wherever the schema does not
 * say otherwise, and its names are spelled as the provider normalises them: so Sentinel's
 * `eventType_s`, Panther's `eventType` and Elastic's `event.action` on one Okta event are one
 * indicator, and Elastic's `google.iam.admin.v*.SetIAMPolicy` is `SetIAMPolicy` as elsewhere.
 */
export function withCanonical<T extends Indicator>(indicators: T[], schema: string, sources: string[], eventFields?: EventFields): T[] {
  const map = compiled.get(schema);
  const resolve = map ? resolver(map, sources) : () => undefined;
  for (const ind of indicators) {
    const providers = eventFields?.get(ind.field.toLowerCase());
    let target = resolve(ind.field);
    if (target === undefined && providers) target = eventAction;
    const canonical = target ? canonicalOf(ind, target) : undefined;
    if (canonical && providers && eventNameFields.has(canonical.field) && (canonical.op === 'eq' || ind.op === 'wildcard')) {
      const name = providerSpelling(providers, ind.value);
      // A wildcard the provider's spelling turns into one name is that name.
      if (canonical.op === 'eq' || (name !== ind.value && !/[*?]/.test(name))) {
        canonical.op = 'eq';
        canonical.value = name.toLowerCase().trim();
      }
    }
    if (canonical) ind.canonical = canonical;
    else delete ind.canonical;
  }
  return indicators;
}

/** Identity of a canonical indicator across the corpus (values are lower-cased already). */
export function canonicalKey(c: Pick<CanonicalIndicator, 'field' | 'op' | 'value' | 'negated'>): string {
  return `${c.field}\u0000${c.op}\u0000${c.negated ? 1 : 0}\u0000${c.value}`;
}

/** How a canonical indicator reads on a page: `process.name eq certutil.exe`. */
export function canonicalText(c: Pick<CanonicalIndicator, 'field' | 'op' | 'value' | 'negated'>): string {
  return `${c.field} ${c.negated ? 'not ' : ''}${c.op} ${c.value}`;
}
