// One event, every schema: an event recognised as a provider's raw log (providers/mappers/) is
// written in each platform schema its mapper knows, each as the log the platform keeps it in, so
// that `fire` can try it on every platform's rules for that provider. A mapped field whose source
// the event does not have is left out, never filled with a guess.
import { linearRegex } from '../analysis/linear-regex.js';
import { eventMappers } from '../providers/mappers/registry.js';
import type { EventMapper, FieldSource, Flattening, MapTarget } from '../providers/mappers/types.js';
import { flattenWindowsEvent } from './event-log.js';
import { pathLookup } from './match.js';
import type { EventLog } from './types.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The raw event in one schema, as one log of it. */
export interface MappedEvent {
  provider: string;
  schema: string;
  /** The log the mapped event is of, as `--log-type` names it (a table, a dataset, a logsource path ...). */
  log: string;
  event: Obj;
}

/** The event as its mapper's paths read it: a Windows event flattened (System, then EventData). */
function readable(mapper: EventMapper, event: unknown): Obj | undefined {
  if (!mapper.windowsEvent) return isObj(event) ? event : undefined;
  return flattenWindowsEvent(event) ?? (isObj(event) && typeof event.Channel === 'string' ? event : undefined);
}

const sameText = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function values(event: Obj, path: string): unknown[] {
  const found = pathLookup(event, path);
  return found.found ? found.values.filter((v) => v !== null && v !== undefined) : [];
}

/** Every path holds one of its values (without case). */
function holds(event: Obj, equals: Record<string, string[]>): boolean {
  return Object.entries(equals).every(([path, wanted]) => values(event, path).some((v) => wanted.some((w) => sameText(String(v), w))));
}

/**
 * A mapper's pattern, on RE2: the values it tests come from events users post (1 MB bodies), and a
 * backtracking engine took 1.3 s for the IP address pattern on 40,000 colons (quadratic in the value).
 */
function mapperPattern(source: string): { test(text: string): boolean } {
  const compiled = linearRegex(source);
  if ('regex' in compiled) return compiled.regex;
  throw new Error(`an event mapper's pattern does not run on RE2: ${source}`);
}

function shapeMatches(mapper: EventMapper, event: Obj): boolean {
  return mapper.shapes.some(
    (shape) =>
      shape.has.every((path) => pathLookup(event, path).found) &&
      holds(event, shape.equals ?? {}) &&
      Object.entries(shape.matches ?? {}).every(([path, re]) => values(event, path).some((v) => mapperPattern(re).test(String(v)))),
  );
}

/**
 * The provider whose raw log the event is: named by `--log-type` or a Panther `p_log_type`, or
 * told by its shape; `how` says which, for people. Undefined when no mapper knows it.
 */
export function recogniseProvider(
  event: unknown,
  log: EventLog,
  mappers: readonly EventMapper[] = eventMappers,
): { mapper: EventMapper; how: string } | undefined {
  const named = log.given ?? log.panther?.logType;
  if (named !== undefined) {
    const mapper = mappers.find((m) => m.logs.some((l) => sameText(l, named)) && readable(m, event));
    if (mapper) return { mapper, how: `${log.given !== undefined ? '--log-type' : 'p_log_type'} ${named}` };
    // A log named but no mapper's: the event is that log's, not any shape's (a Windows event says its channel itself).
    if (log.given !== undefined && !log.windows) return undefined;
  }
  for (const mapper of mappers) {
    const fields = readable(mapper, event);
    if (fields && shapeMatches(mapper, fields)) return { mapper, how: `${mapper.provider} event shape` };
  }
  return undefined;
}

/** One source's value in the raw event: undefined when the event does not have it (the field is then left out). */
function sourceValue(event: Obj, source: FieldSource): unknown {
  if (typeof source === 'string') return single(values(event, source));
  if (Array.isArray(source)) return source.map((path) => single(values(event, path))).find((v) => v !== undefined);
  if ('value' in source) return source.value;
  if ('ifPresent' in source) return values(event, source.ifPresent).length > 0 ? source.then : source.else;
  const from = (Array.isArray(source.from) ? source.from : [source.from]).find((path) => pathLookup(event, path).found);
  const found = from === undefined ? ({ found: false } as const) : pathLookup(event, from);
  if (!found.found) return source.otherwise;
  if (source.as === 'name-value') return nameValues(found.values);
  if (source.as === 'json') {
    const whole = from! in event ? event[from!] : found.values.length === 1 ? found.values[0] : found.values;
    return JSON.stringify(whole);
  }
  const out: unknown[] = [];
  const pattern = source.matches === undefined ? undefined : mapperPattern(source.matches);
  for (const v of found.values) {
    if (v === null || v === undefined || (pattern && !pattern.test(String(v)))) continue;
    if (source.values) {
      const renamed = Object.entries(source.values).find(([from]) => sameText(from, String(v)))?.[1];
      if (renamed !== undefined) out.push(renamed);
    } else if (source.as === 'lowercase') out.push(String(v).toLowerCase());
    else if (source.as === 'string') out.push(String(v));
    else if (source.as === 'basename') out.push(String(v).replace(/^.*[\\/]/, ''));
    else if (source.as === 'windows-args') out.push(...windowsArgs(String(v)));
    else out.push(v);
  }
  return single(out) ?? source.otherwise;
}

