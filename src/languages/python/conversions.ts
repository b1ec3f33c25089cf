// `str(f)`, `int(f)`, `float(f)` of a field compared with constants: the event may hold the value as
// a number or as its text, and the conversion makes them one (`str(6) == "6"`, `int("6") == 6`). The
// field is tested against the constant and its twin of the other type, so that an event carrying
// the other one still matches, as the code's comparison does.
import type { Scalar } from '../../model/types.js';

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

/** A decimal integer's text, as Python writes it (`str(6)`), and as `int()` reads it back. */
const integerText = /^-?(?:0|[1-9]\d*)$/;

/**
 * The constants a converted field equals, with their twins: for `str(f) == "6"` also the number 6;
 * for `int(f) == 6` also the text "6". Only integers: `str(6.0)` is "6.0", which a JSON number
 * written `6.0` does not keep.
 */
export function withTwins(conversion: Conversion, values: Scalar[]): Scalar[] {
  const twins: Scalar[] = [];
  for (const v of values) {
    if (conversion === 'str' && typeof v === 'string' && integerText.test(v)) twins.push(Number(v));
    if (conversion === 'number' && typeof v === 'number' && Number.isSafeInteger(v)) twins.push(String(v));
  }
  return twins.length === 0 ? values : [...values, ...twins.filter((t) => !values.includes(t))];
}
