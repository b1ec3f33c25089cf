// Python's `datetime.strptime(text, format)` as CPython's `_strptime` module reads a text (C locale,
// the zone names Pyodide has: UTC and GMT): each directive is a regex of alternatives tried in order,
// whitespace in the format matches one or more blanks, any other character itself, all without
// case; the first match (in the regex's order of preference, not the longest) must use the whole
// text, else ValueError ("unconverted data remains"); the fields then make a datetime, which raises
// ValueError on a day the month does not have. `%z` makes an aware datetime, anything else a naive
// one. A directive not listed here is not read: the answer is `unsupported`, never a guess.

/** A datetime: its wall clock in microseconds since 1970-01-01 00:00, and its UTC offset when aware. */
export interface PyDateTime {
  wall: bigint;
  /** The UTC offset in microseconds (`%z`); undefined for a naive datetime. */
  offset?: bigint;
}

export type Parsed = { value: PyDateTime } | { error: 'ValueError' } | { unsupported: string };

const months = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const days = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
/** Longest first, as `_strptime` orders a directive's names. */
const byLength = (names: string[]): string[] => [...names].sort((a, b) => b.length - a.length);

/** Each directive's alternatives, in `_strptime`'s order (its regexes, anchored where they start). */
const directives: Record<string, RegExp[]> = {
  d: [/3[01]/y, /[12]\d/y, /0[1-9]/y, /[1-9]/y, / [1-9]/y],
  f: [/\d{6}/y, /\d{5}/y, /\d{4}/y, /\d{3}/y, /\d{2}/y, /\d/y],
  H: [/2[0-3]/y, /[0-1]\d/y, /\d/y],
  I: [/1[0-2]/y, /0[1-9]/y, /[1-9]/y],
  m: [/1[0-2]/y, /0[1-9]/y, /[1-9]/y],
  M: [/[0-5]\d/y, /\d/y],
  S: [/6[0-1]/y, /[0-5]\d/y, /\d/y],
  y: [/\d\d/y],
  Y: [/\d\d\d\d/y],
  // `[+-]\d\d:?[0-5]\d(:?[0-5]\d(\.\d{1,6})?)?|(?-i:Z)`: the optional parts greedy, `Z` with its case.
  z: [
    ...[6, 5, 4, 3, 2, 1].map((n) => new RegExp(`[+-]\\d\\d:?[0-5]\\d:?[0-5]\\d\\.\\d{${n}}`, 'y')),
    /[+-]\d\d:?[0-5]\d:?[0-5]\d/y,
    /[+-]\d\d:?[0-5]\d/y,
    /Z/y,
  ],
  b: byLength(months.map((m) => m.slice(0, 3))).map((n) => new RegExp(n, 'iy')),
  B: byLength(months).map((n) => new RegExp(n, 'iy')),
  a: byLength(days.map((d) => d.slice(0, 3))).map((n) => new RegExp(n, 'iy')),
  A: byLength(days).map((n) => new RegExp(n, 'iy')),
  p: [/am/iy, /pm/iy],
  Z: [/utc/iy, /gmt/iy],
};

/** One piece of a format: a directive, a run of whitespace, or a literal character. */
type Token = { directive: string } | { blank: true } | { literal: string };

/** At most this many pieces in a format: a longer one is not read (the match below is bounded by it). */
const maxTokens = 64;

function tokens(format: string): Token[] | string {
  const out: Token[] = [];
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c === '%') {
      const d = format[++i];
      if (d === undefined) return 'a format ending in %';
      if (d === '%') out.push({ literal: '%' });
      // A directive twice is a regex group named twice: `_strptime` fails to compile it.
      else if (out.some((t) => 'directive' in t && t.directive === d)) return `%${d} twice`;
      else if (Object.hasOwn(directives, d)) out.push({ directive: d });
      else return `%${d}`;
    } else if (/\s/.test(c)) {
      if (!(out.at(-1) && 'blank' in out.at(-1)!)) out.push({ blank: true });
    } else out.push({ literal: c });
    if (out.length > maxTokens) return `a format of more than ${maxTokens} pieces`;
  }
  return out;
}

/**
 * The first match of the pieces from `at` in order of preference (as a backtracking regex finds
 * it): the captures and where it ends. Positions known to fail are remembered, so the search is
 * bounded by pieces × positions × alternatives.
 */