/**
 * A command line split into arguments as CommandLineToArgvW does: whitespace separates, double quotes
 * group; 2n backslashes before a quote are n backslashes (the quote then opens or closes), 2n+1 are
 * n and a literal quote; other backslashes are themselves.
 */
export function windowsArgs(line: string): string[] {
  const args: string[] = [];
  let current = '';
  let inQuotes = false;
  let started = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\') {
      let n = 0;
      while (line[i + n] === '\\') n++;
      if (line[i + n] === '"') {
        current += '\\'.repeat(Math.floor(n / 2));
        if (n % 2 === 1) current += '"';
        else inQuotes = !inQuotes;
        i += n;
      } else {
        current += '\\'.repeat(n);
        i += n - 1;
      }
      started = true;
    } else if (c === '"') {
      inQuotes = !inQuotes;
      started = true;
    } else if ((c === ' ' || c === '\t') && !inQuotes) {
      if (started) args.push(current);
      current = '';
      started = false;
    } else {
      current += c;
      started = true;
    }
  }
  if (started) args.push(current);
  return args;
}

/** `[{Name: 'Identity', Value: 'x'}, ...]` as `{Identity: 'x'}`; items without a name, or a value, are left out. */
function nameValues(items: unknown[]): Obj | undefined {
  const out: Obj = {};
  for (const item of items) {
    if (!isObj(item)) continue;
    const name = item.Name ?? item.name;
    const value = item.Value ?? item.value;
    if (typeof name === 'string' && value !== undefined && value !== null) out[name] = value;
  }
  return Object.keys(out).length ? out : undefined;
}

const single = (list: unknown[]): unknown => (list.length === 0 ? undefined : list.length === 1 ? list[0] : list);

function setNested(out: Obj, path: string, value: unknown): void {
  const keys = path.split('.');
  let at = out;
  for (const key of keys.slice(0, -1)) {
    const next = at[key];
    at = isObj(next) ? next : (at[key] = {});
  }
  at[keys.at(-1)!] = value;
}

const isoDate = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A Log Analytics custom-log column's name for a value: its type's suffix. */
function logAnalyticsColumn(name: string, value: unknown): string {
  if (typeof value === 'number') return `${name}_d`;
  if (typeof value === 'boolean') return `${name}_b`;
  if (typeof value === 'string' && isoDate.test(value)) return `${name}_t`;
  if (typeof value === 'string' && guid.test(value)) return `${name}_g`;
  return `${name}_s`;
}

function flattenInto(out: Obj, value: unknown, name: string, style: Exclude<Flattening, 'raw'>): void {
  if (value === null || value === undefined) return;
  if (isObj(value)) {
    const join = style === 'spath' ? '.' : '_';
    for (const [key, v] of Object.entries(value)) flattenInto(out, v, name ? `${name}${join}${key}` : key, style);
  } else if (Array.isArray(value)) {
    if (style === 'log-analytics') out[`${name}_s`] = JSON.stringify(value);
    else {
      // spath: `target{}.id` holds every element's id; a list of scalars is `name{}`.
      const items: Obj = {};
      for (const item of value) {
        const one: Obj = {};
        flattenInto(one, item, `${name}{}`, style);
        for (const [key, v] of Object.entries(one)) items[key] = key in items ? [items[key], v].flat() : v;
      }
      Object.assign(out, items);
    }
  } else out[style === 'log-analytics' ? logAnalyticsColumn(name, value) : name] = value;
}

/** The raw event (as its mapper reads it) in one target schema; `data`: the fields `copyUnder` copies. */
function mapTo(target: MapTarget, event: Obj, data: Obj): Obj {
  const flat = target.flatten === 'log-analytics' || target.flatten === 'spath';
  const out: Obj = {};
  if (target.flatten === 'raw') Object.assign(out, structuredClone(event));
  else if (flat) flattenInto(out, event, '', target.flatten as Exclude<Flattening, 'raw'>);
  if (target.copyUnder) for (const [key, v] of Object.entries(data)) setNested(out, `${target.copyUnder}${key}`, v);
  for (const [field, source] of Object.entries(target.fields ?? {})) {
    const value = sourceValue(event, source);
    if (value === undefined) continue;
    if (flat) out[field] = value;
    else setNested(out, field, value);
  }
  return out;
}

/** A Windows event's EventData (and UserData) fields alone: the flat event without its System fields. */
function windowsEventData(event: unknown, flat: Obj): Obj {
  const system = isObj(event) && isObj(event.Event) ? flattenWindowsEvent({ Event: { System: event.Event.System } }) : undefined;
  if (!system) return flat;
  return Object.fromEntries(Object.entries(flat).filter(([key]) => !(key in system)));
}

/** The event in every schema its provider's mapper knows, one mapped event per log of each target. */
export function mapEvent(mapper: EventMapper, event: unknown): MappedEvent[] {
  const fields = readable(mapper, event);
  if (!fields) return [];
  const data = mapper.windowsEvent ? windowsEventData(event, fields) : fields;
  return mapper.targets.flatMap((target) => {
    if (target.when && !holds(fields, target.when)) return [];
    const mapped = mapTo(target, fields, data);
    return target.logs.map((log) => ({ provider: mapper.provider, schema: target.schema, log, event: mapped }));
  });
}
