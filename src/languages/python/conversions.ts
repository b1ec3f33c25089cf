// `str(f)`, `int(f)`, `float(f)` of a field compared with constants: the event may hold the value as
// a number or as its text, and the conversion makes them one (`str(6) == "6"`, `int("6") == 6`). The
// predicate keeps the code's constant (one indicator, one event name) and says the conversion in its
// `nativeOp` (`str() ==`, `str() .startswith`); the Python evaluator converts the event's value before comparing.
import type { Operator } from '../../model/types.js';

/** What a built-in conversion makes of a value: a text, or a number. */
export type Conversion = 'str' | 'number';

const conversions = new Map<string, Conversion>([
  ['str', 'str'],
  ['int', 'number'],
  ['float', 'number'],
]);

/** The conversion a built-in's name stands for (its caller checks the name is not shadowed). */
export function conversionOf(name: string): Conversion | undefined {
  return conversions.get(name);
}

/** The native operator of a test on a converted value: `str() ==`. */
export function convertedOp(conversion: Conversion, nativeOp: string): string {
  return `${conversion}() ${nativeOp}`;
}

/** Text tests a `str()` value takes as any text does (`str(f).startswith("3")`); `int(f).startswith` raises. */
const textTests = new Set<Operator>(['contains', 'startswith', 'endswith']);

/** Whether a test of a converted value names its conversion: equality, and a text's own tests of `str()`. */
export function convertedTest(conversion: Conversion, op: Operator): boolean {
  return op === 'eq' || op === 'in' || (conversion === 'str' && textTests.has(op));
}

/** Whether a predicate's native operator names a conversion: the value is converted whole (a list's `str()` is its `repr`). */
export function convertsValue(nativeOp: string): boolean {
  return conversionIn(nativeOp) !== undefined;
}

/** The conversion a predicate's native operator names, if any. */
function conversionIn(nativeOp: string): Conversion | undefined {
  if (nativeOp.startsWith('str() ')) return 'str';
  if (nativeOp.startsWith('number() ')) return 'number';
  return undefined;
}

/** Python's `str()` of a JSON value: texts as they are, other values as `repr` writes them (`pythonRepr`). */
function pythonText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : undefined;
  return pythonRepr(v);
}

/** Characters `str.isprintable()` rejects (other and separator categories, the space excepted): `repr` escapes them. */
const unprintable = /[\p{C}\p{Z}]/u;

/** Python's `repr` of a text: single quotes unless it holds one and no double quote; escapes as CPython writes them. */
function reprText(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const c of text) {
    const code = c.codePointAt(0)!;
    if (c === '\\' || c === quote) out += `\\${c}`;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (c !== ' ' && unprintable.test(c)) {
      const hex = code.toString(16);
      out += code < 0x100 ? `\\x${hex.padStart(2, '0')}` : code < 0x10000 ? `\\u${hex.padStart(4, '0')}` : `\\U${hex.padStart(8, '0')}`;
    } else out += c;
  }
  return out + quote;
}

/**
 * Python's `repr` of a JSON value (a list's or a mapping's `str()`, what the event's read-only views
 * give): undefined for a number whose spelling Python and JavaScript may write differently (an
 * exponent: Python's from 1e16 and below 1e-4, JavaScript's from 1e21 and below 1e-6).
 */
function pythonRepr(v: unknown): string | undefined {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return reprText(v);
  if (typeof v === 'number') {
    if (Number.isInteger(v) && Number.isSafeInteger(v)) return String(v);
    const size = Math.abs(v);
    return Number.isFinite(v) && size >= 1e-4 && size < 1e16 ? String(v) : undefined;
  }
  const parts: string[] = [];
  if (Array.isArray(v)) {
    for (const item of v as unknown[]) {
      const r = pythonRepr(item);
      if (r === undefined) return undefined;
      parts.push(r);
    }
    return `[${parts.join(', ')}]`;
  }
  if (typeof v !== 'object') return undefined;
  for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
    const r = pythonRepr(item);
    if (r === undefined) return undefined;
    parts.push(`${reprText(k)}: ${r}`);
  }
  return `{${parts.join(', ')}}`;
}

/** Python's `int()` / `float()` of a JSON scalar: a number, or a decimal text (spaces around allowed). */
function pythonNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return Number(v);
  if (typeof v === 'string' && /^\s*[-+]?(\d+(\.\d*)?|\.\d+)\s*$/.test(v)) return Number(v);
  return undefined;
}

/**
 * The event's value converted as the predicate's native operator says, for an equality or text test; the
 * value itself when it names no conversion. Undefined: the conversion would raise (not compared).
 */
export function convertedValue(nativeOp: string, seen: unknown): { value: unknown } | undefined {
  const conversion = conversionIn(nativeOp);
  if (!conversion) return { value: seen };
  const value = conversion === 'str' ? pythonText(seen) : pythonNumber(seen);
  return value === undefined ? undefined : { value };
}
