// Timestamps a rule reads from the event and the time now (time-values.ts reads them from the code),
// as the predicates that carry them and their evaluation. A predicate's `transform` is `time:` and a
// TimeSpec in JSON:
// - `{parses}` (op `exists`, nativeOp `parses as a time`): the value the code parses gives a datetime,
//   not None; the parse is the steps the code tries in order (`datetime.strptime` with a format, a
//   call the model does not follow), each failure caught or not as the code says.
// - `{later, earlier}` (op gt/gte/lt/lte, the value a duration in seconds): `later - earlier`, a
//   timedelta, compared with the duration; each side the time now (`datetime.now()` local,
//   `utcnow()` UTC, both naive) or a field parsed as above.
// The time now is the evaluation's (`now`, what the caller's clock says: evaluate/rule.ts
// PreparedEvent); without one, what depends on it is `unknown`. Python raising (a naive and an aware
// datetime subtracted, strptime's ValueError not caught, None subtracted) is `unknown` too: the
// code's own guards (`if not ts: return ...`) decide those cases in the tree.
import type { Predicate, Scalar } from '../../model/types.js';
import { type PyDateTime, strptime } from './strptime.js';

/** `text.replace(a, b)` applied before a step. */
export type Edit = [string, string];
/** `datetime.strptime(text, format)` with each format in turn (a loop over them, or one), the text edited first. */
export type ParseStep =
  | { strptime: string[]; edits?: Edit[]; catches: ('ValueError' | 'TypeError')[] }
  /** A call the model does not follow (`parser.parse(ts)`): reached, the answer is unknown. */
  | { unknown: string };
export interface ParseChain {
  /** A falsy value gives None before any step (`if not ts: return None`). */
  falsyNone?: boolean;
  /** Tried in order; past the last, None. */
  steps: ParseStep[];
}
export type NowKind = 'local' | 'utc';
export type TimeSide = { now: NowKind } | { field: string; parse: ParseChain; default?: Scalar };
export type TimeSpec = { parses: Extract<TimeSide, { field: string }> } | { later: TimeSide; earlier: TimeSide };

export const timePrefix = 'time:';
export const parsesOp = 'parses as a time';

export const encodeTime = (spec: TimeSpec): string => timePrefix + JSON.stringify(spec);

/** Specs decoded once per distinct transform: the test runs per event in the fire index. */
const decoded = new Map<string, TimeSpec | undefined>();
function decode(transform: string): TimeSpec | undefined {
  if (decoded.has(transform)) return decoded.get(transform);
  if (decoded.size >= 1024) decoded.clear(); // transforms come from rules: bounded whatever the catalogs served
  let spec: TimeSpec | undefined;
  try {
    spec = JSON.parse(transform.slice(timePrefix.length)) as TimeSpec;
  } catch {
    spec = undefined;
  }
  decoded.set(transform, spec);
  return spec;
}

type Read = { value: PyDateTime } | { none: string } | { unknown: string };

/** What the code's parse gives for a value: a datetime, None, or why it is not known. */
function parsedValue(chain: ParseChain, value: unknown, truthy: (v: unknown) => boolean): Read {
  if (chain.falsyNone && !truthy(value)) return { none: 'a falsy value is not parsed' };
  for (const step of chain.steps) {
    if ('unknown' in step) return { unknown: `parsed by ${step.unknown}, which the model does not follow` };
    if (typeof value !== 'string') {
      if (step.edits?.length) return { unknown: '.replace() of a value that is not a text raises' };
      if (step.catches.includes('TypeError')) continue;
      return { unknown: 'strptime of a value that is not a text raises TypeError' };
    }
    let text = value;
    for (const [a, b] of step.edits ?? []) text = text.split(a).join(b);
    for (const format of step.strptime) {
      const r = strptime(text, format);
      if ('unsupported' in r) return { unknown: r.unsupported };
      if ('value' in r) return r;
      if (!step.catches.includes('ValueError')) return { unknown: `strptime(${JSON.stringify(format)}) raises ValueError` };
    }
  }
  return { none: 'no format the code tries reads the value' };
}

/** The time now as the code reads it: local wall time (the zone of this process), or UTC. */
function nowOf(kind: NowKind, now: number): PyDateTime {
  const offsetMinutes = kind === 'local' ? new Date(now).getTimezoneOffset() : 0;
  return { wall: BigInt(Math.round(now - offsetMinutes * 60_000)) * 1000n };
}

type Outcome = { matched: boolean | 'unknown'; seen: unknown[] | 'missing'; note?: string };
/** The values of a field as the evaluator reads it (a list walked), undefined when missing or None. */
export type FieldReader = (field: string) => unknown[] | undefined;

function sideValue(side: TimeSide, read: FieldReader, truthy: (v: unknown) => boolean, now: number | undefined): Read {
  if ('now' in side)
    return now === undefined ? { unknown: 'the time now is not given to this evaluation' } : { value: nowOf(side.now, now) };
  const values = read(side.field);
  if (values && values.length !== 1) return { unknown: 'a time read through a list is not evaluated' };
  return parsedValue(side.parse, values ? values[0] : (side.default ?? null), truthy);
}

const compare = { gt: (d: bigint) => d > 0n, gte: (d: bigint) => d >= 0n, lt: (d: bigint) => d < 0n, lte: (d: bigint) => d <= 0n };

/** A `time:` predicate on the event; `now` in milliseconds since the epoch, when the caller gives one. */
export function timeTest(p: Predicate, read: FieldReader, truthy: (v: unknown) => boolean, now: number | undefined): Outcome {
  const values = read(p.field);
  const seen = values ?? ('missing' as const);
  const spec = p.transform ? decode(p.transform) : undefined;
  if (!spec) return { matched: 'unknown', seen, note: 'a time test that does not read' };
  if ('parses' in spec) {
    const r = sideValue(spec.parses, read, truthy, now);
    if ('unknown' in r) return { matched: 'unknown', seen, note: r.unknown };
    const parses = 'value' in r;
    return { matched: p.negated ? !parses : parses, seen };
  }
  const later = sideValue(spec.later, read, truthy, now);
  const earlier = sideValue(spec.earlier, read, truthy, now);
  for (const r of [later, earlier]) {
    if ('unknown' in r) return { matched: 'unknown', seen, note: r.unknown };
    if ('none' in r) return { matched: 'unknown', seen, note: `None in a time difference raises TypeError (${r.none})` };
  }
  const a = (later as { value: PyDateTime }).value;
  const b = (earlier as { value: PyDateTime }).value;
  if ((a.offset === undefined) !== (b.offset === undefined))
    return { matched: 'unknown', seen, note: 'an offset-naive and an offset-aware datetime subtracted raise TypeError' };
  const elapsed = a.wall - (a.offset ?? 0n) - (b.wall - (b.offset ?? 0n));
  const bound = p.values[0];
  const test = compare[p.op as keyof typeof compare] as ((d: bigint) => boolean) | undefined;
  if (typeof bound !== 'number' || !test) return { matched: 'unknown', seen, note: `a time difference ${p.op} is not evaluated` };
  const matched = test(elapsed - BigInt(Math.round(bound * 1e6)));
  return { matched: p.negated ? !matched : matched, seen };
}
