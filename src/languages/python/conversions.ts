// `str(f)`, `int(f)`, `float(f)` of a field compared with constants: the event may hold the value as
// a number or as its text, and the conversion makes them one (`str(6) == "6"`, `int("6") == 6`). The
// predicate keeps the code's constant (one indicator, one event name) and says the conversion in its
// `nativeOp` (`str() ==`); the Python evaluator converts the event's value before comparing.
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

/** The conversion a predicate's native operator names, if any. */
function conversionIn(nativeOp: string): Conversion | undefined {
  if (nativeOp.startsWith('str() ')) return 'str';
  if (nativeOp.startsWith('number() ')) return 'number';
  return undefined;
}

/** Python's `str()` of a JSON scalar: numbers and texts as written, booleans `True` / `False`. */
function pythonText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** Python's `int()` / `float()` of a JSON scalar: a number, or a decimal text (spaces around allowed). */
function pythonNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return Number(v);
  if (typeof v === 'string' && /^\s*[-+]?(\d+(\.\d*)?|\.\d+)\s*$/.test(v)) return Number(v);
  return undefined;
}

/**
 * The event's value converted as the predicate's native operator says, for an equality test; the
 * value itself when it names no conversion. Undefined: the conversion would raise (not compared).
 */
export function convertedValue(nativeOp: string, seen: unknown): { value: unknown } | undefined {
  const conversion = conversionIn(nativeOp);
  if (!conversion) return { value: seen };
  const value = conversion === 'str' ? pythonText(seen) : pythonNumber(seen);
  return value === undefined ? undefined : { value };
}