function firstMatch(parts: Token[], text: string): { end: number; captures: Map<string, string> } | undefined {
  const failed = new Set<number>();
  const captures = new Map<string, string>();
  const width = text.length + 1;
  const search = (i: number, at: number): number | undefined => {
    if (i === parts.length) return at;
    if (failed.has(i * width + at)) return undefined;
    const part = parts[i]!;
    const ends: number[] = [];
    if ('literal' in part) {
      if (text.slice(at, at + part.literal.length).toLowerCase() === part.literal.toLowerCase()) ends.push(at + part.literal.length);
    } else if ('blank' in part) {
      let end = at;
      while (end < text.length && /\s/.test(text[end]!)) end++;
      for (let e = end; e > at; e--) ends.push(e);
    } else {
      for (const re of directives[part.directive]!) {
        re.lastIndex = at;
        if (re.test(text)) ends.push(re.lastIndex);
      }
    }
    for (const end of ends) {
      if ('directive' in part) captures.set(part.directive, text.slice(at, end));
      const done = search(i + 1, end);
      if (done !== undefined) return done;
    }
    failed.add(i * width + at);
    return undefined;
  };
  const end = search(0, 0);
  return end === undefined ? undefined : { end, captures };
}

/** Days from 1970-01-01 to a date of the proleptic Gregorian calendar. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const leap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const monthDays = (y: number, m: number): number => [31, leap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;

/** Microseconds of a wall clock, as a datetime holds it. */
export function wallMicros(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, micro = 0): bigint {
  const secs = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  return BigInt(secs) * 1_000_000n + BigInt(micro);
}

/** A `%z` text's offset in microseconds, or undefined where `_strptime` raises ("Inconsistent use of :"). */
function offsetOf(z: string): bigint | undefined {
  if (z === 'Z') return 0n;
  let s = z;
  if (s[3] === ':') {
    s = s.slice(0, 3) + s.slice(4);
    if (s.length > 5) {
      if (s[5] !== ':') return undefined;
      s = s.slice(0, 5) + s.slice(6);
    }
  }
  const hours = Number(s.slice(1, 3));
  const minutes = Number(s.slice(3, 5));
  const seconds = Number(s.slice(5, 7) || '0');
  const fraction = s.slice(8);
  const micros = BigInt((hours * 3600 + minutes * 60 + seconds) * 1_000_000 + Number(fraction.padEnd(6, '0') || '0'));
  return s.startsWith('-') ? -micros : micros;
}

/** `datetime.strptime(text, format)`: the datetime, ValueError, or a format this reading does not cover. */
export function strptime(text: string, format: string): Parsed {
  const parts = tokens(format);
  if (typeof parts === 'string') return { unsupported: `strptime format ${JSON.stringify(format)}: ${parts} is not read` };
  const found = firstMatch(parts, text);
  if (!found || found.end !== text.length) return { error: 'ValueError' };
  const c = found.captures;
  const num = (k: string): number | undefined => (c.has(k) ? Number(c.get(k)!.trim()) : undefined);
  let year = num('Y') ?? 1900;
  const y2 = num('y');
  if (y2 !== undefined && !c.has('Y')) year = y2 <= 68 ? 2000 + y2 : 1900 + y2;
  const monthName = c.get('B') ?? c.get('b');
  const month = num('m') ?? (monthName ? months.findIndex((m) => m.startsWith(monthName.toLowerCase())) + 1 : 1);
  const day = num('d') ?? 1;
  let hour = num('H') ?? 0;
  const h12 = num('I');
  if (h12 !== undefined && !c.has('H')) {
    const pm = c.get('p')?.toLowerCase() === 'pm';
    hour = pm ? (h12 === 12 ? 12 : h12 + 12) : h12 === 12 ? 0 : h12;
  }
  const minute = num('M') ?? 0;
  const second = num('S') ?? 0;
  const micro = c.has('f') ? Number(c.get('f')!.padEnd(6, '0')) : 0;
  // The datetime itself then refuses what no calendar has.
  if (year < 1 || second > 59 || day > monthDays(year, month)) return { error: 'ValueError' };
  const wall = wallMicros(year, month, day, hour, minute, second, micro);
  if (!c.has('z')) return { value: { wall } };
  const offset = offsetOf(c.get('z')!);
  return offset === undefined ? { error: 'ValueError' } : { value: { wall, offset } };
}
